/**
 * Hộp văn bản: the caller's inbox boxes (Relay connections) and their live counts.
 *
 * Membership follows the declarative box predicates of domain/inbox.ts (translated by inbox-sql.ts), always
 * limited to the caller's agency and to documents the caller may see (secret ones only for named readers).
 * Assignment-level boxes (TO_PROCESS, IN_PROGRESS, OVERDUE) return each document once, with the earliest
 * deadline among the caller's matching assignments.
 *
 * Order (INBOX_ORDER): urgency desc, deadline asc (none last), received (incoming) / created (outgoing) asc,
 * id. Pagination is KEYSET on that key: the cursor carries the last row's key, so inserts and moves between
 * pages never cause duplicates or skips of rows that stay in the box.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../../shared/errors';
import type { Scope } from '../../shared/scope';
import type { Clock } from '../../services';
import { isUuid } from '../../shared/ids';
import { isPgTimestampText } from '../../shared/pagination';
import { INBOX_BOXES, INBOX_BOXES_ORDERED, type InboxBox, type InboxViewer } from './domain/inbox';
import { todayIn } from './domain/deadlines';
import { URGENCIES } from './domain/markings';
import { foldVietnamese } from './domain/text';
import { Document } from './entities/document.entity';
import { SqlParams, assignmentBoxCountsSql, boxRowsSql, searchSql, visibilitySql, type InboxSqlFilter } from './inbox-sql';

export const INBOX_DEFAULT_PAGE = 20;
export const INBOX_MAX_PAGE = 100;
const MAX_SEARCH_LENGTH = 200;

export interface InboxFilterInput {
  direction?: 'INCOMING' | 'OUTGOING' | null;
  urgency?: string | null;
  search?: string | null;
}

export interface InboxArgs {
  first?: number | null;
  after?: string | null;
  filter?: InboxFilterInput | null;
  /** Compute totalCount (one more query); the resolver asks only when the field is selected. */
  withTotal?: boolean;
}

export interface InboxEdge {
  cursor: string;
  node: Document;
}

