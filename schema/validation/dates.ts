/**
 * Calendar dates as Vietnamese users write them (dd/mm/yyyy, Decree 30/2020 Appendix I: "ngày 05 tháng 12
 * năm 2026" is printed, dd/mm/yyyy is typed) and as the API exchanges them (YYYY-MM-DD, scalar `Date`).
 * Shared by the server's `Date` scalar and the web forms, so that both accept exactly the same dates.
 * Pure functions, no I/O.
 */
import { z } from 'zod';

export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;

/** Shown at the field for any bad date. */
export const INVALID_DATE_MESSAGE = 'Ngày không hợp lệ, nhập theo dạng dd/mm/yyyy.';

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const VN_RE = /^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$/;

const pad = (n: number) => String(n).padStart(2, '0');

function realDate(y: number, m: number, d: number): boolean {
  if (y < MIN_YEAR || y > MAX_YEAR || m < 1 || m > 12 || d < 1) return false;
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** Whether `s` is a real calendar date YYYY-MM-DD within 1900–2100 (no 2026-02-30, no 22026). */
export function isCalendarDate(s: string): boolean {
  const m = ISO_RE.exec(s);
  return !!m && realDate(+m[1], +m[2], +m[3]);
}

/** `dd/mm/yyyy` (also d/m/yyyy, with `.` or `-`) → `YYYY-MM-DD`, or null when it is not a real date. */
export function parseVnDate(text: string): string | null {
  const m = VN_RE.exec(text);
  if (!m) return null;
  const [d, mo, y] = [+m[1], +m[2], +m[3]];
  return realDate(y, mo, d) ? `${y}-${pad(mo)}-${pad(d)}` : null;
}

/** `YYYY-MM-DD` → `dd/mm/yyyy` ('' for null/empty; anything else unchanged). */
export function formatVnDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = ISO_RE.exec(iso.slice(0, 10));
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** A required dd/mm/yyyy field, parsed to YYYY-MM-DD. */
export const vnDate = (message = INVALID_DATE_MESSAGE) =>
  z.string().trim().min(1, { message: 'Chưa nhập ngày.' }).transform((text, ctx) => {
    const iso = parseVnDate(text);
    if (!iso) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return iso;
  });

/** An optional dd/mm/yyyy field: '' → null, otherwise parsed to YYYY-MM-DD. */
export const optionalVnDate = (message = INVALID_DATE_MESSAGE) =>
  z.string().trim().transform((text, ctx) => {
    if (text === '') return null;
    const iso = parseVnDate(text);
    if (!iso) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return iso;
  });
