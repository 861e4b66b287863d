/**
 * Runs the REAL exchange work in process until nothing is pending: the dispatcher (build → local transport →
 * inbox receive) and the appliers (incoming record, statuses), the same functions the `exchange.dispatch` /
 * `exchange.apply` jobs call. For integration tests on createTestRuntime, which runs no job workers.
 *
 *   await services.outgoing.issue(...);   // writes outbox rows
 *   await settleExchange(t);               // recipients now have their "chờ vào sổ" record, senders their 01
 */
import type { Services } from '../../../server/src/services';

export interface SettleStats {
  dispatched: number;
  applied: number;
  rounds: number;
}

type WithServices = { rt: { services: Services } } | { runtime: { rt: { services: Services } } } | Services;

function servicesOf(t: WithServices): Services {
  if ('exchange' in t) return t;
  if ('runtime' in t) return t.runtime.rt.services;
  return t.rt.services;
}

/**
 * Dispatch and apply until nothing is pending (rows waiting on a retry delay are sent at once). Works also
 * while job workers run in the same database (startTestServer): rows another dispatcher holds are waited for.
 * HELD rows that stay held do not count as pending.
 */
export async function settleExchange(t: WithServices, opts: { maxRounds?: number; timeoutMs?: number } = {}): Promise<SettleStats> {
  const services = servicesOf(t);
  const stats: SettleStats = { dispatched: 0, applied: 0, rounds: 0 };
  const maxRounds = opts.maxRounds ?? 200;
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    if (stats.rounds++ >= maxRounds || Date.now() > deadline) throw new Error(`settleExchange: still pending after ${stats.rounds - 1} rounds`);
    const p = await services.exchange.pending();
    let progress = 0;
    for (const id of p.outbox) {
      const r = await services.exchange.dispatch(id);
      if (r !== 'SKIPPED') {
        progress++;
        stats.dispatched++;
      }
    }
    for (const id of [...p.inbox, ...p.held]) {
      const before = p.held.includes(id) ? 'HELD' : 'RECEIVED';
      const after = await services.exchange.apply(id);
      if (after !== before) {
        progress++;
        stats.applied++;
      }
    }
    if (!progress) {
      const after = await services.exchange.pending();
      // Nothing to do here, but another dispatcher / applier (the job workers) still holds rows: wait for it.
      if (!after.outbox.length && !after.inbox.length) return stats;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
