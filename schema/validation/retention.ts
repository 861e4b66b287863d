/**
 * Bảng thời hạn bảo quản (retention table, Thông tư 10/2022): one item of an agency's table — the rules the server
 * (records.service.ts saveRetentionItem) and the web form (archive/records/RetentionPage.tsx) share. Pure, zod only.
 */
import { z } from 'zod';

export const RETENTION_CODE_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}.\-_/]{0,39}$/u;
export const MAX_RETENTION_YEARS = 200;

const code = () =>
  z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().regex(RETENTION_CODE_PATTERN, { message: 'Mã mục: 1–40 chữ, số hoặc . - _ /, không có khoảng trắng.' }));
const name = () =>
  z
    .string()
    .transform((s) => s.normalize('NFC').replace(/\s+/g, ' ').trim())
    .pipe(z.string().min(1, { message: 'Nhập tên nhóm hồ sơ, tài liệu.' }).max(500, { message: 'Tên tối đa 500 ký tự.' }));
const years = () =>
  z
    .number({ message: 'Thời hạn là số năm.' })
    .int({ message: 'Thời hạn là số năm nguyên.' })
    .min(1, { message: `Thời hạn từ 1 đến ${MAX_RETENTION_YEARS} năm, hoặc Vĩnh viễn.` })
    .max(MAX_RETENTION_YEARS, { message: `Thời hạn từ 1 đến ${MAX_RETENTION_YEARS} năm, hoặc Vĩnh viễn.` });

/** The API input: years null = Vĩnh viễn. */
export function retentionItemSchema() {
  return z.object({ code: code(), name: name(), years: years().nullable() });
}
export type RetentionItemInput = z.output<ReturnType<typeof retentionItemSchema>>;

/** The web form: text fields and a "Vĩnh viễn" box; out comes the API input. */
export function retentionItemFormSchema() {
  return z
    .object({ code: code(), name: name(), permanent: z.boolean(), years: z.string() })
    .superRefine((v, ctx) => {
      if (v.permanent) return;
      const n = /^\d{1,3}$/.test(v.years.trim()) ? Number(v.years.trim()) : NaN;
      const r = years().safeParse(n);
      if (!r.success) ctx.addIssue({ code: 'custom', path: ['years'], message: r.error.issues[0]?.message ?? 'Thời hạn không hợp lệ.' });
    })
    .transform((v): RetentionItemInput => ({ code: v.code, name: v.name, years: v.permanent ? null : Number(v.years.trim()) }));
}
export type RetentionItemForm = z.input<ReturnType<typeof retentionItemFormSchema>>;
