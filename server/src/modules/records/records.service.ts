/**
 * Hồ sơ and the agency archive (issue 10): Danh mục hồ sơ, lập hồ sơ, kết thúc, nộp lưu, Circular 02/2019 metadata,
 * legal hold, retention, disposal, the import of digitised paper archives, and the archive exports.
 * Rules: records/domain/records.ts (who, when); documents stay governed by documents/domain/access.ts.
 * Every state change writes its audit events in its transaction; search re-indexing is queued there too.
 */
import { OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import {
  createRecordSchema,
  disposalSchema,
  documentMetadataSchema,
  legalHoldReason,
  recordMetadataSchema,
} from '../../../../schema/validation/records';
import type { Services } from '../../services';
import { AppError, badInput, conflict, forbidden, notFound } from '../../shared/errors';
import { isUuid } from '../../shared/ids';
import type { Actor, Scope, Tx } from '../../shared/scope';
import { Agency } from '../identity/entities/agency.entity';
import { Unit } from '../identity/entities/unit.entity';
import { User } from '../identity/entities/user.entity';
import { Document } from '../documents/entities/document.entity';
import { DocumentFile } from '../documents/entities/document-file.entity';
import { loadVisibleDocument, viewerOf, visibleDocumentIds } from '../documents/documents.policy';
import { toAppError } from '../documents/domain/transition';
import { enqueueSearchIndex } from '../search/search.jobs';
import { unreferencedSql } from '../storage-gc/storage-gc.service';
import {
  allowedRecordActions,
  canEditRetentionTable,
  checkFiling,
  checkRecordAction,
  checkRetentionChange,
  documentRecordActions,
  fileCodeOf,
  handlingFinished,
  retentionUntilYear,
  yearOf,
  type Check,
  type DocumentRecordAction,
  type RecordAction,
  type RecordFacts,
  type RecordViewer,
} from './domain/records';
import type { DocumentArchiveMetadata, RecordArchiveMetadata } from './domain/metadata';
import { retentionItemSchema } from '../../../../schema/validation/retention';
import { ArchiveRecord, RecordDisposal, RecordTransfer, RetentionItem, type DisposedRecordSnapshot } from './records.entities';

export const RECORDS_DEFAULT_PAGE = 50;
export const RECORDS_MAX_PAGE = 200;
export const MAX_RECORDS_PER_COMMAND = 100;

const recordNotFound = () => notFound('Hồ sơ');

const unwrapCheck = (c: Check): void => {
  if (!c.ok) throw toAppError(c);
};

/** Maps optimistic-lock and unique violations to CONFLICT. */
function mapDbError(e: unknown): unknown {
  if (e instanceof OptimisticLockError) return conflict('Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại và thử lại.');
  if (e instanceof UniqueConstraintViolationException) return conflict('Dữ liệu vừa bị thay đổi đồng thời. Vui lòng thử lại.');
  return e;
}

/** Per-record figures computed from its documents (all of them, whoever may read them). */
export interface RecordStats {
  documentCount: number;
  pageTotal: number;
  firstDate: string | null;
  lastDate: string | null;
}

export const EMPTY_STATS: RecordStats = { documentCount: 0, pageTotal: 0, firstDate: null, lastDate: null };

export async function recordStats(em: EntityManager, ids: readonly string[]): Promise<Map<string, RecordStats>> {
  const out = new Map<string, RecordStats>();
  if (!ids.length) return out;
  const rows = await em.execute<{ record_id: string; n: string; pages: string; first: string | null; last: string | null }[]>(
    `select record_id, count(*) as n, coalesce(sum(page_count), 0) as pages,
            min(coalesce(issued_date, (received_at at time zone 'Asia/Ho_Chi_Minh')::date))::text as first,
            max(coalesce(issued_date, (received_at at time zone 'Asia/Ho_Chi_Minh')::date))::text as last
       from document where record_id = any(string_to_array(?, ',')::uuid[]) group by record_id`,
    [ids.join(',')],
  );
  for (const r of rows) out.set(r.record_id, { documentCount: Number(r.n), pageTotal: Number(r.pages), firstDate: r.first, lastDate: r.last });
  return out;
}

export function factsOf(r: ArchiveRecord, stats: RecordStats): RecordFacts {
  const endYear = yearOf(r.metadata?.endDate) ?? yearOf(stats.lastDate) ?? r.year;
  return {
    agencyId: r.agency.id,
    unitId: r.unit?.id ?? null,
    creatorId: r.creator?.id ?? null,
    state: r.state,
    year: r.year,
    endYear: Math.max(endYear, r.year),
    retentionYears: r.retentionYears ?? null,
    legalHold: r.legalHold,
    metadataUnverified: r.metadataUnverified,
    documentCount: stats.documentCount,
  };
}

const recordViewer = (a: Actor): RecordViewer => viewerOf(a);

/** Input of the paper-archive import (contract with the importer: /tmp/briefs/contract-archive.md). */
export interface ImportArchivedInput {
  agencyId: string;
  /** fileNotation or fileCode of an OPEN hồ sơ of the agency (newest year first). */
  recordCode?: string | null;
  file: { storageKey: string; sha256: string; fileName: string; contentType: string; size: number; pageCount?: number | null };
  fields?: RecognisedFields;
  metadata?: DocumentArchiveMetadata;
  /** Per agency: a re-run with the same key returns the document created first (created: false). */
  idempotencyKey?: string | null;
  /** Runs inside the import's transaction, only when the document is created. */
  onCreated?: (tx: Tx, document: Document) => Promise<void>;
}

/** What OCR read on a scan (all optional). */
export interface RecognisedFields {
  typeName?: string | null;
  typeCode?: string | null;
  number?: number | null;
  symbol?: string | null;
  issuedDate?: string | null;
  issuerName?: string | null;
  subject?: string | null;
  signerName?: string | null;
  pageCount?: number | null;
}

const clip = (s: string | null | undefined, max: number): string | null => {
  if (s == null) return null;
  const t = s.normalize('NFC').trim();
  return t ? t.slice(0, max) : null;
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function applyFields(doc: Document, f: RecognisedFields): void {
  if (f.typeName !== undefined) doc.typeName = clip(f.typeName, 100) ?? 'Tài liệu lưu trữ';
  if (f.typeCode !== undefined) doc.typeCode = clip(f.typeCode, 10);
  if (f.number !== undefined) doc.number = f.number != null && Number.isInteger(f.number) && f.number > 0 && f.number < 2 ** 31 ? f.number : null;
  if (f.symbol !== undefined) doc.symbol = clip(f.symbol, 80);
  if (f.issuedDate !== undefined) doc.issuedDate = f.issuedDate && ISO_DATE.test(f.issuedDate) ? f.issuedDate : null;
  if (f.issuerName !== undefined) doc.issuerName = clip(f.issuerName, 500);
  if (f.subject !== undefined && clip(f.subject, 5000)) doc.subject = clip(f.subject, 5000)!;
  if (f.signerName !== undefined) doc.signerName = clip(f.signerName, 200);
  if (f.pageCount !== undefined) doc.pageCount = f.pageCount != null && Number.isInteger(f.pageCount) && f.pageCount > 0 ? f.pageCount : null;
}

/** Validates with a shared zod schema; the first issue → BAD_USER_INPUT at its field. */
function parse<T extends z.ZodTypeAny>(schema: T, value: unknown, prefix = ''): z.output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue.path.length ? `${prefix}${issue.path.map(String).join('.')}` : prefix.replace(/\.$/, '') || undefined;
  throw badInput(issue.message, field);
}

export type RecordMetadataPatch = Partial<RecordArchiveMetadata> & { title?: string | null };
export type DocumentMetadataPatch = Partial<DocumentArchiveMetadata> & RecognisedFields;

export class RecordsService {
  constructor(private readonly services: Pick<Services, 'orm' | 'storage' | 'clock' | 'ocr'>) {}

  private nowYear(): number {
    return Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(this.services.clock.now()));
  }

  private async run<T>(scope: Scope, fn: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return await scope.transaction(fn);
    } catch (e) {
      throw mapDbError(e);
    }
  }

  // ── reading ──────────────────────────────────────────────────────────────────────────────────

  /** A hồ sơ of the caller's agency (NOT_FOUND otherwise: never reveals another agency's). */
  async get(scope: Scope, id: string, em: EntityManager = scope.em): Promise<ArchiveRecord> {
    const actor = scope.requireActor();
    if (typeof id !== 'string' || !isUuid(id)) throw recordNotFound();
    const r = await em.findOne(ArchiveRecord, { id }, { populate: ['agency'] });
    if (!r || r.agency.id !== actor.agencyId || !checkView(actor)) throw recordNotFound();
    return r;
  }

  async list(scope: Scope, args: { filter?: { year?: number | null; state?: string | null; unitId?: string | null; text?: string | null } | null; first?: number | null; after?: string | null }) {
    const actor = scope.requireActor();
    if (!checkView(actor)) throw forbidden('Bạn không có quyền xem danh mục hồ sơ.');
    const first = args.first ?? RECORDS_DEFAULT_PAGE;
    if (!Number.isInteger(first) || first < 1 || first > RECORDS_MAX_PAGE) throw badInput(`Số dòng mỗi trang từ 1 đến ${RECORDS_MAX_PAGE}.`, 'first');
    const offset = decodeCursor(args.after);
    const f = args.filter ?? {};
    const where: Record<string, unknown> = { agency: actor.agencyId };
    if (f.year != null) {
      if (!Number.isInteger(f.year) || f.year < 1900 || f.year > 2100) throw badInput('Năm phải từ 1900 đến 2100.', 'year');
      where.year = f.year;
    }
    if (f.state) where.state = f.state;
    if (f.unitId) {
      if (!isUuid(f.unitId)) throw badInput('Đơn vị không hợp lệ.', 'unitId');
      where.unit = f.unitId;
    }
    const text = clip(f.text, 200);
    if (text) {
      const like = `%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
      where.$or = [{ fileNotation: { $ilike: like } }, { title: { $ilike: like } }];
    }
    const [rows, total] = await scope.em.findAndCount(ArchiveRecord, where, {
      orderBy: { year: 'desc', fileNotation: 'asc', id: 'asc' },
      limit: first + 1,
      offset,
      populate: ['agency'],
    });
    const page = rows.slice(0, first);
    return {
      edges: page.map((node, i) => ({ cursor: encodeCursor(offset + i + 1), node })),
      pageInfo: {
        hasNextPage: rows.length > first,
        hasPreviousPage: offset > 0,
        startCursor: page.length ? encodeCursor(offset + 1) : null,
        endCursor: page.length ? encodeCursor(offset + page.length) : null,
      },
      totalCount: total,
    };
  }

  /** OPEN hồ sơ the caller may file into (the "Lập hồ sơ" picker). */
  async openRecords(scope: Scope, year?: number | null): Promise<ArchiveRecord[]> {
    const actor = scope.requireActor();
    if (!checkView(actor)) return [];
    const rows = await scope.em.find(ArchiveRecord, { agency: actor.agencyId, state: 'OPEN', ...(year != null ? { year } : {}) }, { orderBy: { year: 'desc', fileNotation: 'asc' }, limit: 500, populate: ['agency'] });
    const stats = await recordStats(scope.em, rows.map((r) => r.id));
    const now = this.nowYear();
    return rows.filter((r) => checkRecordAction(recordViewer(actor), factsOf(r, stats.get(r.id) ?? EMPTY_STATS), 'FILE_DOCUMENT', now).ok);
  }

  async retentionItems(scope: Scope): Promise<RetentionItem[]> {
    const actor = scope.requireActor();
    const rows = await scope.em.find(RetentionItem, { $or: [{ agency: null }, { agency: actor.agencyId }] });
    // The agency's own item replaces the default with the same code; Vĩnh viễn first, then the longest.
    const own = new Set(rows.filter((r) => r.agency).map((r) => r.code));
    return rows
      .filter((r) => r.agency || !own.has(r.code))
      .sort((a, b) => (b.years ?? Number.MAX_SAFE_INTEGER) - (a.years ?? Number.MAX_SAFE_INTEGER) || a.code.localeCompare(b.code));
  }

  /** May the caller edit the agency's retention table (drives the page's form)? */
  canEditRetentionTable(scope: Scope): boolean {
    return scope.actor ? canEditRetentionTable(recordViewer(scope.actor)) : false;
  }

  /**
   * An item of the agency's own retention table: a new code, or an override of the deployment's default with the
   * same code (then the agency's item is the one offered). Hồ sơ already created keep the period they took.
   */
  async saveRetentionItem(scope: Scope, input: unknown): Promise<RetentionItem> {
    const actor = scope.requireActor();
    if (!canEditRetentionTable(recordViewer(actor))) throw forbidden('Chỉ cán bộ lưu trữ hoặc quản trị được sửa bảng thời hạn bảo quản.');
    const v = parse(retentionItemSchema(), input);
    return this.run(scope, async (tx) => {
      let item = await tx.em.findOne(RetentionItem, { agency: actor.agencyId, code: v.code });
      const before = item ? { name: item.name, years: item.years ?? null } : null;
      if (item) {
        item.name = v.name;
        item.years = v.years;
      } else {
        item = tx.em.create(RetentionItem, { agency: tx.em.getReference(Agency, actor.agencyId), code: v.code, name: v.name, years: v.years });
      }
      await tx.em.flush();
      tx.audit({ action: 'retention.save', targetType: 'retention_item', targetId: item.id, agencyId: actor.agencyId, data: { code: v.code, name: v.name, years: v.years, before } });
      return item;
    });
  }

  /** Removes an item of the agency's own table (a default with the same code applies again). */
  async deleteRetentionItem(scope: Scope, id: string): Promise<boolean> {
    const actor = scope.requireActor();
    if (!canEditRetentionTable(recordViewer(actor))) throw forbidden('Chỉ cán bộ lưu trữ hoặc quản trị được sửa bảng thời hạn bảo quản.');
    if (typeof id !== 'string' || !isUuid(id)) throw notFound('Mục thời hạn bảo quản');
    return this.run(scope, async (tx) => {
      const item = await tx.em.findOne(RetentionItem, { id, agency: actor.agencyId });
      if (!item) throw notFound('Mục thời hạn bảo quản');
      tx.audit({ action: 'retention.delete', targetType: 'retention_item', targetId: item.id, agencyId: actor.agencyId, data: { code: item.code, name: item.name, years: item.years ?? null } });
      tx.em.remove(item);
      await tx.em.flush();
      return true;
    });
  }

  async allowedActions(scope: Scope, r: ArchiveRecord, stats: RecordStats): Promise<RecordAction[]> {
    const actor = scope.requireActor();
    return allowedRecordActions(recordViewer(actor), factsOf(r, stats), this.nowYear());
  }

  /** The documents of a hồ sơ in order, those the caller may read. */
  async documentsOf(scope: Scope, r: ArchiveRecord): Promise<{ order: number; document: Document }[]> {
    const actor = scope.requireActor();
    const docs = await scope.em.find(Document, { record: r.id }, { orderBy: { recordOrder: 'asc' }, populate: ['agency'] });
    const visible = await visibleDocumentIds(scope.em, actor, docs);
    return docs.filter((d) => visible.has(d.id)).map((d) => ({ order: d.recordOrder ?? 0, document: d }));
  }

  /** The document page's hồ sơ actions (Document.recordActions) for a document the caller reads. */
  async documentRecordActions(scope: Scope, doc: Document): Promise<DocumentRecordAction[]> {
    const actor = scope.actor;
    if (!actor) return [];
    let facts: RecordFacts | null = null;
    if (doc.record) {
      const r = await scope.em.findOne(ArchiveRecord, { id: doc.record.id }, { populate: ['agency'] });
      if (r) facts = factsOf(r, (await recordStats(scope.em, [r.id])).get(r.id) ?? EMPTY_STATS);
    }
    return documentRecordActions(recordViewer(actor), { agencyId: doc.agency.id, recordId: doc.record?.id ?? null, archived: doc.archivedAt != null, direction: doc.direction }, facts, this.nowYear());
  }

  /** May the caller edit / confirm this document's archive metadata now? */
  canEditDocumentMetadata(scope: Scope, doc: Document): boolean {
    const actor = scope.actor;
    if (!actor) return false;
    return checkDocumentMetadata(actor, doc).ok;
  }

  // ── commands on one hồ sơ ───────────────────────────────────────────────────────────────────

  /** Inside tx: lock the hồ sơ row, re-read it fresh; NOT_FOUND for another agency's; then the rule for `action`. */
  private async lock(scope: Scope, tx: Tx, id: string, action: RecordAction | null, expectedVersion?: number | null): Promise<{ r: ArchiveRecord; stats: RecordStats }> {
    const actor = scope.requireActor();
    if (typeof id !== 'string' || !isUuid(id)) throw recordNotFound();
    await tx.em.execute('select 1 from "archive_record" where "id" = ? for update', [id]);
    const r = await tx.em.findOne(ArchiveRecord, { id }, { refresh: true, populate: ['agency'] });
    if (!r || r.agency.id !== actor.agencyId || !checkView(actor)) throw recordNotFound();
    if (expectedVersion != null && r.version !== expectedVersion) throw conflict('Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại và thử lại.', { reason: 'VERSION_MISMATCH' });
    const stats = (await recordStats(tx.em, [r.id])).get(r.id) ?? EMPTY_STATS;
    if (action) unwrapCheck(checkRecordAction(recordViewer(actor), factsOf(r, stats), action, this.nowYear()));
    return { r, stats };
  }

  private audit(tx: Tx, r: ArchiveRecord, action: string, data: Record<string, unknown> = {}): void {
    tx.audit({ action, targetType: 'record', targetId: r.id, agencyId: r.agency.id, data: { fileCode: r.fileCode, ...data } });
  }

  async create(scope: Scope, input: unknown): Promise<ArchiveRecord> {
    const actor = scope.requireActor();
    if (!checkView(actor)) throw forbidden('Bạn không có quyền lập hồ sơ.');
    const v = parse(createRecordSchema(), input);
    return this.run(scope, async (tx) => {
      const agency = await tx.em.findOneOrFail(Agency, { id: actor.agencyId });
      let retentionYears = v.retentionYears;
      let retentionCode: string | null = v.retentionCode ?? null;
      if (retentionCode) {
        const candidates = await tx.em.find(RetentionItem, { code: retentionCode, $or: [{ agency: agency.id }, { agency: null }] });
        const item = candidates.find((c) => c.agency) ?? candidates[0];
        if (!item) throw badInput('Mục thời hạn bảo quản không có trong bảng.', 'retentionCode');
        retentionYears = item.years ?? null;
        retentionCode = item.code;
      }
      let unit: Unit | null = null;
      const unitId = v.unitId === undefined ? actor.unitId : v.unitId;
      if (unitId) {
        unit = await tx.em.findOne(Unit, { id: unitId, agency: agency.id });
        if (!unit) throw badInput('Đơn vị không thuộc cơ quan.', 'unitId');
      }
      const exists = await tx.em.count(ArchiveRecord, { agency: agency.id, year: v.year, fileNotation: v.fileNotation });
      if (exists) throw badInput(`Số và ký hiệu hồ sơ ${v.fileNotation} đã có trong danh mục năm ${v.year}.`, 'fileNotation');
      const r = tx.em.create(ArchiveRecord, {
        agency,
        year: v.year,
        fileNotation: v.fileNotation,
        fileCode: fileCodeOf(agency.code, v.year, v.fileNotation),
        title: v.title,
        retentionYears,
        retentionCode,
        unit,
        creator: tx.em.getReference(User, actor.userId),
      });
      await tx.em.flush();
      this.audit(tx, r, 'record.create', { year: r.year, fileNotation: r.fileNotation, title: r.title, retentionYears: r.retentionYears ?? null });
      return r;
    });
  }

  /** Lập hồ sơ: the document goes at the end of the hồ sơ. */
  async fileDocument(scope: Scope, recordId: string, documentId: string): Promise<ArchiveRecord> {
    return this.run(scope, async (tx) => {
      const { r, stats } = await this.lock(scope, tx, recordId, 'FILE_DOCUMENT');
      const doc = await loadVisibleDocument(scope, documentId, tx.em);
      await tx.em.execute('select 1 from "document" where "id" = ? for update', [doc.id]);
      await tx.em.refresh(doc);
      unwrapCheck(checkFiling({ agencyId: r.agency.id }, { agencyId: doc.agency.id, recordId: doc.record?.id ?? null, archived: doc.archivedAt != null, direction: doc.direction }, r.id));
      const max = await tx.em.execute<{ m: number | null }[]>('select max(record_order) as m from document where record_id = ?', [r.id]);
      doc.record = r;
      doc.recordOrder = (max[0]?.m ?? 0) + 1;
      await tx.em.flush();
      this.audit(tx, r, 'record.file_document', { documentId: doc.id, order: doc.recordOrder, documents: stats.documentCount + 1 });
      tx.audit({ action: 'document.file_into_record', targetType: 'document', targetId: doc.id, agencyId: doc.agency.id, data: { recordId: r.id, fileCode: r.fileCode, order: doc.recordOrder } });
      await enqueueSearchIndex(tx, doc.id);
      return r;
    });
  }

  async unfileDocument(scope: Scope, recordId: string, documentId: string): Promise<ArchiveRecord> {
    return this.run(scope, async (tx) => {
      const { r } = await this.lock(scope, tx, recordId, 'UNFILE_DOCUMENT');
      const doc = await loadVisibleDocument(scope, documentId, tx.em);
      await tx.em.execute('select 1 from "document" where "id" = ? for update', [doc.id]);
      await tx.em.refresh(doc);
      if (doc.record?.id !== r.id) throw conflict('Văn bản không có trong hồ sơ này.');
      if (doc.archivedAt && doc.direction !== 'ARCHIVE') throw conflict('Văn bản đã nộp lưu, không thể thay đổi.');
      const order = doc.recordOrder ?? 0;
      doc.record = null;
      doc.recordOrder = null;
      await tx.em.flush();
      // The later ones move up (two steps: the unique (record, order) index is checked per row).
      await tx.em.execute('update document set record_order = -record_order where record_id = ? and record_order > ?', [r.id, order]);
      await tx.em.execute('update document set record_order = -record_order - 1 where record_id = ? and record_order < 0', [r.id]);
      this.audit(tx, r, 'record.unfile_document', { documentId: doc.id, order });
      tx.audit({ action: 'document.unfile_from_record', targetType: 'document', targetId: doc.id, agencyId: doc.agency.id, data: { recordId: r.id, fileCode: r.fileCode } });
      await enqueueSearchIndex(tx, doc.id);
      return r;
    });
  }

  async close(scope: Scope, id: string): Promise<ArchiveRecord> {
    return this.run(scope, async (tx) => {
      const { r, stats } = await this.lock(scope, tx, id, 'CLOSE');
      r.state = 'CLOSED';
      r.closedAt = this.services.clock.now();
      await tx.em.flush();
      this.audit(tx, r, 'record.close', { documents: stats.documentCount });
      return r;
    });
  }

  async reopen(scope: Scope, id: string): Promise<ArchiveRecord> {
    return this.run(scope, async (tx) => {
      const { r } = await this.lock(scope, tx, id, 'REOPEN');
      r.state = 'OPEN';
      r.closedAt = null;
      await tx.em.flush();
      this.audit(tx, r, 'record.reopen');
      return r;
    });
  }

  /** Nộp lưu: CLOSED hồ sơ go to the agency archive; their documents become immutable. All or nothing. */
  async transfer(scope: Scope, ids: readonly string[], note?: string | null): Promise<RecordTransfer> {
    const actor = scope.requireActor();
    const unique = [...new Set(ids)];
    if (!unique.length) throw badInput('Chọn ít nhất một hồ sơ.', 'ids');
    if (unique.length > MAX_RECORDS_PER_COMMAND) throw badInput(`Tối đa ${MAX_RECORDS_PER_COMMAND} hồ sơ mỗi lần.`, 'ids');
    const text = clip(note, 2000);
    return this.run(scope, async (tx) => {
      const now = this.services.clock.now();
      const locked = [];
      for (const id of [...unique].sort()) locked.push(await this.lock(scope, tx, id, 'TRANSFER'));
      // Only finished work goes to the archive: documents still in handling stop the whole transfer.
      const docs = await tx.em.find(Document, { record: { $in: locked.map((l) => l.r.id) } }, { orderBy: { record: 'asc', recordOrder: 'asc' } });
      const open = docs.filter((d) => !handlingFinished(d));
      if (open.length) {
        const codes = new Map(locked.map((l) => [l.r.id, l.r.fileNotation]));
        const list = open.slice(0, 5).map((d) => `${d.symbol ?? d.subject.slice(0, 60)} (hồ sơ ${codes.get(d.record!.id)})`);
        throw conflict(`Không thể nộp lưu: ${open.length} văn bản chưa xử lý xong — ${list.join('; ')}${open.length > 5 ? '; …' : ''}. Hãy hoàn thành hoặc đưa các văn bản này ra khỏi hồ sơ.`, {
          reason: 'DOCUMENTS_IN_HANDLING',
          documents: open.map((d) => ({ id: d.id, recordId: d.record!.id, symbol: d.symbol ?? null, subject: d.subject, direction: d.direction, state: d.state })),
        });
      }
      const transfer = tx.em.create(RecordTransfer, {
        agency: tx.em.getReference(Agency, actor.agencyId),
        unit: actor.unitId ? tx.em.getReference(Unit, actor.unitId) : null,
        transferredBy: tx.em.getReference(User, actor.userId),
        transferredAt: now,
        note: text,
      });
      for (const { r } of locked) {
        r.state = 'TRANSFERRED';
        r.transferredAt = now;
        r.transfer = transfer;
        r.metadataUnverified = true; // the archivist checks what was received
        const docs = await tx.em.find(Document, { record: r.id }, { orderBy: { recordOrder: 'asc' } });
        for (const d of docs) {
          if (!d.archivedAt) {
            d.archivedAt = now;
            d.metadataUnverified = true; // the archivist checks its Circular 02 metadata
            tx.audit({ action: 'document.archive', targetType: 'document', targetId: d.id, agencyId: r.agency.id, data: { recordId: r.id, fileCode: r.fileCode, transferId: transfer.id } });
          }
          await enqueueSearchIndex(tx, d.id);
        }
        this.audit(tx, r, 'record.transfer', { transferId: transfer.id, documents: docs.length });
      }
      await tx.em.flush();
      return transfer;
    });
  }

  async placeLegalHold(scope: Scope, id: string, reason: string): Promise<ArchiveRecord> {
    const why = parse(legalHoldReason(), reason, 'reason');
    return this.run(scope, async (tx) => {
      const { r } = await this.lock(scope, tx, id, 'PLACE_LEGAL_HOLD');
      r.legalHold = true;
      r.legalHoldReason = why;
      r.legalHoldAt = this.services.clock.now();
      await tx.em.flush();
      this.audit(tx, r, 'record.legal_hold', { reason: why });
      return r;
    });
  }

  async releaseLegalHold(scope: Scope, id: string, reason: string): Promise<ArchiveRecord> {
    const why = parse(legalHoldReason(), reason, 'reason');
    return this.run(scope, async (tx) => {
      const { r } = await this.lock(scope, tx, id, 'RELEASE_LEGAL_HOLD');
      r.legalHold = false;
      r.legalHoldReason = null;
      r.legalHoldAt = null;
      await tx.em.flush();
      this.audit(tx, r, 'record.legal_hold_release', { reason: why });
      return r;
    });
  }

  /** Retention only extends (null = Vĩnh viễn). */
  async extendRetention(scope: Scope, id: string, retentionYears: number | null, reason: string): Promise<ArchiveRecord> {
    const why = parse(legalHoldReason(), reason, 'reason');
    return this.run(scope, async (tx) => {
      const { r } = await this.lock(scope, tx, id, 'EXTEND_RETENTION');
      unwrapCheck(checkRetentionChange(r.retentionYears ?? null, retentionYears));
      const before = r.retentionYears ?? null;
      r.retentionYears = retentionYears;
      r.retentionCode = null;
      await tx.em.flush();
      this.audit(tx, r, 'record.extend_retention', { from: before, to: retentionYears, reason: why });
      return r;
    });
  }

  // ── metadata ────────────────────────────────────────────────────────────────────────────────

  async updateMetadata(
    scope: Scope,
    input: { recordId?: string | null; documentId?: string | null; record?: RecordMetadataPatch | null; document?: DocumentMetadataPatch | null; expectedVersion?: number | null },
  ): Promise<{ record: ArchiveRecord | null; document: Document | null }> {
    const actor = scope.requireActor();
    if (!!input.recordId === !!input.documentId) throw badInput('Chọn hồ sơ hoặc văn bản.', 'recordId');
    if (input.recordId) {
      const patch = input.record;
      if (!patch) throw badInput('Thiếu dữ liệu đặc tả hồ sơ.', 'record');
      return this.run(scope, async (tx) => {
        const { r } = await this.lock(scope, tx, input.recordId!, 'UPDATE_METADATA', input.expectedVersion);
        const current: RecordArchiveMetadata = r.metadata ?? {};
        const merged = parse(
          recordMetadataSchema(),
          {
            identifier: patch.identifier !== undefined ? (patch.identifier ?? '') : (current.identifier ?? ''),
            organId: patch.organId !== undefined ? (patch.organId ?? '') : (current.organId ?? ''),
            rights: patch.rights !== undefined ? patch.rights : (current.rights ?? null),
            language: patch.language !== undefined ? (patch.language ?? '') : (current.language ?? ''),
            startDate: patch.startDate !== undefined ? patch.startDate : (current.startDate ?? null),
            endDate: patch.endDate !== undefined ? patch.endDate : (current.endDate ?? null),
            inforSign: patch.inforSign !== undefined ? (patch.inforSign ?? '') : (current.inforSign ?? ''),
            keyword: patch.keyword !== undefined ? (patch.keyword ?? '') : (current.keyword ?? ''),
            format: patch.format !== undefined ? (patch.format ?? '') : (current.format ?? ''),
            description: patch.description !== undefined ? (patch.description ?? '') : (current.description ?? ''),
          },
          'record.',
        );
        if (patch.title !== undefined && patch.title !== null) {
          const t = patch.title.normalize('NFC').trim();
          if (!t || t.length > 1000) throw badInput('Nhập tiêu đề hồ sơ (tối đa 1000 ký tự).', 'record.title');
          r.title = t;
        }
        r.metadata = merged;
        await tx.em.flush();
        this.audit(tx, r, 'record.metadata_update', { metadata: merged, title: r.title });
        return { record: r, document: null };
      });
    }
    const patch = input.document;
    if (!patch) throw badInput('Thiếu dữ liệu đặc tả văn bản.', 'document');
    return this.run(scope, async (tx) => {
      const doc = await loadVisibleDocument(scope, input.documentId!, tx.em);
      await tx.em.execute('select 1 from "document" where "id" = ? for update', [doc.id]);
      await tx.em.refresh(doc);
      if (input.expectedVersion != null && doc.version !== input.expectedVersion) throw conflict('Văn bản vừa được người khác cập nhật. Vui lòng tải lại và thử lại.', { reason: 'VERSION_MISMATCH' });
      unwrapCheck(checkDocumentMetadata(actor, doc));
      const core: (keyof RecognisedFields)[] = ['symbol', 'issuedDate', 'issuerName', 'typeName', 'subject', 'signerName'];
      const touchesCore = core.some((k) => patch[k] !== undefined && patch[k] !== null);
      if (touchesCore && doc.direction !== 'ARCHIVE') throw badInput('Chỉ sửa được số ký hiệu, ngày, tác giả, trích yếu của tài liệu số hóa nhập từ kho lưu trữ.', 'document.symbol');
      const current: DocumentArchiveMetadata = doc.archiveMetadata ?? {};
      const m = parse(
        documentMetadataSchema(),
        {
          language: patch.language !== undefined ? (patch.language ?? '') : (current.language ?? ''),
          inforSign: patch.inforSign !== undefined ? (patch.inforSign ?? '') : (current.inforSign ?? ''),
          keyword: patch.keyword !== undefined ? (patch.keyword ?? '') : (current.keyword ?? ''),
          mode: patch.mode !== undefined ? patch.mode : (current.mode ?? null),
          confidenceLevel: patch.confidenceLevel !== undefined ? patch.confidenceLevel : (current.confidenceLevel ?? null),
          autograph: patch.autograph !== undefined ? (patch.autograph ?? '') : (current.autograph ?? ''),
          format: patch.format !== undefined ? (patch.format ?? '') : (current.format ?? ''),
          description: patch.description !== undefined ? (patch.description ?? '') : (current.description ?? ''),
          pageCount: patch.pageCount !== undefined ? patch.pageCount : (doc.pageCount ?? null),
        },
        'document.',
      );
      if (patch.issuedDate != null && !ISO_DATE.test(patch.issuedDate)) throw badInput('Ngày không hợp lệ, nhập theo dạng dd/mm/yyyy.', 'document.issuedDate');
      if (patch.subject !== undefined && patch.subject !== null && !clip(patch.subject, 5000)) throw badInput('Nhập trích yếu.', 'document.subject');
      const { pageCount, ...meta } = m;
      doc.archiveMetadata = meta;
      doc.pageCount = pageCount;
      if (touchesCore) applyFields(doc, pickDefined(patch, core));
      await tx.em.flush();
      tx.audit({ action: 'document.archive_metadata', targetType: 'document', targetId: doc.id, agencyId: doc.agency.id, data: { metadata: meta, pageCount, fields: touchesCore ? pickDefined(patch, core) : null } });
      await enqueueSearchIndex(tx, doc.id);
      return { record: null, document: doc };
    });
  }

  async confirmMetadata(scope: Scope, args: { recordId?: string | null; documentId?: string | null }): Promise<{ record: ArchiveRecord | null; document: Document | null }> {
    const actor = scope.requireActor();
    if (!!args.recordId === !!args.documentId) throw badInput('Chọn hồ sơ hoặc văn bản.', 'recordId');
    return this.run(scope, async (tx) => {
      if (args.recordId) {
        const { r } = await this.lock(scope, tx, args.recordId, 'CONFIRM_METADATA');
        r.metadataUnverified = false;
        await tx.em.flush();
        this.audit(tx, r, 'record.metadata_confirm');
        return { record: r, document: null };
      }
      const doc = await loadVisibleDocument(scope, args.documentId!, tx.em);
      await tx.em.execute('select 1 from "document" where "id" = ? for update', [doc.id]);
      await tx.em.refresh(doc);
      unwrapCheck(checkDocumentMetadata(actor, doc));
      if (!doc.metadataUnverified) throw conflict('Dữ liệu đặc tả đã được kiểm tra.');
      doc.metadataUnverified = false;
      await tx.em.flush();
      tx.audit({ action: 'document.archive_metadata_confirm', targetType: 'document', targetId: doc.id, agencyId: doc.agency.id });
      return { record: null, document: doc };
    });
  }

  // ── disposal ────────────────────────────────────────────────────────────────────────────────

  /**
   * Hủy: TRANSFERRED hồ sơ past retention, not permanent, not under legal hold — all of them or none. In one
   * transaction the decision is recorded (RecordDisposal with a snapshot of what goes), the documents and their
   * digitisation rows are deleted and the hồ sơ marked DISPOSED; only after the commit are the storage objects that
   * no row references any more deleted (content-addressed bytes shared with another row stay).
   */
  async dispose(scope: Scope, input: { recordIds: readonly string[]; decisionNumber: string; decisionDate: string; note?: string | null }): Promise<RecordDisposal> {
    const actor = scope.requireActor();
    const v = parse(disposalSchema(), { decisionNumber: input.decisionNumber, decisionDate: input.decisionDate, note: input.note ?? '' });
    const ids = [...new Set(input.recordIds)];
    if (!ids.length) throw badInput('Chọn ít nhất một hồ sơ.', 'recordIds');
    if (ids.length > MAX_RECORDS_PER_COMMAND) throw badInput(`Tối đa ${MAX_RECORDS_PER_COMMAND} hồ sơ mỗi lần.`, 'recordIds');
    const { disposal, keys } = await this.run(scope, async (tx) => {
      const locked = [];
      for (const id of [...ids].sort()) locked.push(await this.lock(scope, tx, id, 'DISPOSE'));
      const items: DisposedRecordSnapshot[] = [];
      const docIds: string[] = [];
      for (const { r } of locked) {
        const docs = await tx.em.find(Document, { record: r.id }, { orderBy: { recordOrder: 'asc' } });
        docIds.push(...docs.map((d) => d.id));
        items.push({
          recordId: r.id,
          fileCode: r.fileCode,
          fileNotation: r.fileNotation,
          title: r.title,
          year: r.year,
          retentionYears: r.retentionYears ?? null,
          documents: docs.map((d) => ({ id: d.id, order: d.recordOrder ?? null, symbol: d.symbol ?? null, subject: d.subject, issuedDate: d.issuedDate ?? null })),
        });
      }
      const disposal = tx.em.create(RecordDisposal, {
        agency: tx.em.getReference(Agency, actor.agencyId),
        decisionNumber: v.decisionNumber,
        decisionDate: v.decisionDate,
        note: v.note ?? null,
        items,
        documentCount: docIds.length,
        deletedObjects: 0,
        disposedBy: tx.em.getReference(User, actor.userId),
        createdAt: this.services.clock.now(),
      });
      await tx.em.flush();
      // The storage keys of the documents' files and of their digitisation.
      const keyRows = docIds.length
        ? await tx.em.execute<{ key: string }[]>(
            `with f as (select distinct storage_key, sha256 from document_file where document_id = any(string_to_array(?, ',')::uuid[]))
             select storage_key as key from f
             union select o.storage_key from ocr_result o join f on f.sha256 = o.sha256
             union select o.searchable_pdf_key from ocr_result o join f on f.sha256 = o.sha256 where o.searchable_pdf_key is not null
             union select o.thumbnail_key from ocr_result o join f on f.sha256 = o.sha256 where o.thumbnail_key is not null
             union select o.data_key from ocr_result o join f on f.sha256 = o.sha256 where o.data_key is not null
             union select p.data_key from ocr_page p join f on f.sha256 = p.sha256 where p.data_key is not null
             union select p.image_key from ocr_page p join f on f.sha256 = p.sha256 where p.image_key is not null`,
            [docIds.join(',')],
          )
        : [];
      const shas = docIds.length
        ? (await tx.em.execute<{ sha256: string }[]>(`select distinct sha256 from document_file where document_id = any(string_to_array(?, ',')::uuid[])`, [docIds.join(',')])).map((x) => x.sha256)
        : [];
      if (docIds.length) {
        await tx.em.execute(`delete from document where id = any(string_to_array(?, ',')::uuid[])`, [docIds.join(',')]);
        // The agency's scans of those bytes and the digitisation of bytes no file references any more go too.
        await tx.em.execute(
          `delete from scan s where s.agency_id = ? and s.sha256 = any(string_to_array(?, ','))
              and not exists (select 1 from document_file f where f.sha256 = s.sha256)`,
          [actor.agencyId, shas.join(',')],
        );
        for (const t of ['ocr_page', 'ocr_result']) {
          await tx.em.execute(
            `delete from ${t} o where o.sha256 = any(string_to_array(?, ','))
                and not exists (select 1 from document_file f where f.sha256 = o.sha256)
                and not exists (select 1 from scan s where s.sha256 = o.sha256)`,
            [shas.join(',')],
          );
        }
      }
      const now = this.services.clock.now();
      for (const { r } of locked) {
        r.state = 'DISPOSED';
        r.disposedAt = now;
        r.disposal = disposal;
        this.audit(tx, r, 'record.dispose', { disposalId: disposal.id, decisionNumber: v.decisionNumber, decisionDate: v.decisionDate });
      }
      tx.audit({
        action: 'records.dispose',
        targetType: 'record_disposal',
        targetId: disposal.id,
        agencyId: actor.agencyId,
        data: { decisionNumber: v.decisionNumber, decisionDate: v.decisionDate, records: items.map((i) => i.fileCode), documents: docIds.length },
      });
      await tx.em.flush();
      return { disposal, keys: keyRows.map((k) => k.key) };
    });
    // Only now the bytes: those no row references any more (the decision is committed; a failure here leaves
    // unreferenced objects that the storage garbage collector removes later).
    const deleted = await this.deleteUnreferencedObjects(keys);
    if (deleted) {
      await this.run(scope, async (tx) => {
        const d = await tx.em.findOneOrFail(RecordDisposal, { id: disposal.id });
        d.deletedObjects = deleted;
        await tx.em.flush();
        tx.audit({ action: 'records.dispose_objects', targetType: 'record_disposal', targetId: d.id, agencyId: actor.agencyId, data: { deletedObjects: deleted } });
        disposal.deletedObjects = deleted;
      });
    }
    return disposal;
  }

  private async deleteUnreferencedObjects(keys: readonly string[]): Promise<number> {
    let deleted = 0;
    for (const key of new Set(keys)) {
      try {
        const gone = await this.services.orm.em.fork().transactional(async (em) => {
          const rows = await em.execute<{ key: string }[]>(`delete from stored_object s where s.key = ? and ${unreferencedSql('s')} returning s.key`, [key]);
          const known = await em.execute<{ n: string }[]>(`select count(*) as n from stored_object where key = ?`, [key]);
          // Unknown to stored_object (older rows): delete when no table references it.
          if (!rows.length && Number(known[0].n) === 0) {
            const ref = await em.execute<{ r: boolean }[]>(`select (${unreferencedSql('x')}) as r from (select ?::text as key) x`, [key]);
            if (!ref[0].r) return false;
          } else if (!rows.length) return false;
          await this.services.storage.delete(key);
          return true;
        });
        if (gone) deleted++;
      } catch (err) {
        if (err instanceof AppError && err.code === 'CONFLICT') continue; // still archived through another row
        throw err;
      }
    }
    return deleted;
  }

  // ── import of a digitised paper archive ─────────────────────────────────────────────────────

  /** See ImportArchivedInput and /tmp/briefs/contract-archive.md. Works with a system Scope or an actor. */
  async importArchived(scope: Scope, input: ImportArchivedInput): Promise<{ document: Document; created: boolean }> {
    if (!isUuid(input.agencyId)) throw badInput('Cơ quan không hợp lệ.', 'agency');
    const key = clip(input.idempotencyKey, 100);
    if (key) {
      const prior = await scope.em.fork().findOne(Document, { agency: input.agencyId, idempotencyKey: key });
      if (prior) return { document: prior, created: false };
    }
    return this.run(scope, async (tx) => {
      const agency = await tx.em.findOne(Agency, { id: input.agencyId });
      if (!agency) throw notFound('Cơ quan');
      let record: ArchiveRecord | null = null;
      const code = clip(input.recordCode, 160);
      if (code) {
        const found = await tx.em.find(ArchiveRecord, { agency: agency.id, $or: [{ fileNotation: code }, { fileCode: code }] }, { orderBy: { year: 'desc' }, limit: 1 });
        record = found[0] ?? null;
        if (!record) throw new AppError('NOT_FOUND', `Không có hồ sơ ${code} trong danh mục hồ sơ của cơ quan.`, { field: 'record' });
        await tx.em.execute('select 1 from "archive_record" where "id" = ? for update', [record.id]);
        await tx.em.refresh(record);
        if (record.state !== 'OPEN') throw conflict(`Hồ sơ ${code} không còn mở (đã kết thúc hoặc nộp lưu), không thể lập thêm văn bản.`, { field: 'record' });
      }
      const now = this.services.clock.now();
      const f = input.fields ?? {};
      const doc = tx.em.create(Document, {
        agency,
        direction: 'ARCHIVE',
        state: 'ARCHIVED',
        typeName: 'Tài liệu lưu trữ',
        subject: clip(input.file.fileName, 5000) ?? 'Tài liệu lưu trữ',
        archivedAt: now,
        metadataUnverified: true,
        archiveMetadata: input.metadata ?? { confidenceLevel: 'BAN_SO_HOA', language: 'Tiếng Việt' },
        idempotencyKey: key,
        electronic: false,
        createdBy: tx.actor ? tx.em.getReference(User, tx.actor.userId) : null,
      });
      applyFields(doc, f);
      if (doc.pageCount == null && input.file.pageCount) doc.pageCount = input.file.pageCount;
      if (doc.issuedDate) doc.registerYear = Number(doc.issuedDate.slice(0, 4));
      if (record) {
        const max = await tx.em.execute<{ m: number | null }[]>('select max(record_order) as m from document where record_id = ?', [record.id]);
        doc.record = record;
        doc.recordOrder = (max[0]?.m ?? 0) + 1;
      }
      tx.em.create(DocumentFile, {
        document: doc,
        kind: 'MAIN',
        storageKey: input.file.storageKey,
        sha256: input.file.sha256,
        fileName: input.file.fileName,
        contentType: input.file.contentType,
        size: input.file.size,
        pageCount: input.file.pageCount ?? null,
        uploadedBy: tx.actor ? tx.em.getReference(User, tx.actor.userId) : null,
        version: 1,
        createdAt: now,
      });
      await tx.em.flush();
      tx.audit({
        action: 'document.import_archive',
        targetType: 'document',
        targetId: doc.id,
        agencyId: agency.id,
        data: { fileName: input.file.fileName, sha256: input.file.sha256, recordId: record?.id ?? null, order: doc.recordOrder ?? null },
      });
      if (record) this.audit(tx, record, 'record.file_document', { documentId: doc.id, order: doc.recordOrder });
      await enqueueSearchIndex(tx, doc.id);
      // Digitisation of the scan, queued in the same transaction (one OCR result per sha256; idempotent).
      await this.services.ocr.requestDigitisation(tx, [{ sha256: input.file.sha256, storageKey: input.file.storageKey, contentType: input.file.contentType }]);
      if (input.onCreated) await input.onCreated(tx, doc);
      return { document: doc, created: true };
    });
  }

  /** OCR finished on an imported document: its fields, while still unverified (CONFLICT once confirmed). */
  async applyRecognisedFields(scope: Scope, documentId: string, fields: RecognisedFields): Promise<Document> {
    return this.run(scope, async (tx) => {
      if (!isUuid(documentId)) throw notFound('Văn bản');
      await tx.em.execute('select 1 from "document" where "id" = ? for update', [documentId]);
      const doc = await tx.em.findOne(Document, { id: documentId }, { refresh: true });
      if (!doc || doc.direction !== 'ARCHIVE') throw notFound('Văn bản');
      if (tx.actor && tx.actor.agencyId !== doc.agency.id) throw notFound('Văn bản');
      if (!doc.metadataUnverified) throw conflict('Dữ liệu đặc tả đã được kiểm tra, không thể thay đổi.');
      applyFields(doc, fields);
      await tx.em.flush();
      tx.audit({ action: 'document.archive_fields', targetType: 'document', targetId: doc.id, agencyId: doc.agency.id, data: { fields: { ...fields } } });
      await enqueueSearchIndex(tx, doc.id);
      return doc;
    });
  }

  /** Retention info for a record view. */
  retentionUntil(r: ArchiveRecord, stats: RecordStats): number | null {
    return retentionUntilYear(factsOf(r, stats));
  }
}

function pickDefined(p: DocumentMetadataPatch, keys: (keyof RecognisedFields)[]): RecognisedFields {
  const out: RecognisedFields = {};
  for (const k of keys) if (p[k] !== undefined && p[k] !== null) (out as Record<string, unknown>)[k] = p[k];
  return out;
}

/** Staff of the agency (not the pure administrators). */
function checkView(a: Actor): boolean {
  return a.roles.some((r) => r !== 'QUAN_TRI');
}

/** Document archive metadata: the archivist, on a filed or archived document, while unverified once archived. */
export function checkDocumentMetadata(a: Actor, doc: Document): Check {
  if (!a.roles.includes('LUU_TRU')) return { ok: false, code: 'FORBIDDEN', reason: 'Chỉ cán bộ lưu trữ được sửa dữ liệu đặc tả.' };
  if (a.agencyId !== doc.agency.id) return { ok: false, code: 'FORBIDDEN', reason: 'Văn bản không thuộc cơ quan của bạn.' };
  if (!doc.archivedAt && !doc.record) return { ok: false, code: 'CONFLICT', reason: 'Văn bản chưa được lập hồ sơ hoặc nộp lưu.' };
  if (doc.archivedAt && !doc.metadataUnverified) return { ok: false, code: 'CONFLICT', reason: 'Văn bản đã nộp lưu và dữ liệu đặc tả đã được kiểm tra, không thể thay đổi.' };
  return { ok: true };
}

function encodeCursor(n: number): string {
  return Buffer.from(`o:${n}`).toString('base64url');
}

function decodeCursor(c: string | null | undefined): number {
  if (!c) return 0;
  const m = /^o:(\d{1,7})$/.exec(Buffer.from(c, 'base64url').toString());
  if (!m) throw badInput('Con trỏ phân trang không hợp lệ.', 'after');
  return Number(m[1]);
}
