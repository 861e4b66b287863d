/**
 * Thông báo của người dùng: the list (newest first, keyset paging on (created_at, id)), the unread count and
 * mark-as-read. Only the caller's own rows are ever read or changed. Rows are written by the document
 * workflows and the reminder job (incoming/outgoing services, delivery.ts, documents.jobs.ts); a database
 * trigger (migration NotificationsChanged) NOTIFYs `notificationsChanged:<userId>` when a row is written or
 * read, delivered by PostgreSQL only on COMMIT — so every writer, present and future, pushes the bell.
 */
import type { Services } from '../../services';
import { badInput } from '../../shared/errors';
import { isUuid } from '../../shared/ids';
import { decodeCursor, isPgTimestampText, pageSize, toConnection, type Connection } from '../../shared/pagination';
import type { Scope } from '../../shared/scope';
import { Notification } from '../documents/entities/misc.entities';

/** Most ids accepted by one markNotificationsRead call. */
export const MAX_MARK_IDS = 500;

export class NotificationsService {
  constructor(private readonly services: Pick<Services, 'clock'>) {}

  async notifications(scope: Scope, args: { first?: number | null; after?: string | null; unreadOnly?: boolean | null }): Promise<Connection<Notification>> {
    const actor = scope.requireActor();
    const limit = pageSize(args.first);
    const after = decodeCursor(args.after, 2);
    const params: unknown[] = [actor.userId];
    let keyset = '';
    if (after) {
      const [at, id] = after;
      if (!isPgTimestampText(at) || typeof id !== 'string' || !isUuid(id)) throw badInput('Con trỏ phân trang "after" không hợp lệ.', 'after');
      keyset = ' and (n.created_at, n.id) < (?::timestamptz, ?::uuid)';
      params.push(at, id);
    }
    const unread = args.unreadOnly ? ' and n.read_at is null' : '';
    const rows = await scope.em
      .getConnection()
      .execute<{ id: string; at_text: string }[]>(
        `select n.id, n.created_at::text as at_text from notification n where n.user_id = ?${unread}${keyset} order by n.created_at desc, n.id desc limit ?`,
        [...params, limit + 1],
      );
    const entities = rows.length ? await scope.em.find(Notification, { id: { $in: rows.map((r) => r.id) } }, { populate: ['document'] }) : [];
    const byId = new Map(entities.map((n) => [n.id, n]));
    const atText = new Map(rows.map((r) => [r.id, r.at_text]));
    const ordered = rows.map((r) => byId.get(r.id)).filter((n): n is Notification => !!n);
    return toConnection(ordered, limit, (n) => [atText.get(n.id), n.id], 0, !!after);
  }

  async unreadCount(scope: Scope): Promise<number> {
    const actor = scope.requireActor();
    return scope.em.count(Notification, { user: actor.userId, readAt: null });
  }

  /** Marks the caller's own unread notifications read; ids of other users' (or unknown) rows change nothing. */
  async markRead(scope: Scope, args: { ids?: readonly string[] | null; all?: boolean | null }): Promise<number> {
    const actor = scope.requireActor();
    const ids = args.ids ?? [];
    if (!args.all && ids.length === 0) throw badInput('Chọn ít nhất một thông báo, hoặc đánh dấu tất cả.', 'ids');
    if (ids.length > MAX_MARK_IDS) throw badInput(`Tối đa ${MAX_MARK_IDS} thông báo mỗi lần.`, 'ids');
    if (ids.some((id) => !isUuid(id))) throw badInput('Mã thông báo không hợp lệ.', 'ids');
    const now = this.services.clock.now();
    return scope.transaction(async (tx) => {
      const where = args.all ? { user: actor.userId, readAt: null } : { user: actor.userId, readAt: null, id: { $in: [...ids] } };
      const changed = await tx.em.nativeUpdate(Notification, where, { readAt: now });
      if (changed > 0)
        tx.audit({
          action: 'notification.mark_read',
          targetType: 'user',
          targetId: actor.userId,
          agencyId: actor.agencyId,
          data: { all: !!args.all, ids: args.all ? null : ids, changed },
        });
      return changed;
    });
  }
}
