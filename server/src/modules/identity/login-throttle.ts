/**
 * Login throttling rules (pure, no I/O). Instead of locking a login name (which let anyone lock anyone out),
 * failures are counted per (login name, client address):
 *  - the first `freeFailures` failures cost nothing; after that each attempt from that address must wait
 *    `baseDelayMs`, then twice as long after every further failure, up to `maxDelayMs`;
 *  - all addresses together: once a name has `nameMaxFailures` failures in the window (a distributed guess),
 *    every address gets a single free try before its waits begin. The owner coming from another address is
 *    therefore slowed, never locked out;
 *  - failures older than the window are forgotten; a successful login forgets the pair's failures.
 */

export interface ThrottlePolicy {
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  windowMs: number;
  nameMaxFailures: number;
}

export interface FailureCounter {
  failures: number;
  firstFailureAt: Date;
  lastFailureAt: Date;
}

/** The counter as it stands at `now`: failures older than the window no longer count. */
export function liveFailures(c: FailureCounter | null | undefined, now: Date, windowMs: number): number {
  if (!c) return 0;
  return now.getTime() - c.lastFailureAt.getTime() >= windowMs ? 0 : c.failures;
}

/** How long (ms) after its latest failure the next attempt of a pair must wait, given its live failures. */
export function waitAfter(failures: number, freeFailures: number, policy: Pick<ThrottlePolicy, 'baseDelayMs' | 'maxDelayMs'>): number {
  if (failures < Math.max(1, freeFailures)) return 0;
  const steps = Math.min(failures - Math.max(1, freeFailures), 30);
  return Math.min(policy.baseDelayMs * 2 ** steps, policy.maxDelayMs);
}

export type AttemptDecision = { ok: true } | { ok: false; retryAfterMs: number };

/** Whether an attempt for this (name, address) may be checked now. */
export function decideAttempt(pair: FailureCounter | null | undefined, name: FailureCounter | null | undefined, now: Date, policy: ThrottlePolicy): AttemptDecision {
  const failures = liveFailures(pair, now, policy.windowMs);
  if (!pair || failures === 0) return { ok: true };
  const free = liveFailures(name, now, policy.windowMs) >= policy.nameMaxFailures ? 1 : policy.freeFailures;
  const wait = waitAfter(failures, free, policy);
  const readyAt = pair.lastFailureAt.getTime() + wait;
  return readyAt <= now.getTime() ? { ok: true } : { ok: false, retryAfterMs: readyAt - now.getTime() };
}

/** The counter after one more failure at `now` (restarted when the previous ones are out of the window). */
export function addFailure(c: FailureCounter | null | undefined, now: Date, windowMs: number): FailureCounter {
  const live = liveFailures(c, now, windowMs);
  return { failures: live + 1, firstFailureAt: live && c ? c.firstFailureAt : now, lastFailureAt: now };
}
