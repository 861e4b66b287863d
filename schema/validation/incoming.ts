/**
 * Input rules of the registration of an incoming document (vào sổ văn bản đến) that need no data: required
 * fields, lengths, page count, the ngày ban hành and ngày đến (real dates 1900–2100, not in the future, ngày đến
 * not before ngày ban hành). Shared by the server (server/src/modules/documents/incoming-input.ts, which adds
 * the rules that need the agency's document types: the symbol's shape and the type) and the web form, so that
 * both refuse the same input with the same Vietnamese message. Pure, zod only.
 */
import { z } from 'zod';
import { INVALID_DATE_MESSAGE, isCalendarDate, parseVnDate } from './dates';

export const MAX_SUBJECT_LENGTH = 2000;
export const MAX_ISSUER_LENGTH = 500;
export const MAX_SIGNER_LENGTH = 200;
export const MAX_SYMBOL_LENGTH = 80;
export const MAX_TYPE_NAME_LENGTH = 100;
export const MAX_PAGE_COUNT = 10000;

/** The Vietnamese messages of these rules (the server's wording). */
export const INCOMING_MESSAGES = {
  subjectRequired: 'Chưa nhập trích yếu nội dung văn bản.',
  issuerRequired: 'Chưa nhập cơ quan ban hành (hoặc chọn cơ quan trong hệ thống).',
  typeRequired: 'Chưa chọn loại văn bản.',
  pageCount: `Số trang phải là số nguyên từ 1 đến ${MAX_PAGE_COUNT}.`,
  issuedDateInvalid: 'Ngày ban hành không hợp lệ, nhập theo dạng dd/mm/yyyy.',
  issuedDateFuture: 'Ngày ban hành không được sau ngày hôm nay.',
  receivedDateInvalid: INVALID_DATE_MESSAGE,
  receivedFuture: 'Ngày đến không được sau thời điểm hiện tại.',
  receivedBeforeIssued: 'Ngày đến không được trước ngày ban hành văn bản.',
} as const;

/** Labels used in "… không được dài quá N ký tự." */
export const INCOMING_LABELS = {
  subject: 'Trích yếu',
  issuerName: 'Tên cơ quan ban hành',
  symbol: 'Số, ký hiệu',
  typeName: 'Tên loại văn bản',
  signerName: 'Người ký',
  signerTitle: 'Chức vụ người ký',
} as const;

export const tooLongMessage = (label: string, max: number): string => `${label} không được dài quá ${max} ký tự.`;

/** Text as stored: NFC, runs of white space as one space, trimmed. */
export const cleanText = (s: string): string => s.normalize('NFC').replace(/\s+/gu, ' ').trim();

/** The problem with a ngày ban hành (YYYY-MM-DD) given today's date in the agency's zone, or null. */
export function issuedDateProblem(iso: string, today: string): string | null {
  if (!isCalendarDate(iso)) return INCOMING_MESSAGES.issuedDateInvalid;
  if (iso > today) return INCOMING_MESSAGES.issuedDateFuture;
  return null;
}

/** The problem with a ngày đến (its calendar day, YYYY-MM-DD) given today and the ngày ban hành, or null. */
export function receivedDateProblem(iso: string, today: string, issuedDate: string | null): string | null {
  if (!isCalendarDate(iso)) return INCOMING_MESSAGES.receivedDateInvalid;
  if (iso > today) return INCOMING_MESSAGES.receivedFuture;
  if (issuedDate && iso < issuedDate) return INCOMING_MESSAGES.receivedBeforeIssued;
  return null;
}

/** Whether a page count is acceptable (an integer 1–10000). */
export const isValidPageCount = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= MAX_PAGE_COUNT;

// --- zod field schemas for forms (values as typed: text) ----------------------------------------------------

/** A required text field (cleaned), with the server's messages. */
export const requiredText = (max: number, label: string, requiredMessage: string) =>
  z
    .string()
    .transform(cleanText)
    .pipe(z.string().min(1, { message: requiredMessage }).max(max, { message: tooLongMessage(label, max) }));

/** An optional text field (cleaned; '' → null), with the server's message when too long. */
export const optionalText = (max: number, label: string) =>
  z
    .string()
    .transform(cleanText)
    .pipe(z.string().max(max, { message: tooLongMessage(label, max) }))
    .transform((s) => (s === '' ? null : s));

/** Số trang as typed: '' → null, otherwise an integer 1–10000. */
export const pageCountText = () =>
  z
    .string()
    .trim()
    .transform((s, ctx) => {
      if (s === '') return null;
      const n = /^\d+$/.test(s) ? Number(s) : NaN;
      if (!isValidPageCount(n)) {
        ctx.addIssue({ code: 'custom', message: INCOMING_MESSAGES.pageCount });
        return z.NEVER;
      }
      return n;
    });

/** A dd/mm/yyyy date as typed, optional, not after `today` (YYYY-MM-DD) → YYYY-MM-DD | null. */
export const pastVnDate = (today: string, invalid: string, future: string) =>
  z
    .string()
    .trim()
    .transform((text, ctx) => {
      if (text === '') return null;
      const iso = parseVnDate(text);
      if (!iso) {
        ctx.addIssue({ code: 'custom', message: invalid });
        return z.NEVER;
      }
      if (iso > today) {
        ctx.addIssue({ code: 'custom', message: future });
        return z.NEVER;
      }
      return iso;
    });

/** The fields of the registration form these rules cover, as typed (dates dd/mm/yyyy). */
export const incomingFieldsSchema = (today: string) =>
  z
    .object({
      issuerName: requiredText(MAX_ISSUER_LENGTH, INCOMING_LABELS.issuerName, INCOMING_MESSAGES.issuerRequired),
      symbol: optionalText(MAX_SYMBOL_LENGTH, INCOMING_LABELS.symbol),
      issuedDate: pastVnDate(today, INCOMING_MESSAGES.issuedDateInvalid, INCOMING_MESSAGES.issuedDateFuture),
      subject: requiredText(MAX_SUBJECT_LENGTH, INCOMING_LABELS.subject, INCOMING_MESSAGES.subjectRequired),
      signerName: optionalText(MAX_SIGNER_LENGTH, INCOMING_LABELS.signerName),
      signerTitle: optionalText(MAX_SIGNER_LENGTH, INCOMING_LABELS.signerTitle),
      pageCount: pageCountText(),
      receivedDate: pastVnDate(today, INCOMING_MESSAGES.receivedDateInvalid, INCOMING_MESSAGES.receivedFuture),
    })
    .superRefine((v, ctx) => {
      if (v.receivedDate && v.issuedDate && v.receivedDate < v.issuedDate) {
        ctx.addIssue({ code: 'custom', path: ['receivedDate'], message: INCOMING_MESSAGES.receivedBeforeIssued });
      }
    });
