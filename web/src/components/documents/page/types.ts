import type { DocumentPageDataFragment } from '../../../graphql/generated';

/** The document as the page shows it (DocumentDetail + the bút phê chain of its assignments). */
export type PageDoc = DocumentPageDataFragment;
export type PageAssignment = PageDoc['assignments'][number];

/** What a dialog is open for. */
export type DialogState =
  | { kind: 'REJECT_INCOMING' }
  | { kind: 'SUBMIT' }
  | { kind: 'ANNOTATE' }
  | { kind: 'RETURN_DOC' }
  | { kind: 'ANNUL' }
  | { kind: 'SUBMIT_APPROVAL' }
  | { kind: 'APPROVE' }
  | { kind: 'REJECT_DRAFT' }
  | { kind: 'SIGN' }
  | { kind: 'ISSUE' }
  | { kind: 'REASSIGN'; assignment: PageAssignment }
  | { kind: 'ADD_PROGRESS'; assignment: PageAssignment }
  | { kind: 'COMPLETE'; assignment: PageAssignment }
  | { kind: 'RETURN_ASSIGNMENT'; assignment: PageAssignment };

export type AssignmentDialogKind = 'REASSIGN' | 'ADD_PROGRESS' | 'COMPLETE' | 'RETURN_ASSIGNMENT';
