import { AppError } from '../../shared/errors';
import type { ObjectStorage } from './storage';

/**
 * Archive protection of the object storage (issue 10, "immutable once transferred"). Objects belonging to the
 * agency archive (files of archived documents and the OCR derivatives of those bytes) can be neither deleted nor
 * overwritten through the storage interface:
 * - overwrite: keys are content-addressed, so a `put` can never replace the bytes behind a key (a second put of the
 *   same bytes returns `existed: true` and keeps the first write) — nothing to intercept;
 * - delete: refused with CONFLICT (reason ARCHIVED) while `isArchived(key)` holds. A disposal (hủy) first removes
 *   the database rows, so the objects it then deletes are no longer archived.
 *
 * Implemented as a Proxy so that the wrapped driver keeps its identity (instanceof, driver-specific fields).
 */
export type ArchivedKeyCheck = (key: string) => Promise<boolean>;

export const archivedObjectError = (key: string) =>
  new AppError('CONFLICT', 'Tệp thuộc tài liệu lưu trữ, không thể xóa hoặc ghi đè.', { reason: 'ARCHIVED', key });

export function protectArchivedObjects<S extends ObjectStorage>(storage: S, isArchived: ArchivedKeyCheck): S {
  const guardedDelete = async (key: string): Promise<void> => {
    if (await isArchived(key)) throw archivedObjectError(key);
    return storage.delete(key);
  };
  return new Proxy(storage, {
    get(target, prop, receiver) {
      if (prop === 'delete') return guardedDelete;
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/**
 * SQL: is the key held by a file of an archived document, or derived (OCR) from such bytes? One parameter: the key.
 */
export const ARCHIVED_KEY_SQL = `with k as (select ?::text as key)
select (
  exists (select 1 from k, document_file f join document d on d.id = f.document_id
           where f.sha256 = right(k.key, 64) and f.storage_key = k.key and d.archived_at is not null)
  or exists (select 1 from k, ocr_result o join document_file f on f.sha256 = o.sha256 join document d on d.id = f.document_id
              where k.key in (o.searchable_pdf_key, o.thumbnail_key, o.data_key) and d.archived_at is not null)
  or exists (select 1 from k, ocr_page p join document_file f on f.sha256 = p.sha256 join document d on d.id = f.document_id
              where k.key in (p.data_key, p.image_key) and d.archived_at is not null)
) as archived`;
