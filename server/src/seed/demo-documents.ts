/**
 * Demo documents for `npm start` / `seed-demo`: a realistic working day in the provincial office, created
 * through the real services (so numbers, audit trail, notifications and recipient statuses are genuine).
 * Not part of the test template databases (tests build their own data).
 */
import path from 'node:path';
import PDFDocument from 'pdfkit';
import type { Services } from '../services';
import { User } from '../modules/identity/entities/user.entity';
import { Unit } from '../modules/identity/entities/unit.entity';
import { Agency } from '../modules/identity/entities/agency.entity';
import { toActor } from '../modules/identity/identity.service';
import { addDays, localDateOf } from '../modules/documents/domain';
import { Scope } from '../shared/scope';

const FONT_DIR = path.dirname(require.resolve('dejavu-fonts-ttf/package.json'));
const SERIF = path.join(FONT_DIR, 'ttf', 'DejaVuSerif.ttf');
const SERIF_BOLD = path.join(FONT_DIR, 'ttf', 'DejaVuSerif-Bold.ttf');

interface DemoPdf {
  superior?: string;
  organ: string;
  symbol: string;
  place: string;
  date: string;
  typeName: string | null;
  subject: string;
  body: string[];
  signerTitle: string;
  signerName: string;
}

/** A one-page Decree 30 layout PDF with a real text layer. */
export function renderDemoPdf(d: DemoPdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margins: { top: 57, bottom: 57, left: 85, right: 57 }, info: { Title: d.subject } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const left = 85;
    const colW = 200;
    const right = 300;
    doc.font(SERIF).fontSize(12);
    if (d.superior) doc.text(d.superior.toUpperCase(), left, 57, { width: colW, align: 'center' });
    doc.font(SERIF_BOLD).text(d.organ.toUpperCase(), left, doc.y, { width: colW, align: 'center' });
    doc.font(SERIF).fontSize(12).text(`Số: ${d.symbol}`, left, doc.y + 6, { width: colW, align: 'center' });
    if (!d.typeName) doc.fontSize(11).text(d.subject, left, doc.y + 4, { width: colW, align: 'center' });
    doc.font(SERIF_BOLD).fontSize(12).text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', right, 57, { width: 250, align: 'center' });
    doc.text('Độc lập - Tự do - Hạnh phúc', right, doc.y, { width: 250, align: 'center' });
    const [y, m, day] = d.date.split('-');
    doc.font(SERIF).fontSize(12).text(`${d.place}, ngày ${day} tháng ${m} năm ${y}`, right, doc.y + 14, { width: 250, align: 'center' });
    doc.moveDown(2);
    if (d.typeName) {
      doc.font(SERIF_BOLD).fontSize(14).text(d.typeName.toUpperCase(), left, doc.y, { width: 450, align: 'center' });
      doc.fontSize(12).text(d.subject, left, doc.y + 2, { width: 450, align: 'center' });
      doc.moveDown();
    }
    doc.font(SERIF).fontSize(13);
    for (const p of d.body) doc.text(p, left, doc.y + 6, { width: 450, align: 'justify', indent: 28 });
    doc.moveDown(2);
    const sy = doc.y;
    doc.font(SERIF_BOLD).fontSize(12).text('Nơi nhận:', left, sy, { width: 200 });
    doc.font(SERIF).fontSize(11).text('- Như trên;\n- Lưu: VT.', left, doc.y, { width: 200 });
    doc.font(SERIF_BOLD).fontSize(12).text(d.signerTitle, right, sy, { width: 250, align: 'center' });
    doc.moveDown(4);
    doc.text(d.signerName, right, doc.y, { width: 250, align: 'center' });
    doc.end();
  });
}

const asFile = (buf: Buffer, name: string) => new File([new Uint8Array(buf)], name, { type: 'application/pdf' });

