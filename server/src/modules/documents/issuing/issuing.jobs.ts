/**
 * Recovery of number reservations (two-phase issue, issuing.service.ts): queued in the reserving transaction
 * to run after the reservation's time to live; a reservation still RESERVED then is cancelled with its reason.
 * A daily sweep catches any whose job was lost. Idempotent.
 */
import { defineJob, QUEUES } from '../../../jobs/job';

export const reservationRecoveryJob = defineJob<{ reservationId?: string }>({
  name: 'documents.number-reservation-recovery',
  queue: QUEUES.fast,
  cron: '17 2 * * *',
  handler: (data, ctx) => ctx.services.outgoing.issuing.recoverStale(ctx.newScope(), { reservationId: data?.reservationId ?? null }),
});
