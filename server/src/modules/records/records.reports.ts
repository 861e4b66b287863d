/**
 * Archive exports (issue 10), rendered by the register machinery (documents/report-render):
 * - DANH_MUC_HO_SO: Danh mục hồ sơ of a year (Decree 30/2020 Phụ lục V);
 * - MUC_LUC_HO_SO: Mục lục hồ sơ nộp lưu of a transfer (or of every hồ sơ transferred in a year);
 * - MUC_LUC_VAN_BAN: Mục lục văn bản trong hồ sơ (the documents the caller may read, in order).
 */
import type { Services } from '../../services';
import { badInput, forbidden } from '../../shared/errors';
import { isUuid } from '../../shared/ids';
import type { Scope } from '../../shared/scope';
import { Agency } from '../identity/entities/agency.entity';
import { Unit } from '../identity/entities/unit.entity';
import { User } from '../identity/entities/user.entity';
import { localDateOf } from '../documents/domain/calendar';
import { formatDmy, type Cell, type RegisterTable } from '../documents/report-render/model';
import { renderRegisterPdf } from '../documents/report-render/pdf';
import { renderRegisterXlsx } from '../documents/report-render/xlsx';
import { REPORT_URL_SECONDS, type ReportFileResult, type ReportFormat } from '../documents/reports.service';
import { ArchiveRecord, RecordTransfer } from './records.entities';
import { EMPTY_STATS, recordStats, type RecordsService } from './records.service';

export type RecordReportKind = 'DANH_MUC_HO_SO' | 'MUC_LUC_HO_SO' | 'MUC_LUC_VAN_BAN';

