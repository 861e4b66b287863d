/**
 * Files of a meeting, rendered with the documents module's report renderers (report-render/pdf.ts):
 * biên bản (MINUTES, PDF), kết quả biểu quyết (VOTE_RESULTS, PDF or CSV), the body of the Giấy mời / Thông báo
 * kết luận drafted into the outgoing flow, and the printable Lịch công tác tuần.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Agency } from '../identity/entities/agency.entity';
import { renderFormPdf, renderRegisterPdf } from '../documents/report-render/pdf';
import type { Cell, FormSection } from '../documents/report-render/model';
import { attendance, tally, votePassed } from './domain/rules';
import type { MeetingState } from './meetings.state';

const VN_OFFSET_MS = 7 * 3600_000;
/** dd/mm/yyyy hh:mm in Vietnam time. */
export function vnDateTime(d: Date): string {
  const t = new Date(d.getTime() + VN_OFFSET_MS).toISOString();
  return `${t.slice(8, 10)}/${t.slice(5, 7)}/${t.slice(0, 4)} ${t.slice(11, 16)}`;
}
export const vnTime = (d: Date) => vnDateTime(d).slice(11);
export const vnDate = (d: Date) => vnDateTime(d).slice(0, 10);

const CHOICE_VI = { AGREE: 'Đồng ý', DISAGREE: 'Không đồng ý', ABSTAIN: 'Không biểu quyết' } as const;
const ROLE_VI = { CHAIR: 'Chủ trì', SECRETARY: 'Thư ký', MEMBER: 'Thành viên', GUEST: 'Khách mời' } as const;

async function heading(em: EntityManager, agencyId: string) {
  const a = await em.findOneOrFail(Agency, { id: agencyId }, { populate: ['parent'] });
  return { agencyName: a.name, parentAgencyName: a.parent?.name ?? null };
}

const name = (s: MeetingState, id: string | null) => (id ? (s.users.get(id)?.fullName ?? '') : '');

/** Biên bản cuộc họp. */
export async function renderMinutesPdf(em: EntityManager, s: MeetingState, footnote: string): Promise<{ buffer: Buffer; rows: number }> {
  const att = attendance(s);
  const sections: FormSection[] = [
    {
      heading: 'Thành phần tham dự',
      lines: s.participants.map((p) => `${ROLE_VI[p.role]}: ${name(s, p.userId)}${p.checkedInAt ? ` (có mặt ${vnTime(p.checkedInAt)})` : ' (vắng)'}`),
    },
    ...s.items.map((i) => ({
      heading: `Nội dung ${i.order}: ${i.title}`,
      lines: [
        ...(i.presenterId ? [`Trình bày: ${name(s, i.presenterId)}`] : []),
        ...(i.documents.length ? [`Tài liệu: ${i.documents.map((d) => d.title).join('; ')}`] : []),
        `Diễn biến: ${i.minutes ?? '(chưa ghi)'}`,
        ...i.speakers.filter((x) => x.status === 'DONE' || x.status === 'SPEAKING').map((x) => `Phát biểu: ${name(s, x.userId)}`),
        ...i.votes.map((v) => {
          const t = tally(v);
          const res = votePassed(v);
          return `Biểu quyết${v.secret ? ' kín' : ''} "${v.question}": Đồng ý ${t.agree ?? '—'}, Không đồng ý ${t.disagree ?? '—'}, Không biểu quyết ${t.abstain ?? '—'}, Chưa biểu quyết ${t.notVoted}/${t.eligible}${res === null ? ' (đang biểu quyết)' : res ? ' — Thông qua' : ' — Không thông qua'}`;
        }),
        ...i.votes
          .filter((v) => !v.secret)
          .flatMap((v) => (['AGREE', 'DISAGREE', 'ABSTAIN'] as const).map((c) => [c, [...v.voters].filter(([, x]) => x === c).map(([u]) => name(s, u))] as const))
          .filter(([, names]) => names.length)
          .map(([c, names]) => `  ${CHOICE_VI[c]}: ${names.join(', ')}`),
        `Kết luận: ${i.conclusion ?? (i.status === 'PASSED' ? 'Thông qua, không có ý kiến khác.' : '(chưa kết luận)')}`,
        ...i.tasks.map((t) => `Giao ${name(s, t.assigneeId)}: ${t.title} (hạn ${t.deadline.split('-').reverse().join('/')})`),
      ],
    })),
  ];
  const buffer = await renderFormPdf({
    ...(await heading(em, s.agencyId)),
    title: 'BIÊN BẢN CUỘC HỌP',
    subtitles: [s.title],
    sheetName: 'Bien ban',
    footnote,
    fields: [
      ['Thời gian', `${vnDateTime(s.startsAt)} – ${vnDateTime(s.endsAt)}`],
      ['Địa điểm', s.location ?? ''],
      ['Chủ trì', name(s, s.chairId)],
      ['Thư ký', name(s, s.secretaryId)],
      ['Có mặt', `${att.present}/${att.invited} (thành viên biểu quyết ${att.votingPresent}/${att.votingMembers}, ${att.quorumMet ? 'đủ' : 'không đủ'} số lượng tối thiểu ${att.quorum})`],
    ],
    sections,
  });
  return { buffer, rows: s.items.length };
}

