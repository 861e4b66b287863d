/**
 * Digitisation requests and answers (API side): records what must be OCR'd (one OcrResult per sha256) and
 * queues it in the caller's transaction; the work itself runs in the worker process (ocr.jobs.ts).
 */
import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Services } from '../../services';
import { badInput, notFound } from '../../shared/errors';
import { isUuid } from '../../shared/ids';
import type { Scope, Tx } from '../../shared/scope';
import { Agency } from '../identity/entities/agency.entity';
import { User } from '../identity/entities/user.entity';
import { DocumentFile } from '../documents/entities/document-file.entity';
import { loadVisibleDocument, viewerOf, visibleDocumentIds } from '../documents/documents.policy';
import { canViewScan } from '../documents/domain/access';
import { storeUploads } from '../documents/files';
import type { Secrecy } from '../documents/domain/markings';
import { secretScanProblem } from '../documents/domain/secrecy';
import { OcrResult, Scan } from './ocr.entities';

/** Content types worth digitising (scans and PDFs); office documents are not OCR'd. */
export const OCR_TYPES = new Set(['application/pdf', 'image/jpeg', 'image/png', 'image/tiff', 'image/webp']);

export const OCR_PREPARE_JOB = 'ocr.prepare';

/**
 * Digitisation requests and results. The work itself runs in the worker process (ocr.jobs.ts); this service
 * records what must be digitised (one OcrResult per sha256: the same scan is never OCR'd twice) and answers
 * the API's questions about it, with the caller's rights checked on the scan or the document.
 */
export class OcrService {
  constructor(private readonly services: Services) {}

  /**
   * Within a transaction that attaches files: make sure each scan/PDF has an OcrResult and queue its
   * digitisation in the same transaction (one OcrResult per sha256; a RUNNING one already has its jobs).
   */
  async requestDigitisation(tx: Tx, files: ReadonlyArray<{ sha256: string; storageKey: string; contentType: string }>): Promise<void> {
    const wanted = files.filter((f) => OCR_TYPES.has(f.contentType));
    const queued = new Set<string>();
    for (const f of wanted) {
      if (queued.has(f.sha256)) continue;
      queued.add(f.sha256);
      const rows = await tx.em.execute<{ status: string }[]>(
        `insert into ocr_result (sha256, storage_key, status) values (?, ?, 'PENDING')
         on conflict (sha256) do update set storage_key = excluded.storage_key returning status`,
        [f.sha256, f.storageKey],
      );
      // PENDING: queue (again) in this transaction — prepare is idempotent, and a queued job is never lost.
      if (rows[0]?.status !== 'PENDING') continue;
      await tx.enqueue({ name: OCR_PREPARE_JOB }, { sha256: f.sha256 }, { singletonKey: f.sha256 });
    }
  }

  /**
   * Upload a scan before registration: stored, recorded for the caller's agency, digitised in the background.
   * A scan declared secret (Mật …) is refused before anything is stored (domain/secrecy.ts: metadata only).
   */
  async uploadScan(scope: Scope, file: File, source: 'UPLOAD' | 'IMPORT' = 'UPLOAD', importPath?: string, secrecy?: Secrecy | null): Promise<Scan> {
    const actor = scope.requireActor();
    const secret = secretScanProblem(secrecy);
    if (secret) throw badInput(secret.reason, secret.field);
    if (!file) throw badInput('Chưa chọn tệp.', 'file');
    const up = await storeUploads(this.services, [file], { maxBytes: this.services.config.maxUploadBytes, field: 'file', maxFiles: 1 });
    const [stored] = up.stored;
    if (!OCR_TYPES.has(stored.contentType)) {
      throw badInput('Chỉ số hóa được tệp PDF, JPEG, PNG hoặc TIFF.', 'file');
    }
    return await scope.transaction(async (tx) => {
      const scan = tx.em.create(Scan, {
        agency: tx.em.getReference(Agency, actor.agencyId),
        uploadedBy: tx.em.getReference(User, actor.userId),
        source,
        storageKey: stored.key,
        sha256: stored.sha256,
        fileName: stored.fileName,
        contentType: stored.contentType,
        size: stored.size,
        importPath: importPath ?? null,
      });
      await tx.em.flush();
      await this.requestDigitisation(tx, [{ sha256: stored.sha256, storageKey: stored.key, contentType: stored.contentType }]);
      tx.audit({ action: 'scan.upload', targetType: 'scan', targetId: scan.id, data: { fileName: scan.fileName, sha256: scan.sha256, size: scan.size, source } });
      return scan;
    });
  }

