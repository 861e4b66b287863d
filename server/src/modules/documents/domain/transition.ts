/**
 * The result type of every workflow transition, and helpers to turn a failure into an AppError.
 */
import { AppError } from '../../../shared/errors';

/**
 * Why a transition was refused:
 * - FORBIDDEN: the actor may not do this to this document (role or relation missing);
 * - CONFLICT: the action does not fit the current state (already registered, not your step …);
 * - BAD_USER_INPUT: the action's data is invalid (missing reason, bad annotation …).
 */
export type TransitionFailureCode = 'FORBIDDEN' | 'CONFLICT' | 'BAD_USER_INPUT';

export interface TransitionFailure {
  ok: false;
  code: TransitionFailureCode;
  /** Vietnamese, shown to the user. */
  reason: string;
  /** For BAD_USER_INPUT: the offending field, if one. */
  field?: string;
}

export interface TransitionSuccess<S, E> {
  ok: true;
  /** The new snapshot (a new object; the input is never mutated). */
  next: S;
  /** What happened, in order: for the audit log, notifications and edXML status messages. */
  events: E[];
}

export type TransitionResult<S, E> = TransitionSuccess<S, E> | TransitionFailure;

export const fail = (code: TransitionFailureCode, reason: string, field?: string): TransitionFailure =>
  field ? { ok: false, code, reason, field } : { ok: false, code, reason };

export const forbid = (reason: string): TransitionFailure => fail('FORBIDDEN', reason);
export const conflictWith = (reason: string): TransitionFailure => fail('CONFLICT', reason);
export const invalid = (reason: string, field?: string): TransitionFailure => fail('BAD_USER_INPUT', reason, field);

/** The AppError for a failure (code and message carried over). */
export function toAppError(f: TransitionFailure): AppError {
  return new AppError(f.code, f.reason, f.field ? { field: f.field } : {});
}

/** Return the success or throw the failure as an AppError: `const { next, events } = unwrap(transitionIncoming(…))`. */
export function unwrap<S, E>(r: TransitionResult<S, E>): TransitionSuccess<S, E> {
  if (!r.ok) throw toAppError(r);
  return r;
}
