/**
 * How live events and mutations change graphcache beyond what normalisation does by itself.
 *
 * Normalisation already merges every `Document`, `Assignment`, `Notification` … a mutation or a subscription
 * returns into the cached entity of the same id, so an open document page follows `documentChanged` without
 * a refetch. What normalisation cannot know is list membership and counters; those are handled here, field
 * by field, instead of refetching whole pages:
 * - `inboxChanged`: the inbox lists and counts are stale (a document entered or left a box): invalidate only
 *   those fields; the mounted queries re-run them, everything else stays cached.
 * - `notificationCountChanged`: the new unread count is written straight into `unreadNotificationCount`.
 * - `markNotificationsRead`: the notification lists are invalidated (their `readAt` changed server-side).
 */
import { gql } from '@urql/core';
import type { UpdatesConfig, Cache } from '@urql/exchange-graphcache';

const UNREAD_COUNT = gql`query UnreadCountCache { unreadNotificationCount }`;

/** Invalidates every cached argument variant of `Query.<field>`. */
export function invalidateQueryField(cache: Cache, field: string): void {
  for (const f of cache.inspectFields('Query')) {
    if (f.fieldName === field) cache.invalidate('Query', f.fieldName, f.arguments ?? undefined);
  }
}

export const cacheUpdates: UpdatesConfig = {
  Subscription: {
    inboxChanged(_result, _args, cache) {
      invalidateQueryField(cache, 'inbox');
      invalidateQueryField(cache, 'inboxCounts');
      // the search across boxes shows each result's boxes; the registers show states (and annulments)
      for (const field of ['documentSearch', 'registerEntries', 'registerBooks']) invalidateQueryField(cache, field);
    },
    notificationCountChanged(result, _args, cache) {
      const count = (result as { notificationCountChanged?: unknown }).notificationCountChanged;
      if (typeof count === 'number') cache.updateQuery({ query: UNREAD_COUNT }, () => ({ unreadNotificationCount: count }));
      invalidateQueryField(cache, 'notifications');
    },
  },
  Mutation: {
    markNotificationsRead(_result, _args, cache) {
      invalidateQueryField(cache, 'notifications');
    },
    // Vào sổ / từ chối nhận: a new number in the registers, the document leaves "chờ vào sổ".
    registerIncoming(_result, _args, cache) {
      for (const field of ['inbox', 'inboxCounts', 'registerEntries', 'registerBooks']) invalidateQueryField(cache, field);
    },
    rejectIncoming(_result, _args, cache) {
      for (const field of ['inbox', 'inboxCounts']) invalidateQueryField(cache, field);
    },
  },
};
