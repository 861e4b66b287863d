/**
 * Digitised paper archive (issue 10): `npm run cli -- import DIR --agency CODE [--record CODE]` turns each file into
 * an archived document of the agency (direction ARCHIVE, flagged "chưa kiểm tra"), created by the records module
 * (services.records.importArchived) in one transaction with its OCR, search.index and (OCR already done) fields jobs. When the OCR of
 * its bytes finishes, `archive.ocr-fields` fills the document's metadata with the fields OCR read (số ký hiệu, ngày,
 * cơ quan ban hành, loại, trích yếu, người ký) — still "chưa kiểm tra" until an archivist confirms them — and the
 * index is rewritten. Same bytes → same document (idempotency key per sha256).
 */
import path from 'node:path';
import { defineJob, QUEUES } from '../../jobs/job';
import type { Services } from '../../services';
import type { Scope, Tx } from '../../shared/scope';
import { storeUploads } from '../documents/files';

export const ARCHIVE_OCR_FIELDS_JOB = 'archive.ocr-fields';

/** What the records module accepts as recognised fields (contract-archive.md). */
export interface ArchiveFields {
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

type OcrField = { value?: unknown; confidence?: number } | null | undefined;

const text = (f: OcrField, max: number): string | null => {
  const v = f && typeof f.value === 'string' ? f.value.normalize('NFC').replace(/\s+/g, ' ').trim() : '';
  return v ? v.slice(0, max) : null;
};

/** Words after which a place name follows (tỉnh Bắc Ninh, thành phố Hà Nội, thị xã …, thị trấn …). */
const PLACE_WORDS = new Set(['tỉnh', 'huyện', 'xã', 'phường', 'quận', 'phố', 'trấn']);
/** Bodies whose next word starts a proper name (Sở Nội vụ, Bộ Tài chính). */
const NAMED_BODIES = new Set(['sở', 'bộ', 'cục', 'vụ', 'viện']);
/** Kept in capitals. */
const ABBREVIATIONS = new Set(['ubnd', 'hđnd', 'ub', 'tw']);

/**
 * "ỦY BAN NHÂN DÂN TỈNH BẮC NINH" → "Ủy ban nhân dân tỉnh Bắc Ninh": a heading printed in capitals written as a
 * name (first word capitalised, place names and the name of a Sở / Bộ capitalised). Text not all in capitals is kept.
 */
export function organName(heading: string): string {
  if (heading !== heading.toLocaleUpperCase('vi')) return heading;
  const cap = (w: string) => w.charAt(0).toLocaleUpperCase('vi') + w.slice(1);
  const words = heading.toLocaleLowerCase('vi').split(/\s+/);
  let place = false;
  return words
    .map((w, i) => {
      if (ABBREVIATIONS.has(w)) return w.toLocaleUpperCase('vi');
      if (i === 0) return cap(w);
      if (place) return cap(w);
      if (PLACE_WORDS.has(w)) {
        place = true;
        return w;
      }
      return i === 1 && NAMED_BODIES.has(words[0]) ? cap(w) : w;
    })
    .join(' ');
}

/**
 * OCR's fields (workers/src/ocr/fields.ts ExtractedFields: each { value, confidence }) → the document's metadata.
 * Pure. Only what was read is set; the rest stays as imported (e.g. the trích yếu defaults to the file name).
 */
export function archiveFieldsOf(ocr: Record<string, unknown> | null | undefined, pageCount?: number | null): ArchiveFields {
  const f = (ocr ?? {}) as Record<string, OcrField>;
  const out: ArchiveFields = {};
  const symbol = text(f.symbol, 60);
  if (symbol) out.symbol = symbol;
  const number = text(f.number, 10);
  if (number && /^\d{1,9}$/.test(number)) out.number = Number(number);
  const date = text(f.issuedDate, 10);
  if (date && /^\d{4}-\d{2}-\d{2}$/.test(date)) out.issuedDate = date;
  const organ = text(f.organ, 250);
  if (organ) out.issuerName = organName(organ);
  const typeName = text(f.typeName, 100);
  if (typeName) out.typeName = typeName;
  const typeCode = text(f.typeCode, 10);
  if (typeCode) out.typeCode = typeCode;
  const excerpt = text(f.excerpt, 1000);
  if (excerpt) out.subject = excerpt;
  const signer = text(f.signer, 120);
  if (signer) out.signerName = signer;
  if (pageCount && pageCount > 0) out.pageCount = pageCount;
  return out;
}

/** The trích yếu of an imported file before OCR has read one: its name without the extension. */
export const subjectOfFileName = (fileName: string): string =>
  path
    .basename(fileName, path.extname(fileName))
    .replace(/[_-]+/g, ' ')
    .trim()
    .slice(0, 1000) || fileName;

/**
 * Fills an imported document's metadata from the OCR of its bản chính, while it is still "chưa kiểm tra" and only
 * once (a document whose fields were applied before, or confirmed by an archivist, is left alone).
 */
export const archiveOcrFieldsJob = defineJob<{ documentId: string }>({
  name: ARCHIVE_OCR_FIELDS_JOB,
  queue: QUEUES.fast,
  handler: async ({ documentId }, ctx) => applyOcrFields(ctx.services, ctx.newScope(), documentId),
});

export async function applyOcrFields(services: Services, scope: Scope, documentId: string): Promise<'applied' | 'skipped'> {
  const [row] = await scope.em.execute<{ fields: Record<string, unknown> | null; pages_total: number | null; unverified: boolean; applied: boolean }[]>(
    `select o.fields, o.pages_total, d.metadata_unverified as unverified,
            exists (select 1 from audit_event a where a.target_id = d.id and a.action = 'document.archive_fields') as applied
     from document d
     join document_file f on f.document_id = d.id
     join ocr_result o on o.sha256 = f.sha256 and o.status = 'DONE'
     where d.id = ? and d.direction = 'ARCHIVE'
     order by (f.kind = 'MAIN') desc, f.created_at limit 1`,
    [documentId],
  );
  if (!row || !row.unverified || row.applied) return 'skipped';
  const fields = archiveFieldsOf(row.fields, row.pages_total);
  if (!Object.keys(fields).length) return 'skipped';
  await services.records.applyRecognisedFields(scope, documentId, fields);
  return 'applied';
}

/** Queue the fields job for the imported documents holding these bytes (their OCR just finished), in `tx`. */
export async function enqueueArchiveFieldsForFile(tx: Tx, sha256: string): Promise<void> {
  const rows = await tx.em.execute<{ id: string }[]>(
    `select distinct d.id from document d join document_file f on f.document_id = d.id
     where f.sha256 = ? and d.direction = 'ARCHIVE' and d.metadata_unverified`,
    [sha256],
  );
  for (const r of rows) await tx.enqueue(archiveOcrFieldsJob, { documentId: r.id });
}

export interface ImportedFile {
  documentId: string;
  sha256: string;
  created: boolean;
}

/**
 * One file of the folder → an archived document of the agency (filed into the hồ sơ `recordCode` if given). The
 * bytes are stored first (content-addressed; claimed for the garbage collector); then ONE transaction (the records
 * module's) creates the document, files it, and queues its search.index job, the OCR of its bytes and — if that OCR
 * was already done (the same scan uploaded before) — the fields job: a failure anywhere loses all of it, never a
 * job alone. Same bytes → same document: a second run finds it and changes nothing.
 */
export async function importArchiveFile(
  services: Services,
  scope: Scope,
  input: { agencyId: string; recordCode?: string | null; bytes: Buffer; fileName: string },
): Promise<ImportedFile> {
  const up = await storeUploads(services, [new File([new Uint8Array(input.bytes)], input.fileName)], { maxBytes: services.config.maxUploadBytes, field: 'file', maxFiles: 1 });
  const [stored] = up.stored;
  const { document, created } = await services.records.importArchived(scope, {
    agencyId: input.agencyId,
    recordCode: input.recordCode ?? null,
    file: { storageKey: stored.key, sha256: stored.sha256, fileName: stored.fileName, contentType: stored.contentType, size: stored.size, pageCount: stored.pageCount ?? null },
    fields: { subject: subjectOfFileName(input.fileName) },
    idempotencyKey: `import:${stored.sha256}`,
    // In the transaction that creates the document (importArchived has queued the OCR of its bytes in it).
    onCreated: async (tx, doc) => {
      const [ocr] = await tx.em.execute<{ status: string }[]>(`select status from ocr_result where sha256 = ?`, [stored.sha256]);
      if (ocr?.status === 'DONE') await tx.enqueue(archiveOcrFieldsJob, { documentId: doc.id });
      tx.audit({ action: 'document.import_ocr', targetType: 'document', targetId: doc.id, agencyId: input.agencyId, data: { sha256: stored.sha256, ocr: ocr?.status ?? null } });
    },
  });
  return { documentId: document.id, sha256: stored.sha256, created };
}
