/**
 * Exchange jobs (fast queue), queued with `tx.enqueue` in the transaction that writes the row they act on:
 * - `exchange.dispatch` {outboxId}: build the package (once), hand it to the transport, record the outcome;
 * - `exchange.apply` {inboxId}: apply a received message in its own transaction (incoming record, statuses);
 * - `exchange.sweep` (cron, every minute): re-queues what a dead process left behind (QUEUED rows whose retry
 *   time passed, SENDING rows whose lease ran out, RECEIVED inbox rows never applied).
 * Every handler is idempotent (row states are checked under a row lock), so duplicates are harmless.
 */
import { defineJob, QUEUES } from '../../jobs/job';

export const dispatchJob = defineJob<{ outboxId: string }>({
  name: 'exchange.dispatch',
  queue: QUEUES.fast,
  retryLimit: 10,
  handler: async ({ outboxId }, ctx) => ctx.services.exchange.dispatch(outboxId),
});

export const applyJob = defineJob<{ inboxId: string }>({
  name: 'exchange.apply',
  queue: QUEUES.fast,
  retryLimit: 10,
  handler: async ({ inboxId }, ctx) => ctx.services.exchange.apply(inboxId),
});

export const sweepJob = defineJob<Record<string, never>>({
  name: 'exchange.sweep',
  queue: QUEUES.fast,
  cron: '* * * * *',
  handler: async (_d, ctx) => ctx.services.exchange.sweep(),
});

export const exchangeJobs = [dispatchJob, applyJob, sweepJob];
