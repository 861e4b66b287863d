/**
 * When `npm start` restarts a child process (API, workers) that exited on its own (a crash, an OOM kill,
 * a kill -9): a pure rule, no I/O. Restarts back off exponentially while the child keeps crashing soon
 * after it started; after `maxQuickCrashes` such crashes in a row the supervisor gives up (the fault is not
 * transient: a broken configuration or database). A child that ran for `stableAfterMs` starts a new count.
 */
export interface RestartPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  /** A child that ran at least this long before it crashed was healthy: its crash is not a "quick" one. */
  stableAfterMs: number;
  maxQuickCrashes: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { baseDelayMs: 1000, maxDelayMs: 30_000, stableAfterMs: 60_000, maxQuickCrashes: 5 };

export type RestartDecision =
  | { action: 'restart'; delayMs: number; quickCrashes: number }
  | { action: 'give-up'; quickCrashes: number };

/**
 * `quickCrashes`: quick crashes in a row before this one; `uptimeMs`: how long the child that just
 * exited had run. Returns what to do and the new count.
 */
export function decideRestart(quickCrashes: number, uptimeMs: number, policy: RestartPolicy = DEFAULT_RESTART_POLICY): RestartDecision {
  if (uptimeMs >= policy.stableAfterMs) return { action: 'restart', delayMs: policy.baseDelayMs, quickCrashes: 0 };
  const n = quickCrashes + 1;
  if (n >= policy.maxQuickCrashes) return { action: 'give-up', quickCrashes: n };
  return { action: 'restart', delayMs: Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1)), quickCrashes: n };
}
