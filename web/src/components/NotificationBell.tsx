/**
 * Chuông thông báo: the unread count (live over SSE `notificationCountChanged`, refetched when the tab comes
 * back), a dropdown with the latest notifications linking to their documents, and "Đánh dấu đã đọc".
 */
import { useCallback, useEffect, useId, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { GRAPHQL_ENDPOINT, request } from '../graphql/client';
import {
  MarkNotificationsReadDocument,
  NotificationsDocument,
  UnreadNotificationCountDocument,
  type NotificationsQuery,
} from '../graphql/generated';
import { errorMessage } from '../i18n/errors';
import './NotificationBell.css';

const COUNT_CHANGED = 'subscription NotificationCountChanged { notificationCountChanged }';
type Item = NotificationsQuery['notifications']['edges'][number]['node'];

export function NotificationBell() {
  const { t, i18n } = useTranslation();
  const [count, setCount] = useState<number | null>(null);
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<Item[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const listId = useId();

  const loadCount = useCallback(async () => {
    try {
      setCount((await request(UnreadNotificationCountDocument)).unreadNotificationCount);
    } catch {
      // The badge stays as it was; the list shows errors.
    }
  }, []);

  useEffect(() => {
    void loadCount();
    const live = typeof EventSource === 'function' ? new EventSource(`${GRAPHQL_ENDPOINT}?query=${encodeURIComponent(COUNT_CHANGED)}`) : null;
    live?.addEventListener('next', (e) => {
      try {
        const n = (JSON.parse((e as MessageEvent<string>).data) as { data?: { notificationCountChanged?: number } }).data?.notificationCountChanged;
        if (typeof n === 'number') setCount(n);
      } catch {
        void loadCount();
      }
    });
    const onVisible = () => {
      if (document.visibilityState === 'visible') void loadCount();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      live?.close();
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [loadCount]);

  const loadList = useCallback(async () => {
    setError(null);
    try {
      setItems((await request(NotificationsDocument, { first: 20 })).notifications.edges.map((e) => e.node));
    } catch (e) {
      setError(e);
    }
  }, []);

  const toggle = () => {
    const next = !open;
    setOpen(next);
    if (next) void loadList();
  };

  const markRead = async (ids: string[] | null) => {
    setError(null);
    try {
      await request(MarkNotificationsReadDocument, ids ? { ids } : { all: true });
      await Promise.all([loadList(), loadCount()]);
    } catch (e) {
      setError(e);
    }
  };

  const unread = count ?? 0;
  const label = unread > 0 ? t('notifications.bellUnread', { count: unread }) : t('notifications.bell');
  const time = (iso: string) => new Date(iso).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'vi-VN');

  return (
    <div className="notification-bell">
      <button type="button" className="icon-button notification-bell__button" aria-label={label} aria-expanded={open} aria-controls={listId} onClick={toggle}>
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
              <button type="button" className="btn btn--link" onClick={() => void markRead(null)}>
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
                  {n.document ? (
                    <Link to={`/${n.document.direction === 'OUTGOING' ? 'outgoing' : 'incoming'}/documents/${n.document.id}`} onClick={() => setOpen(false)}>
                      {n.text}
                    </Link>
                  ) : (
                    <span>{n.text}</span>
                  )}
                  <small className="notification__time">{time(n.createdAt)}</small>
                  {!n.readAt ? (
                    <button type="button" className="btn btn--link" onClick={() => void markRead([n.id])}>
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
