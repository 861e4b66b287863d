/**
 * Vào sổ văn bản đi a paper document signed outside the system (issue 12, `registerPaperOutgoing`): the rules
 * the web form checks at the field and the server enforces (server/src/modules/documents/issuing/
 * issuing.service.ts registerPaperOutgoing), with the same messages. Pure, zod only.
 */
import { z } from 'zod';
import { parseVnDate } from './dates';

export const PAPER_SUBJECT_MAX = 2000;
export const PAPER_SIGNER_MAX = 200;

export const PAPER_OUTGOING_MESSAGES = {
  type: 'Chưa chọn loại văn bản (hoặc loại không có trong danh mục).',
  subject: 'Trích yếu nội dung không được để trống.',
  subjectTooLong: `Trích yếu tối đa ${PAPER_SUBJECT_MAX} ký tự.`,
  signerName: 'Chưa nhập người ký.',
  signerTooLong: `Người ký, chức vụ tối đa ${PAPER_SIGNER_MAX} ký tự.`,
  issuedDate: 'Ngày ký không hợp lệ, nhập theo dạng dd/mm/yyyy.',
  future: 'Ngày ký không được sau hôm nay.',
  otherYear: 'Chỉ vào sổ được văn bản ký trong năm nay (số văn bản tính theo năm).',
  scan: 'Chưa chọn tệp bản quét văn bản đã ký.',
} as const;

/** The problem with a ngày ký (YYYY-MM-DD) given today's date in the agency's zone, or null. */
export function paperIssuedDateProblem(iso: string, today: string): string | null {
  if (iso > today) return PAPER_OUTGOING_MESSAGES.future;
  if (iso.slice(0, 4) !== today.slice(0, 4)) return PAPER_OUTGOING_MESSAGES.otherYear;
  return null;
}

/** Every problem with the text fields (after trimming), each with its field; the server reports the first. */
export function paperOutgoingTextProblems(v: { subject: string; signerName: string; signerTitle?: string | null }): { field: 'subject' | 'signerName' | 'signerTitle'; message: string }[] {
  const out: { field: 'subject' | 'signerName' | 'signerTitle'; message: string }[] = [];
  const subject = v.subject.trim();
  if (!subject) out.push({ field: 'subject', message: PAPER_OUTGOING_MESSAGES.subject });
  else if (subject.length > PAPER_SUBJECT_MAX) out.push({ field: 'subject', message: PAPER_OUTGOING_MESSAGES.subjectTooLong });
  const signer = v.signerName.trim();
  if (!signer) out.push({ field: 'signerName', message: PAPER_OUTGOING_MESSAGES.signerName });
  else if (signer.length > PAPER_SIGNER_MAX) out.push({ field: 'signerName', message: PAPER_OUTGOING_MESSAGES.signerTooLong });
  if ((v.signerTitle ?? '').trim().length > PAPER_SIGNER_MAX) out.push({ field: 'signerTitle', message: PAPER_OUTGOING_MESSAGES.signerTooLong });
  return out;
}

/**
 * The form's fields (texts as typed; the date dd/mm/yyyy). `today` (YYYY-MM-DD, Vietnam date) bounds the
 * ngày ký. The signing authority and the scan are checked by the form with their own rules.
 */
export const paperOutgoingFields = (today: string) =>
  z
    .object({
      type: z.string().min(1, { message: PAPER_OUTGOING_MESSAGES.type }),
      subject: z.string(),
      signerName: z.string(),
      signerTitle: z.string(),
      issuedDate: z.string().trim(),
      externalRecipients: z.string(),
    })
    .superRefine((v, ctx) => {
      for (const p of paperOutgoingTextProblems(v)) ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
      if (v.issuedDate) {
        const iso = parseVnDate(v.issuedDate);
        const problem = iso ? paperIssuedDateProblem(iso, today) : PAPER_OUTGOING_MESSAGES.issuedDate;
        if (problem) ctx.addIssue({ code: 'custom', path: ['issuedDate'], message: problem });
      }
    });

/** "Nơi nhận" typed one per line → the distinct, trimmed names. */
export function recipientLines(text: string): string[] {
  return [...new Set(text.split(/\r?\n/).map((l) => l.trim().replace(/\s+/g, ' ')).filter(Boolean))];
}
