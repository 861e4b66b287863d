/**
 * Hồ sơ rules (pure; Decree 30/2020 chapter III, Circular 02/2019, Thông tư 10/2022 retention):
 * - a hồ sơ of the Danh mục is OPEN while documents are filed into it (lập hồ sơ), in order;
 * - it is CLOSED (kết thúc) when the work ends, then TRANSFERRED (nộp lưu) to the agency archive: from then on it
 *   and its documents are immutable (only the archivist's metadata check, retention extension and legal hold);
 * - retention (thời hạn bảo quản) is Vĩnh viễn or N years counted from the year the hồ sơ ends, and only extends;
 * - disposal (hủy) applies to transferred hồ sơ past retention, never permanent ones, never under legal hold.
 *
 * Who: any staff member of the agency lập hồ sơ (except QUAN_TRI, who manages users, not content); the creator,
 * the head (TRUONG_PHONG) of the record's unit, the văn thư and the archivist handle an open hồ sơ; the
 * archivist (LUU_TRU) works on the archive (metadata, retention, disposal); legal hold: archivist or leader.
 */
import type { Role } from '../../identity/roles';
import { conflictWith, forbid, invalid, type TransitionFailure } from '../../documents/domain/transition';

export type RecordState = 'OPEN' | 'CLOSED' | 'TRANSFERRED' | 'DISPOSED';

export const RECORD_ACTIONS = [
  'FILE_DOCUMENT',
  'UNFILE_DOCUMENT',
  'CLOSE',
  'REOPEN',
  'TRANSFER',
  'UPDATE_METADATA',
  'CONFIRM_METADATA',
  'PLACE_LEGAL_HOLD',
  'RELEASE_LEGAL_HOLD',
  'EXTEND_RETENTION',
  'DISPOSE',
] as const;
export type RecordAction = (typeof RECORD_ACTIONS)[number];

export interface RecordViewer {
  userId: string;
  agencyId: string;
  unitId: string | null;
  roles: readonly Role[];
}

export interface RecordFacts {
  agencyId: string;
  unitId: string | null;
  creatorId: string | null;
  state: RecordState;
  year: number;
  /** Year the work ended (last document's year; else the record's year). */
  endYear: number;
  retentionYears: number | null;
  legalHold: boolean;
  metadataUnverified: boolean;
  documentCount: number;
}

export type Check = { ok: true } | TransitionFailure;
const OK: Check = { ok: true };

const has = (v: RecordViewer, r: Role) => v.roles.includes(r);
const isStaff = (v: RecordViewer) => v.roles.some((r) => r !== 'QUAN_TRI');

/** May the viewer see the agency's Danh mục hồ sơ and this hồ sơ (documents inside still follow document access)? */
export function canViewRecord(v: RecordViewer, r: Pick<RecordFacts, 'agencyId'>): boolean {
  return v.agencyId === r.agencyId && isStaff(v);
}

export function canCreateRecord(v: RecordViewer): boolean {
  return isStaff(v);
}

/** The agency's retention table (bảng thời hạn bảo quản): its archivist, or its administrator (configuration). */
export function canEditRetentionTable(v: RecordViewer): boolean {
  return has(v, 'LUU_TRU') || has(v, 'QUAN_TRI');
}

/** The creator, the head of its unit, the văn thư, the archivist. */
function handlesOpenRecord(v: RecordViewer, r: RecordFacts): boolean {
  if (v.agencyId !== r.agencyId) return false;
  if (r.creatorId && r.creatorId === v.userId) return true;
  if (has(v, 'VAN_THU') || has(v, 'LUU_TRU') || has(v, 'LANH_DAO')) return true;
  return has(v, 'TRUONG_PHONG') && r.unitId !== null && r.unitId === v.unitId;
}

/** Retention: the last year the hồ sơ must be kept (null = Vĩnh viễn). */
export function retentionUntilYear(r: Pick<RecordFacts, 'endYear' | 'retentionYears'>): number | null {
  return r.retentionYears == null ? null : r.endYear + r.retentionYears;
}

/** Past retention in `nowYear` (kept through 31/12 of endYear + N). */
export function retentionExpired(r: Pick<RecordFacts, 'endYear' | 'retentionYears'>, nowYear: number): boolean {
  const until = retentionUntilYear(r);
  return until !== null && nowYear > until;
}

