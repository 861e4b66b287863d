/**
 * Chuông thông báo: the unread count (the `unreadNotificationCount` query, kept current by the live
 * `notificationCountChanged` subscription, which graphql/cache-updates.ts writes into the cached count; refetched
 * when the tab comes back), a dropdown with the latest notifications linking to their documents, and
 * "Đánh dấu đã đọc". `NotificationBellView` is the presentational part (props only).
 */
import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  MarkNotificationsReadDocument,
  NotificationCountChangedDocument,
  NotificationsDocument,
  UnreadNotificationCountDocument,
  type NotificationsQuery,
} from '../graphql/generated';
import { useApiMutation, useApiQuery, useApiSubscription } from '../graphql/hooks';
import { errorMessage } from '../i18n/errors';
import { formatDateTime } from './documents/format';
import './NotificationBell.css';

export type NotificationItem = NotificationsQuery['notifications']['edges'][number]['node'];

const LIST_VARS = { first: 20 };

/** Where a notification leads: its document, or its meeting (phòng họp); none when the server gave no link. */
function linkOf(n: NotificationItem): string | null {
  if (n.document) return `/${n.document.direction === 'OUTGOING' ? 'outgoing' : 'incoming'}/documents/${n.document.id}`;
  if (n.meeting) return `/meetings/${n.meeting.id}`;
  return null;
}

function NotificationText({ n, onClose }: { n: NotificationItem; onClose(): void }) {
  const to = linkOf(n);
  return to ? (
    <Link to={to} onClick={onClose}>
      {n.text}
    </Link>
  ) : (
    <span>{n.text}</span>
  );
}

/**
 * Whether the shown list cannot be the server's current one, given the unread count (which is pushed live): a
 * complete list (no next page) must hold exactly `count` unread notifications, and no list more than `count`.
 * It happens when a notification arrives while the list is being fetched: the re-read the push asks for is
 * dropped for the request in flight, whose older answer then stays (seen on CI, 7 Dec: the reminder never showed).
 */
export function listIsStale(count: number | null, items: readonly Pick<NotificationItem, 'readAt'>[] | null, complete: boolean): boolean {
  if (count === null || items === null) return false;
  const unread = items.filter((n) => !n.readAt).length;
  return unread > count || (complete && unread !== count);
}

export function NotificationBell() {
  const [open, setOpen] = useState(false);
  const [markError, setMarkError] = useState<unknown>(null);
  const count = useApiQuery(UnreadNotificationCountDocument, {});
  // The live count: the cache update writes each pushed value into `unreadNotificationCount` above.
  useApiSubscription(NotificationCountChangedDocument, {});
  const list = useApiQuery(NotificationsDocument, LIST_VARS, { pause: !open, requestPolicy: 'cache-and-network' });
  const [markRead] = useApiMutation(MarkNotificationsReadDocument);
  const refetchCount = count.refetch;

  // An open list that disagrees with the live count is read again (once per disagreement: no loop if it persists).
  const unreadCount = count.data?.unreadNotificationCount ?? null;
  const shown = list.data ? list.data.notifications : null;
  const refetchList = list.refetch;
  const reread = useRef('');
  useEffect(() => {
    if (!open || list.fetching || !shown) return;
    const items = shown.edges.map((e) => e.node);
    if (!listIsStale(unreadCount, items, !shown.pageInfo.hasNextPage)) return;
    const state = `${unreadCount}|${items.map((n) => `${n.id}:${n.readAt ?? ''}`).join(',')}`;
    if (state === reread.current) return;
    reread.current = state;
    refetchList();
  }, [open, list.fetching, shown, unreadCount, refetchList]);

  // Back to the tab after a while (the stream may have been cut, e.g. a laptop asleep): re-read the count.
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible') refetchCount();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [refetchCount]);

  const onMarkRead = async (ids: string[] | null) => {
    setMarkError(null);
    try {
      // The list is invalidated by the cache update of the mutation; the count comes back over the stream.
      await markRead(ids ? { ids } : { all: true });
      refetchCount();
    } catch (e) {
      setMarkError(e);
    }
  };

  return (
    <NotificationBellView
      count={count.data?.unreadNotificationCount ?? null}
      open={open}
      onToggle={() => {
        setOpen((o) => !o);
        setMarkError(null);
      }}
      onClose={() => setOpen(false)}
      items={list.data ? list.data.notifications.edges.map((e) => e.node) : null}
      error={markError ?? list.error ?? null}
      onMarkRead={(ids) => void onMarkRead(ids)}
    />
  );
}

export interface NotificationBellViewProps {
  /** Unread notifications; null until first known. */
  count: number | null;
  open: boolean;
  onToggle(): void;
  onClose(): void;
  /** The latest notifications; null while loading. */
  items: readonly NotificationItem[] | null;
  error: unknown;
  /** Mark these read (null: all). */
  onMarkRead(ids: string[] | null): void;
}

export function NotificationBellView({ count, open, onToggle, onClose, items, error, onMarkRead }: NotificationBellViewProps) {
  const { t } = useTranslation();
  const listId = useId();
  const unread = count ?? 0;
  const label = unread > 0 ? t('notifications.bellUnread', { count: unread }) : t('notifications.bell');

  return (
    <div className="notification-bell">
      <button type="button" className="icon-button notification-bell__button" aria-label={label} aria-expanded={open} aria-controls={listId} onClick={onToggle}>
        <svg width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
          <path d="M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0" />
        </svg>
        {unread > 0 ? (
          <span className="notification-bell__badge" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        ) : null}
      </button>
      <span className="visually-hidden" aria-live="polite" data-testid="notification-count">
        {count === null ? '' : label}
      </span>
      {open ? (
        <div id={listId} className="notification-bell__panel" role="region" aria-label={t('notifications.title')}>
          <div className="notification-bell__head">
            <strong>{t('notifications.title')}</strong>
            {unread > 0 ? (
              <button type="button" className="btn btn--link" onClick={() => onMarkRead(null)}>
                {t('notifications.markAllRead')}
              </button>
            ) : null}
          </div>
          {error ? <p role="alert">{errorMessage(error, t)}</p> : null}
          {items === null && !error ? <p>{t('notifications.loading')}</p> : null}
          {items?.length === 0 ? <p>{t('notifications.empty')}</p> : null}
          {items?.length ? (
            <ul className="notification-bell__list">
              {items.map((n) => (
                <li key={n.id} className={n.readAt ? 'notification notification--read' : 'notification notification--unread'}>
                  <NotificationText n={n} onClose={onClose} />
                  <small className="notification__time">{formatDateTime(n.createdAt)}</small>
                  {!n.readAt ? (
                    <button type="button" className="btn btn--link" onClick={() => onMarkRead([n.id])}>
                      {t('notifications.markRead')}
                    </button>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
