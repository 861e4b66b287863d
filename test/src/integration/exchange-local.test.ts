/**
 * The exchange core inside one deployment (issue 13): issuing writes outbox rows in its transaction; the real
 * dispatcher builds the edXML package, the local transport hands it to the inbox, which deduplicates and
 * acknowledges; the apply job creates the recipient's "chờ vào sổ" record with the same files and status 01
 * goes back; the receiver's moves come back as statuses 03–06 (02 with the reason), in order, exactly once.
 * Real PostgreSQL, real storage, real signing; no workers: settleExchange runs the same handlers in process.
 */
import { Readable } from 'node:stream';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { Document } from '../../../server/src/modules/documents/entities/document.entity';
import { DocumentFile } from '../../../server/src/modules/documents/entities/document-file.entity';
import { Assignment } from '../../../server/src/modules/documents/entities/assignment.entity';
import { Notification, Recipient } from '../../../server/src/modules/documents/entities/misc.entities';
import { Agency } from '../../../server/src/modules/identity/entities/agency.entity';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import { ExchangeInbox, ExchangeOutbox } from '../../../server/src/modules/exchange/exchange.entities';
import { SECRET_NOT_DELIVERED_NOTE } from '../../../server/src/modules/exchange/exchange.service';
import { DigestSink, buildEdxmlString, parseEdxml, statusMessage, validateEdxml, type StatusCode } from '../../../server/src/modules/exchange/edxml';
import { createDemoCa, issueEndEntity } from '../../../server/src/modules/signing/crypto/certificates';
import { signPdfWithKey } from '../../../server/src/modules/signing/pdf/local-signer';
import { putClaimed } from '../../../server/src/modules/storage-gc/stored-objects';
import type { Services } from '../../../server/src/services';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { createIssuedDocument, settleExchange } from '../support/exchange';

let t: TestRuntime;
let services: Services;
const A: Record<string, Agency> = {};
const em = () => t.rt.orm.em.fork();
let nextNumber = 9100;

beforeAll(async () => {
  t = await createTestRuntime();
  services = t.rt.services;
  for (const [k, code] of Object.entries({ ubnd: '000.00.00.H27', snv: '000.00.02.H27', stc: '000.00.03.H27' })) A[k] = await em().findOneOrFail(Agency, { code });
});
afterAll(async () => t?.close());

async function pdf(text: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.TimesRoman);
  doc.addPage([595, 842]).drawText(text, { x: 72, y: 760, size: 14, font });
  return doc.save();
}

/** An ISSUED outgoing document of UBND tỉnh with files and recipients, queued for delivery as the issuing transaction does. */
async function issue(opts: { to: Agency[]; external?: string[]; secrecy?: string; files?: Uint8Array[] }) {
  const number = nextNumber++;
  const files = opts.files ?? [await pdf(`QUYET DINH ${number}`)];
  const stored: { key: string; sha256: string; size: number }[] = [];
  for (const f of files) stored.push(await putClaimed(services, Buffer.from(f), { contentType: 'application/pdf' }));
  return t.system().transaction(async (tx) => {
    const { doc, outcome } = await createIssuedDocument(tx, services, {
      agency: A.ubnd,
      number,
      subject: `V/v liên thông văn bản số ${number}`,
      urgency: 'KHAN',
      secrecy: opts.secrecy,
      files: stored,
      recipients: [...opts.to.map((a) => ({ agency: a, name: a.name })), ...(opts.external ?? []).map((n) => ({ name: n }))],
    });
    // In the transaction: the outbox rows and their dispatch jobs exist already.
    const rows = await tx.em.find(ExchangeOutbox, { document: doc.id });
    const jobs = await tx.em.execute<{ n: string }[]>(`select count(*) as n from pgboss.job where name = 'exchange.dispatch' and data->>'outboxId' in (select jsonb_array_elements_text(?::jsonb))`, [JSON.stringify(rows.map((r) => r.id))]);
    return { doc, number, outcome, rowsInTx: rows.length, jobsInTx: Number(jobs[0].n), sha: stored.map((s) => s.sha256), keys: stored.map((s) => s.key) };
  });
}

const recipientOf = (docId: string, agency: Agency) => em().findOneOrFail(Recipient, { document: docId, agency: agency.id }, { populate: ['deliveredDocument'] });
const statusAudits = async (docId: string) =>
  (await em().find(AuditEvent, { action: 'document.recipient_status', targetId: docId }, { orderBy: { at: 'asc', id: 'asc' } })).map((e) => `${(e.data as { recipientCode: string }).recipientCode}:${(e.data as { statusCode: string }).statusCode}`);