/** One row per vote. */
export function voteRows(s: MeetingState): Cell[][] {
  const rows: Cell[][] = [];
  for (const i of s.items)
    for (const v of i.votes) {
      const t = tally(v);
      const res = votePassed(v);
      rows.push([rows.length + 1, `${i.order}. ${i.title}`, v.question, v.secret ? 'Kín' : 'Công khai', t.agree, t.disagree, t.abstain, t.notVoted, t.eligible, res === null ? 'Đang biểu quyết' : res ? 'Thông qua' : 'Không thông qua']);
    }
  return rows;
}
const VOTE_HEADERS = ['STT', 'Nội dung', 'Câu hỏi biểu quyết', 'Hình thức', 'Đồng ý', 'Không đồng ý', 'Không biểu quyết', 'Chưa biểu quyết', 'Tổng số thành viên', 'Kết quả'];

export async function renderVotesPdf(em: EntityManager, s: MeetingState, footnote: string) {
  const rows = voteRows(s);
  const buffer = await renderRegisterPdf({
    ...(await heading(em, s.agencyId)),
    title: 'KẾT QUẢ BIỂU QUYẾT',
    subtitles: [s.title, vnDateTime(s.startsAt)],
    sheetName: 'Bieu quyet',
    footnote,
    columns: VOTE_HEADERS.map((h, i) => ({ header: h, width: [4, 22, 26, 8, 7, 7, 8, 8, 8, 10][i], align: i >= 4 && i <= 8 ? 'right' : 'left' })),
    rows,
    emptyText: 'Cuộc họp chưa có biểu quyết nào.',
  });
  return { buffer, rows: rows.length };
}

/** CSV (UTF-8 with BOM for spreadsheet programs, RFC 4180 quoting). Secret votes: only the tally, never voters. */
export function renderVotesCsv(s: MeetingState): { buffer: Buffer; rows: number } {
  const rows = voteRows(s);
  const q = (c: Cell) => {
    const t = c == null ? '' : typeof c === 'object' ? c.date : String(c);
    return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
  };
  const text = [VOTE_HEADERS, ...rows].map((r) => r.map(q).join(',')).join('\r\n') + '\r\n';
  return { buffer: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]), rows: rows.length };
}

/** Body of the Giấy mời / Thông báo kết luận attached to the outgoing draft. */
export async function renderMeetingLetterPdf(em: EntityManager, s: MeetingState, kind: 'INVITATION' | 'CONCLUSION'): Promise<Buffer> {
  const h = await heading(em, s.agencyId);
  if (kind === 'INVITATION')
    return renderFormPdf({
      ...h,
      title: 'GIẤY MỜI',
      subtitles: [`Về việc: ${s.title}`],
      sheetName: 'Giay moi',
      fields: [
        ['Thời gian', `${vnDateTime(s.startsAt)} – ${vnDateTime(s.endsAt)}`],
        ['Địa điểm', s.location ?? ''],
        ['Chủ trì', name(s, s.chairId)],
        ['Thành phần', s.participants.filter((p) => p.role !== 'CHAIR').map((p) => name(s, p.userId)).join(', ')],
      ],
      sections: [{ heading: 'Chương trình', lines: s.items.map((i) => `${i.order}. ${i.title}${i.presenterId ? ` (trình bày: ${name(s, i.presenterId)})` : ''}`) }],
    });
  return renderFormPdf({
    ...h,
    title: 'THÔNG BÁO KẾT LUẬN',
    subtitles: [`của ${name(s, s.chairId)} tại cuộc họp: ${s.title}`, vnDateTime(s.startsAt)],
    sheetName: 'Thong bao',
    fields: [['Thành phần', s.participants.map((p) => name(s, p.userId)).join(', ')]],
    sections: s.items
      .filter((i) => i.status !== 'PENDING')
      .map((i) => ({
        heading: i.title,
        lines: [i.conclusion ?? 'Thông qua, không có ý kiến khác.', ...i.tasks.map((t) => `Giao ${name(s, t.assigneeId)}: ${t.title}, hạn ${t.deadline.split('-').reverse().join('/')}.`)],
      })),
  });
}

export interface CalendarRow {
  date: string;
  startsAt: Date;
  endsAt: Date;
  title: string;
  leaders: string;
  location: string | null;
}

const WEEKDAY = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];

/** Lịch công tác tuần (landscape table). */
export async function renderCalendarPdf(em: EntityManager, agencyId: string, week: { from: string; to: string; weekNumber: number }, rows: CalendarRow[], footnote: string): Promise<Buffer> {
  const dmy = (d: string) => d.split('-').reverse().join('/');
  return renderRegisterPdf({
    ...(await heading(em, agencyId)),
    title: 'LỊCH CÔNG TÁC TUẦN',
    subtitles: [`Tuần ${week.weekNumber} (từ ngày ${dmy(week.from)} đến ngày ${dmy(week.to)})`],
    sheetName: 'Lich cong tac',
    footnote,
    columns: [
      { header: 'Ngày', width: 12 },
      { header: 'Thời gian', width: 10 },
      { header: 'Nội dung', width: 45 },
      { header: 'Lãnh đạo / Chủ trì', width: 18 },
      { header: 'Địa điểm', width: 15 },
    ],
    rows: rows.map((r) => [`${WEEKDAY[new Date(`${r.date}T00:00:00Z`).getUTCDay()]}\n${dmy(r.date)}`, `${vnTime(r.startsAt)} – ${vnTime(r.endsAt)}`, r.title, r.leaders, r.location ?? '']),
    emptyText: 'Không có lịch công tác trong tuần.',
  });
}
