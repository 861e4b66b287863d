import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from '../../shared/ids';

/**
 * One state change, written in the same transaction as the change itself (who, what, when,
 * agency, target). It is the audit trail and the document history.
 */
@Entity({ tableName: 'audit_event' })
@Index({ properties: ['targetType', 'targetId', 'at'] })
// Keyset paging of the audit log (admin module): per agency, and over every agency for the operator.
@Index({ properties: ['agencyId', 'at', 'id'] })
@Index({ properties: ['at', 'id'] })
export class AuditEvent {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  at: Date = new Date();

  /** The user who acted; null for the system (jobs, exchange). */
  @Property({ type: 'uuid', nullable: true })
  actorId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  agencyId?: string | null;

  /** e.g. `auth.login`, `user.create`, `document.register`. */
  @Property({ type: 'string', length: 80 })
  action!: string;

  @Property({ type: 'string', length: 40 })
  targetType!: string;

  @Property({ type: 'uuid', nullable: true })
  targetId?: string | null;

  @Property({ type: 'json', nullable: true })
  data?: Record<string, unknown> | null;

  @Property({ type: 'string', length: 64, nullable: true })
  ip?: string | null;
}
