/**
 * Rules of a dự thảo văn bản đi (createDraft / updateDraft) that the web form checks at the field before
 * sending, with the server's messages and limits (server/src/modules/documents/outgoing.service.ts enforces
 * the same: type chosen, trích yếu 1–2000 characters, số bản a positive whole number ≤ 100 000, at most 200
 * recipients, external names ≤ 300 characters). Pure, zod only.
 */
import { z } from 'zod';

export const DRAFT_LIMITS = { subject: 2000, copies: 100_000, recipients: 200, externalName: 300 } as const;

export const DRAFT_MESSAGES = {
  type: 'Chưa chọn loại văn bản.',
  subject: 'Trích yếu nội dung không được để trống.',
  subjectLong: `Trích yếu không được dài quá ${DRAFT_LIMITS.subject} ký tự.`,
  copies: 'Số lượng bản phải là số nguyên dương.',
  recipients: `Tối đa ${DRAFT_LIMITS.recipients} nơi nhận.`,
  externalName: `Tên nơi nhận không được dài quá ${DRAFT_LIMITS.externalName} ký tự.`,
  files: 'Vui lòng tải lên tệp dự thảo.',
} as const;

/** Trích yếu: trimmed, NFC, required, bounded. */
export const draftSubject = () =>
  z
    .string()
    .transform((s) => s.trim().normalize('NFC'))
    .pipe(z.string().min(1, { message: DRAFT_MESSAGES.subject }).max(DRAFT_LIMITS.subject, { message: DRAFT_MESSAGES.subjectLong }));

/** Số bản as typed: '' → null, else a whole number 1–100 000. */
export const draftCopies = () =>
  z
    .string()
    .trim()
    .transform((s, ctx) => {
      if (s === '') return null;
      const n = Number(s);
      if (!/^\d+$/.test(s) || !Number.isInteger(n) || n < 1 || n > DRAFT_LIMITS.copies) {
        ctx.addIssue({ code: 'custom', message: DRAFT_MESSAGES.copies });
        return z.NEVER;
      }
      return n;
    });

/** Recipients: agencies of the deployment (by id) and external bodies (by name), at most 200 in all. */
export const draftExternalRecipients = () =>
  z.array(z.string().transform((s) => s.trim().normalize('NFC')).pipe(z.string().min(1).max(DRAFT_LIMITS.externalName, { message: DRAFT_MESSAGES.externalName })));
