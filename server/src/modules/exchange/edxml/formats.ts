/**
 * Wire formats of edXML values: dates `yyyy/MM/dd`, timestamps `yyyy/MM/dd HH:mm:ss` (Vietnam local time),
 * DocumentId `OrganId,yyyy/MM/dd,Number/Notation`, agency identifier codes (mã định danh, QĐ 20/2020).
 * Pure functions; each parser returns null on a bad value so that callers can say which element and rule.
 */

const DATE_RE = /^(\d{4})\/(\d{2})\/(\d{2})$/;
const TIMESTAMP_RE = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

function validYmd(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const dim = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= dim;
}

/** `2019/04/11` → `2019-04-11`; null when malformed or not a calendar date. */
export function parseEdxmlDate(s: string): string | null {
  const m = DATE_RE.exec(s);
  if (!m) return null;
  if (!validYmd(+m[1], +m[2], +m[3])) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

const DMY_RE = /^(\d{2})\/(\d{2})\/(\d{4})$/;
const DMY_TS_RE = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})$/;

/**
 * Input tolerance: Bkav's builder writes `dd/MM/yyyy` (a real package in the shared samples); the 4-digit year
 * tells the two forms apart. Returns the value and which form was read; null when neither.
 */
export function parseEdxmlDateLenient(s: string): { value: string; form: 'ymd' | 'dmy' } | null {
  const ymd = parseEdxmlDate(s);
  if (ymd) return { value: ymd, form: 'ymd' };
  const m = DMY_RE.exec(s);
  if (!m || !validYmd(+m[3], +m[2], +m[1])) return null;
  return { value: `${m[3]}-${m[2]}-${m[1]}`, form: 'dmy' };
}

export function parseEdxmlTimestampLenient(s: string): { value: string; form: 'ymd' | 'dmy' } | null {
  const ymd = parseEdxmlTimestamp(s);
  if (ymd) return { value: ymd, form: 'ymd' };
  const m = DMY_TS_RE.exec(s);
  if (!m) return null;
  const v = parseEdxmlTimestamp(`${m[3]}/${m[2]}/${m[1]} ${m[4]}:${m[5]}:${m[6]}`);
  return v ? { value: v, form: 'dmy' } : null;
}

/** `2019-04-11` → `2019/04/11` */
export function formatEdxmlDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m || !validYmd(+m[1], +m[2], +m[3])) throw new Error(`Ngày không hợp lệ (invalid date): ${iso}`);
  return `${m[1]}/${m[2]}/${m[3]}`;
}

/** `2018/09/28 17:25:11` → `2018-09-28T17:25:11`; null when malformed. */
export function parseEdxmlTimestamp(s: string): string | null {
  const m = TIMESTAMP_RE.exec(s);
  if (!m) return null;
  if (!validYmd(+m[1], +m[2], +m[3]) || +m[4] > 23 || +m[5] > 59 || +m[6] > 59) return null;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`;
}

/** `2018-09-28T17:25:11` → `2018/09/28 17:25:11` */
export function formatEdxmlTimestamp(v: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(v);
  if (!m) throw new Error(`Thời điểm không hợp lệ (invalid timestamp): ${v}`);
  return `${m[1]}/${m[2]}/${m[3]} ${m[4]}:${m[5]}:${m[6]}`;
}

/** A value timestamp (Vietnam local time, UTC+7, no daylight saving) → Date. */
export function timestampToDate(v: string): Date {
  return new Date(`${v}+07:00`);
}

/** A Date → value timestamp in Vietnam local time. */
export function dateToTimestamp(d: Date): string {
  return new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 19);
}

/** Today's date in Vietnam (YYYY-MM-DD). */
export function vietnamToday(now: Date): string {
  return dateToTimestamp(now).slice(0, 10);
}

/**
 * Mã định danh: dot-separated groups of digits and capital letters, at most 35 characters (QĐ 20/2020). The
 * usual shape is `000.00.00.H27` (13 characters); samples in the wild also carry shorter ones (`28.22.H17`).
 */
export const ORGAN_ID_RE = /^[0-9A-Z]+(\.[0-9A-Z]+)*$/;
export const isOrganId = (s: string): boolean => s.length <= 35 && ORGAN_ID_RE.test(s);

export interface DocumentIdParts {
  organId: string;
  /** YYYY-MM-DD */
  date: string;
  codeNumber: string;
  codeNotation: string;
}

/** `000.00.00.G22,2015/09/30,7816/VPCP-TTĐT` → parts; null when malformed. */
export function parseDocumentId(s: string): DocumentIdParts | null {
  const parts = s.split(',');
  if (parts.length !== 3) return null;
  const [organId, date, code] = parts;
  if (!isOrganId(organId)) return null;
  const iso = parseEdxmlDate(date);
  if (!iso) return null;
  const slash = code.indexOf('/');
  if (slash <= 0 || slash === code.length - 1) return null;
  return { organId, date: iso, codeNumber: code.slice(0, slash), codeNotation: code.slice(slash + 1) };
}

export function formatDocumentId(p: DocumentIdParts): string {
  return `${p.organId},${formatEdxmlDate(p.date)},${p.codeNumber}/${p.codeNotation}`;
}

/** `cid:209` and `209` name the same attachment. */
export function normalizeContentId(s: string): string {
  return s.replace(/^cid:/i, '').trim();
}
