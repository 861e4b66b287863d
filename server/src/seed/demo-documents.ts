/**
 * Demo documents for `npm start` / `seed-demo`: a realistic working day in the provincial office, and two hồ sơ of
 * the year holding finished documents, created through the real services (so numbers, audit trail, notifications
 * and recipient statuses are genuine).
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
import { DEMO_AGENCIES } from './demo-data';
import { demoPlan, layoutDemoDocument, symbolOf, type DemoDocSpec, type DemoLayout } from './demo-layout';

const FONT_DIR = path.dirname(require.resolve('dejavu-fonts-ttf/package.json'));
const SERIF = path.join(FONT_DIR, 'ttf', 'DejaVuSerif.ttf');
const SERIF_BOLD = path.join(FONT_DIR, 'ttf', 'DejaVuSerif-Bold.ttf');

/** A one-page PDF with a real text layer, laid out as its type (Decree 30, App. I; see demo-layout.ts). */
export function renderDemoPdf(l: DemoLayout, title: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margins: { top: 57, bottom: 57, left: 71, right: 57 }, info: { Title: title } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    // DejaVu Serif is wider than Times New Roman: 25 mm left margin, 20 mm right, quốc hiệu at 11 pt on one line.
    const left = 71;
    const colW = 195;
    const right = 268;
    const rightW = 272;
    const full = 467;
    // Tên cơ quan (chủ quản, ban hành), số và ký hiệu, "V/v …" for a công văn, độ khẩn.
    doc.font(SERIF).fontSize(12);
    if (l.superior) doc.text(l.superior, left, 57, { width: colW, align: 'center' });
    doc.font(SERIF_BOLD).text(l.organ, left, l.superior ? doc.y : 57, { width: colW, align: 'center' });
    doc.font(SERIF).fontSize(13).text(l.symbolLine, left, doc.y + 8, { width: colW, align: 'center' });
    if (l.cvSubject) doc.fontSize(12).text(l.cvSubject, left, doc.y + 2, { width: colW, align: 'center' });
    if (l.urgencyMark) doc.font(SERIF_BOLD).fontSize(13).text(l.urgencyMark, left, doc.y + 6, { width: colW, align: 'center' });
    const leftBottom = doc.y;
    // Quốc hiệu, tiêu ngữ, địa danh và ngày.
    doc.font(SERIF_BOLD).fontSize(11).text(l.national[0], right, 57, { width: rightW, align: 'center' });
    doc.fontSize(13).text(l.national[1], right, doc.y, { width: rightW, align: 'center', underline: true });
    doc.font(SERIF).fontSize(13).text(l.dateLine, right, doc.y + 8, { width: rightW, align: 'center' });
    doc.y = Math.max(doc.y, leftBottom) + 18;
    if (l.title) {
      doc.font(SERIF_BOLD).fontSize(14).text(l.title.typeName, left, doc.y, { width: full, align: 'center' });
      doc.fontSize(13).text(l.title.subject, left, doc.y + 2, { width: full, align: 'center' });
      doc.moveDown();
    }
    if (l.kinhGui.length) {
      doc.font(SERIF).fontSize(14).text(`Kính gửi: ${l.kinhGui.join('\n')}`, left + 60, doc.y + 4, { width: full - 60 });
      doc.moveDown(0.5);
    }
    for (const p of l.body) {
      // Headings (I., II. …) in bold; a quyết định's "CHỦ TỊCH …" and "QUYẾT ĐỊNH:" bold and centred.
      const centred = /^(QUYẾT ĐỊNH:|CHỦ TỊCH )/.test(p);
      const bold = centred || /^[IVX]+\. /.test(p);
      doc.font(bold ? SERIF_BOLD : SERIF).fontSize(13).text(p, left, doc.y + 6, { width: full, align: centred ? 'center' : 'justify', indent: centred ? 0 : 28 });
    }
    doc.moveDown(2);
    const sy = doc.y;
    doc.font(SERIF_BOLD).fontSize(12).text('Nơi nhận:', left, sy, { width: 210 });
    doc.font(SERIF).fontSize(11).text(l.recipients.map((r) => `- ${r}`).join('\n'), left, doc.y, { width: 210 });
    doc.font(SERIF_BOLD).fontSize(13).text(l.signer.block.join('\n'), right, sy, { width: rightW, align: 'center' });
    doc.moveDown(4);
    doc.text(l.signer.name, right, doc.y, { width: rightW, align: 'center' });
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
  const user = async (username: string) => em.findOneOrFail(User, { username });
  const userId = async (username: string) => (await user(username)).id;
  const unitId = async (agencyCode: string, abbr: string) => (await em.findOneOrFail(Unit, { abbr, agency: { code: agencyCode } })).id;
  const agencyId = async (code: string) => (await em.findOneOrFail(Agency, { code })).id;
  const code = (key: string) => DEMO_AGENCIES.find((a) => a.key === key)!.code;
  const today = localDateOf(services.clock.now());
  const UBND = code('ubnd');
  const plan = demoPlan(today, {
    lanhdao: (await user('lanhdao')).fullName,
    'snv.lanhdao': (await user('snv.lanhdao')).fullName,
    'syt.lanhdao': (await user('syt.lanhdao')).fullName,
    'stc.lanhdao': (await user('stc.lanhdao')).fullName,
  });
  const pdfOf = async (s: DemoDocSpec, name: string) => asFile(await renderDemoPdf(layoutDemoDocument(s), s.subject), name);
  let n = 0;

  const incoming = async (s: DemoDocSpec) => {
    n++;
    const symbol = symbolOf(s);
    return services.incoming.registerIncoming(await as('vanthu'), {
      issuerName: s.issuer.agencyCode ? null : s.issuer.name,
      issuerAgencyId: s.issuer.agencyCode ? await agencyId(s.issuer.agencyCode) : null,
      symbol,
      issuedDate: s.date,
      typeName: s.typeName,
      subject: s.subject,
      signerName: s.signer.name,
      signerTitle: s.signer.block.at(-1)!,
      urgency: s.urgency,
      pageCount: 1,
      files: [await pdfOf(s, `${symbol.replace(/\//g, '-')}.pdf`)],
    });
  };

  // 1. Chờ bút phê: a ministry's công văn, submitted to the leader.
  const d1 = await incoming(plan.incoming.bnv);
  await services.incoming.submitForAnnotation(await as('vanthu'), d1.id, await userId('lanhdao'));

  // 2. Đã phân công: lead phòng Kinh tế, co-ordinator phòng Tổng hợp.
  const d2 = await incoming(plan.incoming.btc);
  await services.incoming.submitForAnnotation(await as('vanthu'), d2.id, await userId('lanhdao'));
  await services.incoming.annotate(await as('lanhdao'), d2.id, {
    instruction: 'Giao Phòng Kinh tế chủ trì, phối hợp Phòng Tổng hợp tham mưu báo cáo; trình trước hạn.',
    lead: { unitId: await unitId(UBND, 'KT'), deadline: addDays(today, 7) },
    coordinators: [{ unitId: await unitId(UBND, 'TH'), deadline: addDays(today, 5) }],
  });

  // 3. Đang xử lý, Hỏa tốc: Sở Y tế's tờ trình; lead = the chuyên viên in person, with a progress note.
  const d3 = await incoming(plan.incoming.syt);
  await services.incoming.submitForAnnotation(await as('vanthu'), d3.id, await userId('lanhdao'));
  const a3 = await services.incoming.annotate(await as('lanhdao'), d3.id, {
    instruction: 'Đ/c Minh nghiên cứu, tham mưu ngay trong ngày.',
    lead: { userId: await userId('chuyenvien'), deadline: addDays(today, 1) },
  });
  const lead3 = (await services.orm.em.fork().getConnection().execute<{ id: string }[]>(`select id from assignment where document_id = ? and role = 'LEAD' and active`, [a3.id]))[0];
  await services.incoming.addProgress(await as('chuyenvien'), lead3.id, 'Đã rà soát dự thảo kế hoạch, đang lấy ý kiến Sở Tài chính về kinh phí.');

  // 4. Hoàn thành: Sở Nội vụ's báo cáo.
  const d4 = await incoming(plan.incoming.snv);
  await services.incoming.submitForAnnotation(await as('vanthu'), d4.id, await userId('lanhdao'));
  const a4 = await services.incoming.annotate(await as('lanhdao'), d4.id, { instruction: 'Giao Phòng Kinh tế nghiên cứu.', lead: { unitId: await unitId(UBND, 'KT'), deadline: addDays(today, 2) } });
  const activeLead = async (documentId: string) =>
    (await services.orm.em.fork().getConnection().execute<{ id: string }[]>(`select id from assignment where document_id = ? and role = 'LEAD' and active and state in ('PENDING', 'IN_PROGRESS')`, [documentId]))[0];
  await services.incoming.reassign(await as('truongphong'), (await activeLead(a4.id)).id, await userId('chuyenvien'));
  // Re-assigning hands the lead to a new assignment row: complete that one.
  await services.incoming.completeAssignment(await as('chuyenvien'), (await activeLead(a4.id)).id, 'Đã tổng hợp, báo cáo lãnh đạo.');

  // 5. Outgoing: two drafts, one waiting for approval, one signed waiting to be issued, one issued to two agencies.
  const draft = async (s: DemoDocSpec, recipients: string[], external: string[], drafter = 'chuyenvien') => {
    n++;
    const typeCode = s.typeName === 'Công văn' ? null : s.notation.split('-')[0];
    return services.outgoing.createDraft(await as(drafter), {
      typeCode,
      typeName: typeCode ? null : 'Công văn',
      subject: s.subject,
      urgency: s.urgency,
      recipientAgencyIds: await Promise.all(recipients.map(agencyId)),
      externalRecipients: external,
      files: [await pdfOf(s, 'du-thao.pdf')],
    });
  };
  const approveAndSign = async (id: string, prefix = '') => {
    await services.outgoing.submitForApproval(await as(`${prefix}chuyenvien`), id);
    await services.outgoing.approve(await as(`${prefix}truongphong`), id, prefix ? null : 'Đồng ý, trình lãnh đạo ký.');
    await services.outgoing.approve(await as(`${prefix}lanhdao`), id);
    await services.outgoing.sign(await as(`${prefix}lanhdao`), id);
  };
  await draft(plan.drafts.chuyenDoiSo, [code('skhcn')], ['Bộ Khoa học và Công nghệ']);
  await draft(plan.drafts.thiDua, [code('snv')], []);
  const inApproval = await draft(plan.drafts.quyChe, [code('snv')], []);
  await services.outgoing.submitForApproval(await as('chuyenvien'), inApproval.id);
  const signed = await draft(plan.drafts.hoiNghi, [code('snv'), code('stc')], []);
  await approveAndSign(signed.id);
  const issued = await draft(plan.drafts.thienTai, [code('snv'), code('luongtai')], []);
  await approveAndSign(issued.id);
  await services.outgoing.issue(await as('vanthu'), issued.id);
  // Delivered through the exchange (outbox → inbox), in process: the seed runs before the workers start.
  await services.exchange.settle();
  // Sở Nội vụ registers it at once; UBND xã Lương Tài has it waiting in "chờ vào sổ".
  const atSnv = (await services.orm.em.fork().getConnection().execute<{ id: string }[]>(`select d.id from document d join agency a on a.id = d.agency_id where d.source_document_id = ? and a.code = ?`, [issued.id, code('snv')]))[0];
  await services.incoming.registerIncoming(await as('snv.vanthu'), { documentId: atSnv.id });

  // 6. Sở Tài chính sends a công văn to the UBND tỉnh: it waits in the văn thư's "chờ vào sổ".
  const stcDraft = await draft(plan.drafts.duToan, [UBND], [], 'stc.chuyenvien');
  await approveAndSign(stcDraft.id, 'stc.');
  await services.outgoing.issue(await as('stc.vanthu'), stcDraft.id);
  // Deliver it, and carry Sở Nội vụ's 03 (registered) back to the UBND tỉnh.
  await services.exchange.settle();

  // 7. Hồ sơ công việc of phòng Kinh tế for the year, each holding a document whose handling is finished: the lưu trữ
  // viên finds them in the danh mục hồ sơ, ready to be closed and transferred (nộp lưu).
  const year = Number(today.slice(0, 4));
  const filed = async (fileNotation: string, title: string, retentionCode: string, documentId: string) => {
    const r = await services.records.create(await as('chuyenvien'), { year, fileNotation, title, retentionCode, retentionYears: null });
    await services.records.fileDocument(await as('chuyenvien'), r.id, documentId);
  };
  await filed('01.KT', `Hồ sơ về kết quả thực hiện tinh giản biên chế năm ${year}`, '20', a4.id);
  await filed('02.KT', `Hồ sơ về công tác phòng, chống thiên tai năm ${year}`, '10', issued.id);
  return n;
}
