/**
 * Delivery inside one deployment with the real job workers running (the worker loop of `npm start`, started
 * by startTestServer): issuing through the API puts the document in the recipient's "chờ vào sổ" and brings
 * the 01 back without anyone acting. Prints the time from issue to "chờ vào sổ" (a figure, never asserted).
 */
import { Document } from '../../../server/src/modules/documents/entities/document.entity';
import { Recipient } from '../../../server/src/modules/documents/entities/misc.entities';
import { Agency } from '../../../server/src/modules/identity/entities/agency.entity';
import { createIssuedDocument } from '../support/exchange';
import { startTestServer, type TestServer } from '../support/server';
import { until } from '../support/until';

let s: TestServer;
const em = () => s.runtime.rt.orm.em.fork();

beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => s?.stop());

it('issue → recipient "chờ vào sổ" → 01 at the sender, by the workers alone', async () => {
  const services = s.runtime.rt.services;
  const snv = await em().findOneOrFail(Agency, { code: '000.00.02.H27' });
  const ubnd = await em().findOneOrFail(Agency, { code: '000.00.00.H27' });
  const times: { arrived: number; status01: number }[] = [];
  for (let i = 0; i < 5; i++) {
    const number = 9500 + i;
    const t0 = Date.now();
    const docId = await s.runtime.system().transaction(async (tx) => {
      const { doc } = await createIssuedDocument(tx, services, { agency: ubnd, number, subject: `V/v đo thời gian liên thông ${i}`, signed: false, recipients: [{ agency: snv, name: snv.name }] });
      return doc.id;
    });
    const incoming = await until('the incoming record at Sở Nội vụ', () => em().findOne(Document, { sourceDocument: docId, agency: snv.id, state: 'RECEIVED' }), 20_000);
    const arrived = Date.now() - t0;
    await until('the 01 at the sender', async () => (await em().findOneOrFail(Recipient, { document: docId })).statusCode === '01', 20_000);
    times.push({ arrived, status01: Date.now() - t0 });
    expect(incoming.electronic).toBe(true);
  }
  console.log(`exchange with workers (local transport, fast-queue poll 0.5 s): issue → chờ vào sổ ${times.map((x) => x.arrived).join(', ')} ms; → 01 at the sender ${times.map((x) => x.status01).join(', ')} ms`);
});