export interface InboxConnection {
  edges: InboxEdge[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

interface SortKey {
  nrank: number;
  dkey: string;
  ts: string;
  id: string;
}

const DATE_KEY_RE = /^(\d{4}-\d{2}-\d{2}|infinity)$/;
const TS_RE = /^[0-9T:. +-]{10,40}$/;

export function encodeCursor(k: SortKey): string {
  return Buffer.from(JSON.stringify([k.nrank, k.dkey, k.ts, k.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): SortKey {
  const bad = () => badInput('Con trỏ phân trang không hợp lệ.', 'after');
  if (typeof cursor !== 'string' || cursor.length > 400) throw bad();
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(v) || v.length !== 4) throw bad();
  const [nrank, dkey, ts, id] = v as unknown[];
  if (!Number.isInteger(nrank) || (nrank as number) < -3 || (nrank as number) > 0) throw bad();
  if (typeof dkey !== 'string' || !DATE_KEY_RE.test(dkey) || (dkey !== 'infinity' && !isPgTimestampText(`${dkey} 00:00:00`))) throw bad();
  if (typeof ts !== 'string' || !TS_RE.test(ts) || !isPgTimestampText(ts)) throw bad();
  if (typeof id !== 'string' || !isUuid(id)) throw bad();
  return { nrank: nrank as number, dkey, ts, id };
}

/** The viewer as the box predicates see them. */
export function inboxViewerOf(scope: Scope): InboxViewer {
  const a = scope.requireActor();
  return { userId: a.userId, agencyId: a.agencyId, unitId: a.unitId, roles: a.roles };
}

function normalizeFilter(f: InboxFilterInput | null | undefined): InboxSqlFilter {
  const out: InboxSqlFilter = {};
  if (!f) return out;
  if (f.direction) {
    if (f.direction !== 'INCOMING' && f.direction !== 'OUTGOING') throw badInput('Chiều văn bản không hợp lệ.', 'filter.direction');
    out.direction = f.direction;
  }
  if (f.urgency) {
    if (!(URGENCIES as readonly string[]).includes(f.urgency)) throw badInput('Mức độ khẩn không hợp lệ.', 'filter.urgency');
    out.urgency = f.urgency;
  }
  if (f.search != null) {
    if (f.search.length > MAX_SEARCH_LENGTH) throw badInput(`Từ khóa tìm kiếm không được dài quá ${MAX_SEARCH_LENGTH} ký tự.`, 'filter.search');
    const folded = foldVietnamese(f.search);
    if (folded) out.search = folded;
  }
  return out;
}

async function execute<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  return em.getConnection().execute<T[]>(sql, params, 'all', em.getTransactionContext());
}

export class InboxService {
  /** The services' clock: OVERDUE depends on today in Asia/Ho_Chi_Minh (tests move it). */
  constructor(private readonly clock: Clock = { now: () => new Date() }) {}

  private today(): string {
    return todayIn(this.clock.now());
  }

  /** One page of a box. */
  async inbox(scope: Scope, box: InboxBox, args: InboxArgs = {}): Promise<InboxConnection> {
    const viewer = inboxViewerOf(scope);
    if (!INBOX_BOXES_ORDERED.includes(box)) throw badInput('Hộp văn bản không hợp lệ.', 'box');
    const first = args.first ?? INBOX_DEFAULT_PAGE;
    if (!Number.isInteger(first) || first < 0 || first > INBOX_MAX_PAGE) throw badInput(`Số dòng mỗi trang phải từ 0 đến ${INBOX_MAX_PAGE}.`, 'first');
    const after = args.after ? decodeCursor(args.after) : null;
    const filter = normalizeFilter(args.filter);
    const today = this.today();

    const params = new SqlParams();
    const rowsSql = boxRowsSql(box, viewer, today, params, filter);
    const empty: InboxConnection = {
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: !!after, startCursor: null, endCursor: null },
      totalCount: 0,
    };
    if (rowsSql === null) return empty;

    // One scan gives the page and (window count over the whole box, before the cursor) the total; the page's
    // documents come back in the same round trip and are mapped to entities without another query.
    const total = args.withTotal ? ', count(*) OVER () AS total' : '';
    let pageSql = `SELECT w.* FROM (SELECT q.*${total} FROM (${rowsSql}) q) w`;
    if (after) pageSql += ` WHERE (w.nrank, w.dkey, w.ts, w.id) > (${params.p(after.nrank, 'int')}, ${params.p(after.dkey, 'date')}, ${params.p(after.ts, 'timestamptz')}, ${params.p(after.id, 'uuid')})`;
    pageSql += ` ORDER BY w.nrank, w.dkey, w.ts, w.id LIMIT ${params.p(first + 1, 'int')}`;
    const sql =
      `SELECT d.*, p.nrank AS "__nrank", p.dkey::text AS "__dkey", p.ts::text AS "__ts"${args.withTotal ? ', p.total AS "__total"' : ''}` +
      ` FROM (${pageSql}) p JOIN document d ON d.id = p.id ORDER BY p.nrank, p.dkey, p.ts, p.id`;

    const em = scope.em;
    const rows = await execute<Record<string, unknown>>(em, sql, params.values);
    let totalCount = Number(rows[0]?.__total ?? 0);
    // Past the last row the window saw nothing: count separately.
    if (args.withTotal && !rows.length && after) totalCount = await this.countOne(em, box, viewer, today, filter);
    const keys: SortKey[] = [];
    const edges: InboxEdge[] = [];
    for (const row of rows.slice(0, first)) {
      const key: SortKey = { nrank: Number(row.__nrank), dkey: String(row.__dkey), ts: String(row.__ts), id: String(row.id) };
      for (const k of ['__nrank', '__dkey', '__ts', '__total']) delete row[k];
      keys.push(key);
      edges.push({ cursor: encodeCursor(key), node: em.map(Document, row) });
    }
    const page = keys;
    const lastKey = page[page.length - 1];
    return {
      edges,
      pageInfo: {
        hasNextPage: rows.length > first,
        hasPreviousPage: !!after,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: lastKey ? encodeCursor(lastKey) : null,
      },
      totalCount,
    };
  }

  /** Search across every box (searchDocuments). */
  async search(scope: Scope, args: DocumentSearchArgs): Promise<DocumentSearchConnection> {
    return searchDocuments(scope, this.today(), args);
  }

  private async countOne(em: EntityManager, box: InboxBox, viewer: InboxViewer, today: string, filter: InboxSqlFilter): Promise<number> {
    const params = new SqlParams();
    const rowsSql = boxRowsSql(box, viewer, today, params, filter);
    if (rowsSql === null) return 0;
    const r = await execute<{ n: string }>(em, `SELECT count(*) AS n FROM (${rowsSql}) q`, params.values);
    return Number(r[0]?.n ?? 0);
  }

  /**
   * The nine boxes' counts in ONE round trip: a scalar subquery per document-level box, and one scan of the
   * viewer's open assignments for the three assignment-level boxes.
   */
  async inboxCounts(scope: Scope): Promise<{ box: InboxBox; count: number }[]> {
    const viewer = inboxViewerOf(scope);
    const today = this.today();
    const params = new SqlParams();
    const cols: string[] = [];
    for (const box of INBOX_BOXES_ORDERED) {
      if (ASSIGNMENT_BOXES.has(box)) {
        cols.push(`ab."c_${box}"`);
        continue;
      }
      const rowsSql = boxRowsSql(box, viewer, today, params);
      cols.push(rowsSql === null ? `0 AS "c_${box}"` : `(SELECT count(*) FROM (${rowsSql}) q) AS "c_${box}"`);
    }
    const sql = `SELECT ${cols.join(', ')} FROM (${assignmentBoxCountsSql(viewer, today, params)}) ab`;
    const [row] = await execute<Record<string, string | number>>(scope.em, sql, params.values);
    return INBOX_BOXES_ORDERED.map((box) => ({ box, count: Number(row?.[`c_${box}`] ?? 0) }));
  }
}

export interface DocumentSearchArgs {
  search: string;
  direction?: 'INCOMING' | 'OUTGOING' | null;
  first?: number | null;
  after?: string | null;
}

export interface DocumentSearchEdge {
  cursor: string;
  node: Document;
  /** The viewer's boxes the document is in now (INBOX_BOXES_ORDERED order; may be empty). */
  boxes: InboxBox[];
}

export interface DocumentSearchConnection {
  edges: DocumentSearchEdge[];
  pageInfo: InboxConnection['pageInfo'];
  totalCount: number;
}

const encodeSearchCursor = (ts: string, id: string) => Buffer.from(JSON.stringify([ts, id]), 'utf8').toString('base64url');

function decodeSearchCursor(cursor: string): { ts: string; id: string } {
  const bad = () => badInput('Con trỏ phân trang không hợp lệ.', 'after');
  if (cursor.length > 300) throw bad();
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(v) || v.length !== 2) throw bad();
  const [ts, id] = v as unknown[];
  if (typeof ts !== 'string' || !TS_RE.test(ts) || !isPgTimestampText(ts) || typeof id !== 'string' || !isUuid(id)) throw bad();
  return { ts, id };
}

/**
 * Search across every box (issue 9): the documents of the viewer's agency that the viewer may see (the access
 * rule, as for the boxes) whose text matches — whatever box they are in, or none (a document the văn thư
 * submitted has left "chờ vào sổ" but is still found). Newest first (received / created desc, id desc), keyset
 * paged; each result carries the viewer's boxes it is in now, decided by the boxes' own SQL (boxRowsSql).
 */
export async function searchDocuments(scope: Scope, today: string, args: DocumentSearchArgs): Promise<DocumentSearchConnection> {
  const viewer = inboxViewerOf(scope);
  if (typeof args.search !== 'string' || args.search.length > MAX_SEARCH_LENGTH) throw badInput(`Từ khóa tìm kiếm không được dài quá ${MAX_SEARCH_LENGTH} ký tự.`, 'search');
  const folded = foldVietnamese(args.search);
  if (!folded) throw badInput('Nhập từ khóa tìm kiếm.', 'search');
  if (args.direction && args.direction !== 'INCOMING' && args.direction !== 'OUTGOING') throw badInput('Chiều văn bản không hợp lệ.', 'direction');
  const first = args.first ?? INBOX_DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 0 || first > INBOX_MAX_PAGE) throw badInput(`Số dòng mỗi trang phải từ 0 đến ${INBOX_MAX_PAGE}.`, 'first');
  const after = args.after ? decodeSearchCursor(args.after) : null;

