import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEvent } from '../modules/audit/audit-event.entity';
import type { Role } from '../modules/identity/roles';
import { logger } from './logger';
import { unauthenticated } from './errors';

/** Who is acting: a signed-in user (null actor = the system: jobs, exchange, seeding). */
export interface Actor {
  userId: string;
  username: string;
  fullName: string;
  agencyId: string;
  unitId: string | null;
  roles: Role[];
  sessionId: string | null;
}

export interface AuditInput {
  action: string;
  targetType: string;
  targetId?: string | null;
  agencyId?: string | null;
  data?: Record<string, unknown> | null;
}

type Hook = () => unknown;

/** Inside a transaction: the transactional EntityManager, the audit writer and the after-commit hooks. */
export interface Tx {
  em: EntityManager;
  actor: Actor | null;
  /** Writes an audit_event row in this transaction. */
  audit(e: AuditInput): AuditEvent;
  /** Runs after the transaction commits (never if it rolls back): enqueue jobs, publish events. */
  afterCommit(fn: Hook): void;
}

/**
 * One unit of work: a request or a job. Holds its own forked EntityManager (never the global one),
 * the actor and request metadata. Every state change goes through `transaction`, which writes the
 * audit events in the same transaction and runs after-commit hooks only once it has committed.
 */
export class Scope {
  constructor(
    readonly em: EntityManager,
    readonly actor: Actor | null,
    readonly meta: { ip?: string | null; userAgent?: string | null; authError?: 'EXPIRED' | 'INVALID' | 'REVOKED' | null } = {},
  ) {}

  requireActor(): Actor {
    if (this.actor) return this.actor;
    if (this.meta.authError === 'EXPIRED' || this.meta.authError === 'REVOKED')
      throw unauthenticated('Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.', { reason: 'SESSION_EXPIRED' });
    if (this.meta.authError === 'INVALID') throw unauthenticated('Mã phiên đăng nhập không hợp lệ. Vui lòng đăng nhập lại.', { reason: 'INVALID_TOKEN' });
    throw unauthenticated();
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const hooks: Hook[] = [];
    const result = await this.em.transactional(async (em) => {
      const tx: Tx = {
        em,
        actor: this.actor,
        audit: (e) => {
          const ev = em.create(AuditEvent, {
            action: e.action,
            targetType: e.targetType,
            targetId: e.targetId ?? null,
            agencyId: e.agencyId ?? this.actor?.agencyId ?? null,
            actorId: this.actor?.userId ?? null,
            data: e.data ?? null,
            ip: this.meta.ip ?? null,
            at: new Date(),
          });
          em.persist(ev);
          return ev;
        },
        afterCommit: (fn2) => hooks.push(fn2),
      };
      return fn(tx);
    });
    for (const h of hooks) {
      try {
        await h();
      } catch (e) {
        logger.error({ err: e }, 'after-commit hook failed');
      }
    }
    return result;
  }
}