/** May the viewer do `action` on the record now (role, relation, state)? */
export function checkRecordAction(v: RecordViewer, r: RecordFacts, action: RecordAction, nowYear: number): Check {
  if (!canViewRecord(v, r)) return forbid('Bạn không có quyền với hồ sơ này.');
  const archivist = has(v, 'LUU_TRU');
  switch (action) {
    case 'FILE_DOCUMENT':
    case 'UNFILE_DOCUMENT':
    case 'CLOSE':
      if (!handlesOpenRecord(v, r)) return forbid('Chỉ người lập hồ sơ, trưởng đơn vị, văn thư hoặc lưu trữ được thao tác trên hồ sơ này.');
      if (r.state !== 'OPEN') return conflictWith(stateReason(r.state));
      if (action === 'CLOSE' && r.documentCount === 0) return conflictWith('Hồ sơ chưa có văn bản nào, không thể kết thúc.');
      return OK;
    case 'REOPEN':
      if (!handlesOpenRecord(v, r)) return forbid('Chỉ người lập hồ sơ, trưởng đơn vị, văn thư hoặc lưu trữ được mở lại hồ sơ này.');
      if (r.state !== 'CLOSED') return conflictWith(r.state === 'OPEN' ? 'Hồ sơ đang mở.' : stateReason(r.state));
      return OK;
    case 'TRANSFER':
      if (!handlesOpenRecord(v, r)) return forbid('Bạn không có quyền nộp lưu hồ sơ này.');
      if (r.state !== 'CLOSED') return conflictWith(r.state === 'OPEN' ? 'Hồ sơ phải được kết thúc trước khi nộp lưu.' : stateReason(r.state));
      return OK;
    case 'UPDATE_METADATA':
      if (!archivist) return forbid('Chỉ cán bộ lưu trữ được sửa dữ liệu đặc tả.');
      if (r.state === 'DISPOSED') return conflictWith(stateReason(r.state));
      if (r.state === 'TRANSFERRED' && !r.metadataUnverified) return conflictWith('Dữ liệu đặc tả đã được kiểm tra, không thể sửa.');
      return OK;
    case 'CONFIRM_METADATA':
      if (!archivist) return forbid('Chỉ cán bộ lưu trữ được xác nhận dữ liệu đặc tả.');
      if (r.state === 'DISPOSED') return conflictWith(stateReason(r.state));
      if (!r.metadataUnverified) return conflictWith('Dữ liệu đặc tả đã được kiểm tra.');
      return OK;
    case 'PLACE_LEGAL_HOLD':
    case 'RELEASE_LEGAL_HOLD':
      if (!archivist && !has(v, 'LANH_DAO')) return forbid('Chỉ cán bộ lưu trữ hoặc lãnh đạo được phong tỏa hồ sơ.');
      if (r.state === 'DISPOSED') return conflictWith(stateReason(r.state));
      if (action === 'PLACE_LEGAL_HOLD' && r.legalHold) return conflictWith('Hồ sơ đang bị phong tỏa.');
      if (action === 'RELEASE_LEGAL_HOLD' && !r.legalHold) return conflictWith('Hồ sơ không bị phong tỏa.');
      return OK;
    case 'EXTEND_RETENTION':
      if (!archivist) return forbid('Chỉ cán bộ lưu trữ được kéo dài thời hạn bảo quản.');
      if (r.state === 'DISPOSED') return conflictWith(stateReason(r.state));
      if (r.retentionYears == null) return conflictWith('Hồ sơ bảo quản vĩnh viễn.');
      return OK;
    case 'DISPOSE':
      if (!archivist) return forbid('Chỉ cán bộ lưu trữ được hủy hồ sơ.');
      if (r.state !== 'TRANSFERRED') return conflictWith(r.state === 'DISPOSED' ? stateReason(r.state) : 'Chỉ hủy được hồ sơ đã nộp lưu.');
      if (r.legalHold) return conflictWith('Hồ sơ đang bị phong tỏa (legal hold), không thể hủy.');
      if (r.retentionYears == null) return conflictWith('Hồ sơ bảo quản vĩnh viễn, không thể hủy.');
      if (!retentionExpired(r, nowYear)) return conflictWith(`Hồ sơ chưa hết thời hạn bảo quản (đến hết năm ${retentionUntilYear(r)}).`);
      return OK;
  }
}

function stateReason(s: RecordState): string {
  switch (s) {
    case 'OPEN':
      return 'Hồ sơ đang mở.';
    case 'CLOSED':
      return 'Hồ sơ đã kết thúc, không thể thay đổi văn bản trong hồ sơ.';
    case 'TRANSFERRED':
      return 'Hồ sơ đã nộp lưu, không thể thay đổi.';
    case 'DISPOSED':
      return 'Hồ sơ đã bị hủy.';
  }
}

