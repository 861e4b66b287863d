/**
 * Nhật ký hệ thống: the audit log, searchable by person, action, object, document and date (Vietnam days),
 * newest first, keyset-paged on (at, id) — served by the indexes audit_event(agency_id, at, id) and
 * audit_event(at, id) — and exported as CSV or XLSX through a short-lived signed URL (the mechanism of
 * registerReport: object storage + presigned GET, the ReportFile answer).
 * Visible to an agency's QUAN_TRI for their agency, to the operator's QUAN_TRI for every agency
 * (admin.policy.ts). The export itself is audited (`audit.export`).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Services } from '../../services';
import { badInput, forbidden, notFound } from '../../shared/errors';
import { isUuid } from '../../shared/ids';
import { excelJS } from '../../shared/lazy-modules';
import { decodeCursor, isPgTimestampText, pageSize, toConnection, type Connection } from '../../shared/pagination';
import type { Scope } from '../../shared/scope';
import { AuditEvent } from '../audit/audit-event.entity';
import { isPlainDate, VN_TIME_ZONE } from '../documents/domain/calendar';
import { REPORT_URL_SECONDS, type ReportFileResult } from '../documents/reports.service';
import { Agency } from '../identity/entities/agency.entity';
import { canAdministerAgency, canViewAllAudit, isAdmin, type PolicyContext } from './admin.policy';

export interface AuditFilter {
  agencyId?: string | null;
  actorId?: string | null;
  action?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  documentId?: string | null;
  from?: string | null;
  to?: string | null;
}

export type AuditExportFormat = 'CSV' | 'XLSX';

/** Beyond this many rows an export must be narrowed (by dates, person or action). */
export const MAX_AUDIT_EXPORT_ROWS = 50_000;

const CONTENT_TYPES: Record<AuditExportFormat, string> = {
  CSV: 'text/csv; charset=utf-8',
  XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** WHERE text and parameters of a filter (already authorised: `agencyId` null means every agency). */
interface Where {
  sql: string;
  params: unknown[];
}

const uuidOrNull = (v: string | null | undefined, field: string): string | null => {
  if (v == null || v === '') return null;
  if (!isUuid(v)) throw badInput('Mã không hợp lệ.', field);
  return v;
};

/** Builds the WHERE clause of a filter for the agency `agencyId` (null: all). Bad values: BAD_USER_INPUT on the field. */
export function auditWhere(f: AuditFilter, agencyId: string | null): Where {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...p: unknown[]) => {
    parts.push(sql);
    params.push(...p);
  };
  if (agencyId) add('e.agency_id = ?', agencyId);
  const actorId = uuidOrNull(f.actorId, 'actorId');
  if (actorId) add('e.actor_id = ?', actorId);
  const action = f.action?.trim();
  if (action) {
    if (action.length > 80 || !/^[a-z0-9_.]+$/.test(action)) throw badInput('Tên thao tác không hợp lệ (ví dụ: user.update hoặc user.).', 'action');
    if (action.endsWith('.')) add(`e.action like ?`, `${action.replace(/_/g, '\\_')}%`);
    else add('e.action = ?', action);
  }
  const targetType = f.targetType?.trim();
  if (targetType) {
    if (targetType.length > 40 || !/^[a-z0-9_]+$/.test(targetType)) throw badInput('Loại đối tượng không hợp lệ.', 'targetType');
    add('e.target_type = ?', targetType);
  }
  const targetId = uuidOrNull(f.targetId, 'targetId');
  if (targetId) add('e.target_id = ?', targetId);
  const documentId = uuidOrNull(f.documentId, 'documentId');
  if (documentId) add(`e.target_type = 'document' and e.target_id = ?`, documentId);
  if (f.from != null && !isPlainDate(f.from)) throw badInput('Ngày bắt đầu không hợp lệ, nhập theo dạng dd/mm/yyyy.', 'from');
  if (f.to != null && !isPlainDate(f.to)) throw badInput('Ngày kết thúc không hợp lệ, nhập theo dạng dd/mm/yyyy.', 'to');
  if (f.from && f.to && f.from > f.to) throw badInput('Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.', 'from');
  if (f.from) add(`e.at >= (?::date::timestamp at time zone '${VN_TIME_ZONE}')`, f.from);
  if (f.to) add(`e.at < ((?::date + 1)::timestamp at time zone '${VN_TIME_ZONE}')`, f.to);
  return { sql: parts.length ? parts.join(' and ') : 'true', params };
}

interface ExportRow {
  /** Vietnam local time, e.g. 2026-12-05 08:30:12. */
  at_vn: string;
  action: string;
  target_type: string;
  target_id: string | null;
  agency_code: string | null;
  username: string | null;
  full_name: string | null;
  ip: string | null;
  data: unknown;
}

