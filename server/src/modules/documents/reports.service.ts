/**
 * Sổ đăng ký văn bản (NĐ 30/2020 Phụ lục IV) and phiếu giải quyết văn bản đến, exported as PDF or XLSX,
 * stored in object storage and returned as a short-lived signed URL.
 *
 * Reports:
 * - INCOMING  — Sổ đăng ký văn bản đến (10 columns), documents with a số đến whose ngày đến is in the range;
 * - OUTGOING  — Sổ đăng ký văn bản đi (10 columns), issued documents whose ngày ban hành is in the range;
 * - FOLLOW_UP — Sổ theo dõi giải quyết văn bản đến (7 columns), registered documents in the range that were
 *               assigned for handling (an active assignment from a bút phê);
 * - PHIEU_GIAI_QUYET — the phiếu of one incoming document (ý kiến lãnh đạo cơ quan / lãnh đạo đơn vị /
 *               đề xuất của người giải quyết).
 *
 * Who may export, and which rows: domain/register-access.ts (registerExportScope, registerShowsRow — its SQL
 * is derived from the document access rule by access-sql.ts); PHIEU_GIAI_QUYET: anyone who may see the
 * document (documents.policy.ts), else NOT_FOUND.
 *
 * Secret documents (Mật, Tối mật, Tuyệt mật — issue 9) are numbered in their own registers and printed in
 * their own books: the ordinary registers never list them; `secret: true` prints the secret register of the
 * kind (SỔ ĐĂNG KÝ VĂN BẢN ĐẾN MẬT …) for VAN_THU and LANH_DAO only (register-access.ts
 * canExportSecretRegister), each row only for a viewer named on the document. Ghi chú carries the độ mật and
 * the chỉ dẫn phạm vi lưu hành (XEM XONG TRẢ LẠI …, domain/secrecy.ts).
 *
 * Every export writes an audit event `report.export`. Generated files are content-addressed objects that
 * no row references; a storage clean-up job is not part of this module.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Services } from '../../services';
import { badInput, forbidden } from '../../shared/errors';
import type { Actor, Scope } from '../../shared/scope';
import { Agency } from '../identity/entities/agency.entity';
import { registerRowVisibleSql } from './access-sql';
import { canExportSecretRegister, registerExportScope } from './domain/register-access';
import { circulationText, registerTitle } from './domain/secrecy';
import { AgencySettings } from './entities/misc.entities';
import { settingsFromRow } from './settings.service';
import { GENERAL_INCOMING_REGISTER, isIncomingRegisterKey, type IncomingRegister } from '../../../../schema/validation/incoming-registers';
import { viewerOf } from './documents.policy';
import { SqlParams } from './inbox-sql';
import { daysBetween, isPlainDate, localDateOf, type PlainDate } from './domain/calendar';
import { todayIn } from './domain/deadlines';
import { SECRECY_LABELS, URGENCY_LABELS, isSecret, type Secrecy, type Urgency } from './domain/markings';
import { loadVisibleDocument } from './documents.policy';
import { Assignment } from './entities/assignment.entity';
import { ProgressNote } from './entities/misc.entities';
import { formatDmy, type Cell, type FormDocument, type RegisterTable, type ReportColumn } from './report-render/model';
import { renderFormPdf, renderRegisterPdf } from './report-render/pdf';
import { renderFormXlsx, renderRegisterXlsx } from './report-render/xlsx';
import { isSigningAuthorityMode, registerSignerLine } from './issuing/authority';

export type RegisterReportKind = 'INCOMING' | 'OUTGOING' | 'FOLLOW_UP' | 'PHIEU_GIAI_QUYET';
export type ReportFormat = 'PDF' | 'XLSX';

export interface RegisterReportArgs {
  kind: RegisterReportKind;
  format: ReportFormat;
  from?: string | null;
  to?: string | null;
  documentId?: string | null;
  /** The secret register of the kind (sổ văn bản mật) instead of the ordinary one. */
  secret?: boolean | null;
  /**
   * INCOMING and FOLLOW_UP: which of the agency's incoming registers (INCOMING or INCOMING:<MÃ>, see Cấu hình văn
   * bản). Each register has its own số đến sequence, so the sổ đăng ký is printed per register (default the general
   * one); the sổ theo dõi covers every register unless one is named. Ignored for the secret register.
   */
  registerKey?: string | null;
}

export interface ReportFileResult {
  fileName: string;
  contentType: string;
  url: string;
  rows: number;
}

