/**
 * Issue "Trust", finding 8: the real upload limit was yoga's default body size (25 000 000 bytes ≈ 23.8 MiB),
 * not the documented MAX_UPLOAD_BYTES (50 MiB). Over real HTTP (GraphQL multipart request): a 49 MiB scan is
 * stored; a 51 MiB one gets 413 with a Vietnamese BAD_USER_INPUT, whether or not the client announced its size.
 */
import { loginToken } from '../support/gql';
import { startTestServer, type TestServer } from '../support/server';

const MiB = 1024 * 1024;

/** A PDF (by its magic bytes and one page object) of exactly `size` bytes. */
function bigPdf(size: number): Buffer {
  const head = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n%', 'latin1');
  const tail = Buffer.from('\n%%EOF\n', 'latin1');
  const pad = Buffer.alloc(size - head.length - tail.length, 0x41);
  return Buffer.concat([head, pad, tail]);
}

type Body = { data?: { uploadScan?: { id: string; size: number } } | null; errors?: { message: string; extensions: Record<string, unknown> }[] };

describe('uploads up to MAX_UPLOAD_BYTES (finding 8)', () => {
  let s: TestServer;
  let token: string;
  beforeAll(async () => {
    s = await startTestServer();
    token = await loginToken(s.url, 'vanthu');
  });
  afterAll(async () => s?.stop());

  const form = (bytes: Buffer) => {
    const f = new FormData();
    f.append('operations', JSON.stringify({ query: 'mutation($f: Upload!) { uploadScan(file: $f) { id size } }', variables: { f: null } }));
    f.append('map', JSON.stringify({ 0: ['variables.f'] }));
    f.append('0', new Blob([bytes as unknown as BlobPart], { type: 'application/pdf' }), 'cong-van-lon.pdf');
    return f;
  };

  it('the documented limit is 50 MiB', () => {
    expect(s.runtime.config.maxUploadBytes).toBe(50 * MiB);
  });

  it('a 49 MiB scan is accepted and stored', async () => {
    const r = await fetch(`${s.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form(bigPdf(49 * MiB)) });
    const b = (await r.json()) as Body;
    expect(b.errors).toBeUndefined();
    expect(b.data!.uploadScan!.size).toBe(49 * MiB);
  });

  it('a 51 MiB scan gets 413 BAD_USER_INPUT in Vietnamese', async () => {
    const r = await fetch(`${s.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form(bigPdf(51 * MiB)) });
    expect(r.status).toBe(413);
    const b = (await r.json()) as Body;
    expect(b.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    expect(b.errors![0].message).toMatch(/vượt quá giới hạn 50 MB/);
  });

  it('without a Content-Length (chunked), 51 MiB is still refused as too large, and the server keeps serving', async () => {
    const encoded = new Response(form(bigPdf(51 * MiB)));
    const contentType = encoded.headers.get('content-type')!;
    const r = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      body: encoded.body,
      duplex: 'half',
    } as RequestInit);
    const b = (await r.json()) as Body;
    expect([r.status, b.errors![0].message]).toEqual([413, expect.stringMatching(/vượt quá giới hạn/)]);
    expect(b.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    const ok = await fetch(`${s.url}/healthz`);
    expect(ok.status).toBe(200);
  });
});
