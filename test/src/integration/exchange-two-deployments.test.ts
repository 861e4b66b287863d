/**
 * Two deployments on loopback (issue 13): UBND tỉnh Bắc Ninh (H27, the demo) and UBND tỉnh Nghệ An (H41, the
 * second demo data set), each a real API server with its own database and its job workers running, configured
 * as each other's peers (shared secret, signed requests). A document issued at H27 to two Sở of H41 travels
 * outbox → HTTP transport → H41's exchange endpoint → inbox → "chờ vào sổ", with identical files; every
 * status the receivers produce (01, 03, 04, 05, 06 and 02 with its reason) comes back over HTTP by itself,
 * exactly once. Nothing is settled by hand: both deployments' workers do the work.
 */
import { PDFDocument } from 'pdf-lib';
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import { Assignment } from '../../../server/src/modules/documents/entities/assignment.entity';
import { Document } from '../../../server/src/modules/documents/entities/document.entity';
import { DocumentFile } from '../../../server/src/modules/documents/entities/document-file.entity';
import { Recipient } from '../../../server/src/modules/documents/entities/misc.entities';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { ExchangeInbox, ExchangeOutbox } from '../../../server/src/modules/exchange/exchange.entities';
import { generatePeerSecret } from '../../../server/src/modules/exchange/http-auth';
import { TrustAnchor } from '../../../server/src/modules/signing/signing.entities';
import { seedDemo } from '../../../server/src/seed/demo';
import { DEMO_PEER_AGENCIES } from '../../../server/src/seed/demo-peer-data';
import { until } from '../support/until';
import { startTestServer, type TestServer } from '../support/server';
import { approveSignAndIssue } from '../support/issuing';

let h27: TestServer;
let h41: TestServer;
const SNV41 = '000.00.02.H41';
const STC41 = '000.00.03.H41';

/** A scanned-like draft (no text layer: the thể thức check has nothing to read), unique by its title. */
async function pdf(tag: string): Promise<File> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  doc.setTitle(tag);
  return new File([Buffer.from(await doc.save())], 'cong-van.pdf', { type: 'application/pdf' });
}

const em27 = () => h27.runtime.rt.orm.em.fork();
const em41 = () => h41.runtime.rt.orm.em.fork();

beforeAll(async () => {
  [h27, h41] = await Promise.all([startTestServer(), startTestServer({ demo: false })]);
  await seedDemo(h41.runtime.system(), { agencies: DEMO_PEER_AGENCIES });
  const secret = generatePeerSecret();
  await h27.runtime.rt.services.peers.upsertPeer(null, { code: '000.00.00.H41', name: 'UBND tỉnh Nghệ An', url: h41.url, secret });
  // As the two demo deployments pair (CONGVAN_DEMO_PEER_URL): a DEMO peer, whose demo CA Nghệ An comes to trust.
  await h41.runtime.rt.services.peers.upsertPeer(null, { code: '000.00.00.H27', name: 'UBND tỉnh Bắc Ninh', url: h27.url, secret }, 'DEMO');
}, 120_000);
afterAll(async () => {
  await h27?.stop();
  await h41?.stop();
});

