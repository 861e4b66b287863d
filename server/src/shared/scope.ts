/**
 * Scope: the unit of work of a request or a job (EntityManager fork + actor + audit + after-commit hooks).
 * Jobs are written INSIDE the transaction that causes them (`tx.enqueue`): a commit can never lose one
 * and a rollback never queues one. After-commit hooks are only for what may be lost (live-update pings).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { sendInTransaction, type KnexLike } from '../infra/queue/tx-send';
import type { SendOptions } from '../infra/queue/queue';
import { AuditEvent } from '../modules/audit/audit-event.entity';
import type { Role } from '../modules/identity/roles';
import { logger } from './logger';
import { newId } from './ids';
import { AppError, unauthenticated } from './errors';

/** Who is acting: a signed-in user (null actor = the system: jobs, exchange, seeding). */
export interface Actor {
  userId: string;
  username: string;
  fullName: string;
  agencyId: string;
  unitId: string | null;
  roles: Role[];
  sessionId: string | null;
  /** After an administrator's password reset: only `me`, `changePassword` and `logout` are allowed. */
  mustChangePassword?: boolean;
}

export interface AuditInput {
  action: string;
  targetType: string;
  targetId?: string | null;
  agencyId?: string | null;
  /** Who acted, where the scope has nobody yet: a login is the act of the user signing in (default: the scope's actor). */
  actorId?: string | null;
  data?: Record<string, unknown> | null;
}

type Hook = () => unknown;

/** From this many events on, `auditMany` writes them in one statement. */
const AUDIT_BULK_MIN = 4;

/** Inside a transaction: the transactional EntityManager, the audit writer, the job writer and the after-commit hooks. */
export interface Tx {
  em: EntityManager;
  actor: Actor | null;
  /** Writes an audit_event row in this transaction. */
  audit(e: AuditInput): AuditEvent;
  /**
   * Writes many audit events in this transaction (the exchange's fan-out to hundreds of agencies): the same rows
   * as `audit` — actor, agency, request IP — a few through `audit`, many in ONE statement.
   */
  auditMany(events: readonly AuditInput[]): Promise<void>;
  /**
   * Queues a job in this transaction (a pg-boss row written on the same connection): it runs only if the
   * transaction commits, and is never lost once it has. A failure fails the transaction. Returns the job id.
   */
  enqueue<T extends object>(job: { name: string }, data: T, opts?: SendOptions): Promise<string>;
  /**
   * Runs after the transaction commits (never if it rolls back), errors only logged: for what may be lost,
   * such as live-update pings (clients refetch). Never for jobs: use `enqueue`.
   */
  afterCommit(fn: Hook): void;
}

/**
 * Test hook (NODE_ENV=test only): with CONGVAN_TEST_PAUSE_AFTER_COMMIT=<audit action>, a transaction that
 * wrote that audit action prints `CONGVAN_TEST_PAUSED <action>` on stdout once committed and then waits for
 * ever, before its after-commit hooks: crash tests kill -9 the process at exactly that point.
 */
async function testPauseAfterCommit(actions: readonly string[]): Promise<void> {
  if (process.env.NODE_ENV !== 'test') return;
  const want = process.env.CONGVAN_TEST_PAUSE_AFTER_COMMIT;
  if (!want || !actions.includes(want)) return;
  process.stdout.write(`CONGVAN_TEST_PAUSED ${want}\n`);
  await new Promise<never>(() => undefined);
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

  /**
   * The signed-in actor, or UNAUTHENTICATED. A user who must change their password (after a reset) gets
   * FORBIDDEN with reason PASSWORD_CHANGE_REQUIRED for everything, except the few operations that pass
   * `allowPasswordChange` (me, changePassword, logout): the one place this rule is enforced.
   */
  requireActor(opts: { allowPasswordChange?: boolean } = {}): Actor {
    if (this.actor?.mustChangePassword && !opts.allowPasswordChange)
      throw new AppError('FORBIDDEN', 'Bạn cần đổi mật khẩu trước khi tiếp tục.', { reason: 'PASSWORD_CHANGE_REQUIRED' });
    if (this.actor) return this.actor;
    if (this.meta.authError === 'EXPIRED' || this.meta.authError === 'REVOKED')
      throw unauthenticated('Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.', { reason: 'SESSION_EXPIRED' });
    if (this.meta.authError === 'INVALID') throw unauthenticated('Mã phiên đăng nhập không hợp lệ. Vui lòng đăng nhập lại.', { reason: 'INVALID_TOKEN' });
    throw unauthenticated();
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const hooks: Hook[] = [];
    const actions: string[] = [];
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
            actorId: e.actorId ?? this.actor?.userId ?? null,
            data: e.data ?? null,
            ip: this.meta.ip ?? null,
            at: new Date(),
          });
          em.persist(ev);
          actions.push(e.action);
          return ev;
        },
        auditMany: async (events) => {
          if (events.length < AUDIT_BULK_MIN) {
            for (const e of events) tx.audit(e);
            return;
          }
          const at = new Date().toISOString();
          const rows = events.map((e) => ({
            id: newId(),
            at,
            actor_id: e.actorId ?? this.actor?.userId ?? null,
            agency_id: e.agencyId ?? this.actor?.agencyId ?? null,
            action: e.action,
            target_type: e.targetType,
            target_id: e.targetId ?? null,
            data: e.data ?? null,
            ip: this.meta.ip ?? null,
          }));
          // bound as a query parameter: em.execute would inline a thousand rows into the SQL text
          const trx = em.getTransactionContext() as KnexLike;
          await trx.raw(
            `insert into audit_event (id, at, actor_id, agency_id, action, target_type, target_id, data, ip)
             select x.id, x.at, x.actor_id, x.agency_id, x.action, x.target_type, x.target_id, x.data, x.ip
               from jsonb_to_recordset(?::jsonb) as x(id uuid, at timestamptz, actor_id uuid, agency_id uuid, action text, target_type text, target_id uuid, data jsonb, ip text)`,
            [JSON.stringify(rows)],
          );
          for (const e of events) actions.push(e.action);
        },
        enqueue: (job, data, opts) => sendInTransaction(em, job.name, data, opts),
        afterCommit: (fn2) => hooks.push(fn2),
      };
      return fn(tx);
    });
    await testPauseAfterCommit(actions);
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
