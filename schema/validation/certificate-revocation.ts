/**
 * Thu hồi chứng thư số (issue 12): the reason as the admin form checks it and the server enforces it
 * (server/src/modules/signing/ca.service.ts revoke), same message. Pure, zod only.
 */
import { z } from 'zod';

export const REVOCATION_REASON_MAX = 500;
export const REVOCATION_REASON_TOO_LONG = `Lý do thu hồi tối đa ${REVOCATION_REASON_MAX} ký tự.`;

/** The problem with a reason as typed, or null (a reason is optional). */
export function revocationReasonProblem(reason: string | null | undefined): string | null {
  return (reason ?? '').trim().length > REVOCATION_REASON_MAX ? REVOCATION_REASON_TOO_LONG : null;
}

export const revocationForm = () =>
  z.object({ reason: z.string() }).superRefine((v, ctx) => {
    const p = revocationReasonProblem(v.reason);
    if (p) ctx.addIssue({ code: 'custom', path: ['reason'], message: p });
  });
