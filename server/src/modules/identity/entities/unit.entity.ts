import { Entity, Index, ManyToOne, type Opt, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from '../../../shared/ids';
import { Agency } from './agency.entity';

/** Đơn vị / phòng ban: a unit inside an agency. */
@Entity({ tableName: 'unit' })
@Unique({ properties: ['agency', 'abbr'] })
export class Unit {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Index()
  @ManyToOne({ entity: () => Agency, deleteRule: 'restrict' })
  agency!: Agency;

  @Property({ type: 'text' })
  name!: string;

  /** Abbreviation, used in công văn symbols (07/UBND-VP). */
  @Property({ type: 'string', length: 20 })
  abbr!: string;

  /** A deactivated unit keeps its history but is offered in no picker and can receive no new staff. */
  @Property({ type: 'boolean', default: true })
  active: Opt<boolean> = true;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