/** The actions the viewer may take now (drives the buttons). */
export function allowedRecordActions(v: RecordViewer, r: RecordFacts, nowYear: number): RecordAction[] {
  return RECORD_ACTIONS.filter((a) => checkRecordAction(v, r, a, nowYear).ok);
}

/** Retention only extends: a new period must be longer (or Vĩnh viễn). */
export function checkRetentionChange(current: number | null, next: number | null): Check {
  if (current === null) return conflictWith('Hồ sơ bảo quản vĩnh viễn, không thể thay đổi thời hạn.');
  if (next === null) return OK;
  if (!Number.isInteger(next) || next < 1 || next > 200) return invalid('Thời hạn bảo quản phải là số năm từ 1 đến 200.', 'retentionYears');
  if (next <= current) return invalid(`Thời hạn bảo quản chỉ được kéo dài (hiện tại ${current} năm).`, 'retentionYears');
  return OK;
}

/** Mã hồ sơ (FileCode): agency code, year, số và ký hiệu hồ sơ. */
export function fileCodeOf(agencyCode: string, year: number, notation: string): string {
  return `${agencyCode}.${year}.${notation}`;
}

/** Filing rules for one document into a hồ sơ (besides the record's own state). */
export function checkFiling(
  r: Pick<RecordFacts, 'agencyId'>,
  doc: { agencyId: string; recordId: string | null; archived: boolean; direction: string },
  targetRecordId: string,
): Check {
  if (doc.agencyId !== r.agencyId) return conflictWith('Văn bản không thuộc cơ quan của hồ sơ.');
  if (doc.recordId === targetRecordId) return conflictWith('Văn bản đã có trong hồ sơ này.');
  if (doc.recordId !== null) return conflictWith('Văn bản đã được lập vào một hồ sơ khác.');
  // An archived document (paper archive import) may be filed once, into an open hồ sơ; other archived ones are fixed.
  if (doc.archived && doc.direction !== 'ARCHIVE') return conflictWith('Văn bản đã nộp lưu, không thể thay đổi.');
  return OK;
}

/** What the caller may do with a document about hồ sơ, from the document page ("Lập hồ sơ / Đưa vào hồ sơ"). */
export const DOCUMENT_RECORD_ACTIONS = ['FILE_INTO_RECORD', 'CREATE_RECORD', 'UNFILE_FROM_RECORD'] as const;
export type DocumentRecordAction = (typeof DOCUMENT_RECORD_ACTIONS)[number];

/**
 * The document's hồ sơ actions for a viewer who can read it: a document of their agency not in a hồ sơ (and not
 * transferred) may be filed into an OPEN hồ sơ (FILE_INTO_RECORD: the picker lists the ones they handle) or into a
 * new one they create (CREATE_RECORD — any staff member lập hồ sơ); one in an OPEN hồ sơ they handle may be taken out.
 */
export function documentRecordActions(
  v: RecordViewer,
  doc: { agencyId: string; recordId: string | null; archived: boolean; direction: string },
  record: RecordFacts | null,
  nowYear: number,
): DocumentRecordAction[] {
  if (!canCreateRecord(v) || v.agencyId !== doc.agencyId) return [];
  if (doc.archived && doc.direction !== 'ARCHIVE') return [];
  if (!doc.recordId) return ['FILE_INTO_RECORD', 'CREATE_RECORD'];
  return record && checkRecordAction(v, record, 'UNFILE_DOCUMENT', nowYear).ok ? ['UNFILE_FROM_RECORD'] : [];
}

/**
 * Is the document's handling finished, so that its hồ sơ may be transferred (nộp lưu)? Decree 30 Điều 28: a hồ sơ is
 * transferred when the work is done — an incoming document completed (Hoàn thành / Để biết, or refused / annulled:
 * nothing more will happen to it), an outgoing one issued (đã phát hành), an imported archive document always.
 */
export function handlingFinished(doc: { direction: string; state: string }): boolean {
  switch (doc.direction) {
    case 'INCOMING':
      return ['DONE', 'FOR_INFO', 'REJECTED', 'ANNULLED'].includes(doc.state);
    case 'OUTGOING':
      return doc.state === 'ISSUED';
    default:
      return true;
  }
}

/** Year of a yyyy-mm-dd date, or null. */
export const yearOf = (iso: string | null | undefined): number | null => (iso && /^\d{4}-/.test(iso) ? Number(iso.slice(0, 4)) : null);