async function injectStatus(from: Agency, about: { docId: string; edxmlDocumentId: string }, code: StatusCode, sequence: number, description?: string) {
  const xml = await buildEdxmlString(statusMessage({ from: { organId: from.code, organName: from.name }, about: { organId: A.ubnd.code, documentId: about.edxmlDocumentId }, code, description, now: new Date() }));
  return services.exchange.receiver.receive(Readable.from([Buffer.from(xml, 'utf8')]), { via: 'HTTP', peerId: null, recipientCode: A.ubnd.code, sequence });
}

describe('exchange inside one deployment', () => {
  let first: Awaited<ReturnType<typeof issue>>;

  it('issue → outbox (in the issuing transaction) → package → inbox → "chờ vào sổ" with identical files → 01 back', async () => {
    first = await issue({ to: [A.snv, A.stc], external: ['Báo Bắc Ninh'] });
    expect(first.rowsInTx).toBe(2);
    expect(first.jobsInTx).toBe(2);
    expect(first.outcome.external).toBe(1);
    const queueAudit = await em().find(AuditEvent, { action: 'exchange.queue', targetId: first.doc.id });
    expect(queueAudit).toHaveLength(2);
    expect((await recipientOf(first.doc.id, A.snv)).transportState).toBe('QUEUED');

    const stats = await settleExchange(t);
    expect(stats.dispatched).toBe(4); // 2 packages + 2 status 01
    for (const a of [A.snv, A.stc]) {
      const r = await recipientOf(first.doc.id, a);
      expect(r).toMatchObject({ status: 'DELIVERED', statusCode: '01', transportState: 'DELIVERED', transportError: null, agencyCode: a.code });
      const incoming = await em().findOneOrFail(Document, { id: r.deliveredDocument!.id }, { populate: ['agency', 'sourceDocument', 'issuerAgency'] });
      expect(incoming).toMatchObject({ direction: 'INCOMING', state: 'RECEIVED', electronic: true, symbol: `${first.number}/UBND-TH`, number: first.number, issuedDate: '2026-11-20', urgency: 'KHAN', signerName: 'Nguyễn Văn An' });
      expect(incoming.agency.id).toBe(a.id);
      expect(incoming.sourceDocument!.id).toBe(first.doc.id);
      expect(incoming.issuerAgency!.id).toBe(A.ubnd.id);
      const files = await em().find(DocumentFile, { document: incoming.id });
      expect(files.map((f) => f.sha256)).toEqual(first.sha);
      expect(files.map((f) => f.storageKey)).toEqual(first.keys);
      const vanthu = await em().findOneOrFail(User, { username: a.code === A.snv.code ? 'snv.vanthu' : 'stc.vanthu' });
      expect(await em().count(Notification, { user: vanthu.id, document: incoming.id, kind: 'DOCUMENT_ARRIVED' })).toBe(1);
    }
    const outbox = await em().find(ExchangeOutbox, { edxmlDocumentId: `000.00.00.H27,2026/11/20,${first.number}/UBND-TH` }, { orderBy: { createdAt: 'asc' } });
    expect(outbox.map((o) => `${o.kind}:${o.statusCode ?? o.businessType}:${o.state}`).sort()).toEqual(['DOCUMENT:0:DELIVERED', 'DOCUMENT:0:DELIVERED', 'STATUS:01:DELIVERED', 'STATUS:01:DELIVERED']);
    // The package is a valid edXML document with the files' digests.
    const pkg = outbox.find((o) => o.kind === 'DOCUMENT')!;
    const parsed = await parseEdxml(await services.storage.get(pkg.payloadKey!), new DigestSink());
    expect(validateEdxml(parsed.value, { now: new Date() })).toEqual([]);
    expect(parsed.stored.map((s) => s.sha256)).toEqual(first.sha);
    // Every step wrote its audit event.
    const audits = await em().execute<{ action: string; n: string }[]>(
      `select action, count(*) as n from audit_event where data->>'edxmlDocumentId' = ? group by action order by action`,
      [pkg.edxmlDocumentId],
    );
    expect(Object.fromEntries(audits.map((a) => [a.action, Number(a.n)]))).toEqual({
      'document.deliver': 2,
      'exchange.queue': 4,
      'exchange.receive': 4,
      'exchange.apply': 4,
      'exchange.delivered': 4,
    });
    expect(await statusAudits(first.doc.id)).toEqual(expect.arrayContaining([`${A.snv.code}:01`, `${A.stc.code}:01`]));
  });

  it('deduplicates: the same message received twice, and a re-send after a crash between store and ack, give one record', async () => {
    const row = await em().findOneOrFail(ExchangeOutbox, { document: first.doc.id, recipientCode: A.snv.code, kind: 'DOCUMENT' });
    const again = async () => services.exchange.receiver.receive(await services.storage.get(row.payloadKey!), { via: 'HTTP', peerId: null, recipientCode: A.snv.code, sequence: row.dedupSeq });
    expect(await again()).toEqual({ ok: true, ack: row.ack, duplicate: true });
    expect(await again()).toEqual({ ok: true, ack: row.ack, duplicate: true });
    // Crash after the receiver committed but before the sender recorded the ack: the row is still SENDING
    // with a lapsed lease (or QUEUED) and is sent again.
    await em().nativeUpdate(ExchangeOutbox, { id: row.id }, { state: 'SENDING', leaseUntil: new Date(Date.now() - 1000), ack: null, deliveredAt: null });
    await settleExchange(t);
    const after = await em().findOneOrFail(ExchangeOutbox, { id: row.id });
    expect(after).toMatchObject({ state: 'DELIVERED', ack: row.ack, attempts: 2 });
    expect(await em().count(Document, { sourceDocument: first.doc.id, agency: A.snv.id })).toBe(1);
    expect(await em().count(ExchangeInbox, { kind: 'DOCUMENT', edxmlDocumentId: row.edxmlDocumentId, recipientCode: A.snv.code })).toBe(1);
    const delivered = await em().find(AuditEvent, { action: 'exchange.delivered', data: { outboxId: row.id } as never }, { orderBy: { at: 'asc' } });
    expect(delivered.map((e) => (e.data as { duplicate: boolean }).duplicate)).toEqual([false, true]);
  });

  it('brings the receiver\'s moves back as statuses 03 (số đến), 04, 05, 06 — in order, exactly once', async () => {
    const d = await issue({ to: [A.snv] });
    await settleExchange(t);
    const incomingId = (await recipientOf(d.doc.id, A.snv)).deliveredDocument!.id;
    const vt = await t.as('snv.vanthu');
    const reg = await services.incoming.registerIncoming(vt, { documentId: incomingId });
    await settleExchange(t);
    expect(await recipientOf(d.doc.id, A.snv)).toMatchObject({ statusCode: '03', status: 'RECEIVED', note: `Số đến: ${reg.incomingNumber}` });
    const lanhdao = await em().findOneOrFail(User, { username: 'snv.lanhdao' });
    const cv = await em().findOneOrFail(User, { username: 'snv.chuyenvien' });
    await services.incoming.submitForAnnotation(vt, incomingId, lanhdao.id);
    await services.incoming.annotate(await t.as('snv.lanhdao'), incomingId, { lead: { userId: cv.id } });
    await settleExchange(t);
    expect(await recipientOf(d.doc.id, A.snv)).toMatchObject({ statusCode: '04', note: `Số đến: ${reg.incomingNumber}` });
    const asg = await em().findOneOrFail(Assignment, { document: incomingId });
    await services.incoming.addProgress(await t.as('snv.chuyenvien'), asg.id, 'Đã lấy ý kiến các phòng');
    await services.incoming.addProgress(await t.as('snv.chuyenvien'), asg.id, 'Đang tổng hợp');
    await services.incoming.completeAssignment(await t.as('snv.chuyenvien'), asg.id, 'Đã báo cáo');
    await settleExchange(t);
    expect(await recipientOf(d.doc.id, A.snv)).toMatchObject({ statusCode: '06', status: 'DONE' });
    expect(await statusAudits(d.doc.id)).toEqual(['01', '03', '04', '05', '06'].map((c) => `${A.snv.code}:${c}`));
    const sent = await em().find(ExchangeOutbox, { kind: 'STATUS', edxmlDocumentId: `000.00.00.H27,2026/11/20,${d.number}/UBND-TH` }, { orderBy: { createdAt: 'asc' } });
    expect(sent.map((s) => s.statusCode)).toEqual(['01', '03', '04', '05', '06']);
    // Each waited for the previous one: a status never overtakes the one before it.
    sent.slice(1).forEach((s, i) => expect(s.dependsOn).toBe(sent[i].id));
  });

  it('holds a 05 that arrives before the 01, ignores late lower codes, and swallows a re-sent status', async () => {
    const d = await issue({ to: [A.stc] });
    const about = { docId: d.doc.id, edxmlDocumentId: `000.00.00.H27,2026/11/20,${d.number}/UBND-TH` };
    // Only the package goes: the receiver's 01 stays in its outbox for now.
    const pkg = await em().findOneOrFail(ExchangeOutbox, { document: d.doc.id, kind: 'DOCUMENT' });
    expect(await services.exchange.dispatch(pkg.id)).toBe('DELIVERED');
    const five = await injectStatus(A.stc, about, '05', 1);
    expect(five).toMatchObject({ ok: true, duplicate: false });
    expect(await services.exchange.apply((five as { ack: string }).ack)).toBe('HELD');
    expect(await recipientOf(d.doc.id, A.stc)).toMatchObject({ statusCode: null });
    await settleExchange(t);
    expect(await recipientOf(d.doc.id, A.stc)).toMatchObject({ statusCode: '05', status: 'IN_PROGRESS' });
    await injectStatus(A.stc, about, '03', 1);
    await settleExchange(t);
    expect(await recipientOf(d.doc.id, A.stc)).toMatchObject({ statusCode: '05' });
    const six = await injectStatus(A.stc, about, '06', 1);
    expect(await injectStatus(A.stc, about, '06', 1)).toEqual({ ok: true, ack: (six as { ack: string }).ack, duplicate: true });
    await settleExchange(t);
    expect(await recipientOf(d.doc.id, A.stc)).toMatchObject({ statusCode: '06', status: 'DONE' });
    expect(await statusAudits(d.doc.id)).toEqual(['01', '05', '06'].map((c) => `${A.stc.code}:${c}`));
    expect(await em().count(AuditEvent, { action: 'exchange.status_stale', targetId: d.doc.id })).toBe(1);
  });

  it('reports a rejection (02) with its reason', async () => {
    const d = await issue({ to: [A.snv] });
    await settleExchange(t);
    const incomingId = (await recipientOf(d.doc.id, A.snv)).deliveredDocument!.id;
    await services.incoming.rejectIncoming(await t.as('snv.vanthu'), incomingId, 'Không thuộc thẩm quyền của Sở');
    await settleExchange(t);
    expect(await recipientOf(d.doc.id, A.snv)).toMatchObject({ statusCode: '02', status: 'REJECTED', note: 'Không thuộc thẩm quyền của Sở' });
    const vanthu = await em().findOneOrFail(User, { username: 'vanthu' });
    expect(await em().count(Notification, { user: vanthu.id, document: d.doc.id, kind: 'DOCUMENT_REJECTED_BY_RECIPIENT' })).toBe(1);
  });

  it('never sends a secret document: no outbox row, a note instead', async () => {
    const d = await issue({ to: [A.snv], secrecy: 'MAT' });
    expect(d.rowsInTx).toBe(0);
    expect(d.outcome.skipped).toHaveLength(1);
    expect(await recipientOf(d.doc.id, A.snv)).toMatchObject({ note: SECRET_NOT_DELIVERED_NOTE, transportState: null, deliveredDocument: null });
  });

  it('refuses at receipt a tampered signed PDF and one signed by an untrusted CA (02 with the reason, no record); accepts unsigned scans', async () => {
    const signed = await services.signing.signAsAgency(em(), A.ubnd.id, await pdf('QUYET DINH KY SO'), { reason: 'Phát hành' } as never);
    // One byte changed inside the signed range (the binary comment of the header): the digest no longer matches.
    const tampered = Buffer.from(signed);
    const at = tampered.indexOf('%', 5) + 1;
    expect(at).toBeGreaterThan(5);
    tampered[at] ^= 0x01;
    const other = createDemoCa('Lạ');
    const key = issueEndEntity(other.issuing, [other.root.certDer], { kind: 'AGENCY', cn: 'Cơ quan lạ', o: 'Không rõ' });
    const untrusted = await signPdfWithKey(await pdf('QUYET DINH LA'), { kind: 'AGENCY', reason: 'Thử' }, { privateKeyPem: key.privateKeyPem, chain: key.chain.slice(0, 2) });

    const cases = [
      { files: [tampered], refused: true },
      { files: [untrusted], refused: true },
      { files: [signed, await pdf('PHU LUC')], refused: false },
    ];
    for (const c of cases) {
      const d = await issue({ to: [A.stc], files: c.files });
      await settleExchange(t);
      const r = await recipientOf(d.doc.id, A.stc);
      if (c.refused) {
        expect(r).toMatchObject({ statusCode: '02', status: 'REJECTED', deliveredDocument: null, transportState: 'DELIVERED' });
        expect(r.note).toMatch(/^Từ chối tiếp nhận: Tệp ".*": Chữ ký số cơ quan/);
        const inbox = await em().findOneOrFail(ExchangeInbox, { kind: 'DOCUMENT', edxmlDocumentId: `000.00.00.H27,2026/11/20,${d.number}/UBND-TH` });
        expect(inbox).toMatchObject({ state: 'REJECTED', appliedDocument: null });
        expect(await em().count(Document, { sourceDocument: d.doc.id })).toBe(0);
      } else {
        expect(r).toMatchObject({ statusCode: '01' });
        expect(r.deliveredDocument).not.toBeNull();
      }
    }
  });

  it('prints the time from issue to "chờ vào sổ" through the whole exchange path (figure, not asserted)', async () => {
    const t0 = Date.now();
    const d = await issue({ to: [A.snv] });
    await settleExchange(t);
    const r = await recipientOf(d.doc.id, A.snv);
    expect(r.deliveredDocument).not.toBeNull();
    console.log(`exchange (in process, settle loop): issue → chờ vào sổ + 01 at the sender in ${Date.now() - t0} ms`);
  });
});
