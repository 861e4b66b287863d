/**
 * The search form (Lưu trữ & tra cứu, issue 10) as typed: the query, dates dd/mm/yyyy, the year as text, and the
 * rules the server's `search(query, filter)` also enforces (server/src/modules/search/search.service.ts uses
 * `searchFilterProblem` and the same limits): a query of at most 1,000 characters, real dates, "từ ngày" not after
 * "đến ngày", a year 1900–2200. Pure, zod only.
 */
import { z } from 'zod';
import { optionalVnDate } from './dates';

/** Longest query accepted (the server answers BAD_USER_INPUT above it). */
export const MAX_SEARCH_QUERY_CHARS = 1000;
export const MIN_SEARCH_YEAR = 1900;
export const MAX_SEARCH_YEAR = 2200;

export const QUERY_TOO_LONG_MESSAGE = `Từ khóa tìm kiếm quá dài (tối đa ${MAX_SEARCH_QUERY_CHARS.toLocaleString('vi-VN')} ký tự).`;
export const YEAR_MESSAGE = 'Năm không hợp lệ.';
export const SEARCH_DATE_ORDER_MESSAGE = '"Từ ngày" phải trước "đến ngày".';

/** Server and web: the filter's problem (field + Vietnamese message), or null. Dates are YYYY-MM-DD here. */
export function searchFilterProblem(f: { year?: number | null; dateFrom?: string | null; dateTo?: string | null }): { field: 'year' | 'dateTo'; message: string } | null {
  if (f.year != null && (!Number.isInteger(f.year) || f.year < MIN_SEARCH_YEAR || f.year > MAX_SEARCH_YEAR)) return { field: 'year', message: YEAR_MESSAGE };
  if (f.dateFrom && f.dateTo && f.dateFrom > f.dateTo) return { field: 'dateTo', message: SEARCH_DATE_ORDER_MESSAGE };
  return null;
}

const optionalYear = () =>
  z.string().trim().transform((text, ctx) => {
    if (text === '') return null;
    const n = /^\d{4}$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(n) || n < MIN_SEARCH_YEAR || n > MAX_SEARCH_YEAR) {
      ctx.addIssue({ code: 'custom', message: YEAR_MESSAGE });
      return z.NEVER;
    }
    return n;
  });

const optionalText = () =>
  z
    .string()
    .trim()
    .max(300, { message: 'Không được dài quá 300 ký tự.' })
    .transform((s) => s || null);

export const searchFormSchema = () =>
  z
    .object({
      query: z.string().max(MAX_SEARCH_QUERY_CHARS, { message: QUERY_TOO_LONG_MESSAGE }),
      issuer: optionalText(),
      type: optionalText(),
      signer: optionalText(),
      year: optionalYear(),
      dateFrom: optionalVnDate(),
      dateTo: optionalVnDate(),
      unitId: z.string().transform((s) => s || null),
      recordId: z.string().transform((s) => s || null),
      direction: z.string().transform((s) => s || null),
      /** '' any, 'true', 'false' */
      hasScan: z.enum(['', 'true', 'false']).transform((s) => (s === '' ? null : s === 'true')),
      archived: z.enum(['', 'true', 'false']).transform((s) => (s === '' ? null : s === 'true')),
    })
    .superRefine((f, ctx) => {
      const p = searchFilterProblem(f);
      if (p) ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
    });

export type SearchForm = z.input<ReturnType<typeof searchFormSchema>>;
export type SearchFormValues = z.output<ReturnType<typeof searchFormSchema>>;

export const EMPTY_SEARCH_FORM: SearchForm = {
  query: '',
  issuer: '',
  type: '',
  signer: '',
  year: '',
  dateFrom: '',
  dateTo: '',
  unitId: '',
  recordId: '',
  direction: '',
  hasScan: '',
  archived: '',
};
