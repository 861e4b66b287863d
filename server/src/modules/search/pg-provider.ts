/**
 * The PostgreSQL search provider: `search_document` rows (search-document.entity.ts) with two stored
 * tsvectors built in the application by domain/text.ts — exact (NFC, lower case, diacritics kept) and folded
 * (no diacritics, đ → d) — GIN indexes (one narrowed by agency with btree_gin), and a pg_trgm index on the
 * folded titles for the fallback.
 *
 * One query, in this order (measured, README "Search"):
 * 1. matches: folded tsquery, the filters and the ACCESS RULE (documents/access-sql.ts, the same predicate as
 *    the inbox) in the WHERE clause, in the viewer's agency, newest first, LIMIT COUNT_CAP + 1 (narrow columns)
 *    — this one pass is the capped count, the facets, and (its first CANDIDATE_LIMIT rows) the candidates.
 *    A viewer without an agency-wide grant is narrowed first to the documents naming them (personal-set.ts);
 * 2. rank the candidates only: exact-diacritic match first (+1), then ts_rank exact + folded;
 * 3. snippets and the hit page for the returned page only.
 * Only when nothing matches, the trigram fallback ranks titles by word similarity.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { documentVisibleSql } from '../documents/access-sql';
import { SqlParams } from '../documents/inbox-sql';
import { personalSetSql } from './personal-set';
import { fold, matcherOf, pageOfHit, snippetsOf, tsvectorLiteral, type ParsedQuery } from './domain';
import { CANDIDATE_LIMIT, COUNT_CAP, SIMILAR_LIMIT, type FacetBucket, type SearchDocumentInput, type SearchProvider, type SearchRequest, type SearchResult } from './provider';

/** Longest body kept in the index (characters): ~120 pages of text. */
export const MAX_BODY_CHARS = 400_000;
/** Body characters added to the trigram title (OCR'd headings). */
const TITLE_BODY_CHARS = 300;
/** A search never runs longer than this (a pathological query is cut, not left to scan). */
const STATEMENT_TIMEOUT_MS = 8000;
/** The trigram fallback gives up sooner (it is a best effort). */
const SIMILAR_TIMEOUT_MS = 1500;

interface CandidateRow {
  document_id: string;
  score: number;
  doc_date: string | null;
  year: number | null;
  direction: string;
  type_code: string | null;
  type_name: string;
  issuer: string | null;
  signer: string | null;
  has_scan: boolean;
  archived: boolean;
  unit_ids: string[] | null;
  record_id: string | null;
}

const FACET_FIELDS = ['direction', 'type', 'year', 'issuer', 'signer', 'unit', 'record', 'hasScan', 'archived'] as const;
const FACET_BUCKETS = 10;

/** The facet values of one match (a document concerns several units). Labels of units and hồ sơ are filled in later. */
function facetValues(field: (typeof FACET_FIELDS)[number], r: CandidateRow): { value: string; label: string }[] {
  if (field === 'unit') return [...new Set(r.unit_ids ?? [])].map((u) => ({ value: u, label: u }));
  if (field === 'record') return r.record_id ? [{ value: r.record_id, label: r.record_id }] : [];
  const v = facetValue(field, r);
  return v ? [v] : [];
}

function facetValue(field: Exclude<(typeof FACET_FIELDS)[number], 'unit' | 'record'>, r: CandidateRow): { value: string; label: string } | null {
  switch (field) {
    case 'direction':
      return { value: r.direction, label: r.direction === 'INCOMING' ? 'Văn bản đến' : r.direction === 'ARCHIVE' ? 'Tài liệu lưu trữ số hóa' : 'Văn bản đi' };
    case 'type':
      return { value: r.type_code ?? r.type_name, label: r.type_name };
    case 'year':
      return r.year == null ? null : { value: String(r.year), label: String(r.year) };
    case 'issuer':
      return r.issuer ? { value: r.issuer, label: r.issuer } : null;
    case 'signer':
      return r.signer ? { value: r.signer, label: r.signer } : null;
    case 'hasScan':
      return { value: String(r.has_scan), label: r.has_scan ? 'Có bản quét' : 'Không có bản quét' };
    case 'archived':
      return { value: String(r.archived), label: r.archived ? 'Đã lưu trữ' : 'Chưa lưu trữ' };
  }
}