/** Creates the demo documents once (idempotent: does nothing when any document exists). */
export async function seedDemoDocuments(services: Services): Promise<number> {
  const em = services.orm.em.fork();
  const count = await em.getConnection().execute<{ n: string }[]>('select count(*)::text as n from document');
  if (Number(count[0].n) > 0) return 0;

  const as = async (username: string): Promise<Scope> => {
    const u = await services.orm.em.fork().findOneOrFail(User, { username }, { populate: ['agency', 'unit'] });
    return new Scope(services.orm.em.fork(), toActor(u, null));
  };
  const userId = async (username: string) => (await em.findOneOrFail(User, { username })).id;
  const unitId = async (agencyCode: string, abbr: string) => (await em.findOneOrFail(Unit, { abbr, agency: { code: agencyCode } })).id;
  const agencyId = async (code: string) => (await em.findOneOrFail(Agency, { code })).id;
  const today = localDateOf(services.clock.now());
  const UBND = '000.00.00.H27';
  let n = 0;

  const incoming = async (o: {
    issuer: string;
    issuerAgencyCode?: string;
    symbol: string;
    date: string;
    typeName: string | null;
    subject: string;
    body: string[];
    signerTitle: string;
    signerName: string;
    urgency?: string;
    place?: string;
  }) => {
    const pdf = await renderDemoPdf({ organ: o.issuer, symbol: o.symbol, place: o.place ?? 'Hà Nội', date: o.date, typeName: o.typeName, subject: o.subject, body: o.body, signerTitle: o.signerTitle, signerName: o.signerName });
    n++;
    return services.incoming.registerIncoming(await as('vanthu'), {
      issuerName: o.issuerAgencyCode ? null : o.issuer,
      issuerAgencyId: o.issuerAgencyCode ? await agencyId(o.issuerAgencyCode) : null,
      symbol: o.symbol,
      issuedDate: o.date,
      typeName: o.typeName ?? 'Công văn',
      subject: o.subject,
      signerName: o.signerName,
      signerTitle: o.signerTitle,
      urgency: o.urgency ?? 'THUONG',
      pageCount: 1,
      files: [asFile(pdf, `${o.symbol.replace(/\//g, '-')}.pdf`)],
    });
  };

  // 1. Chờ bút phê: a ministry's guidance, submitted to the leader.
  const d1 = await incoming({
    issuer: 'Bộ Nội vụ',
    symbol: '4521/BNV-CCHC',
    date: addDays(today, -3),
    typeName: null,
    subject: 'V/v triển khai Chỉ số cải cách hành chính năm 2026',
    body: ['Thực hiện Kế hoạch cải cách hành chính nhà nước giai đoạn 2021 - 2030, Bộ Nội vụ đề nghị Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương tổ chức tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2026.'],
    signerTitle: 'KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG',
    signerName: 'Nguyễn Duy Thăng',
  });
  await services.incoming.submitForAnnotation(await as('vanthu'), d1.id, await userId('lanhdao'));

  // 2. Đã phân công: lead phòng Kinh tế, co-ordinator phòng Tổng hợp.
  const d2 = await incoming({
    issuer: 'Văn phòng Chính phủ',
    symbol: '8123/VPCP-KTTH',
    date: addDays(today, -5),
    typeName: null,
    subject: 'V/v báo cáo tình hình giải ngân vốn đầu tư công',
    body: ['Văn phòng Chính phủ đề nghị các Bộ, cơ quan và địa phương báo cáo tình hình giải ngân vốn đầu tư công năm 2026, gửi về Bộ Tài chính trước ngày 30 hằng tháng.'],
    signerTitle: 'KT. BỘ TRƯỞNG, CHỦ NHIỆM\nPHÓ CHỦ NHIỆM',
    signerName: 'Mai Thị Thu Vân',
    urgency: 'KHAN',
  });
  await services.incoming.submitForAnnotation(await as('vanthu'), d2.id, await userId('lanhdao'));
  await services.incoming.annotate(await as('lanhdao'), d2.id, {
    instruction: 'Giao Phòng Kinh tế chủ trì, phối hợp Phòng Tổng hợp tham mưu báo cáo; trình trước hạn.',
    lead: { unitId: await unitId(UBND, 'KT'), deadline: addDays(today, 7) },
    coordinators: [{ unitId: await unitId(UBND, 'TH'), deadline: addDays(today, 5) }],
  });

  // 3. Đang xử lý, Hỏa tốc: lead = the chuyên viên in person, with a progress note.
  const d3 = await incoming({
    issuer: 'Sở Y tế tỉnh Bắc Ninh',
    issuerAgencyCode: '000.00.06.H27',
    symbol: '1502/SYT-NVY',
    date: addDays(today, -1),
    typeName: 'Tờ trình',
    subject: 'Về việc phê duyệt kế hoạch phòng, chống dịch bệnh mùa đông xuân',
    body: ['Sở Y tế kính trình Ủy ban nhân dân tỉnh xem xét, phê duyệt Kế hoạch phòng, chống dịch bệnh mùa đông xuân năm 2026 - 2027 trên địa bàn tỉnh.'],
    signerTitle: 'GIÁM ĐỐC',
    signerName: 'Nguyễn Văn Bình',
    urgency: 'HOA_TOC',
    place: 'Bắc Ninh',
  });
  await services.incoming.submitForAnnotation(await as('vanthu'), d3.id, await userId('lanhdao'));
  const a3 = await services.incoming.annotate(await as('lanhdao'), d3.id, {
    instruction: 'Đ/c Minh nghiên cứu, tham mưu ngay trong ngày.',
    lead: { userId: await userId('chuyenvien'), deadline: addDays(today, 1) },
  });
  const lead3 = (await services.orm.em.fork().getConnection().execute<{ id: string }[]>(`select id from assignment where document_id = ? and role = 'LEAD' and active`, [a3.id]))[0];
  await services.incoming.addProgress(await as('chuyenvien'), lead3.id, 'Đã rà soát dự thảo kế hoạch, đang lấy ý kiến Sở Tài chính về kinh phí.');

  // 4. Hoàn thành.
  const d4 = await incoming({
    issuer: 'Sở Nội vụ tỉnh Bắc Ninh',
    issuerAgencyCode: '000.00.02.H27',
    symbol: '889/SNV-TCBC',
    date: addDays(today, -10),
    typeName: 'Báo cáo',
    subject: 'Kết quả thực hiện tinh giản biên chế năm 2026',
    body: ['Sở Nội vụ báo cáo kết quả thực hiện tinh giản biên chế năm 2026 của các cơ quan, đơn vị trên địa bàn tỉnh.'],
    signerTitle: 'GIÁM ĐỐC',
    signerName: 'Lê Văn Hòa',
    place: 'Bắc Ninh',
  });
  await services.incoming.submitForAnnotation(await as('vanthu'), d4.id, await userId('lanhdao'));
  const a4 = await services.incoming.annotate(await as('lanhdao'), d4.id, { instruction: 'Giao Phòng Kinh tế nghiên cứu.', lead: { unitId: await unitId(UBND, 'KT'), deadline: addDays(today, 2) } });
  const lead4 = (await services.orm.em.fork().getConnection().execute<{ id: string }[]>(`select id from assignment where document_id = ? and role = 'LEAD' and active`, [a4.id]))[0];
  await services.incoming.reassign(await as('truongphong'), lead4.id, await userId('chuyenvien'));
  await services.incoming.completeAssignment(await as('chuyenvien'), lead4.id, 'Đã tổng hợp, báo cáo lãnh đạo.');

  // 5. Outgoing: a draft, one waiting for approval, one signed waiting to be issued, one issued to two agencies.
  const draft = async (subject: string, typeCode: string | null, recipients: string[], body: string) => {
    const pdf = await renderDemoPdf({ superior: 'UBND TỈNH BẮC NINH', organ: 'Ủy ban nhân dân tỉnh Bắc Ninh', symbol: `    /${typeCode ? `${typeCode}-` : ''}UBND`, place: 'Bắc Ninh', date: today, typeName: typeCode ? null : null, subject, body: [body], signerTitle: 'KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH', signerName: 'Phạm Quốc Hùng' });
    n++;
    return services.outgoing.createDraft(await as('chuyenvien'), {
      typeCode,
      typeName: typeCode ? null : 'Công văn',
      subject,
      recipientAgencyIds: await Promise.all(recipients.map(agencyId)),
      externalRecipients: ['Bộ Kế hoạch và Đầu tư'],
      files: [asFile(pdf, 'du-thao.pdf')],
    });
  };
  await draft('V/v đôn đốc triển khai chuyển đổi số năm 2027', null, ['000.00.07.H27'], 'Ủy ban nhân dân tỉnh đề nghị các sở, ngành khẩn trương triển khai Kế hoạch chuyển đổi số năm 2027.');
  const inApproval = await draft('V/v góp ý dự thảo Quy chế làm việc', null, ['000.00.02.H27'], 'Đề nghị Sở Nội vụ góp ý dự thảo Quy chế làm việc của Ủy ban nhân dân tỉnh nhiệm kỳ 2026 - 2031.');
  await services.outgoing.submitForApproval(await as('chuyenvien'), inApproval.id);
  const signed = await draft('Kế hoạch tổ chức Hội nghị tổng kết công tác năm 2026', 'KH', ['000.00.02.H27', '000.00.03.H27'], 'Ủy ban nhân dân tỉnh ban hành Kế hoạch tổ chức Hội nghị tổng kết công tác năm 2026 và triển khai nhiệm vụ năm 2027.');
  await services.outgoing.submitForApproval(await as('chuyenvien'), signed.id);
  await services.outgoing.approve(await as('truongphong'), signed.id, 'Đồng ý, trình lãnh đạo ký.');
  await services.outgoing.approve(await as('lanhdao'), signed.id);
  await services.outgoing.sign(await as('lanhdao'), signed.id);
  const issued = await draft('V/v tăng cường công tác phòng, chống thiên tai cuối năm', null, ['000.00.02.H27', '000.10.00.H27'], 'Ủy ban nhân dân tỉnh yêu cầu các sở, ngành, UBND các huyện chủ động phòng, chống thiên tai cuối năm.');
  await services.outgoing.submitForApproval(await as('chuyenvien'), issued.id);
  await services.outgoing.approve(await as('truongphong'), issued.id);
  await services.outgoing.approve(await as('lanhdao'), issued.id);
  await services.outgoing.sign(await as('lanhdao'), issued.id);
  await services.outgoing.issue(await as('vanthu'), issued.id);
  // Sở Nội vụ registers it at once; UBND huyện Lương Tài has it waiting in "chờ vào sổ".
  const atSnv = (await services.orm.em.fork().getConnection().execute<{ id: string }[]>(`select d.id from document d join agency a on a.id = d.agency_id where d.source_document_id = ? and a.code = '000.00.02.H27'`, [issued.id]))[0];
  await services.incoming.registerIncoming(await as('snv.vanthu'), { documentId: atSnv.id });

  // 6. Sở Tài chính sends a công văn to the UBND tỉnh: it waits in the văn thư's "chờ vào sổ".
  const stc = await renderDemoPdf({ organ: 'Sở Tài chính tỉnh Bắc Ninh', symbol: '    /STC-NS', place: 'Bắc Ninh', date: today, typeName: null, subject: 'V/v bổ sung dự toán kinh phí năm 2026', body: ['Sở Tài chính kính đề nghị Ủy ban nhân dân tỉnh xem xét bổ sung dự toán kinh phí năm 2026 cho các đơn vị.'], signerTitle: 'GIÁM ĐỐC', signerName: 'Nguyễn Văn Dũng' });
  const stcDraft = await services.outgoing.createDraft(await as('stc.chuyenvien'), { typeName: 'Công văn', subject: 'V/v bổ sung dự toán kinh phí năm 2026', recipientAgencyIds: [await agencyId(UBND)], files: [asFile(stc, 'du-thao.pdf')] });
  await services.outgoing.submitForApproval(await as('stc.chuyenvien'), stcDraft.id);
  await services.outgoing.approve(await as('stc.truongphong'), stcDraft.id);
  await services.outgoing.approve(await as('stc.lanhdao'), stcDraft.id);
  await services.outgoing.sign(await as('stc.lanhdao'), stcDraft.id);
  await services.outgoing.issue(await as('stc.vanthu'), stcDraft.id);
  n++;
  return n;
}