/** Beyond this many rows the caller must narrow the range (a year of a busy UBND tỉnh is well below). */
export const MAX_REPORT_ROWS = 30_000;
/** The download link lives 10 minutes. */
export const REPORT_URL_SECONDS = 600;
const TZ = 'Asia/Ho_Chi_Minh';

const CONTENT_TYPES: Record<ReportFormat, string> = {
  PDF: 'application/pdf',
  XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
const EXT: Record<ReportFormat, string> = { PDF: 'pdf', XLSX: 'xlsx' };

interface Range {
  from: PlainDate;
  to: PlainDate;
}

async function query<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  return em.getConnection().execute<T[]>(sql, params, 'all', em.getTransactionContext());
}

/** `d.received_at` (etc.) as a Vietnam calendar date, YYYY-MM-DD. */
const vnDate = (col: string) => `to_char(${col} AT TIME ZONE '${TZ}', 'YYYY-MM-DD')`;
/** Instants of the Vietnam days [from, to]. */
const RANGE_SQL = (col: string) => `${col} >= (?::date::timestamp AT TIME ZONE '${TZ}') AND ${col} < ((?::date + 1)::timestamp AT TIME ZONE '${TZ}')`;
/**
 * Which rows the viewer sees (domain/register-access.ts registerShowsRow, translated from the access rule by
 * access-sql.ts): the SQL text and its parameters, to append after the parameters that precede it.
 */
function visibleRows(actor: Actor): { sql: string; params: unknown[] } {
  const params = new SqlParams();
  // (every register query is limited to the caller's agency)
  const sql = registerRowVisibleSql(viewerOf(actor), params, { ownAgencyOnly: true });
  return { sql, params: params.values };
}

const dateCell = (d: string | null | undefined): Cell => (d && isPlainDate(d) ? { date: d } : null);
const joinNonEmpty = (parts: (string | null | undefined | false)[], sep = '; ') => parts.filter((p): p is string => !!p).join(sep);

/** Only the rows of the requested book: the secret register lists secret documents, the ordinary one the rest. */
const secrecySql = (secret: boolean) => (secret ? `d.secrecy <> 'THUONG'` : `d.secrecy = 'THUONG'`);

function noteFor(
  r: { electronic?: boolean; urgency: string; secrecy: string; circulation?: string[] | null; duplicate?: boolean; annulled?: string | null },
  withChannel: boolean,
): string {
  return joinNonEmpty([
    // Hủy vào sổ: the number stays in the register, marked (NĐ 30/2020 keeps every number drawn).
    r.annulled != null ? `hủy: ${r.annulled}` : null,
    withChannel ? (r.electronic ? 'Văn bản điện tử' : 'Văn bản giấy') : null,
    r.urgency !== 'THUONG' ? URGENCY_LABELS[r.urgency as Urgency] : null,
    isSecret(r.secrecy as Secrecy) ? SECRECY_LABELS[r.secrecy as Secrecy] : null,
    circulationText(r.circulation) || null,
    r.duplicate ? 'Có thể trùng văn bản đã vào sổ' : null,
  ]);
}

interface AssignmentRow {
  document_id: string;
  role: 'LEAD' | 'COORDINATOR';
  name: string | null;
  deadline: string | null;
  created: string;
  started: string | null;
}

/** "Về việc …" after the type name: "Tờ trình về việc …" (an acronym such as "UBND …" keeps its case). */
function lowerFirstWord(subject: string): string {
  return /^\p{Lu}\p{Ll}/u.test(subject) ? subject[0].toLocaleLowerCase('vi') + subject.slice(1) : subject;
}

/** "Chủ trì: Phòng Kinh tế; Phối hợp: Phòng Nội chính, Phòng Tổng hợp". */
function receiversText(as: AssignmentRow[]): string {
  const lead = as.filter((a) => a.role === 'LEAD').map((a) => a.name ?? '');
  const co = as.filter((a) => a.role === 'COORDINATOR').map((a) => a.name ?? '');
  return joinNonEmpty([lead.length ? `Chủ trì: ${lead.join(', ')}` : null, co.length ? `Phối hợp: ${co.join(', ')}` : null]);
}

