import { createPubSub } from 'graphql-yoga';
import type { PgEventTarget } from './pg-event-target';

/** Topics published across processes. Payloads are small: ids and counters. */
export type PubSubTopics = {
  /** Something in this agency's documents changed: inbox counts may differ. Keyed by agency id. */
  inboxChanged: [agencyId: string, payload: { agencyId: string; documentId: string | null }];
  /** A document changed (state, assignment, file, recipient status). Keyed by document id. */
  documentChanged: [documentId: string, payload: { documentId: string }];
  /** OCR progress of a file. Keyed by the file's sha256 (the same bytes are digitised once). */
  ocrProgress: [sha256: string, payload: { sha256: string; status: string; pagesDone: number; pagesTotal: number | null; error: string | null }];
  /**
   * A notification of this user was written or read: the bell's unread count may differ. Keyed by user id.
   * Sent by a database trigger on "notification" (migration NotificationsChanged), on COMMIT only.
   */
  notificationsChanged: [userId: string, payload: { userId: string }];
  /**
   * This replica's LISTEN connection came back after a loss (pg-event-target.ts, never sent through NOTIFY):
   * events of the outage were missed, so every open stream re-reads its state once (catch-up).
   */
  reconnected: [payload: { at: string }];
  /**
   * A meeting changed (issue 11): state `version`, what changed. Keyed by meeting id, on its own NOTIFY channel
   * (pg-event-target SCOPED_TOPICS). version −1 = a replica's readiness ping (nonce), not a change.
   */
  meetingChanged: [meetingId: string, payload: { meetingId: string; version: number; kind: string; nonce?: string }];
  /** Something on the lobby displays of this agency may differ (a meeting of the day changed). Keyed by agency id. */
  lobbyChanged: [agencyId: string, payload: { agencyId: string }];
};

export const createAppPubSub = (eventTarget: PgEventTarget) => createPubSub<PubSubTopics>({ eventTarget: eventTarget as never });
export type AppPubSub = ReturnType<typeof createAppPubSub>;
