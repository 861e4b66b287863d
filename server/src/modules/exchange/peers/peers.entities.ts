/**
 * Peer deployments (hệ thống quản lý văn bản khác: another province, a ministry) and the directory of the
 * agencies reachable through the exchange (issue 13, DESIGN.md "Tables").
 *
 * - `exchange_peer`: one row per peer deployment; its shared secrets (http-auth.ts) sealed at rest with the
 *   deployment's key-encryption key (signing/keystore.ts: CONGVAN_KEY_ENCRYPTION_KEY, or the data-dir key).
 * - `exchange_directory`: agency code → where it is served (peer null = this deployment's `agency` table).
 * - `exchange_nonce`: the (peer, nonce) pairs of signed requests seen inside the time window, shared by every
 *   API replica (a replay to another replica is refused too).
 */
import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from '../../../shared/ids';

/** One shared secret of a peer, sealed (base64 of the keystore envelope). Several at once during rotation. */
export interface SealedPeerKey {
  keyId: string;
  secretEnc: string;
  notAfter?: string | null;
}

@Entity({ tableName: 'exchange_peer' })
export class ExchangePeer {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  /** The peer's id in signed requests (`x-congvan-peer`): the mã định danh of the agency that runs it. */
  @Property({ type: 'string', length: 64, unique: true })
  code!: string;

  @Property({ type: 'text' })
  name!: string;

  /** e.g. https://congvan.example.gov.vn — the endpoints are under `<baseUrl>/exchange/v1/`. */
  @Property({ type: 'text' })
  baseUrl!: string;

  @Property({ type: 'json' })
  keys: SealedPeerKey[] = [];

  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  /** Where the row came from: CLI / admin page, or the CONGVAN_PEERS variable (re-read at each start). */
  @Property({ type: 'string', length: 10, default: 'CLI' })
  source: 'CLI' | 'ENV' | 'DEMO' = 'CLI';

  @Property({ type: 'datetime', nullable: true })
  lastSyncAt?: Date | null;

  /** The last directory sync's error (null when it succeeded). */
  @Property({ type: 'text', nullable: true })
  lastSyncError?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

@Entity({ tableName: 'exchange_directory' })
@Index({ name: 'exchange_directory_name_trgm', expression: 'create index "exchange_directory_name_trgm" on "exchange_directory" using gin (f_unaccent(lower("name")) gin_trgm_ops)' })
export class ExchangeDirectoryEntry {
  /** Mã định danh (QĐ 20/2020), up to 35 characters. */
  @PrimaryKey({ type: 'string', length: 35 })
  agencyCode!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'string', length: 35, nullable: true })
  parentCode?: string | null;

  /** null = an agency of this deployment. */
  @Index()
  @ManyToOne({ entity: () => ExchangePeer, nullable: true, deleteRule: 'cascade' })
  peer?: ExchangePeer | null;

  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  syncedAt: Date = new Date();
}

@Entity({ tableName: 'exchange_nonce' })
@Index({ properties: ['expiresAt'] })
export class ExchangeNonce {
  @PrimaryKey({ type: 'string', length: 64 })
  peerCode!: string;

  @PrimaryKey({ type: 'string', length: 64 })
  nonce!: string;

  @Property({ type: 'datetime' })
  expiresAt!: Date;
}

export const peerEntities = [ExchangePeer, ExchangeDirectoryEntry, ExchangeNonce];