function groupBy<T, K>(rows: readonly T[], key: (r: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

/** A named register's name after the title ("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN — SỔ ĐƠN THƯ"); nothing for the general one. */
const registerSuffix = (register: IncomingRegister | null) =>
  register && register.key !== GENERAL_INCOMING_REGISTER ? ` — ${register.name.toLocaleUpperCase('vi-VN')}` : '';

export class ReportsService {
  constructor(private readonly services: Pick<Services, 'storage' | 'clock'>) {}

  async registerReport(scope: Scope, args: RegisterReportArgs): Promise<ReportFileResult> {
    const actor = scope.requireActor();
    if (!(args.format in CONTENT_TYPES)) throw badInput('Định dạng tệp không hợp lệ.', 'format');
    const now = this.services.clock.now();
    const agency = await scope.em.findOneOrFail(Agency, { id: actor.agencyId }, { populate: ['parent'] });

    let file: { buffer: Buffer; rows: number; name: string };
    let range: Range | null = null;
    if (args.kind === 'PHIEU_GIAI_QUYET') {
      if (!args.documentId) throw badInput('Chọn văn bản để in phiếu giải quyết.', 'documentId');
      file = await this.phieu(scope, agency, args.documentId, args.format, now);
    } else {
      if (args.kind !== 'INCOMING' && args.kind !== 'OUTGOING' && args.kind !== 'FOLLOW_UP') throw badInput('Loại sổ không hợp lệ.', 'kind');
      const secret = args.secret === true;
      if (secret && !canExportSecretRegister(viewerOf(actor))) throw forbidden('Chỉ văn thư và lãnh đạo cơ quan mới được in sổ văn bản mật.');
      const allowed = secret ? ({ kind: 'AGENCY' } as const) : registerExportScope(viewerOf(actor), args.kind);
      if (!allowed) throw forbidden('Chỉ văn thư, lãnh đạo và lưu trữ của cơ quan mới được in sổ đăng ký văn bản.');
      const unitOnly = allowed.kind === 'UNIT' ? allowed.unitId : null;
      range = this.rangeOf(args, now);
      const register = args.kind === 'OUTGOING' || secret ? null : await this.incomingRegisterOf(scope.em, agency.id, args.kind === 'INCOMING' ? (args.registerKey ?? GENERAL_INCOMING_REGISTER) : args.registerKey);
      const table =
        args.kind === 'INCOMING'
          ? await this.incomingTable(scope.em, actor, agency, range, secret, register)
          : args.kind === 'OUTGOING'
            ? await this.outgoingTable(scope.em, actor, agency, range, secret)
            : await this.followUpTable(scope.em, actor, agency, range, unitOnly, now, secret, register);
      table.footnote = this.footnote(actor, now);
      const buffer = args.format === 'PDF' ? await renderRegisterPdf(table) : await renderRegisterXlsx(table);
      file = { buffer, rows: table.rows.length, name: `${table.title.charAt(0)}${table.title.slice(1).toLocaleLowerCase('vi-VN')} ${range.from}_${range.to}` };
    }

    const fileName = `${file.name}.${EXT[args.format]}`;
    const put = await this.services.storage.put(file.buffer, { contentType: CONTENT_TYPES[args.format] });
    await scope.transaction(async (tx) => {
      tx.audit({
        action: 'report.export',
        targetType: args.kind === 'PHIEU_GIAI_QUYET' ? 'document' : 'agency',
        targetId: args.kind === 'PHIEU_GIAI_QUYET' ? args.documentId : agency.id,
        agencyId: agency.id,
        data: { kind: args.kind, secret: args.kind !== 'PHIEU_GIAI_QUYET' && args.secret === true, format: args.format, from: range?.from ?? null, to: range?.to ?? null, rows: file.rows, key: put.key },
      });
    });
    const url = await this.services.storage.presignedGetUrl(put.key, { fileName, expiresSeconds: REPORT_URL_SECONDS, contentType: CONTENT_TYPES[args.format] });
    return { fileName, contentType: CONTENT_TYPES[args.format], url, rows: file.rows };
  }

  /** Default: 1 January of the current year (Vietnam) to today. */
  /** The agency's incoming register `key` (null: no register named); an unknown key is refused at the field. */
  private async incomingRegisterOf(em: EntityManager, agencyId: string, key: string | null | undefined): Promise<IncomingRegister | null> {
    if (key == null) return null;
    const registers = settingsFromRow(agencyId, await em.findOne(AgencySettings, { agency: agencyId })).incomingRegisters;
    const register = isIncomingRegisterKey(key) ? registers.find((r) => r.key === key) : undefined;
    if (!register) throw badInput('Cơ quan không có sổ văn bản đến này.', 'registerKey');
    return register;
  }

  private rangeOf(args: RegisterReportArgs, now: Date): Range {
    const today = todayIn(now);
    for (const [k, v] of [
      ['from', args.from],
      ['to', args.to],
    ] as const) {
      if (v != null && !isPlainDate(v)) throw badInput('Ngày không hợp lệ, nhập theo dạng dd/mm/yyyy.', k);
    }
    const to = args.to ?? (args.from && args.from > today ? `${args.from.slice(0, 4)}-12-31` : today);
    const from = args.from ?? `${to.slice(0, 4)}-01-01`;
    if (from > to) throw badInput('"Từ ngày" phải trước hoặc bằng "đến ngày".', 'from');
    if (daysBetween(from, to) > 3 * 366) throw badInput('Khoảng thời gian tối đa là 3 năm.', 'from');
    return { from, to };
  }

  private footnote(actor: Actor, now: Date): string {
    const t = new Intl.DateTimeFormat('vi-VN', { timeZone: TZ, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(now);
    return `Xuất từ Hệ thống Công Văn lúc ${t} ngày ${formatDmy(localDateOf(now))} — ${actor.fullName}`;
  }

  private heading(agency: Agency, title: string, range: Range, numbers: number[]) {
    const y1 = range.from.slice(0, 4);
    const y2 = range.to.slice(0, 4);
    const min = numbers.length ? Math.min(...numbers) : null;
    const max = numbers.length ? Math.max(...numbers) : null;
    return {
      parentAgencyName: agency.parent?.name ?? null,
      agencyName: agency.name,
      title,
      subtitles: [
        y1 === y2 ? `Năm ${y1}` : `Năm ${y1} – ${y2}`,
        `Từ ngày ${formatDmy(range.from)} đến ngày ${formatDmy(range.to)}`,
        min !== null ? `Từ số ${min} đến số ${max}` : 'Từ số …… đến số ……',
      ],
    };
  }

  private static checkSize(n: number): void {
    if (n > MAX_REPORT_ROWS) throw badInput(`Sổ có quá nhiều dòng (${n}); vui lòng chọn khoảng thời gian ngắn hơn.`, 'from');
  }

  private async assignmentsOf(em: EntityManager, ids: string[]): Promise<Map<string, AssignmentRow[]>> {
    if (!ids.length) return new Map();
    const rows = await query<AssignmentRow>(
      em,
      `SELECT a.document_id, a.role, COALESCE(un.name, us.full_name) AS name, a.deadline::text AS deadline,
              ${vnDate('a.created_at')} AS created, ${vnDate('a.started_at')} AS started
         FROM assignment a LEFT JOIN unit un ON un.id = a.unit_id AND a.target = 'UNIT' LEFT JOIN app_user us ON us.id = a.user_id
        WHERE a.document_id = ANY(ARRAY[?]::uuid[]) AND a.active AND a.parent_id IS NULL
        ORDER BY a.document_id, a.role DESC, a.created_at, a.id`,
      [ids],
    );
    return groupBy(rows, (r) => r.document_id);
  }

  // ── Sổ đăng ký văn bản đến ───────────────────────────────────────────────────────────────────────
  private async incomingTable(em: EntityManager, actor: Actor, agency: Agency, range: Range, secret: boolean, register: IncomingRegister | null): Promise<RegisterTable> {
    const visible = visibleRows(actor);
    const rows = await query<{
      id: string;
      received: string;
      incoming_number: number;
      issuer: string | null;
      symbol: string | null;
      issued_date: string | null;
      type_name: string;
      subject: string;
      electronic: boolean;
      urgency: string;
      secrecy: string;
      circulation: string[] | null;
      duplicate: boolean;
      annulled: string | null;
      submitted_to: string | null;
      submitted_title: string | null;
      annotated: string | null;
      for_info: boolean;
      submitted_on: string | null;
    }>(
      em,
      `SELECT d.id, ${vnDate('d.received_at')} AS received, d.incoming_number, COALESCE(d.issuer_name, ia.name) AS issuer, d.symbol,
              d.issued_date::text AS issued_date, d.type_name, d.subject, d.electronic, d.urgency, d.secrecy, d.circulation,
              d.duplicate_of_id IS NOT NULL AS duplicate, CASE WHEN d.state = 'ANNULLED' THEN COALESCE(d.return_reason, '') END AS annulled, su.full_name AS submitted_to, su.title AS submitted_title, ${vnDate('d.annotated_at')} AS annotated,
              d.state = 'FOR_INFO' AS for_info,
              (SELECT ${vnDate('min(e.at)')} FROM audit_event e WHERE e.target_type = 'document' AND e.target_id = d.id AND e.action = 'document.submit') AS submitted_on
         FROM document d LEFT JOIN agency ia ON ia.id = d.issuer_agency_id LEFT JOIN app_user su ON su.id = d.submitted_to_id
        WHERE d.agency_id = ?::uuid AND d.direction = 'INCOMING' AND d.incoming_number IS NOT NULL AND ${RANGE_SQL('d.received_at')}
          AND ${secrecySql(secret)} AND ${visible.sql}${register ? ` AND d.register_key = ?` : ''}
        ORDER BY d.register_year, d.incoming_number, d.id
        LIMIT ${MAX_REPORT_ROWS + 1}`,
      [agency.id, range.from, range.to, ...visible.params, ...(register ? [register.key] : [])],
    );
    ReportsService.checkSize(rows.length);
    const as = await this.assignmentsOf(
      em,
      rows.map((r) => r.id),
    );
    const columns: ReportColumn[] = [
      { header: 'Ngày đến', width: 13, align: 'center' },
      { header: 'Số đến', width: 8, align: 'center' },
      { header: 'Tác giả', width: 22 },
      { header: 'Số, ký hiệu văn bản', width: 15 },
      { header: 'Ngày tháng văn bản', width: 13, align: 'center' },
      { header: 'Tên loại và trích yếu nội dung văn bản', width: 40 },
      { header: 'Đơn vị hoặc người nhận', width: 22 },
      { header: 'Ngày chuyển', width: 13, align: 'center' },
      { header: 'Ký nhận', width: 13 },
      { header: 'Ghi chú', width: 16 },
    ];
    const body: Cell[][] = rows.map((r) => {
      const list = as.get(r.id) ?? [];
      const receivers = receiversText(list) || (r.for_info ? 'Để biết' : r.submitted_to ? `Trình đ/c ${joinNonEmpty([r.submitted_to, r.submitted_title], ', ')}` : '');
      const firstAssigned = list.map((a) => a.created).sort()[0] ?? null;
      // Ngày chuyển: first submission to a leader (audit trail), else the bút phê / first assignment
      const handedOver = r.submitted_on ?? r.annotated ?? firstAssigned;
      const lead = list.find((a) => a.role === 'LEAD');
      return [
        dateCell(r.received),
        Number(r.incoming_number),
        r.issuer ?? '',
        r.symbol ?? '',
        dateCell(r.issued_date),
        `${r.type_name}: ${r.subject}`,
        receivers,
        dateCell(handedOver),
        lead?.started ? `Đã nhận trên Hệ thống ngày ${formatDmy(lead.started)}` : '',
        noteFor(r, true),
      ];
    });
    return {
      ...this.heading(
        agency,
        registerTitle('INCOMING', secret) + registerSuffix(register),
        range,
        rows.map((r) => Number(r.incoming_number)),
      ),
      sheetName: secret ? 'Sổ văn bản đến mật' : 'Sổ văn bản đến',
      columns,
      rows: body,
      emptyText: secret ? 'Không có văn bản đến mật trong khoảng thời gian này.' : 'Không có văn bản đến trong khoảng thời gian này.',
    };
  }

  // ── Sổ đăng ký văn bản đi ────────────────────────────────────────────────────────────────────────
  private async outgoingTable(em: EntityManager, actor: Actor, agency: Agency, range: Range, secret: boolean): Promise<RegisterTable> {
    const visible = visibleRows(actor);
    const rows = await query<{
      id: string;
      symbol: string | null;
      number: number | null;
      issued_date: string | null;
      type_name: string;
      subject: string;
      signer: string | null;
      signer_title: string | null;
      authority_mode: string | null;
      authority_collective: string | null;
      authority_principal: string | null;
      drafter_unit: string | null;
      copies: number | null;
      issued_on: string | null;
      external_recipients: string[] | null;
      urgency: string;
      secrecy: string;
      circulation: string[] | null;
    }>(
      em,
      `SELECT d.id, d.symbol, d.number, d.issued_date::text AS issued_date, d.type_name, d.subject,
              COALESCE(d.signer_name, sb.full_name) AS signer, d.signer_title, di.authority_mode, di.authority_collective, di.authority_principal,
              du.name AS drafter_unit, d.copies, ${vnDate('d.issued_at')} AS issued_on,
              d.external_recipients, d.urgency, d.secrecy, d.circulation
         FROM document d LEFT JOIN app_user sb ON sb.id = d.signed_by_id LEFT JOIN unit du ON du.id = d.drafter_unit_id
         LEFT JOIN document_issuing di ON di.document_id = d.id
        WHERE d.agency_id = ?::uuid AND d.direction = 'OUTGOING' AND d.state = 'ISSUED'
          AND d.issued_date >= ?::date AND d.issued_date <= ?::date AND ${secrecySql(secret)} AND ${visible.sql}
        ORDER BY d.issued_date, d.register_key, d.number, d.id
        LIMIT ${MAX_REPORT_ROWS + 1}`,
      [agency.id, range.from, range.to, ...visible.params],
    );
    ReportsService.checkSize(rows.length);
    const ids = rows.map((r) => r.id);
    const recipients = ids.length
      ? groupBy(
          await query<{ document_id: string; name: string }>(em, `SELECT r.document_id, r.name FROM recipient r WHERE r.document_id = ANY(ARRAY[?]::uuid[]) ORDER BY r.document_id, r.name`, [ids]),
          (r) => r.document_id,
        )
      : new Map<string, { document_id: string; name: string }[]>();
    const columns: ReportColumn[] = [
      { header: 'Số, ký hiệu văn bản', width: 15 },
      { header: 'Ngày tháng văn bản', width: 13, align: 'center' },
      { header: 'Tên loại và trích yếu nội dung văn bản', width: 40 },
      { header: 'Người ký', width: 18 },
      { header: 'Nơi nhận văn bản', width: 28 },
      { header: 'Đơn vị, người nhận bản lưu', width: 18 },
      { header: 'Số lượng bản', width: 8, align: 'center' },
      { header: 'Ngày chuyển', width: 13, align: 'center' },
      { header: 'Ký nhận', width: 12 },
      { header: 'Ghi chú', width: 14 },
    ];
    const body: Cell[][] = rows.map((r) => {
      const names = [...new Set([...(recipients.get(r.id) ?? []).map((x) => x.name), ...(r.external_recipients ?? [])])];
      return [
        r.symbol ?? '',
        dateCell(r.issued_date),
        `${r.type_name}: ${r.subject}`,
        // Người ký with the thẩm quyền ký ("KT. CHỦ TỊCH — Phó Chủ tịch Nguyễn Văn A", issue 12).
        registerSignerLine(
          isSigningAuthorityMode(r.authority_mode) ? { mode: r.authority_mode, collective: r.authority_collective, principal: r.authority_principal } : null,
          r.signer_title,
          r.signer,
        ),
        names.join('; '),
        joinNonEmpty(['Văn thư', r.drafter_unit]),
        r.copies ?? null,
        dateCell(r.issued_on),
        '',
        noteFor(r, false),
      ];
    });
    const numbers = rows.filter((r) => r.number != null).map((r) => Number(r.number));
    return {
      ...this.heading(agency, registerTitle('OUTGOING', secret), range, numbers),
      sheetName: secret ? 'Sổ văn bản đi mật' : 'Sổ văn bản đi',
      columns,
      rows: body,
      emptyText: secret ? 'Không có văn bản đi mật trong khoảng thời gian này.' : 'Không có văn bản đi trong khoảng thời gian này.',
    };
  }

  // ── Sổ theo dõi giải quyết văn bản đến ───────────────────────────────────────────────────────────
  private async followUpTable(em: EntityManager, actor: Actor, agency: Agency, range: Range, unitId: string | null, now: Date, secret: boolean, register: IncomingRegister | null): Promise<RegisterTable> {
    const visible = visibleRows(actor);
    const params: unknown[] = [agency.id, range.from, range.to, ...visible.params];
    let unitSql = '';
    if (register) {
      unitSql += ` AND d.register_key = ?`;
      params.push(register.key);
    }
    if (unitId) {
      unitSql += ` AND EXISTS (SELECT 1 FROM assignment ua WHERE ua.document_id = d.id AND ua.active AND ua.unit_id = ?::uuid)`;
      params.push(unitId);
    }
    const rows = await query<{
      id: string;
      incoming_number: number;
      type_name: string;
      symbol: string | null;
      issued_date: string | null;
      issuer: string | null;
      deadline: string | null;
      state: string;
      completed: string | null;
      urgency: string;
      secrecy: string;
      circulation: string[] | null;
      replies: string | null;
    }>(
      em,
      `SELECT d.id, d.incoming_number, d.type_name, d.symbol, d.issued_date::text AS issued_date, COALESCE(d.issuer_name, ia.name) AS issuer,
              d.deadline::text AS deadline, d.state, ${vnDate('d.completed_at')} AS completed, d.urgency, d.secrecy, d.circulation,
              (SELECT string_agg(o.symbol, '; ' ORDER BY o.issued_date, o.number) FROM document o
                WHERE o.reply_to_id = d.id AND o.direction = 'OUTGOING' AND o.state = 'ISSUED' AND o.symbol IS NOT NULL) AS replies
         FROM document d LEFT JOIN agency ia ON ia.id = d.issuer_agency_id
        WHERE d.agency_id = ?::uuid AND d.direction = 'INCOMING' AND d.incoming_number IS NOT NULL AND ${RANGE_SQL('d.received_at')}
          AND ${secrecySql(secret)} AND ${visible.sql}
          AND EXISTS (SELECT 1 FROM assignment fa WHERE fa.document_id = d.id AND fa.active)${unitSql}
        ORDER BY d.register_year, d.incoming_number, d.id
        LIMIT ${MAX_REPORT_ROWS + 1}`,
      params,
    );
    ReportsService.checkSize(rows.length);
    const as = await this.assignmentsOf(
      em,
      rows.map((r) => r.id),
    );
    const today = todayIn(now);
    const columns: ReportColumn[] = [
      { header: 'Số đến', width: 8, align: 'center' },
      { header: 'Tên loại, số, ký hiệu, ngày tháng, cơ quan ban hành văn bản', width: 42 },
      { header: 'Đơn vị hoặc người nhận', width: 26 },
      { header: 'Thời hạn giải quyết', width: 13, align: 'center' },
      { header: 'Tiến độ giải quyết', width: 28 },
      { header: 'Số, ký hiệu văn bản trả lời', width: 16 },
      { header: 'Ghi chú', width: 14 },
    ];
    const body: Cell[][] = rows.map((r) => {
      const list = as.get(r.id) ?? [];
      const deadline = r.deadline ?? list.find((a) => a.role === 'LEAD')?.deadline ?? null;
      return [
        Number(r.incoming_number),
        joinNonEmpty(
          [r.type_name, r.symbol ? `số ${r.symbol}` : null, r.issued_date ? `ngày ${formatDmy(r.issued_date)}` : null, r.issuer ? `của ${r.issuer}` : null],
          ' ',
        ),
        receiversText(list),
        dateCell(deadline),
        progressText(r.state, deadline, r.completed, today),
        r.replies ?? '',
        noteFor(r, false),
      ];
    });
    return {
      ...this.heading(
        agency,
        registerTitle('FOLLOW_UP', secret) + registerSuffix(register),
        range,
        rows.map((r) => Number(r.incoming_number)),
      ),
      sheetName: secret ? 'Theo dõi giải quyết (mật)' : 'Theo dõi giải quyết',
      columns,
      rows: body,
      emptyText: 'Không có văn bản đến được giao giải quyết trong khoảng thời gian này.',
    };
  }

  // ── Phiếu giải quyết văn bản đến ─────────────────────────────────────────────────────────────────
  private async phieu(scope: Scope, agency: Agency, documentId: string, format: ReportFormat, now: Date): Promise<{ buffer: Buffer; rows: number; name: string }> {
    const doc = await loadVisibleDocument(scope, documentId);
    if (doc.direction !== 'INCOMING') throw badInput('Phiếu giải quyết chỉ áp dụng cho văn bản đến.', 'documentId');
    const em = scope.em;
    await em.populate(doc, ['annotatedBy', 'issuerAgency']);
    const assignments = await em.find(
      Assignment,
      { document: doc.id, active: true },
      { populate: ['unit', 'user', 'assignedBy', 'parent'], orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    const notes = assignments.length
      ? await em.find(ProgressNote, { assignment: { $in: assignments.map((a) => a.id) } }, { populate: ['author'], orderBy: { createdAt: 'asc', id: 'asc' } })
      : [];
    const nameOf = (a: Assignment) => (a.target === 'UNIT' ? (a.unit?.name ?? '') : (a.user?.fullName ?? ''));
    const dl = (d: string | null | undefined) => (d ? ` — thời hạn giải quyết: ${formatDmy(d)}` : '');
    const dayOf = (d: Date | null | undefined) => (d ? `Ngày ${formatDmy(localDateOf(d))}` : null);

    const top = assignments.filter((a) => !a.parent);
    const children = assignments.filter((a) => a.parent);
    const leaderLines: string[] = [];
    if (doc.instruction) leaderLines.push(`Ý kiến chỉ đạo: ${doc.instruction}`);
    if (doc.state === 'FOR_INFO') leaderLines.push('Để biết.');
    for (const a of top.filter((x) => x.role === 'LEAD')) leaderLines.push(`Giao chủ trì: ${nameOf(a)}${dl(a.deadline)}`);
    for (const a of top.filter((x) => x.role === 'COORDINATOR')) leaderLines.push(`Giao phối hợp: ${nameOf(a)}${dl(a.deadline)}`);

    const unitLines = children.map((a) => {
      const head = a.assignedBy?.fullName ?? '';
      const unit = a.parent?.unit?.name ?? a.unit?.name ?? '';
      const who = a.user?.fullName ?? nameOf(a);
      return `${joinNonEmpty([head, unit ? `(${unit})` : null], ' ')} giao ${who} giải quyết${dl(a.deadline)}${a.instruction ? `. Ý kiến: ${a.instruction}` : ''}`;
    });
    const lastChild = children[children.length - 1];
    const proposalLines = notes.map((n) => `${formatDmy(localDateOf(n.createdAt))} — ${n.author.fullName}: ${n.text}`);
    const lastNote = notes[notes.length - 1];

    const form: FormDocument = {
      parentAgencyName: agency.parent?.name ?? null,
      agencyName: agency.name,
      title: 'PHIẾU GIẢI QUYẾT VĂN BẢN ĐẾN',
      subtitles: [],
      sheetName: 'Phiếu giải quyết',
      fields: [
        ['Số đến', doc.incomingNumber != null ? String(doc.incomingNumber) : ''],
        ['Ngày đến', doc.receivedAt ? formatDmy(localDateOf(doc.receivedAt)) : ''],
        ['Số, ký hiệu', doc.symbol ?? ''],
        ['Ngày tháng văn bản', doc.issuedDate ? formatDmy(doc.issuedDate) : ''],
        ['Cơ quan ban hành', doc.issuerName ?? doc.issuerAgency?.name ?? ''],
        ['Tên loại và trích yếu', `${doc.typeName} ${lowerFirstWord(doc.subject)}`],
      ],
      sections: [
        {
          heading: 'Ý kiến của lãnh đạo cơ quan',
          lines: leaderLines.length ? leaderLines : ['(Chưa có ý kiến)'],
          dateLine: dayOf(doc.annotatedAt),
          signer: doc.annotatedBy?.fullName ?? null,
        },
        {
          heading: 'Ý kiến của lãnh đạo đơn vị',
          lines: unitLines.length ? unitLines : ['(Chưa có ý kiến)'],
          dateLine: dayOf(lastChild?.createdAt),
          signer: lastChild?.assignedBy?.fullName ?? null,
        },
        {
          heading: 'Ý kiến đề xuất của người giải quyết',
          lines: proposalLines.length ? proposalLines : ['(Chưa có ý kiến)'],
          dateLine: dayOf(lastNote?.createdAt),
          signer: lastNote?.author.fullName ?? null,
        },
      ],
      footnote: this.footnote(scope.requireActor(), now),
    };
    const buffer = format === 'PDF' ? await renderFormPdf(form) : await renderFormXlsx(form);
    const label = doc.incomingNumber != null ? `số đến ${doc.incomingNumber}` : doc.id.slice(0, 8);
    return { buffer, rows: 1, name: `Phiếu giải quyết văn bản đến ${label}` };
  }
}

/** Tiến độ giải quyết of a document for the follow-up register. */
export function progressText(state: string, deadline: string | null, completed: string | null, today: PlainDate): string {
  if (state === 'DONE') {
    const on = completed ? ` ngày ${formatDmy(completed)}` : '';
    if (deadline && completed && completed > deadline) return `Hoàn thành${on} (trễ hạn ${daysBetween(deadline, completed)} ngày)`;
    return `Hoàn thành${on}${deadline ? ' (đúng hạn)' : ''}`;
  }
  const base = state === 'IN_PROGRESS' ? 'Đang giải quyết' : state === 'RETURNED' ? 'Bị trả lại' : 'Chờ giải quyết';
  if (deadline && today > deadline) return `${base} — quá hạn ${daysBetween(deadline, today)} ngày`;
  return base;
}
