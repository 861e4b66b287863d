/**
 * Immutability of the archive (issue 10): a document in the agency archive (`archivedAt` set — transferred with its
 * hồ sơ, or imported from the paper archive) cannot be changed or deleted by any document mutation. Every mutation
 * entry point of the document services calls `assertNotArchived` on the row it has just locked/loaded.
 */
import { conflict } from '../../shared/errors';

export const ARCHIVED_REASON = 'ARCHIVED';

export const archivedConflict = () =>
  conflict('Văn bản đã nộp lưu vào lưu trữ cơ quan, không thể thay đổi.', { reason: ARCHIVED_REASON });

/** CONFLICT (reason ARCHIVED) when the document is in the archive. */
export function assertNotArchived(doc: { archivedAt?: Date | null }): void {
  if (doc.archivedAt != null) throw archivedConflict();
}
