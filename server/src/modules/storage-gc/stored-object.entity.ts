import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Every object the application has put into object storage (content-addressed key `sha256/ab/cd/<hex>`),
 * with the time it was last CLAIMED. A claim is refreshed before each put of those bytes, i.e. before the
 * transaction that will reference the object commits. The garbage collector (storage-gc.service.ts) only
 * removes an object whose row is unreferenced AND whose last claim is older than the grace period, so a
 * request still in flight can never lose the bytes it is about to attach (issue "Trust", finding 1).
 */
@Entity({ tableName: 'stored_object' })
@Index({ name: 'stored_object_last_claimed_at_idx', properties: ['lastClaimedAt'] })
export class StoredObject {
  @PrimaryKey({ type: 'text' })
  key!: string;

  @Property({ type: 'string', length: 64 })
  sha256!: string;

  /** Bytes; null for objects adopted from storage listings or older rows whose size is unknown. */
  @Property({ type: 'bigint', nullable: true })
  size?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  lastClaimedAt: Date = new Date();
}
