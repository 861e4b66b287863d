import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from '../../../shared/ids';

/**
 * Cơ quan, tổ chức: an agency of the deployment. Agencies form a hierarchy
 * (UBND tỉnh → Sở, UBND huyện → UBND xã).
 */
@Entity({ tableName: 'agency' })
@Index({ name: 'agency_name_trgm', expression: 'create index "agency_name_trgm" on "agency" using gin (f_unaccent(lower("name")) gin_trgm_ops)' })
export class Agency {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  /** Mã định danh (QĐ 20/2020), e.g. 000.00.00.H27; up to 35 characters. */
  @Property({ type: 'string', length: 35, unique: true })
  code!: string;

  @Property({ type: 'text' })
  name!: string;

  /** Abbreviation used in document symbols, e.g. UBND, SNV, VP. */
  @Property({ type: 'string', length: 20 })
  abbr!: string;

  /** Địa danh for "Bắc Ninh, ngày … tháng … năm …". */
  @Property({ type: 'string', length: 100, nullable: true })
  place?: string | null;

  @Index()
  @ManyToOne({ entity: () => Agency, nullable: true, deleteRule: 'restrict' })
  parent?: Agency | null;

  @Property({ type: 'string', length: 40, default: 'Asia/Ho_Chi_Minh' })
  timeZone: string = 'Asia/Ho_Chi_Minh';

  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  /** Đơn vị vận hành: the agency that runs the deployment; its QUAN_TRI administer every agency. */
  @Property({ type: 'boolean', default: false })
  operator: boolean = false;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
