/**
 * Workflow state machines (pure): incoming documents with their assignments, and outgoing documents with
 * their approval chain. See incoming-workflow.ts and outgoing-workflow.ts for the diagrams and rules.
 *
 * Every transition has the shape
 *   transitionX(snapshot, action, actorContext) → { ok: true, next, events } | { ok: false, code, reason }
 * with code FORBIDDEN | CONFLICT | BAD_USER_INPUT and a Vietnamese reason; `unwrap()` turns a failure into an AppError.
 */
export * from './actors';
export * from './transition';
export * from './annotation';
export * from './incoming-workflow';
export * from './outgoing-workflow';
