/**
 * Batched fan-out inside one deployment (issue 13 benchmark: one document to 1,000 agencies): issuing to many
 * local agencies writes the outbox rows set-based and queues ONE batch dispatch job; that job builds ONE
 * package (stored once), hands it to the inbox in ONE transaction (one inbox row per agency) and applies the
 * new rows set-based. Exactly once: re-running the job, re-sending after a crash between store and ack, and
 * replaying the package to the inbox change nothing. Real PostgreSQL, storage and job handlers (run in process).
 */
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { Document } from '../../../server/src/modules/documents/entities/document.entity';
import { DocumentFile } from '../../../server/src/modules/documents/entities/document-file.entity';
import { Notification, Recipient } from '../../../server/src/modules/documents/entities/misc.entities';
import { Agency } from '../../../server/src/modules/identity/entities/agency.entity';
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import { ExchangeInbox, ExchangeOutbox } from '../../../server/src/modules/exchange/exchange.entities';
import { applyJob, dispatchJob } from '../../../server/src/modules/exchange/exchange.jobs';
import { putClaimed } from '../../../server/src/modules/storage-gc/stored-objects';
import { jobScope, type JobContext } from '../../../server/src/jobs/job';
import type { Services } from '../../../server/src/services';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { createIssuedDocument, settleExchange } from '../support/exchange';

const N = 200;
let t: TestRuntime;
let services: Services;
const em = () => t.rt.orm.em.fork();
const ctx = (): JobContext => ({ services, engines: {}, newScope: () => jobScope(services), jobId: 'test' });

beforeAll(async () => {
  t = await createTestRuntime();
  services = t.rt.services;
});
afterAll(async () => t?.close());

/** The jobs of `name` queued with data matching `where` (pgboss.job, as the workers would fetch them). */
async function jobs<T>(name: string, where: string, params: unknown[]): Promise<T[]> {
  const rows = await em().execute<{ data: T }[]>(`select data from pgboss.job where name = ? and ${where} order by created_on`, [name, ...params]);
  return rows.map((r) => r.data);
}

