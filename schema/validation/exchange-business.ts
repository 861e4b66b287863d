/**
 * Lấy lại / thu hồi / cập nhật / thay thế an issued document, and the answer to a recall (issue 13). The same
 * rules as the server (server/src/modules/exchange/business/domain.ts): a reason is required (≤ 1000
 * characters, spaces collapsed) for a recall, a revocation, an update, a replacement and a refusal; an update
 * changes at least one field; the page count is a positive integer. Pure, zod only.
 */
import { z } from 'zod';

export const MAX_BUSINESS_REASON = 1000;
export const REASON_REQUIRED = 'Vui lòng nêu lý do.';
export const REASON_TOO_LONG = `Lý do không được dài quá ${MAX_BUSINESS_REASON} ký tự.`;

/** Spaces collapsed, NFC, trimmed. */
export const cleanBusinessText = (s: string): string => s.normalize('NFC').replace(/\s+/g, ' ').trim();

export const businessReason = () =>
  z
    .string()
    .transform(cleanBusinessText)
    .pipe(z.string().min(1, { message: REASON_REQUIRED }).max(MAX_BUSINESS_REASON, { message: REASON_TOO_LONG }));

/** Lấy lại, thu hồi: a reason. */
export const reasonForm = z.object({ reason: businessReason() });
export type ReasonFormInput = z.input<typeof reasonForm>;

/** Thay thế: the replacing issued document and a reason. */
export const replaceForm = z.object({
  replacementId: z.string().min(1, { message: 'Vui lòng chọn văn bản thay thế.' }),
  reason: businessReason(),
});
export type ReplaceFormInput = z.input<typeof replaceForm>;

/** Trả lời yêu cầu lấy lại: agree, or refuse with a reason. */
export const answerRecallForm = z
  .object({ accept: z.boolean(), reason: z.string().transform(cleanBusinessText) })
  .superRefine((v, ctx) => {
    if (!v.accept && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: REASON_REQUIRED });
    if (v.reason.length > MAX_BUSINESS_REASON) ctx.addIssue({ code: 'custom', path: ['reason'], message: REASON_TOO_LONG });
  });
export type AnswerRecallFormInput = z.input<typeof answerRecallForm>;

export const URGENCY_VALUES = ['THUONG', 'KHAN', 'THUONG_KHAN', 'HOA_TOC'] as const;

/** Cập nhật: the fields as they should read now (compared with `before` by the caller) and a reason. */
export const updateIssuedForm = z.object({
  reason: businessReason(),
  subject: z
    .string()
    .transform(cleanBusinessText)
    .pipe(z.string().min(1, { message: 'Trích yếu không được để trống.' }).max(2000, { message: 'Trích yếu quá dài.' })),
  signerName: z.string().transform(cleanBusinessText).pipe(z.string().max(200, { message: 'Người ký quá dài.' })),
  signerTitle: z.string().transform(cleanBusinessText).pipe(z.string().max(200, { message: 'Chức vụ người ký quá dài.' })),
  pageCount: z
    .string()
    .trim()
    .refine((s) => s === '' || (/^\d{1,6}$/.test(s) && Number(s) >= 1), { message: 'Số trang phải là số nguyên dương.' })
    .transform((s) => (s === '' ? null : Number(s))),
  urgency: z.enum(URGENCY_VALUES),
});
export type UpdateIssuedFormInput = z.input<typeof updateIssuedForm>;
export type UpdateIssuedFormOutput = z.output<typeof updateIssuedForm>;