  const params = new SqlParams();
  const ts = 'COALESCE(d.received_at, d.created_at)';
  const where = [`d.agency_id = ${params.p(viewer.agencyId, 'uuid')}`];
  if (args.direction) where.push(`d.direction = ${params.p(args.direction)}`);
  where.push(...searchSql(folded, params));
  where.push(visibilitySql(viewer, params));
  const base = `FROM document d WHERE ${where.join(' AND ')}`;
  const countParams = [...params.values];
  let page = '';
  if (after) page = ` AND (${ts}, d.id) < (${params.p(after.ts, 'timestamptz')}, ${params.p(after.id, 'uuid')})`;
  const sql = `SELECT d.*, ${ts}::text AS "__ts" ${base}${page} ORDER BY ${ts} DESC, d.id DESC LIMIT ${params.p(first + 1, 'int')}`;
  const em = scope.em;
  const rows = await execute<Record<string, unknown>>(em, sql, params.values);
  const [{ n }] = await execute<{ n: string }>(em, `SELECT count(*) AS n ${base}`, countParams);
  const pageRows = rows.slice(0, first);
  const ids = pageRows.map((r) => String(r.id));

  // the boxes of the page's documents, by each box's own query limited to these ids
  const boxesOf = new Map<string, InboxBox[]>();
  if (ids.length) {
    const bp = new SqlParams();
    const parts: string[] = [];
    for (const box of INBOX_BOXES_ORDERED) {
      const rowsSql = boxRowsSql(box, viewer, today, bp, { ids });
      if (rowsSql !== null) parts.push(`SELECT '${box}' AS box, q.id FROM (${rowsSql}) q`);
    }
    if (parts.length) {
      for (const r of await execute<{ box: InboxBox; id: string }>(em, parts.join(' UNION ALL '), bp.values)) {
        boxesOf.set(r.id, [...(boxesOf.get(r.id) ?? []), r.box]);
      }
    }
  }
  const edges: DocumentSearchEdge[] = pageRows.map((row) => {
    const cursor = encodeSearchCursor(String(row.__ts), String(row.id));
    delete row.__ts;
    const node = em.map(Document, row);
    const boxes = boxesOf.get(node.id) ?? [];
    return { cursor, node, boxes: INBOX_BOXES_ORDERED.filter((b) => boxes.includes(b)) };
  });
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, hasPreviousPage: !!after, startCursor: edges[0]?.cursor ?? null, endCursor: edges[edges.length - 1]?.cursor ?? null },
    totalCount: Number(n ?? 0),
  };
}

const ASSIGNMENT_BOXES: ReadonlySet<InboxBox> = new Set(INBOX_BOXES_ORDERED.filter((b) => INBOX_BOXES[b].level === 'ASSIGNMENT'));
