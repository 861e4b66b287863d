/** Inbox boxes (hộp văn bản): order, who they are for, and the live counts (urql: subscription + fallback poll). */
import { useEffect, useMemo } from 'react';
import type { InboxBox, Role } from '../../graphql/generated';
import { InboxChangedLiveDocument, InboxCountsDocument } from '../../graphql/generated';
import type { ApiError } from '../../graphql/client';
import { useApiQuery, useApiSubscription } from '../../graphql/hooks';

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

const NO_VARIABLES = {};

/**
 * Live inbox counts (urql): fetched at once; the `inboxChanged` subscription (graphql-sse) makes graphcache
 * invalidate the inbox lists and counts (cache-updates.ts), so the mounted queries re-run by themselves; a
 * poll every 60 s while the tab is visible, and a refetch when it becomes visible again, cover a lost stream.
 * Mutations invalidate what they change (cache-updates.ts), so no manual refresh after an action.
 */
export function useInboxCounts(): { counts: Map<InboxBox, number> | undefined; error: ApiError | undefined } {
  const { data, error, refetch } = useApiQuery(InboxCountsDocument, NO_VARIABLES, { requestPolicy: 'cache-and-network' });
  useInboxLive();
  useEffect(() => {
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') refetch();
    }, POLL_MS);
    const onVisible = () => {
      if (document.visibilityState === 'visible') refetch();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [refetch]);
  const counts = useMemo(() => (data ? new Map(data.inboxCounts.map((c) => [c.box, c.count])) : undefined), [data]);
  return { counts, error };
}

/** Keeps the `inboxChanged` subscription open while mounted (urql shares one stream between all users). */
export function useInboxLive(): void {
  useApiSubscription(InboxChangedLiveDocument, NO_VARIABLES);
}
