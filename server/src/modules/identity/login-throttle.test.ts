/** Login throttling rules (login-throttle.ts): waits per (name, address), the per-name ceiling, the window. */
import { addFailure, decideAttempt, liveFailures, waitAfter, type ThrottlePolicy } from './login-throttle';

const policy: ThrottlePolicy = { freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 60_000, windowMs: 15 * 60_000, nameMaxFailures: 50 };
const t0 = new Date('2026-12-05T08:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const counter = (failures: number, lastS = 0) => ({ failures, firstFailureAt: t0, lastFailureAt: at(lastS) });

describe('login throttle rules', () => {
  it('free failures cost nothing; then 1 s, 2 s, 4 s … up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 9, 40].map((f) => waitAfter(f, 3, policy))).toEqual([0, 0, 0, 1000, 2000, 4000, 8000, 60_000, 60_000]);
  });

  it('decides per pair, from the last failure', () => {
    expect(decideAttempt(null, null, t0, policy)).toEqual({ ok: true });
    expect(decideAttempt(counter(2), null, t0, policy)).toEqual({ ok: true });
    expect(decideAttempt(counter(3), null, at(0.4), policy)).toEqual({ ok: false, retryAfterMs: 600 });
    expect(decideAttempt(counter(3), null, at(1), policy)).toEqual({ ok: true });
    expect(decideAttempt(counter(5), null, at(3), policy)).toEqual({ ok: false, retryAfterMs: 1000 });
  });

  it('a name over its ceiling leaves every address one free try', () => {
    expect(decideAttempt(counter(1), counter(49), t0, policy)).toEqual({ ok: true });
    expect(decideAttempt(counter(1), counter(50), t0, policy)).toEqual({ ok: false, retryAfterMs: 1000 });
    expect(decideAttempt(null, counter(5000), t0, policy)).toEqual({ ok: true });
  });

  it('forgets failures older than the window and restarts the count', () => {
    expect(liveFailures(counter(9), at(15 * 60), policy.windowMs)).toBe(0);
    expect(decideAttempt(counter(9), null, at(15 * 60), policy)).toEqual({ ok: true });
    expect(addFailure(counter(9), at(15 * 60), policy.windowMs)).toEqual({ failures: 1, firstFailureAt: at(15 * 60), lastFailureAt: at(15 * 60) });
    expect(addFailure(counter(2), at(10), policy.windowMs)).toEqual({ failures: 3, firstFailureAt: t0, lastFailureAt: at(10) });
  });
});