describe('fan-out to many agencies of one deployment', () => {
  it(`delivers one document to ${N} agencies exactly once: one batch job, one package, one inbox row and one record each`, async () => {
    const ubnd = await em().findOneOrFail(Agency, { code: '000.00.00.H27' });
    await em().execute(
      `insert into agency (id, code, name, abbr, place, parent_id, time_zone, active, operator, created_at)
       select gen_random_uuid(), format('%s.%s.98.H27', lpad((i / 100)::text, 3, '0'), lpad((i % 100)::text, 2, '0')), 'Cơ quan nhận thử ' || i, 'CQT' || i, 'Bắc Ninh', ?, 'Asia/Ho_Chi_Minh', true, false, now()
         from generate_series(1, ?) i`,
      [ubnd.id, N - 2],
    );
    // Two demo agencies with their văn thư among them: the batch notifies them too.
    const targets = [...(await em().find(Agency, { name: { $like: 'Cơ quan nhận thử %' } })), ...(await em().find(Agency, { code: { $in: ['000.00.02.H27', '000.00.03.H27'] } }))];
    expect(targets).toHaveLength(N);

    const pdf = await PDFDocument.create();
    pdf.addPage([595, 842]).drawText('THONG BAO CHUNG', { x: 72, y: 760, size: 14, font: await pdf.embedFont(StandardFonts.TimesRoman) });
    const stored = await putClaimed(services, Buffer.from(await pdf.save()), { contentType: 'application/pdf' });

    const { doc, outcome, jobData } = await t.system().transaction(async (tx) => {
      const r = await createIssuedDocument(tx, services, { agency: ubnd, number: 7001, subject: 'Thông báo gửi nhiều cơ quan', files: [stored], recipients: targets.map((a) => ({ agency: a, name: a.name })) });
      const rows = await tx.em.find(ExchangeOutbox, { document: r.doc.id });
      expect(rows).toHaveLength(N);
      // In the issuing transaction: one batch dispatch job for every row, no job per row.
      const data = await tx.em.execute<{ data: { outboxIds?: string[]; outboxId?: string } }[]>(
        `select data from pgboss.job where name = 'exchange.dispatch' and (data->>'outboxId' = any(array(select jsonb_array_elements_text(?::jsonb))) or jsonb_exists(data, 'outboxIds'))`,
        [JSON.stringify(rows.map((x) => x.id))],
      );
      return { ...r, jobData: data.map((d) => d.data) };
    });
    expect(outcome.queued).toHaveLength(N);
    expect(jobData).toHaveLength(1);
    expect([...jobData[0].outboxIds!].sort()).toEqual(outcome.queued.map((q) => q.outboxId).sort());
    expect(await em().count(AuditEvent, { action: 'exchange.queue', targetId: doc.id })).toBe(N);

    // The worker runs the job: every recipient has its "chờ vào sổ" record at once (inline apply).
    const counts = (await dispatchJob.handler(jobData[0] as { outboxIds: string[] }, ctx())) as Record<string, number>;
    expect(counts).toMatchObject({ DELIVERED: N, SKIPPED: 0, QUEUED: 0, FAILED: 0 });
    const out = await em().find(ExchangeOutbox, { document: doc.id, kind: 'DOCUMENT' });
    expect(out.every((o) => o.state === 'DELIVERED' && o.ack)).toBe(true);
    // ONE package built and stored for all of them.
    expect(new Set(out.map((o) => o.payloadKey)).size).toBe(1);
    const edxmlDocumentId = out[0].edxmlDocumentId;
    const inbox = await em().find(ExchangeInbox, { edxmlDocumentId, kind: 'DOCUMENT' });
    expect(inbox).toHaveLength(N);
    expect(new Set(inbox.map((i) => i.recipientCode)).size).toBe(N);
    expect(new Set(out.map((o) => o.ack)).size).toBe(N);
    expect(inbox.every((i) => i.state === 'APPLIED' && i.appliedDocument)).toBe(true);
    // A long To list is not copied into every row: each keeps its own entry.
    expect((inbox[0].value as { header: { to: { organId: string }[] } }).header.to.map((o) => o.organId)).toEqual([inbox[0].recipientCode]);

    const incoming = async () => em().find(Document, { sourceDocument: doc.id, direction: 'INCOMING' }, { populate: ['agency'] });
    const records = await incoming();
    expect(records).toHaveLength(N);
    expect(new Set(records.map((d) => d.agency.id))).toEqual(new Set(targets.map((a) => a.id)));
    expect(records.every((d) => d.state === 'RECEIVED' && d.symbol === '7001/UBND-TH')).toBe(true);
    const files = await em().find(DocumentFile, { document: { $in: records.map((d) => d.id) } });
    expect(files).toHaveLength(N);
    expect(new Set(files.map((f) => f.sha256))).toEqual(new Set([stored.sha256]));
    const snvRecord = records.find((d) => d.agency.code === '000.00.02.H27')!;
    expect(await em().count(Notification, { document: snvRecord.id, kind: 'DOCUMENT_ARRIVED' })).toBeGreaterThan(0);
    expect(await em().count(AuditEvent, { action: 'document.deliver', data: { edxmlDocumentId } as never })).toBe(N);

    // Replays change nothing. (1) the same job again (a duplicate delivery of the job):
    expect(await dispatchJob.handler(jobData[0] as { outboxIds: string[] }, ctx())).toMatchObject({ SKIPPED: N });
    // (2) the queued apply jobs run after the inline apply:
    const applyData = await jobs<{ inboxIds?: string[]; inboxId?: string }>('exchange.apply', `jsonb_exists_any(data->'inboxIds', array(select jsonb_array_elements_text(?::jsonb)))`, [JSON.stringify(inbox.map((i) => i.id))]);
    expect(applyData.length).toBeGreaterThan(0);
    expect(applyData.length).toBeLessThan(N);
    for (const d of applyData) await applyJob.handler(d as { inboxIds: string[] }, ctx());
    // (3) a crash after the inbox committed but before the sender recorded the acks: everything is sent again.
    await em().nativeUpdate(ExchangeOutbox, { document: doc.id, kind: 'DOCUMENT' }, { state: 'SENDING', leaseUntil: new Date(Date.now() - 1000), ack: null, deliveredAt: null });
    expect(await services.exchange.dispatchMany(out.map((o) => o.id))).toMatchObject({ DELIVERED: N });
    const again = await em().find(ExchangeOutbox, { document: doc.id, kind: 'DOCUMENT' });
    expect(Object.fromEntries(again.map((o) => [o.id, o.ack]))).toEqual(Object.fromEntries(out.map((o) => [o.id, o.ack])));
    expect(new Set(again.map((o) => o.payloadKey)).size).toBe(1);
    const dup = await em().execute<{ n: number }[]>(
      `select count(*)::int as n from audit_event where action = 'exchange.delivered' and (data->>'duplicate')::boolean and data->>'outboxId' = any(array(select jsonb_array_elements_text(?::jsonb)))`,
      [JSON.stringify(out.map((o) => o.id))],
    );
    expect(dup[0].n).toBe(N);
    // (4) the package replayed straight to the inbox for every recipient:
    const replay = await services.exchange.receiver.receiveBatch!(
      await services.storage.get(out[0].payloadKey!),
      { via: 'LOCAL', peerId: null },
      out.map((o) => ({ recipientCode: o.recipientCode, messageId: o.id, sequence: o.dedupSeq })),
    );
    expect(replay.every((r) => r.ok && r.duplicate)).toBe(true);
    expect(replay.map((r) => (r.ok ? r.ack : null))).toEqual(out.map((o) => o.ack));

    expect(await em().count(ExchangeInbox, { edxmlDocumentId, kind: 'DOCUMENT' })).toBe(N);
    expect(await incoming()).toHaveLength(N);
    expect(await em().count(DocumentFile, { document: { $in: records.map((d) => d.id) } })).toBe(N);

    // Status 01 goes back from every recipient, once each: their rows were queued as batch jobs too.
    const statusJobs = await jobs<{ outboxIds?: string[] }>('exchange.dispatch', `jsonb_exists(data, 'outboxIds') and not jsonb_exists_any(data->'outboxIds', array(select jsonb_array_elements_text(?::jsonb)))`, [JSON.stringify(out.map((o) => o.id))]);
    expect(statusJobs.length).toBeGreaterThan(0);
    for (const d of statusJobs) await dispatchJob.handler(d as { outboxIds: string[] }, ctx());
    await settleExchange(t, { timeoutMs: 240_000, maxRounds: 1000 });
    const recipients = await em().find(Recipient, { document: doc.id });
    expect(recipients.every((r) => r.statusCode === '01' && r.transportState === 'DELIVERED')).toBe(true);
    expect(await em().count(ExchangeOutbox, { edxmlDocumentId, kind: 'STATUS', statusCode: '01' })).toBe(N);
    expect(await em().count(AuditEvent, { action: 'document.recipient_status', targetId: doc.id })).toBe(N);
  }, 300_000);
});