  /**
   * Bulk import (archive): store one file of a folder for `agencyId` and queue its digitisation. Resumable:
   * a file already imported from the same relative path with the same bytes is not stored again.
   */
  async importFile(scope: Scope, agencyId: string, bytes: Buffer, fileName: string, importPath: string): Promise<{ scan: Scan; skipped: boolean }> {
    const existing = await scope.em.findOne(Scan, { agency: agencyId, importPath, source: 'IMPORT' });
    if (existing && existing.sha256 === crypto.createHash('sha256').update(bytes).digest('hex')) {
      // Imported before (same bytes): nothing to store; only make sure its digitisation goes on.
      await scope.transaction((tx) => this.requestDigitisation(tx, [existing]));
      return { scan: existing, skipped: true };
    }
    const up = await storeUploads(this.services, [new File([new Uint8Array(bytes)], fileName)], { maxBytes: this.services.config.maxUploadBytes, field: 'file', maxFiles: 1 });
    const [stored] = up.stored;
    if (!OCR_TYPES.has(stored.contentType)) {
      throw badInput(`${fileName}: chỉ số hóa được tệp PDF, JPEG, PNG hoặc TIFF.`, 'file');
    }
    return await scope.transaction(async (tx) => {
      const scan = tx.em.create(Scan, {
        agency: tx.em.getReference(Agency, agencyId),
        uploadedBy: null,
        source: 'IMPORT',
        storageKey: stored.key,
        sha256: stored.sha256,
        fileName: stored.fileName,
        contentType: stored.contentType,
        size: stored.size,
        importPath,
      });
      await tx.em.flush();
      await this.requestDigitisation(tx, [{ sha256: stored.sha256, storageKey: stored.key, contentType: stored.contentType }]);
      tx.audit({ action: 'scan.import', targetType: 'scan', targetId: scan.id, agencyId, data: { importPath, sha256: scan.sha256, size: scan.size } });
      return { scan, skipped: false };
    });
  }

  /** A scan the caller may see (domain/access.ts canViewScan): NOT_FOUND otherwise. */
  async scan(scope: Scope, id: string, em: EntityManager = scope.em): Promise<Scan> {
    const actor = scope.requireActor();
    if (!isUuid(id)) throw notFound('Bản quét');
    const scan = await em.findOne(Scan, { id, agency: actor.agencyId });
    if (!scan || !(await this.maySee(scope, scan, em))) throw notFound('Bản quét');
    return scan;
  }

  /** canViewScan over the stored facts: the documents of the scan's agency holding its bytes. */
  private async maySee(scope: Scope, scan: Scan, em: EntityManager): Promise<boolean> {
    const actor = scope.requireActor();
    const files = await em.find(DocumentFile, { sha256: scan.sha256, document: { agency: scan.agency.id } }, { populate: ['document'] });
    const docs = [...new Map(files.map((f) => [f.document.id, f.document])).values()];
    const visible = await visibleDocumentIds(em, actor, docs);
    return canViewScan(viewerOf(actor), {
      agencyId: scan.agency.id,
      uploaderId: scan.uploadedBy?.id ?? null,
      attachedVisible: docs.map((d) => visible.has(d.id)),
    });
  }

  /** The sha256 behind a Scan id or a DocumentFile id the caller may see (NOT_FOUND otherwise). */
  async shaOf(scope: Scope, fileId: string): Promise<string> {
    const actor = scope.requireActor();
    if (!isUuid(fileId)) throw notFound('Tệp');
    const scan = await scope.em.findOne(Scan, { id: fileId, agency: actor.agencyId });
    if (scan) {
      if (!(await this.maySee(scope, scan, scope.em))) throw notFound('Tệp');
      return scan.sha256;
    }
    const file = await scope.em.findOne(DocumentFile, { id: fileId });
    if (!file) throw notFound('Tệp');
    await loadVisibleDocument(scope, file.document.id);
    return file.sha256;
  }

  /** Digitise again after a failure (a new engine version, a transient fault). */
  async retry(scope: Scope, fileId: string): Promise<OcrResult> {
    const sha256 = await this.shaOf(scope, fileId);
    return scope.transaction(async (tx) => {
      const r = await tx.em.findOne(OcrResult, { sha256 });
      if (!r) throw notFound('Kết quả số hóa');
      if (r.status === 'FAILED') {
        r.status = 'PENDING';
        r.error = null;
        r.errorCode = null;
        r.pagesDone = 0;
        await tx.em.execute(`delete from ocr_page where sha256 = ?`, [sha256]);
        await tx.enqueue({ name: OCR_PREPARE_JOB }, { sha256 }, { singletonKey: sha256 });
      }
      tx.audit({ action: 'ocr.retry', targetType: 'scan', targetId: isUuid(fileId) ? fileId : null, data: { sha256 } });
      return r;
    });
  }

  async presign(key: string | null | undefined, fileName: string, contentType: string): Promise<string | null> {
    if (!key) return null;
    return this.services.storage.presignedGetUrl(key, { fileName, contentType, disposition: 'inline', expiresSeconds: 600 });
  }
}
