/**
 * Live updates of documents (SSE subscriptions): publishing after commit, and the per-subscriber guard.
 * An event carries ids only; each subscriber's stream re-checks, for every event, that its session is still
 * valid (not revoked by logout, not expired, user still active: the same facts as identity.service
 * `authenticate`) and that the actor may see the document (documents.policy). A stream whose session is
 * gone ends with UNAUTHENTICATED; events about documents the subscriber may not see are never delivered.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Repeater, map, pipe } from 'graphql-yoga';
import type { Services } from '../../services';
import { unauthenticated } from '../../shared/errors';
import { Scope, type Actor, type Tx } from '../../shared/scope';
import { Session } from '../identity/entities/session.entity';
import { toActor } from '../identity/identity.service';

/**
 * After the transaction commits, tell every API replica's subscribers that the document changed
 * (documentChanged:<id>) and that its agency's inbox counts may differ (inboxChanged:<agencyId>).
 * Call it from every service method that changes a document.
 */
export function publishDocumentChange(tx: Tx, services: Pick<Services, 'pubsub'>, doc: { id: string; agency: { id: string } }): void {
  tx.afterCommit(() => {
    services.pubsub.publish('documentChanged', doc.id, { documentId: doc.id });
    services.pubsub.publish('inboxChanged', doc.agency.id, { agencyId: doc.agency.id, documentId: doc.id });
  });
}

/**
 * The actor of a session as it is NOW (roles, unit, agency reloaded), or null when the session was revoked
 * (đăng xuất), has expired or its user was disabled. An actor without a session (jobs, tests) is kept as is.
 */
export async function currentActor(em: EntityManager, actor: Actor): Promise<Actor | null> {
  if (!actor.sessionId) return actor;
  const session = await em.findOne(Session, { id: actor.sessionId }, { populate: ['user', 'user.agency', 'user.unit'] });
  if (!session || session.user.id !== actor.userId || session.revokedAt) return null;
  if (session.expiresAt.getTime() <= Date.now() || !session.user.active) return null;
  return toActor(session.user, session.id);
}

export const sessionEnded = () => unauthenticated('Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.', { reason: 'SESSION_EXPIRED' });

/**
 * Wraps a subscription source: for every event, a fresh unit of work with the session re-checked (the
 * stream ends with UNAUTHENTICATED once it is gone), then `admit` decides what the subscriber gets: a value
 * to deliver, or undefined to drop the event. `admit` may throw an AppError to end the stream.
 */
export async function* guardedStream<E, V>(
  source: AsyncIterable<E>,
  scope: Scope,
  services: Pick<Services, 'orm'>,
  admit: (fresh: Scope, event: E) => Promise<V | undefined>,
): AsyncGenerator<V> {
  const subscriber = scope.requireActor();
  const iterator = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      const em = services.orm.em.fork();
      const actor = await currentActor(em, subscriber);
      if (!actor) throw sessionEnded();
      const value = await admit(new Scope(em, actor, scope.meta), next.value);
      if (value !== undefined) yield value;
    }
  } finally {
    await iterator.return?.();
  }
}

/**
 * `source`, plus one synthetic event (`catchUp()`) each time this replica's LISTEN connection comes back
 * after a PostgreSQL restart or a network loss: NOTIFYs of the outage are lost, so the stream re-reads its
 * state once instead of staying stale until the next change.
 */
export function withCatchUp<E>(source: AsyncIterable<E>, services: Pick<Services, 'pubsub'>, catchUp: () => E): AsyncIterable<E> {
  return Repeater.merge([source, pipe(services.pubsub.subscribe('reconnected'), map(() => catchUp()))]) as AsyncIterable<E>;
}
