/**
 * Two deployments just paired (issue 13), neither having fetched the other's directory: the first search of the
 * recipient picker already lists the peer's agencies (it waits for a never-fetched peer), and the first document
 * is accepted by the receiver although its copy of the sender's directory was empty — the receiver fetches it on
 * the spot (and, between demo deployments, the demo CA with it, so the signatures check out) instead of refusing
 * the sender's agency for good.
 */
import { PDFDocument } from 'pdf-lib';
import { Document } from '../../../server/src/modules/documents/entities/document.entity';
import { Recipient } from '../../../server/src/modules/documents/entities/misc.entities';
import { ExchangeDirectoryEntry } from '../../../server/src/modules/exchange/peers/peers.entities';
import { DEMO_PEER_SECRET } from '../../../server/src/modules/exchange/peers/peers.service';
import { seedDemo } from '../../../server/src/seed/demo';
import { DEMO_PEER_AGENCIES } from '../../../server/src/seed/demo-peer-data';
import { until } from '../support/until';
import { startTestServer, type TestServer } from '../support/server';
import { approveSignAndIssue } from '../support/issuing';

let h27: TestServer;
let h41: TestServer;
const SNV41 = '000.00.02.H41';

beforeAll(async () => {
  [h27, h41] = await Promise.all([startTestServer(), startTestServer({ demo: false })]);
  await seedDemo(h41.runtime.system(), { agencies: DEMO_PEER_AGENCIES });
  // as CONGVAN_DEMO_PEER_URL pairs the two demo deployments; nothing synced
  await h27.runtime.rt.services.peers.upsertPeer(null, { code: '000.00.00.H41', name: 'UBND tỉnh Nghệ An', url: h41.url, secret: DEMO_PEER_SECRET, keyId: 'demo' }, 'DEMO');
  await h41.runtime.rt.services.peers.upsertPeer(null, { code: '000.00.00.H27', name: 'UBND tỉnh Bắc Ninh', url: h27.url, secret: DEMO_PEER_SECRET, keyId: 'demo' }, 'DEMO');
}, 120_000);
afterAll(async () => {
  await h27?.stop();
  await h41?.stop();
});

test('the first picker search lists the new peer; the first document is accepted although the receiver never fetched our directory', async () => {
  expect(await h41.runtime.rt.orm.em.fork().count(ExchangeDirectoryEntry, { peer: { code: '000.00.00.H27' } })).toBe(0);
  const found = await h27.runtime.rt.services.peers.directory(await h27.runtime.as('chuyenvien'), 'nghe an');
  expect(found.map((e) => e.code)).toEqual(expect.arrayContaining([SNV41, '000.00.03.H41']));

  const as27 = (u: string) => h27.runtime.as(u);
  const out = h27.runtime.rt.services.outgoing;
  const pdf = await PDFDocument.create();
  pdf.addPage([595, 842]);
  pdf.setTitle(`first ${Date.now()}`);
  const draft = await out.createDraft(await as27('chuyenvien'), {
    typeName: 'Công văn',
    subject: 'V/v văn bản đầu tiên giữa hai hệ thống',
    recipientAgencyCodes: [SNV41],
    files: [new File([Buffer.from(await pdf.save())], 'cong-van.pdf', { type: 'application/pdf' })],
  });
  const issued = await approveSignAndIssue(h27.runtime, draft.id);

  const recipient = () => h27.runtime.rt.orm.em.fork().findOneOrFail(Recipient, { document: issued.id, agencyCode: SNV41 });
  await until('01 from Sở Nội vụ Nghệ An, or a refusal', async () => {
    const r = await recipient();
    return r.statusCode === '01' || r.statusCode === '02' || r.transportState === 'FAILED';
  });
  expect(await recipient()).toMatchObject({ statusCode: '01', transportState: 'DELIVERED', transportError: null });
  const em41 = h41.runtime.rt.orm.em.fork();
  expect(await em41.count(Document, { agency: { code: SNV41 }, direction: 'INCOMING', subject: 'V/v văn bản đầu tiên giữa hai hệ thống' })).toBe(1);
  // the receiver fetched the sender's directory when the message came
  expect(await em41.count(ExchangeDirectoryEntry, { peer: { code: '000.00.00.H27' }, active: true })).toBeGreaterThan(0);
}, 240_000);
