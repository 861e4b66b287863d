/**
 * GraphQL parent types of the meetings module (codegen mappers): a view = the meeting's loaded state (shared by
 * every subscriber of a replica at one version) + the viewer. Per-viewer fields are computed from it in memory.
 */
import type { MeetingState, StateItem, StateVote, StateDocument } from './meetings.state';
import type { Viewer } from './domain/access';

export interface MeetingView {
  s: MeetingState;
  viewer: Viewer;
}
export interface AgendaItemView extends MeetingView {
  item: StateItem;
}
export interface VoteView extends MeetingView {
  vote: StateVote;
}
export interface MeetingDocumentView extends MeetingView {
  doc: StateDocument;
}
