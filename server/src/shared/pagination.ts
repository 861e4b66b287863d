/** Relay connection helpers: page sizes and opaque cursors that refuse anything they did not write. */
import { badInput } from './errors';

/** Relay connection helpers (api-conventions.md: default and maximum page size, opaque cursors). */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export function pageSize(first: number | null | undefined): number {
  if (first == null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0) throw badInput('Tham số "first" phải là số nguyên không âm.', 'first');
  return Math.min(first, MAX_PAGE_SIZE);
}

export const encodeCursor = (values: unknown[]): string => Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');

const MAX_CURSOR_LENGTH = 1000;

/** A cursor value we could have written: a finite number, a boolean, null or a short string without control characters. */
const cursorValueOk = (x: unknown): boolean =>
  x === null ||
  typeof x === 'boolean' ||
  (typeof x === 'number' && Number.isFinite(x)) ||
  // eslint-disable-next-line no-control-regex
  (typeof x === 'string' && x.length <= 300 && !/[\u0000-\u001f\u007f]/.test(x));

/**
 * Decodes an opaque cursor written by encodeCursor. Anything else (not base64url, not JSON, the wrong number
 * of values, values of a kind we never write, NUL characters that PostgreSQL would choke on) is the client's
 * fault: BAD_USER_INPUT on `after`, never an INTERNAL error from the database.
 */
export function decodeCursor(cursor: string | null | undefined, arity: number): unknown[] | null {
  if (!cursor) return null;
  const bad = () => badInput('Con trỏ phân trang "after" không hợp lệ.', 'after');
  if (typeof cursor !== 'string' || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+={0,2}$/.test(cursor)) throw bad();
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (Array.isArray(v) && v.length === arity && v.every(cursorValueOk)) return v;
  throw bad();
}

const PG_TS_RE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)?$/;

/**
 * Whether `s` is a real timestamp as PostgreSQL prints `timestamptz::text` (`2026-12-05 08:00:00.123+00`):
 * cursors carrying one must check it, or `::timestamptz` fails in the database (INTERNAL) on 2026-99-99.
 */
export function isPgTimestampText(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = PG_TS_RE.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number);
  const day = new Date(Date.UTC(y, mo - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d && h < 24 && mi < 60 && sec < 60;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

/** Builds a connection from `limit + 1` fetched rows. */
export function toConnection<T>(rows: T[], limit: number, cursorOf: (row: T) => unknown[], totalCount: number, hasPrevious: boolean): Connection<T> {
  const hasNextPage = rows.length > limit;
  const page = hasNextPage ? rows.slice(0, limit) : rows;
  const edges = page.map((node) => ({ cursor: encodeCursor(cursorOf(node)), node }));
  return {
    edges,
    pageInfo: { hasNextPage, hasPreviousPage: hasPrevious, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount,
  };
}

/** `%text%` for a LIKE over lower-cased text, with LIKE's own wildcards escaped. */
export const likePattern = (text: string): string => `%${text.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
