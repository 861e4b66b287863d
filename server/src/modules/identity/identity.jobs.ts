import { defineJob, QUEUES } from '../../jobs/job';
import { LoginThrottle } from './entities/login-throttle.entity';
import { Session } from './entities/session.entity';

/** Daily clean-up: drop sessions expired or revoked for over 30 days and stale login throttles. */
export const sessionCleanupJob = defineJob<{ olderThanDays?: number }>({
  name: 'identity.session-cleanup',
  queue: QUEUES.fast,
  cron: '15 2 * * *',
  handler: async (data, ctx) => {
    const days = data.olderThanDays ?? 30;
    const cutoff = new Date(Date.now() - days * 86400_000);
    return ctx.newScope().transaction(async (tx) => {
      const sessions = await tx.em.nativeDelete(Session, { $or: [{ expiresAt: { $lt: cutoff } }, { revokedAt: { $lt: cutoff } }] });
      const throttles = await tx.em.nativeDelete(LoginThrottle, { firstFailureAt: { $lt: cutoff } });
      tx.audit({ action: 'identity.session_cleanup', targetType: 'deployment', agencyId: null, data: { sessions, throttles, olderThanDays: days } });
      return { sessions, throttles };
    });
  },
});
