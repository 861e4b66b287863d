/** Inbox boxes (hộp văn bản): order, who they are for, and the live counts (polled). */
import { useEffect, useState } from 'react';
import type { InboxBox, InboxCountsQuery, Role } from '../../graphql/generated';
import { InboxCountsDocument } from '../../graphql/generated';
import { GRAPHQL_ENDPOINT, request } from '../../graphql/client';
import { onDocumentsChanged } from './api';

export const ALL_BOXES: readonly InboxBox[] = [
  'TO_REGISTER',
  'TO_ANNOTATE',
  'TO_PROCESS',
  'IN_PROGRESS',
  'OVERDUE',
  'TO_APPROVE',
  'TO_SIGN',
  'TO_ISSUE',
  'WATCHING',
  'DRAFTS',
];

export const INCOMING_BOXES: readonly InboxBox[] = ['TO_REGISTER', 'TO_ANNOTATE', 'TO_PROCESS', 'IN_PROGRESS', 'OVERDUE', 'WATCHING'];
export const OUTGOING_BOXES: readonly InboxBox[] = ['DRAFTS', 'TO_APPROVE', 'TO_SIGN', 'TO_ISSUE', 'WATCHING'];

/** Roles for whom a box is part of the daily work (shown even when empty). */
const BOX_ROLES: Readonly<Record<InboxBox, readonly Role[]>> = {
  TO_REGISTER: ['VAN_THU'],
  TO_ANNOTATE: ['LANH_DAO'],
  TO_PROCESS: ['CHUYEN_VIEN', 'TRUONG_PHONG'],
  IN_PROGRESS: ['CHUYEN_VIEN', 'TRUONG_PHONG'],
  OVERDUE: ['CHUYEN_VIEN', 'TRUONG_PHONG'],
  TO_APPROVE: ['TRUONG_PHONG', 'LANH_DAO'],
  TO_SIGN: ['LANH_DAO'],
  TO_ISSUE: ['VAN_THU'],
  WATCHING: ['LANH_DAO', 'TRUONG_PHONG', 'CHUYEN_VIEN'],
  DRAFTS: ['CHUYEN_VIEN'],
};

/** Boxes to show: those of the user's roles, plus any other with something in it. */
export function visibleBoxes(candidates: readonly InboxBox[], roles: readonly Role[], counts: ReadonlyMap<InboxBox, number> | undefined): InboxBox[] {
  return candidates.filter((b) => BOX_ROLES[b].some((r) => roles.includes(r)) || (counts?.get(b) ?? 0) > 0);
}

/** Fallback polling of the counts; live updates come from the `inboxChanged` subscription. */
export const POLL_MS = 60_000;

const INBOX_CHANGED = 'subscription InboxChanged { inboxChanged { documentId } }';

/**
 * Live inbox counts: fetched at once, every 20 s while the tab is visible, when the tab becomes visible
 * again, and right after any action (notifyDocumentsChanged).
 */
export function useInboxCounts(): { counts: Map<InboxBox, number> | undefined; error: unknown } {
  const [counts, setCounts] = useState<Map<InboxBox, number>>();
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let alive = true;
    // Per mount (not a ref): a remount must load at once, not wait for the previous mount's request.
    let inflight = false;
    let again = false;
    const load = async (): Promise<void> => {
      if (inflight) {
        again = true;
        return;
      }
      inflight = true;
      try {
        const r: InboxCountsQuery = await request(InboxCountsDocument, {});
        if (alive) {
          setCounts(new Map(r.inboxCounts.map((c) => [c.box, c.count])));
          setError(null);
        }
      } catch (e) {
        if (alive) setError(e);
      } finally {
        inflight = false;
        if (again && alive) {
          again = false;
          void load();
        }
      }
    };
    void load();
    // Live: the server pushes `inboxChanged` (SSE) whenever a document of the agency changes; polling stays as a fallback.
    const live = typeof EventSource === 'function' ? new EventSource(`${GRAPHQL_ENDPOINT}?query=${encodeURIComponent(INBOX_CHANGED)}`) : null;
    live?.addEventListener('next', () => void load());
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void load();
    }, POLL_MS);
    const onVisible = () => {
      if (document.visibilityState === 'visible') void load();
    };
    document.addEventListener('visibilitychange', onVisible);
    const off = onDocumentsChanged(() => void load());
    return () => {
      alive = false;
      live?.close();
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
      off();
    };
  }, []);
  return { counts, error };
}
