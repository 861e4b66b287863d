/**
 * Uploaded files of documents (bản chính, phụ lục, dự thảo, bản quét): checked by CONTENT, claimed and stored in
 * object storage BEFORE the database transaction, attached to the document INSIDE it. Objects are
 * content-addressed and shared, so a request NEVER deletes one, even when its transaction fails: another request
 * may be about to commit a row for the same bytes (issue "Trust", finding 1). Unreferenced objects are removed
 * later by the storage garbage collector (modules/storage-gc), once their claim is older than the grace period.
 *
 *   const up = await storeUploads(services, input.files, { maxBytes: services.config.maxUploadBytes });
 *   return scope.transaction(async (tx) => { …; attachFiles(tx, doc, up.stored, 'MAIN', actor.userId); … });
 */
import type { Services } from '../../services';
import { AppError, badInput } from '../../shared/errors';
import { checkFile, pdfPageCount } from '../../shared/file-type';
import { putClaimed } from '../storage-gc/stored-objects';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Tx } from '../../shared/scope';
import { User } from '../identity/entities/user.entity';
import type { Document } from './entities/document.entity';
import { DocumentFile, type DocumentFileKind } from './entities/document-file.entity';

/** An uploaded file already in object storage, not yet attached to a document. */
export interface StoredUpload {
  key: string;
  sha256: string;
  size: number;
  /** True if identical bytes were already stored (objects are shared: a request never deletes one). */
  existed: boolean;
  /** Cleaned (NFC) file name as sent by the client. */
  fileName: string;
  /** Detected from the bytes. */
  contentType: string;
  pageCount: number | null;
}

export interface StoredUploads {
  stored: StoredUpload[];
}

export const MAX_FILES_PER_REQUEST = 20;
export const MAX_FILE_NAME_LENGTH = 255;

/** NFC, no path, no control characters, at most 255 characters (keeping the extension). */
export function cleanFileName(name: string): string {
  const base = (name ?? '').normalize('NFC').split(/[/\\]/).pop() ?? '';
  let n = Array.from(base)
    .filter((c) => c.charCodeAt(0) >= 0x20 && c !== '\x7f')
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
  if (n.length > MAX_FILE_NAME_LENGTH) {
    const dot = n.lastIndexOf('.');
    const ext = dot > 0 && n.length - dot <= 10 ? n.slice(dot) : '';
    n = n.slice(0, MAX_FILE_NAME_LENGTH - ext.length) + ext;
  }
  return n;
}

/**
 * Checks every file (size limit, type by content, name) and only then stores them. Throws BAD_USER_INPUT
 * with `field` (default 'files') for the first bad file; nothing is stored in that case. If storing fails
 * half-way, what was stored stays claimed and the garbage collector removes it after the grace period.
 */
export async function storeUploads(
  services: Pick<Services, 'storage' | 'orm'>,
  files: readonly File[] | null | undefined,
  opts: { maxBytes: number; field?: string; maxFiles?: number },
): Promise<StoredUploads> {
  const field = opts.field ?? 'files';
  const list = (files ?? []).filter(Boolean);
  const maxFiles = opts.maxFiles ?? MAX_FILES_PER_REQUEST;
  if (list.length > maxFiles) throw badInput(`Chỉ được gửi tối đa ${maxFiles} tệp mỗi lần.`, field);
  const mb = Math.floor(opts.maxBytes / (1024 * 1024));

  const checked: { name: string; bytes: Buffer; contentType: string; pageCount: number | null }[] = [];
  for (const f of list) {
    const name = cleanFileName(f.name);
    if (!name) throw badInput('Tệp tải lên phải có tên.', field);
    if (f.size > opts.maxBytes) throw badInput(`Tệp "${name}" vượt quá dung lượng cho phép (${mb} MB).`, field);
    if (f.size === 0) throw badInput(`Tệp "${name}" rỗng.`, field);
    const bytes = Buffer.from(await f.arrayBuffer());
    if (bytes.length > opts.maxBytes) throw badInput(`Tệp "${name}" vượt quá dung lượng cho phép (${mb} MB).`, field);
    const c = checkFile(name, bytes);
    if (!c.ok) throw badInput(c.reason, field);
    const pageCount = c.type.mime === 'application/pdf' ? pdfPageCount(bytes) : c.type.mime.startsWith('image/') && c.type.ext !== 'tif' ? 1 : null;
    checked.push({ name, bytes, contentType: c.type.mime, pageCount });
  }

  const stored: StoredUpload[] = [];
  try {
    for (const c of checked) {
      // Claim first, then store: the garbage collector keeps a claimed object for the grace period.
      const r = await putClaimed(services, c.bytes, { contentType: c.contentType, maxBytes: opts.maxBytes });
      stored.push({ key: r.key, sha256: r.sha256, size: r.size, existed: r.existed, fileName: c.name, contentType: c.contentType, pageCount: c.pageCount });
    }
  } catch (e) {
    if (e instanceof AppError && e.code === 'BAD_USER_INPUT') throw badInput(e.message, field);
    throw e;
  }
  return { stored };
}

/**
 * Creates the DocumentFile rows of `stored` on `doc` inside the transaction (persisted at flush).
 * `version` is for drafts (1, 2 …); other kinds use 1.
 */
export function attachFiles(
  tx: Tx,
  doc: Document,
  stored: readonly StoredUpload[],
  kind: DocumentFileKind,
  uploadedBy: string | null,
  version = 1,
): DocumentFile[] {
  const now = new Date();
  return stored.map((s) =>
    tx.em.create(DocumentFile, {
      document: doc,
      kind,
      version,
      storageKey: s.key,
      sha256: s.sha256,
      fileName: s.fileName,
      contentType: s.contentType,
      size: s.size,
      pageCount: s.pageCount,
      uploadedBy: uploadedBy ? tx.em.getReference(User, uploadedBy) : null,
      createdAt: now,
    }),
  );
}

/** The stored object behind a file row, scan or upload: what `linkStoredFile` needs to attach it elsewhere. */
export interface StoredObjectRef {
  storageKey: string;
  sha256: string;
  fileName: string;
  contentType: string;
  size: number;
  pageCount?: number | null;
}

/**
 * Attaches an object already in storage (another document's file, a scan, an issued draft) to `doc` as a new
 * file row pointing at the same content-addressed object: no copy of the bytes.
 */
export function linkStoredFile(
  em: EntityManager,
  doc: Document,
  from: StoredObjectRef,
  kind: DocumentFileKind,
  opts: { uploadedBy: User | null; createdAt: Date; version?: number },
): DocumentFile {
  return em.create(DocumentFile, {
    document: doc,
    kind,
    version: opts.version ?? 1,
    storageKey: from.storageKey,
    sha256: from.sha256,
    fileName: from.fileName,
    contentType: from.contentType,
    size: from.size,
    pageCount: from.pageCount ?? null,
    uploadedBy: opts.uploadedBy,
    createdAt: opts.createdAt,
  });
}
