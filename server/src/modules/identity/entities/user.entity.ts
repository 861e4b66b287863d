import { Entity, Index, ManyToOne, type Opt, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from '../../../shared/ids';
import type { Role } from '../roles';
import { Agency } from './agency.entity';
import { Unit } from './unit.entity';

/** A staff member (cán bộ) of one agency, optionally in a unit, with one or more roles. */
@Entity({ tableName: 'app_user' })
export class User {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  /** Login name, stored lower-case. */
  @Property({ type: 'string', length: 100, unique: true })
  username!: string;

  @Property({ type: 'text' })
  fullName!: string;

  /** Chức vụ, e.g. "Chánh Văn phòng". */
  @Property({ type: 'text', nullable: true })
  title?: string | null;

  @Property({ type: 'string', length: 200, nullable: true })
  email?: string | null;

  @Index()
  @ManyToOne({ entity: () => Agency, deleteRule: 'restrict' })
  agency!: Agency;

  @Index()
  @ManyToOne({ entity: () => Unit, nullable: true, deleteRule: 'set null' })
  unit?: Unit | null;

  @Property({ type: 'text[]' })
  roles: Role[] = [];

  @Property({ type: 'text', hidden: true, lazy: true })
  passwordHash!: string;

  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  /**
   * Set by an administrator's password reset: the user may sign in but can do nothing except `me`,
   * `changePassword` and `logout` until they choose a new password (Scope.requireActor enforces it).
   */
  @Property({ type: 'boolean', default: false })
  mustChangePassword: Opt<boolean> = false;

  @Property({ type: 'datetime', nullable: true })
  lastLoginAt?: Date | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