const CONTENT_TYPES: Record<ReportFormat, string> = {
  PDF: 'application/pdf',
  XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
const EXT: Record<ReportFormat, string> = { PDF: 'pdf', XLSX: 'xlsx' };

export const retentionText = (years: number | null | undefined): string => (years == null ? 'Vĩnh viễn' : `${years} năm`);

const dmy = (iso: string | null | undefined): string => (iso ? formatDmy(iso.slice(0, 10)) : '');

export async function recordReport(
  services: Pick<Services, 'storage' | 'clock'>,
  records: RecordsService,
  scope: Scope,
  args: { kind: RecordReportKind; format: ReportFormat; year?: number | null; recordId?: string | null; transferId?: string | null },
): Promise<ReportFileResult> {
  const actor = scope.requireActor();
  if (!(args.format in CONTENT_TYPES)) throw badInput('Định dạng tệp không hợp lệ.', 'format');
  if (!actor.roles.some((r) => r !== 'QUAN_TRI')) throw forbidden('Bạn không có quyền in danh mục hồ sơ.');
  const agency = await scope.em.findOneOrFail(Agency, { id: actor.agencyId }, { populate: ['parent'] });
  const now = services.clock.now();
  const heading = { parentAgencyName: agency.parent?.name ?? null, agencyName: agency.name };
  const footnote = `Xuất từ Hệ thống Công Văn ngày ${formatDmy(localDateOf(now))} — ${actor.fullName}`;
  let table: RegisterTable;
  let name: string;

  const idsOf = (ids: (string | undefined)[]) => [...new Set(ids.filter((x): x is string => !!x))];

  if (args.kind === 'DANH_MUC_HO_SO') {
    const year = args.year;
    if (year == null || !Number.isInteger(year) || year < 1900 || year > 2100) throw badInput('Chọn năm của danh mục hồ sơ.', 'year');
    const rows = await scope.em.find(ArchiveRecord, { agency: agency.id, year }, { orderBy: { fileNotation: 'asc' } });
    const units = new Map((await scope.em.find(Unit, { id: { $in: idsOf(rows.map((r) => r.unit?.id)) } })).map((u) => [u.id, u.name]));
    const users = new Map((await scope.em.find(User, { id: { $in: idsOf(rows.map((r) => r.creator?.id)) } })).map((u) => [u.id, u.fullName]));
    table = {
      ...heading,
      title: 'DANH MỤC HỒ SƠ',
      subtitles: [`Năm ${year}`],
      footnote,
      sheetName: `Danh muc ho so ${year}`,
      columns: [
        { header: 'Số và ký hiệu hồ sơ', width: 14, align: 'center' },
        { header: 'Tên đề mục và tiêu đề hồ sơ', width: 46 },
        { header: 'Thời hạn bảo quản', width: 12, align: 'center' },
        { header: 'Đơn vị/người lập hồ sơ', width: 24 },
        { header: 'Ghi chú', width: 16 },
      ],
      rows: rows.map((r): Cell[] => [
        r.fileNotation,
        r.title,
        retentionText(r.retentionYears),
        [r.unit ? units.get(r.unit.id) : null, r.creator ? users.get(r.creator.id) : null].filter(Boolean).join(' / '),
        stateNote(r),
      ]),
      emptyText: 'Chưa có hồ sơ nào trong danh mục năm này.',
    };
    name = `Danh mục hồ sơ ${year}`;
  } else if (args.kind === 'MUC_LUC_HO_SO') {
    let rows: ArchiveRecord[];
    let subtitle: string;
    if (args.transferId) {
      if (!isUuid(args.transferId)) throw badInput('Lần nộp lưu không hợp lệ.', 'transferId');
      const t = await scope.em.findOne(RecordTransfer, { id: args.transferId, agency: agency.id });
      if (!t) throw badInput('Lần nộp lưu không tồn tại.', 'transferId');
      rows = await scope.em.find(ArchiveRecord, { transfer: t.id }, { orderBy: { year: 'asc', fileNotation: 'asc' } });
      subtitle = `Nộp lưu ngày ${formatDmy(localDateOf(t.transferredAt))}`;
    } else {
      const year = args.year;
      if (year == null || !Number.isInteger(year) || year < 1900 || year > 2100) throw badInput('Chọn lần nộp lưu hoặc năm.', 'transferId');
      rows = await scope.em.find(ArchiveRecord, { agency: agency.id, year, state: { $in: ['TRANSFERRED', 'DISPOSED'] } }, { orderBy: { fileNotation: 'asc' } });
      subtitle = `Hồ sơ năm ${year}`;
    }
    const stats = await recordStats(scope.em, rows.map((r) => r.id));
    table = {
      ...heading,
      title: 'MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU',
      subtitles: [subtitle],
      footnote,
      sheetName: 'Muc luc ho so',
      columns: [
        { header: 'STT', width: 6, align: 'center' },
        { header: 'Số, ký hiệu hồ sơ', width: 14, align: 'center' },
        { header: 'Tiêu đề hồ sơ', width: 44 },
        { header: 'Thời gian tài liệu', width: 22, align: 'center' },
        { header: 'Thời hạn bảo quản', width: 12, align: 'center' },
        { header: 'Số văn bản / số trang', width: 12, align: 'center' },
        { header: 'Ghi chú', width: 16 },
      ],
      rows: rows.map((r, i): Cell[] => {
        const s = stats.get(r.id);
        const from = r.metadata?.startDate ?? s?.firstDate ?? null;
        const to = r.metadata?.endDate ?? s?.lastDate ?? null;
        return [i + 1, r.fileNotation, r.title, from || to ? `${dmy(from)} – ${dmy(to)}` : '', retentionText(r.retentionYears), `${s?.documentCount ?? 0} / ${s?.pageTotal ?? 0}`, stateNote(r)];
      }),
      emptyText: 'Không có hồ sơ nộp lưu.',
    };
    name = 'Mục lục hồ sơ nộp lưu';
  } else if (args.kind === 'MUC_LUC_VAN_BAN') {
    if (!args.recordId) throw badInput('Chọn hồ sơ.', 'recordId');
    const r = await records.get(scope, args.recordId);
    const docs = await records.documentsOf(scope, r);
    const stats = (await recordStats(scope.em, [r.id])).get(r.id) ?? EMPTY_STATS;
    const until = records.retentionUntil(r, stats);
    table = {
      ...heading,
      title: 'MỤC LỤC VĂN BẢN',
      subtitles: [`Hồ sơ số ${r.fileNotation}: ${r.title}`, `Mã hồ sơ ${r.fileCode} — Thời hạn bảo quản: ${retentionText(r.retentionYears)}${until ? ` (đến năm ${until})` : ''}`],
      footnote,
      sheetName: 'Muc luc van ban',
      columns: [
        { header: 'STT', width: 6, align: 'center' },
        { header: 'Số, ký hiệu văn bản', width: 16, align: 'center' },
        { header: 'Ngày tháng năm văn bản', width: 12, align: 'center' },
        { header: 'Tác giả văn bản', width: 24 },
        { header: 'Trích yếu nội dung văn bản', width: 44 },
        { header: 'Số trang', width: 8, align: 'center' },
        { header: 'Ghi chú', width: 14 },
      ],
      rows: docs.map(({ order, document: d }): Cell[] => [
        order,
        d.symbol ?? '',
        d.issuedDate ? { date: d.issuedDate } : null,
        d.issuerName ?? '',
        d.subject,
        d.pageCount ?? null,
        d.metadataUnverified ? 'Chưa kiểm tra' : '',
      ]),
      emptyText: 'Hồ sơ chưa có văn bản.',
    };
    name = `Mục lục văn bản hồ sơ ${r.fileNotation.replace(/[/\\]/g, '_')}`;
  } else {
    throw badInput('Loại báo cáo không hợp lệ.', 'kind');
  }

  const buffer = args.format === 'PDF' ? await renderRegisterPdf(table) : await renderRegisterXlsx(table);
  const fileName = `${name}.${EXT[args.format]}`;
  const put = await services.storage.put(buffer, { contentType: CONTENT_TYPES[args.format] });
  await scope.transaction(async (tx) => {
    tx.audit({
      action: 'report.export',
      targetType: args.kind === 'MUC_LUC_VAN_BAN' ? 'record' : 'agency',
      targetId: args.kind === 'MUC_LUC_VAN_BAN' ? args.recordId : agency.id,
      agencyId: agency.id,
      data: { kind: args.kind, format: args.format, year: args.year ?? null, transferId: args.transferId ?? null, rows: table.rows.length, key: put.key },
    });
  });
  const url = await services.storage.presignedGetUrl(put.key, { fileName, expiresSeconds: REPORT_URL_SECONDS, contentType: CONTENT_TYPES[args.format] });
  return { fileName, contentType: CONTENT_TYPES[args.format], url, rows: table.rows.length };
}

function stateNote(r: ArchiveRecord): string {
  switch (r.state) {
    case 'OPEN':
      return '';
    case 'CLOSED':
      return 'Đã kết thúc';
    case 'TRANSFERRED':
      return r.legalHold ? 'Đã nộp lưu; phong tỏa' : 'Đã nộp lưu';
    case 'DISPOSED':
      return 'Đã hủy';
  }
}
