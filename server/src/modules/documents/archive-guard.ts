/**
 * Immutability of the archive (issue 10): a document in the agency archive (`archivedAt` set — transferred with its
 * hồ sơ, or imported from the paper archive) cannot be changed or deleted by any document mutation. Every mutation
 * entry point of the document services calls `assertNotArchived` on the row it has just locked/loaded.
 */
import { conflict } from '../../shared/errors';

export const ARCHIVED_REASON = 'ARCHIVED';

export const archivedConflict = () =>
  conflict('Văn bản đã nộp lưu vào lưu trữ cơ quan, không thể thay đổi.', { reason: ARCHIVED_REASON });

export const WITHDRAWN_REASON = 'WITHDRAWN';

/** CONFLICT (reason ARCHIVED) when the document is in the archive; (reason WITHDRAWN) once recalled, revoked or replaced. */
export function assertNotArchived(doc: { archivedAt?: Date | null; withdrawnAt?: Date | null; withdrawnNote?: string | null }): void {
  if (doc.archivedAt != null) throw archivedConflict();
  // Decree 30 Art. 18: a revoked / recalled / replaced record is marked and locked, never deleted (exchange/business)
  if (doc.withdrawnAt != null) throw conflict(`Văn bản đã bị thu hồi, lấy lại hoặc thay thế, không thể thay đổi. ${doc.withdrawnNote ?? ''}`.trim(), { reason: WITHDRAWN_REASON });
}
