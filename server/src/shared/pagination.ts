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

export function decodeCursor(cursor: string | null | undefined, arity: number): unknown[] | null {
  if (!cursor) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === arity) return v;
  } catch {
    /* fall through */
  }
  throw badInput('Con trỏ phân trang "after" không hợp lệ.', 'after');
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
