/**
 * Hồ sơ and archive-metadata forms (issue 10): the same rules on the server (records.service.ts) and in the web
 * forms (web/src/pages/archive/records). Pure, zod only. Dates are typed dd/mm/yyyy and exchanged as YYYY-MM-DD.
 */
import { z } from 'zod';
import { optionalVnDate, vnDate } from './dates';

export const RECORD_NOTATION_RE = /^[\p{L}\p{N}][\p{L}\p{N}./_-]{0,39}$/u;
export const NOTATION_MESSAGE = 'Số và ký hiệu hồ sơ gồm chữ, số và . / _ - (tối đa 40 ký tự), ví dụ 01.KT.';
export const TITLE_MESSAGE = 'Nhập tiêu đề hồ sơ (tối đa 1000 ký tự).';
export const YEAR_MESSAGE = 'Năm phải từ 1900 đến 2100.';
export const RETENTION_MESSAGE = 'Thời hạn bảo quản phải là số năm từ 1 đến 200, hoặc Vĩnh viễn.';
export const DECISION_MESSAGE = 'Nhập số quyết định hủy (tối đa 80 ký tự).';
export const REASON_MESSAGE = 'Nhập lý do (tối đa 1000 ký tự).';

export const USE_MODE_VALUES = ['CONG_KHAI', 'HAN_CHE', 'MAT'] as const;
export const CONFIDENCE_VALUES = ['BAN_CHINH', 'BAN_SAO', 'BAN_SO_HOA'] as const;

const nfc = (s: string) => s.normalize('NFC').trim();

const text = (max: number, message = `Không được dài quá ${max} ký tự.`) =>
  z
    .string()
    .transform(nfc)
    .pipe(z.string().max(max, { message }))
    .transform((s) => s || null);

export const recordNotation = () => z.string().transform(nfc).pipe(z.string().regex(RECORD_NOTATION_RE, { message: NOTATION_MESSAGE }));
export const recordTitle = () => z.string().transform(nfc).pipe(z.string().min(1, { message: TITLE_MESSAGE }).max(1000, { message: TITLE_MESSAGE }));
export const recordYear = () => z.number({ message: YEAR_MESSAGE }).int({ message: YEAR_MESSAGE }).min(1900, { message: YEAR_MESSAGE }).max(2100, { message: YEAR_MESSAGE });
/** null = Vĩnh viễn. */
export const retentionYears = () => z.number({ message: RETENTION_MESSAGE }).int({ message: RETENTION_MESSAGE }).min(1, { message: RETENTION_MESSAGE }).max(200, { message: RETENTION_MESSAGE }).nullable();

/** createRecord input (API shape). */
export const createRecordSchema = () =>
  z.object({
    year: recordYear(),
    fileNotation: recordNotation(),
    title: recordTitle(),
    retentionYears: retentionYears(),
    retentionCode: text(40).optional(),
    unitId: z.string().uuid({ message: 'Đơn vị không hợp lệ.' }).nullable().optional(),
  });
export type CreateRecordValues = z.output<ReturnType<typeof createRecordSchema>>;

/** The create form as typed (year and retention as text; retention '' = pick from the table). */
export const createRecordFormSchema = () =>
  z.object({
    year: z.string().trim().regex(/^\d{4}$/, { message: YEAR_MESSAGE }).transform(Number).pipe(recordYear()),
    fileNotation: recordNotation(),
    title: recordTitle(),
    retention: z.string().refine((s) => s === 'VV' || /^\d{1,3}$/.test(s), { message: RETENTION_MESSAGE }),
    unitId: z.string(),
  });
export type CreateRecordForm = z.input<ReturnType<typeof createRecordFormSchema>>;

/** Dữ liệu đặc tả văn bản (Circular 02/2019) — the editable part. */
export const documentMetadataSchema = () =>
  z.object({
    language: text(100),
    inforSign: text(100),
    keyword: text(500),
    mode: z.enum(USE_MODE_VALUES, { message: 'Chế độ sử dụng không hợp lệ.' }).nullable(),
    confidenceLevel: z.enum(CONFIDENCE_VALUES, { message: 'Mức độ tin cậy không hợp lệ.' }).nullable(),
    autograph: text(500),
    format: text(200),
    description: text(2000),
    pageCount: z.number().int().min(1, { message: 'Số trang phải là số nguyên dương.' }).max(100000).nullable(),
  });
export type DocumentMetadataValues = z.output<ReturnType<typeof documentMetadataSchema>>;

/** Dữ liệu đặc tả hồ sơ — the editable part (dates typed dd/mm/yyyy in the web, ISO in the API). */
export const recordMetadataSchema = () =>
  z
    .object({
      identifier: text(50),
      organId: text(50),
      rights: z.enum(USE_MODE_VALUES, { message: 'Chế độ sử dụng không hợp lệ.' }).nullable(),
      language: text(100),
      startDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'Ngày không hợp lệ.' }).nullable(),
      endDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'Ngày không hợp lệ.' }).nullable(),
      inforSign: text(100),
      keyword: text(500),
      format: text(200),
      description: text(2000),
    })
    .superRefine((m, ctx) => {
      if (m.startDate && m.endDate && m.startDate > m.endDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.' });
    });
export type RecordMetadataValues = z.output<ReturnType<typeof recordMetadataSchema>>;

/** The hồ sơ metadata form as typed (dates dd/mm/yyyy). */
export const recordMetadataFormSchema = () =>
  z
    .object({
      title: recordTitle(),
      identifier: text(50),
      organId: text(50),
      rights: z.string(),
      language: text(100),
      startDate: optionalVnDate(),
      endDate: optionalVnDate(),
      inforSign: text(100),
      keyword: text(500),
      format: text(200),
      description: text(2000),
    })
    .superRefine((m, ctx) => {
      if (m.startDate && m.endDate && m.startDate > m.endDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.' });
    });
export type RecordMetadataForm = z.input<ReturnType<typeof recordMetadataFormSchema>>;

/** Disposal decision (quyết định hủy). */
export const disposalSchema = () =>
  z.object({
    decisionNumber: z.string().transform(nfc).pipe(z.string().min(1, { message: DECISION_MESSAGE }).max(80, { message: DECISION_MESSAGE })),
    decisionDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'Ngày quyết định không hợp lệ.' }),
    note: text(2000).optional(),
  });

export const disposalFormSchema = () =>
  z.object({
    decisionNumber: z.string().transform(nfc).pipe(z.string().min(1, { message: DECISION_MESSAGE }).max(80, { message: DECISION_MESSAGE })),
    decisionDate: vnDate(),
    note: z.string(),
  });
export type DisposalForm = z.input<ReturnType<typeof disposalFormSchema>>;

export const legalHoldReason = () => z.string().transform(nfc).pipe(z.string().min(1, { message: REASON_MESSAGE }).max(1000, { message: REASON_MESSAGE }));
