/**
 * Exchange jobs (fast queue), queued with `tx.enqueue` in the transaction that writes the row they act on:
 * - `exchange.dispatch` {outboxId} | {outboxIds}: build the package (once), hand it to the transport, record the
 *   outcome; with `outboxIds` (a fan-out: many local recipients of one message) the rows go as one batch — one
 *   package built and stored, one inbox transaction for all recipients (dispatcher.ts `dispatchMany`);
 * - `exchange.apply` {inboxId} | {inboxIds}: apply received messages (incoming record, statuses); a batch of
 *   new documents is applied set-based in one transaction per chunk (inbox/apply.ts `applyMany`);
 * - `exchange.sweep` (cron, every minute): re-queues what a dead process left behind (QUEUED rows whose retry
 *   time passed, SENDING rows whose lease ran out, RECEIVED inbox rows never applied).
 * Every handler is idempotent (row states are checked under a row lock), so duplicates are harmless.
 */
import { defineJob, QUEUES } from '../../jobs/job';

export const dispatchJob = defineJob<{ outboxId: string } | { outboxIds: string[] }>({
  name: 'exchange.dispatch',
  queue: QUEUES.fast,
  retryLimit: 10,
  handler: async (d, ctx) => ('outboxIds' in d ? ctx.services.exchange.dispatchMany(d.outboxIds) : ctx.services.exchange.dispatch(d.outboxId)),
});

export const applyJob = defineJob<{ inboxId: string } | { inboxIds: string[] }>({
  name: 'exchange.apply',
  queue: QUEUES.fast,
  retryLimit: 10,
  handler: async (d, ctx) => ('inboxIds' in d ? ctx.services.exchange.applyMany(d.inboxIds) : ctx.services.exchange.apply(d.inboxId)),
});

export const sweepJob = defineJob<Record<string, never>>({
  name: 'exchange.sweep',
  queue: QUEUES.fast,
  cron: '* * * * *',
  handler: async (_d, ctx) => ctx.services.exchange.sweep(),
});

export const exchangeJobs = [dispatchJob, applyJob, sweepJob];