/** One element of a PostgreSQL text[] literal (NULL, or double-quoted with \\ and " escaped). */
function pgArrayItem(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  return `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function facetsOf(rows: readonly CandidateRow[]): SearchResult['facets'] {
  return FACET_FIELDS.map((field) => {
    const m = new Map<string, FacetBucket>();
    for (const r of rows)
      for (const v of facetValues(field, r)) {
        const b = m.get(v.value);
        if (b) b.count++;
        else m.set(v.value, { ...v, count: 1 });
      }
    const buckets = [...m.values()].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'vi')).slice(0, FACET_BUCKETS);
    return { field, buckets };
  }).filter((f) => f.buckets.length > 0);
}

export class PgSearchProvider implements SearchProvider {
  async index(em: EntityManager, doc: SearchDocumentInput): Promise<void> {
    await this.indexMany(em, [doc]);
  }

  /** One multi-row upsert for many documents (reindex, benchmark): the same rows as `index`. */
  async indexMany(em: EntityManager, docs: readonly SearchDocumentInput[]): Promise<void> {
    if (!docs.length) return;
    const cols: unknown[][] = Array.from({ length: 18 }, () => []);
    for (const doc of docs) {
      const body = doc.body ? doc.body.slice(0, MAX_BODY_CHARS) : null;
      const fields = [
        { text: [doc.symbol, doc.subject].filter(Boolean).join(' \n '), weight: 'A' as const },
        { text: [doc.issuer, doc.signer].filter(Boolean).join(' \n '), weight: 'B' as const },
        { text: body, weight: 'C' as const },
      ];
      const title = fold([doc.symbol, doc.subject, doc.issuer, doc.signer, body?.slice(0, TITLE_BODY_CHARS)].filter(Boolean).join(' ')).replace(/\s+/g, ' ');
      const row = [
        doc.documentId,
        doc.agencyId,
        doc.year,
        doc.docDate,
        doc.direction,
        doc.typeCode,
        doc.typeName,
        doc.issuer,
        doc.signer,
        JSON.stringify(doc.unitIds),
        doc.hasScan,
        doc.archived,
        doc.secrecy,
        tsvectorLiteral(fields, 'exact'),
        tsvectorLiteral(fields, 'folded'),
        title,
        body,
        doc.pageStarts ? JSON.stringify(doc.pageStarts.filter((x) => x <= MAX_BODY_CHARS)) : null,
      ];
      row.forEach((v, i) => cols[i].push(v));
    }
    // Arrays of text, one per column (unnest keeps the rows aligned); cast per column.
    const casts = ['uuid', 'uuid', 'int', 'date', 'text', 'text', 'text', 'text', 'text', 'jsonb', 'boolean', 'boolean', 'text', 'tsvector', 'tsvector', 'text', 'text', 'jsonb'];
    const names = ['document_id', 'agency_id', 'year', 'doc_date', 'direction', 'type_code', 'type_name', 'issuer', 'signer', 'unit_ids', 'has_scan', 'archived', 'secrecy', 'tsv_exact', 'tsv_folded', 'title_folded', 'body', 'page_starts'];
    const selects = names.map((n, i) => `u.c${i}::${casts[i]}`).join(', ');
    const unnest = names.map(() => '?::text[]').join(', ');
    await em.execute(
      `insert into search_document (${names.join(', ')}, indexed_at)
       select ${selects}, now() from unnest(${unnest}) as u(${names.map((_n, i) => `c${i}`).join(', ')})
       on conflict (document_id) do update set ${names
         .slice(1)
         .map((n) => `${n} = excluded.${n}`)
         .join(', ')}, indexed_at = now()`,
      cols.map((c) => `{${c.map(pgArrayItem).join(',')}}`),
    );
  }

  async remove(em: EntityManager, documentId: string): Promise<void> {
    await em.execute(`delete from search_document where document_id = ?`, [documentId]);
  }

  async search(em: EntityManager, req: SearchRequest): Promise<SearchResult> {
    return em.transactional(async (t) => {
      await t.execute(`select set_config('statement_timeout', ?, true), set_config('pg_trgm.word_similarity_threshold', '0.6', true)`, [String(STATEMENT_TIMEOUT_MS)]);
      const q = req.query && req.query.terms.length ? req.query : null;
      let mode: SearchResult['mode'] = q ? 'FULL_TEXT' : 'BROWSE';
      // One pass: the newest COUNT_CAP + 1 matches (narrow columns): they are the count, the facets and, the
      // first CANDIDATE_LIMIT of them, the candidates — no second scan to count.
      let rows = await this.matches(t, req, q);
      let total = rows.length;
      let candidates = rows.slice(0, CANDIDATE_LIMIT);
      if (q && rows.length === 0) {
        mode = 'SIMILAR';
        rows = candidates = await this.similar(t, req, q);
        total = rows.length;
      }
      if (mode === 'FULL_TEXT' && q) {
        // Rank the candidates only (never the whole match set); a stable sort keeps newest first among equals.
        const scores = await this.rank(t, candidates, q);
        candidates = candidates.map((r) => ({ ...r, score: scores.get(r.document_id) ?? 0 })).sort((a, b) => b.score - a.score);
      }
      const page = candidates.slice(req.offset, req.offset + req.first);
      const hits = await this.decorate(t, page, q);
      return {
        hits,
        totalCount: Math.min(total, COUNT_CAP + 1),
        totalCountCapped: total > COUNT_CAP,
        candidatesCapped: mode !== 'SIMILAR' && total > CANDIDATE_LIMIT,
        hasNextPage: req.offset + req.first < candidates.length,
        facets: await this.facets(t, rows),
        mode,
      };
    });
  }

  /** Facets over the matches read (up to COUNT_CAP + 1), with the names of units and hồ sơ. */
  private async facets(em: EntityManager, rows: readonly CandidateRow[]): Promise<SearchResult['facets']> {
    const facets = facetsOf(rows);
    const ids = (field: string) => facets.find((f) => f.field === field)?.buckets.map((b) => b.value) ?? [];
    const units = ids('unit');
    const records = ids('record');
    const names = new Map<string, string>();
    if (units.length)
      for (const u of await em.execute<{ id: string; name: string }[]>(`select id, name from unit where id = any(?::uuid[])`, [`{${units.join(',')}}`])) names.set(u.id, u.name);
    if (records.length)
      for (const r of await em.execute<{ id: string; label: string }[]>(`select id, file_notation || ' — ' || title as label from archive_record where id = any(?::uuid[])`, [`{${records.join(',')}}`]))
        names.set(r.id, r.label);
    for (const f of facets) if (f.field === 'unit' || f.field === 'record') for (const b of f.buckets) b.label = names.get(b.value) ?? b.label;
    return facets;
  }

  /** FROM + WHERE (access rule, agency, filters) of the matches; `match` goes first. */
  private whereSql(req: SearchRequest, params: SqlParams, match: string | null): string {
    const w: string[] = [];
    if (match) w.push(match);
    const f = req.filter;
    if (req.viewer) w.push(`s.agency_id = ${params.p(req.viewer.agencyId, 'uuid')}`);
    if (f.year != null) w.push(`s.year = ${params.p(f.year, 'int')}`);
    if (f.dateFrom) w.push(`s.doc_date >= ${params.p(f.dateFrom, 'date')}`);
    if (f.dateTo) w.push(`s.doc_date <= ${params.p(f.dateTo, 'date')}`);
    if (f.direction) w.push(`s.direction = ${params.p(f.direction)}`);
    if (f.type) w.push(`(s.type_code = ${params.p(f.type)} OR s.type_name = ${params.p(f.type)})`);
    if (f.issuer) w.push(`s.issuer = ${params.p(f.issuer)}`);
    if (f.signer) w.push(`s.signer = ${params.p(f.signer)}`);
    if (f.unitId) w.push(`s.unit_ids @> ${params.p(JSON.stringify([f.unitId]), 'jsonb')}`);
    if (f.hasScan != null) w.push(`s.has_scan = ${params.p(f.hasScan, 'boolean')}`);
    if (f.archived != null) w.push(`s.archived = ${params.p(f.archived, 'boolean')}`);
    // Hồ sơ: read from the document (filing does not touch the index entry).
    if (f.recordId) w.push(`d.record_id = ${params.p(f.recordId, 'uuid')}`);
    if (req.viewer) {
      // The access rule, inside the query: before ranking, counting, facets and snippets.
      w.push(documentVisibleSql(req.viewer, params, { ownAgencyOnly: true }));
      // A viewer without an agency-wide grant: only the documents naming them or their unit can pass the rule
      // above — find those through their indexes first (personal-set.ts; a superset, the result is the same).
      const mine = personalSetSql(req.viewer, params);
      if (mine) w.push(mine);
    }
    return `FROM ${this.fromSql(req)} WHERE ${w.length ? w.join(' AND ') : 'TRUE'}`;
  }

  /** The system-wide search (no viewer) needs nothing of `document`. */
  private fromSql(req: SearchRequest): string {
    return req.viewer || req.filter.recordId ? 'search_document s JOIN document d ON d.id = s.document_id' : 'search_document s';
  }

  /** The viewer's matches (all documents passing the filters when there is no query), newest first, up to COUNT_CAP + 1. */
  private async matches(em: EntityManager, req: SearchRequest, q: ParsedQuery | null): Promise<CandidateRow[]> {
    const params = new SqlParams();
    const where = this.whereSql(req, params, q ? `s.tsv_folded @@ ${params.p(q.folded, 'tsquery')}` : null);
    const sql = `SELECT ${this.columns(req)}, 0::float8 AS score ${where} ORDER BY s.doc_date DESC, s.document_id LIMIT ${COUNT_CAP + 1}`;
    return em.execute<CandidateRow[]>(sql, params.values);
  }

  private columns(req: SearchRequest): string {
    const record = req.viewer || req.filter.recordId ? 'd.record_id' : 'NULL::uuid';
    return `s.document_id, s.doc_date::text AS doc_date, s.year, s.direction, s.type_code, s.type_name, s.issuer, s.signer, s.has_scan, s.archived, s.unit_ids, ${record} AS record_id`;
  }

  /** Scores of the candidates: exact-diacritic match first (+1), then ts_rank exact + folded. */
  private async rank(em: EntityManager, rows: readonly CandidateRow[], q: ParsedQuery): Promise<Map<string, number>> {
    if (!rows.length) return new Map();
    const params = new SqlParams();
    const sql = `SELECT s.document_id, ((CASE WHEN s.tsv_exact @@ ${params.p(q.exact, 'tsquery')} THEN 1 ELSE 0 END) + ts_rank(s.tsv_exact, ${params.p(q.exact, 'tsquery')})
        + ts_rank(s.tsv_folded, ${params.p(q.folded, 'tsquery')}))::float8 AS score
      FROM search_document s WHERE s.document_id = ANY(${params.p(`{${rows.map((r) => r.document_id).join(',')}}`, 'uuid[]')})`;
    const scored = await em.execute<{ document_id: string; score: number }[]>(sql, params.values);
    return new Map(scored.map((r) => [r.document_id, r.score]));
  }

  /** The trigram fallback's near matches: word similarity of the folded titles, best first. */
  private async nearMatches(em: EntityManager, req: SearchRequest, q: ParsedQuery): Promise<CandidateRow[]> {
    const params = new SqlParams();
    // parameters follow the SQL text: the SELECT list's first, then the WHERE clause's
    const text = q.plainFolded;
    const sim = params.p(text);
    const cols = this.columns(req);
    const where = this.whereSql(req, params, `s.title_folded %> ${params.p(text)}`);
    const sql = `SELECT ${cols}, word_similarity(${sim}, s.title_folded)::float8 AS score ${where} ORDER BY score DESC, s.doc_date DESC, s.document_id LIMIT ${SIMILAR_LIMIT}`;
    return em.execute<CandidateRow[]>(sql, params.values);
  }

  /**
   * The trigram fallback, in a savepoint with a short time limit: a query made of very common trigrams
   * (e.g. a symbol part) would otherwise scan much of the agency's titles; then it finds nothing, quickly.
   */
  private async similar(em: EntityManager, req: SearchRequest, q: ParsedQuery): Promise<CandidateRow[]> {
    if (q.plainFolded.replace(/\s/g, '').length < 3) return [];
    try {
      return await em.transactional(async (t) => {
        await t.execute(`select set_config('statement_timeout', ?, true)`, [String(SIMILAR_TIMEOUT_MS)]);
        const rows = await this.nearMatches(t, req, q);
        await t.execute(`select set_config('statement_timeout', ?, true)`, [String(STATEMENT_TIMEOUT_MS)]);
        return rows;
      });
    } catch (e) {
      // query_canceled (statement_timeout): the savepoint rolled back, the time limit with it
      const err = e as { code?: string; sqlState?: string };
      if (err.code === '57014' || err.sqlState === '57014') return [];
      throw e;
    }
  }

  /** Snippets and hit page for the returned page only. */
  private async decorate(em: EntityManager, page: readonly CandidateRow[], q: ParsedQuery | null): Promise<SearchResult['hits']> {
    if (!page.length) return [];
    const texts = await em.execute<{ document_id: string; symbol: string | null; subject: string; issuer: string | null; signer: string | null; body: string | null; page_starts: number[] | null }[]>(
      `SELECT s.document_id, d.symbol, d.subject, s.issuer, s.signer, s.body, s.page_starts FROM search_document s JOIN document d ON d.id = s.document_id WHERE s.document_id = ANY(string_to_array(?, ',')::uuid[])`,
      [page.map((r) => r.document_id).join(',')],
    );
    const byId = new Map(texts.map((t) => [t.document_id, t]));
    const matches = q ? matcherOf(q) : null;
    return page.map((r) => {
      const t = byId.get(r.document_id);
      if (!t || !matches) return { documentId: r.document_id, score: r.score, snippets: [], page: null };
      const head = snippetsOf([t.symbol, t.subject].filter(Boolean).join(' — '), matches, { context: 40, max: 1 });
      const people = snippetsOf([t.issuer, t.signer].filter(Boolean).join(' — '), matches, { context: 20, max: 1 });
      const body = snippetsOf(t.body, matches, { context: 12, max: 2 });
      return { documentId: r.document_id, score: r.score, snippets: [...head, ...people, ...body].slice(0, 3), page: pageOfHit(t.body, t.page_starts, matches) };
    });
  }
}