describe('two deployments exchange over HTTP', () => {
  it('learn each other\'s directory (signed GET), and the recipient picker lists the peer\'s agencies with their codes', async () => {
    const r27 = await h27.runtime.rt.services.peers.syncAll();
    const r41 = await h41.runtime.rt.services.peers.syncAll();
    expect(r27.peers).toEqual([{ code: '000.00.00.H41', agencies: DEMO_PEER_AGENCIES.length, error: null }]);
    expect(r41.peers).toEqual([{ code: '000.00.00.H27', agencies: expect.any(Number), error: null }]);
    // Signatures are checked at receipt: the demo peer's demo CA came with its directory (demo only; real
    // deployments trust the national root CAs). Bắc Ninh took nothing: its peer is not a DEMO one.
    const [anchor27] = await em27().find(TrustAnchor, {}, { limit: 1 });
    expect((await em41().find(TrustAnchor, {})).map((a) => a.certificatePem)).toEqual([anchor27.certificatePem]);
    expect(await em27().count(TrustAnchor, {})).toBe(1);
    const found = await h27.runtime.rt.services.peers.directory(await h27.runtime.as('chuyenvien'), 'nghe an');
    expect(found).toEqual(
      expect.arrayContaining([
        { code: SNV41, name: 'Sở Nội vụ tỉnh Nghệ An', parentCode: '000.00.00.H41', agencyId: null, peerCode: '000.00.00.H41', peerName: 'UBND tỉnh Nghệ An' },
        expect.objectContaining({ code: STC41, agencyId: null }),
      ]),
    );
    // Our own agencies come first, with their ids.
    const own = await h27.runtime.rt.services.peers.directory(await h27.runtime.as('chuyenvien'), '000.00.02.H27');
    expect(own).toEqual([expect.objectContaining({ code: '000.00.02.H27', agencyId: expect.any(String), peerCode: null })]);
  });

  it('a document issued at H27 reaches two Sở of H41 with identical files; 01, 03, 04, 05, 06 and 02 come back by themselves, exactly once', async () => {
    const out = h27.runtime.rt.services.outgoing;
    const as27 = (u: string) => h27.runtime.as(u);
    const draft = await out.createDraft(await as27('chuyenvien'), {
      typeName: 'Công văn',
      subject: 'V/v phối hợp liên thông văn bản giữa hai tỉnh',
      recipientAgencyCodes: [SNV41, STC41],
      files: [await pdf(`LIEN THONG ${Date.now()}`)],
    });
    const recipients = await em27().find(Recipient, { document: draft.id }, { orderBy: { agencyCode: 'asc' } });
    expect(recipients.map((r) => [r.agency, r.agencyCode, r.name])).toEqual([
      [null, SNV41, 'Sở Nội vụ tỉnh Nghệ An'],
      [null, STC41, 'Sở Tài chính tỉnh Nghệ An'],
    ]);
    const issued = await approveSignAndIssue(h27.runtime, draft.id);
    const mainFile = await em27().findOneOrFail(DocumentFile, { document: issued.id, kind: 'MAIN' }, { orderBy: { version: 'desc' } });

    const recipient = (code: string) => em27().findOneOrFail(Recipient, { document: issued.id, agencyCode: code });
    // Delivered (acknowledged over HTTP) and 01 back, with nobody acting.
    for (const code of [SNV41, STC41]) await until(`01 from ${code}`, async () => (await recipient(code)).statusCode === '01');
    for (const code of [SNV41, STC41]) expect(await recipient(code)).toMatchObject({ transportState: 'DELIVERED', transportError: null });

    // At H41: one "chờ vào sổ" record per Sở, with the very same bytes.
    const incoming = async (code: string) => {
      const rows = await em41().find(Document, { agency: { code }, direction: 'INCOMING' }, { populate: ['agency'] });
      expect(rows).toHaveLength(1);
      return rows[0];
    };
    const snvIn = await incoming(SNV41);
    const stcIn = await incoming(STC41);
    expect(snvIn.subject).toBe('V/v phối hợp liên thông văn bản giữa hai tỉnh');
    for (const d of [snvIn, stcIn]) {
      const files = await em41().find(DocumentFile, { document: d.id });
      expect(files.map((f) => f.sha256)).toContain(mainFile.sha256);
    }
    const inboxRows = await em41().find(ExchangeInbox, { kind: 'DOCUMENT' });
    expect(inboxRows.map((r) => r.recipientCode).sort()).toEqual([SNV41, STC41]);
    expect(inboxRows.every((r) => r.senderCode === '000.00.00.H27')).toBe(true);

    // Sở Nội vụ Nghệ An: vào sổ (03), bút phê (04), progress (05), completion (06).
    const as41 = (u: string) => h41.runtime.as(u);
    const reg = await h41.runtime.rt.services.incoming.registerIncoming(await as41('snv.vanthu'), { documentId: snvIn.id });
    await until('03', async () => (await recipient(SNV41)).statusCode === '03');
    expect(await recipient(SNV41)).toMatchObject({ note: `Số đến: ${reg.incomingNumber}` });
    const lanhdao = await em41().findOneOrFail(User, { username: 'snv.lanhdao' });
    const cv = await em41().findOneOrFail(User, { username: 'snv.chuyenvien' });
    await h41.runtime.rt.services.incoming.submitForAnnotation(await as41('snv.vanthu'), snvIn.id, lanhdao.id);
    await h41.runtime.rt.services.incoming.annotate(await as41('snv.lanhdao'), snvIn.id, { lead: { userId: cv.id }, instruction: 'Giao phòng TCBC chủ trì' });
    await until('04', async () => (await recipient(SNV41)).statusCode === '04');
    const asg = await em41().findOneOrFail(Assignment, { document: snvIn.id });
    await h41.runtime.rt.services.incoming.addProgress(await as41('snv.chuyenvien'), asg.id, 'Đã lấy ý kiến các phòng');
    await until('05', async () => (await recipient(SNV41)).statusCode === '05');
    await h41.runtime.rt.services.incoming.completeAssignment(await as41('snv.chuyenvien'), asg.id, 'Đã báo cáo UBND tỉnh');
    await until('06', async () => (await recipient(SNV41)).statusCode === '06');
    expect(await recipient(SNV41)).toMatchObject({ status: 'DONE' });

    // Sở Tài chính Nghệ An: refuses with a reason (02).
    await h41.runtime.rt.services.incoming.rejectIncoming(await as41('stc.vanthu'), stcIn.id, 'Không thuộc thẩm quyền của Sở Tài chính');
    await until('02', async () => (await recipient(STC41)).statusCode === '02');
    expect(await recipient(STC41)).toMatchObject({ status: 'REJECTED', note: 'Không thuộc thẩm quyền của Sở Tài chính' });

    // Exactly once, in order: one recipient-status event per code at the sender, every outbox row delivered.
    await until('both outboxes drained', async () => {
      const [a, b] = await Promise.all([
        em27().count(ExchangeOutbox, { state: { $ne: 'DELIVERED' } }),
        em41().count(ExchangeOutbox, { state: { $ne: 'DELIVERED' } }),
      ]);
      return a === 0 && b === 0;
    });
    const events = await em27().find(AuditEvent, { action: 'document.recipient_status', targetId: issued.id }, { orderBy: { at: 'asc', id: 'asc' } });
    const codes = (code: string) => events.filter((e) => (e.data as { recipientCode: string }).recipientCode === code).map((e) => (e.data as { statusCode: string }).statusCode);
    expect(codes(SNV41)).toEqual(['01', '03', '04', '05', '06']);
    expect(codes(STC41)).toEqual(['01', '02']);
    const statusRows = await em41().find(ExchangeOutbox, { kind: 'STATUS' });
    expect(statusRows.map((r) => `${r.senderCode}:${r.statusCode}`).sort()).toEqual([`${SNV41}:01`, `${SNV41}:03`, `${SNV41}:04`, `${SNV41}:05`, `${SNV41}:06`, `${STC41}:01`, `${STC41}:02`].sort());
    const received27 = await em27().count(ExchangeInbox, { kind: 'STATUS', senderCode: { $in: [SNV41, STC41] } });
    expect(received27).toBe(7);
  });
});