/** A CSV field (RFC 4180), with formula-looking text defused for spreadsheets (=, +, -, @ first). */
export function csvField(v: string | null | undefined): string {
  let s = v ?? '';
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const HEADERS = ['Thời điểm', 'Người thực hiện', 'Tên đăng nhập', 'Thao tác', 'Loại đối tượng', 'Mã đối tượng', 'Cơ quan', 'Địa chỉ IP', 'Chi tiết'];

function cells(r: ExportRow): string[] {
  return [r.at_vn, r.full_name ?? 'Hệ thống', r.username ?? '', r.action, r.target_type, r.target_id ?? '', r.agency_code ?? '', r.ip ?? '', r.data == null ? '' : JSON.stringify(r.data)];
}

async function renderXlsx(rows: ExportRow[]): Promise<Buffer> {
  const wb = new (excelJS().Workbook)();
  wb.creator = 'Công Văn';
  const ws = wb.addWorksheet('Nhật ký');
  ws.addRow(HEADERS).font = { bold: true };
  // Text cells only: nothing the user typed can become a formula.
  for (const r of rows) ws.addRow(cells(r));
  ws.columns.forEach((c, i) => (c.width = [20, 24, 16, 24, 14, 38, 16, 16, 60][i]));
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const renderCsv = (rows: ExportRow[]): Buffer =>
  Buffer.from('\uFEFF' + [HEADERS, ...rows.map(cells)].map((line) => line.map(csvField).join(',')).join('\r\n') + '\r\n', 'utf8');

export class AuditLogService {
  constructor(private readonly services: Pick<Services, 'storage' | 'clock'>) {}

  private async policy(scope: Scope): Promise<PolicyContext> {
    const actor = scope.requireActor();
    const agency = await scope.em.findOneOrFail(Agency, { id: actor.agencyId });
    return { actor, actorAgencyIsOperator: agency.operator };
  }

  /** The agency whose log the caller reads (null: every agency, for the operator's administrators). */
  private async agencyOf(scope: Scope, f: AuditFilter | null | undefined): Promise<string | null> {
    const pc = await this.policy(scope);
    if (!isAdmin(pc)) throw forbidden('Chỉ quản trị hệ thống mới xem được nhật ký hệ thống.');
    const wanted = uuidOrNull(f?.agencyId, 'agencyId');
    if (!wanted) return canViewAllAudit(pc) ? null : pc.actor.agencyId;
    if (canAdministerAgency(pc, wanted) !== 'OK') throw notFound('Cơ quan');
    return wanted;
  }

  async auditEvents(scope: Scope, args: { filter?: AuditFilter | null; first?: number | null; after?: string | null }): Promise<Connection<AuditEvent>> {
    const agencyId = await this.agencyOf(scope, args.filter);
    const where = auditWhere(args.filter ?? {}, agencyId);
    const limit = pageSize(args.first);
    const after = decodeCursor(args.after, 2);
    let keyset = '';
    const params = [...where.params];
    if (after) {
      const [at, id] = after;
      if (!isPgTimestampText(at) || typeof id !== 'string' || !isUuid(id)) throw badInput('Con trỏ phân trang "after" không hợp lệ.', 'after');
      keyset = ' and (e.at, e.id) < (?::timestamptz, ?::uuid)';
      params.push(at, id);
    }
    const rows = await query<{ id: string; at_text: string }>(
      scope.em,
      `select e.id, e.at::text as at_text from audit_event e where ${where.sql}${keyset} order by e.at desc, e.id desc limit ?`,
      [...params, limit + 1],
    );
    const entities = await scope.em.find(AuditEvent, { id: { $in: rows.map((r) => r.id) } });
    const byId = new Map(entities.map((e) => [e.id, e]));
    const atText = new Map(rows.map((r) => [r.id, r.at_text]));
    const ordered = rows.map((r) => byId.get(r.id)).filter((e): e is AuditEvent => !!e);
    const c = toConnection(ordered, limit, (e) => [atText.get(e.id), e.id], 0, !!after);
    return { edges: c.edges, pageInfo: c.pageInfo, totalCount: c.totalCount };
  }

  async exportAuditEvents(scope: Scope, args: { filter?: AuditFilter | null; format: AuditExportFormat }): Promise<ReportFileResult> {
    if (!(args.format in CONTENT_TYPES)) throw badInput('Định dạng tệp không hợp lệ.', 'format');
    const agencyId = await this.agencyOf(scope, args.filter);
    const where = auditWhere(args.filter ?? {}, agencyId);
    const rows = await query<ExportRow>(
      scope.em,
      `select to_char(e.at at time zone '${VN_TIME_ZONE}', 'YYYY-MM-DD HH24:MI:SS') as at_vn, e.action, e.target_type, e.target_id, a.code as agency_code, u.username, u.full_name, e.ip, e.data
         from audit_event e left join app_user u on u.id = e.actor_id left join agency a on a.id = e.agency_id
        where ${where.sql} order by e.at desc, e.id desc limit ?`,
      [...where.params, MAX_AUDIT_EXPORT_ROWS + 1],
    );
    if (rows.length > MAX_AUDIT_EXPORT_ROWS)
      throw badInput(`Nhật ký có hơn ${MAX_AUDIT_EXPORT_ROWS.toLocaleString('vi-VN')} dòng: hãy thu hẹp khoảng ngày hoặc điều kiện lọc.`, 'filter');
    const buffer = args.format === 'CSV' ? renderCsv(rows) : await renderXlsx(rows);
    const stamp = this.services.clock.now().toLocaleString('sv-SE', { timeZone: VN_TIME_ZONE }).slice(0, 10);
    const fileName = `Nhật ký hệ thống ${stamp}.${args.format.toLowerCase()}`;
    const put = await this.services.storage.put(buffer, { contentType: CONTENT_TYPES[args.format] });
    const actor = scope.requireActor();
    await scope.transaction(async (tx) => {
      tx.audit({
        action: 'audit.export',
        targetType: 'agency',
        targetId: agencyId,
        agencyId: agencyId ?? actor.agencyId,
        data: { filter: args.filter ?? null, format: args.format, rows: rows.length, key: put.key },
      });
    });
    const url = await this.services.storage.presignedGetUrl(put.key, { fileName, expiresSeconds: REPORT_URL_SECONDS, contentType: CONTENT_TYPES[args.format] });
    return { fileName, contentType: CONTENT_TYPES[args.format], url, rows: rows.length };
  }
}

async function query<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  return em.getConnection().execute<T[]>(sql, params, 'all', em.getTransactionContext());
}
