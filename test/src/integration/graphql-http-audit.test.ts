import { serverAudits } from 'graphql-http';
import { startTestServer, type TestServer } from '../support/server';

/** The graphql-http package's GraphQL-over-HTTP server audits against /graphql: every MUST passes. */
describe('GraphQL over HTTP audits (graphql-http)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ demo: false });
  });
  afterAll(async () => s?.stop());

  it('passes every MUST audit', async () => {
    const audits = serverAudits({ url: `${s.url}/graphql`, fetchFn: fetch });
    const failures: string[] = [];
    let must = 0;
    for (const audit of audits) {
      const r = await audit.fn();
      if (audit.name.startsWith('MUST')) {
        must++;
        if (r.status !== 'ok') failures.push(`${audit.name}: ${r.reason}`);
      }
    }
    expect(must).toBeGreaterThan(10);
    expect(failures).toEqual([]);
  });
});
