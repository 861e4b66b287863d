import {
  AUTH_HEADERS,
  MemoryReplayCache,
  decodePeerSecret,
  generatePeerSecret,
  sha256Hex,
  signRequest,
  verifyBodyDigest,
  verifyRequest,
  type PeerKey,
  type VerifyInput,
} from './http-auth';

const key: PeerKey = { keyId: 'k2026', secret: decodePeerSecret(generatePeerSecret()) };
const other: PeerKey = { keyId: 'k2026', secret: decodePeerSecret(generatePeerSecret()) };
const body = Buffer.from('<edXML>…</edXML>');
const t0 = new Date('2026-12-06T03:00:00Z');
const PATH = '/exchange/v1/packages';

function signed(over: Partial<Parameters<typeof signRequest>[0]> = {}) {
  return signRequest({ peerId: '000.00.00.H27', key, method: 'POST', path: PATH, contentSha256: sha256Hex(body), now: t0, ...over });
}

function verify(headers: Record<string, string>, over: Partial<VerifyInput> = {}) {
  return verifyRequest({
    method: 'POST',
    path: PATH,
    header: (n) => headers[n],
    keysOf: (peer) => (peer === '000.00.00.H27' ? [key] : undefined),
    now: t0,
    replayCache: new MemoryReplayCache(),
    ...over,
  });
}

describe('peer request authentication (HMAC-SHA256 over method, path, timestamp, nonce, body sha256, peer)', () => {
  it('accepts a correctly signed request and then checks the body against the signed hash', async () => {
    const r = await verify(signed());
    expect(r).toEqual({ ok: true, peerId: '000.00.00.H27', keyId: 'k2026', contentSha256: sha256Hex(body) });
    expect(verifyBodyDigest(sha256Hex(body), sha256Hex(body))).toEqual({ ok: true });
    expect(verifyBodyDigest(sha256Hex(body), sha256Hex('tampered'))).toMatchObject({ ok: false, code: 'body-mismatch' });
  });

  it('refuses a request whose method, path, timestamp, body hash or peer was changed after signing', async () => {
    const h = signed();
    expect(await verify(h, { method: 'PUT' })).toMatchObject({ ok: false, code: 'bad-signature' });
    expect(await verify(h, { path: '/exchange/v1/statuses' })).toMatchObject({ ok: false, code: 'bad-signature' });
    expect(await verify({ ...h, [AUTH_HEADERS.timestamp]: String(Number(h[AUTH_HEADERS.timestamp]) + 1) })).toMatchObject({ ok: false, code: 'bad-signature' });
    expect(await verify({ ...h, [AUTH_HEADERS.contentSha256]: sha256Hex('other body') })).toMatchObject({ ok: false, code: 'bad-signature' });
    expect(await verify({ ...h, [AUTH_HEADERS.nonce]: 'AAAAAAAAAAAAAAAAAAAAAA' })).toMatchObject({ ok: false, code: 'bad-signature' });
  });

  it('refuses a wrong key, an unknown peer or key id, missing and malformed headers', async () => {
    expect(await verify(signRequest({ peerId: '000.00.00.H27', key: other, method: 'POST', path: PATH, contentSha256: sha256Hex(body), now: t0 }))).toMatchObject({ ok: false, code: 'bad-signature' });
    expect(await verify(signed({ peerId: '000.00.00.H99' }))).toMatchObject({ ok: false, code: 'unknown-peer' });
    expect(await verify(signed({ key: { ...key, keyId: 'old' } }))).toMatchObject({ ok: false, code: 'unknown-key' });
    const h = signed();
    const noSig = { ...h };
    delete (noSig as Record<string, string>)[AUTH_HEADERS.signature];
    const missing = await verify(noSig);
    expect(missing).toMatchObject({ ok: false, code: 'missing-header' });
    expect(missing.ok ? '' : missing.vi).toContain(AUTH_HEADERS.signature);
    expect(await verify({ ...h, [AUTH_HEADERS.contentSha256]: 'xyz' })).toMatchObject({ ok: false, code: 'bad-header' });
  });

  it('accepts either of two configured keys (rotation)', async () => {
    const rotated = { keyId: 'k2027', secret: other.secret };
    const h = signed({ key: rotated });
    expect(await verify(h, { keysOf: () => [key, rotated] })).toMatchObject({ ok: true, keyId: 'k2027' });
  });

  it('refuses replays: outside the time window, and inside it the same nonce twice', async () => {
    const h = signed();
    expect(await verify(h, { now: new Date(t0.getTime() + 301_000) })).toMatchObject({ ok: false, code: 'stale' });
    expect(await verify(h, { now: new Date(t0.getTime() - 301_000) })).toMatchObject({ ok: false, code: 'stale' });
    expect(await verify(h, { now: new Date(t0.getTime() + 299_000) })).toMatchObject({ ok: true });
    const cache = new MemoryReplayCache();
    expect(await verify(h, { replayCache: cache })).toMatchObject({ ok: true });
    expect(await verify(h, { replayCache: cache, now: new Date(t0.getTime() + 10_000) })).toMatchObject({ ok: false, code: 'replay' });
    // a forged request with the same nonce does not consume it…
    const forged = { ...signed({ nonce: 'NNNNNNNNNNNNNNNNNNNNNN' }), [AUTH_HEADERS.signature]: Buffer.alloc(32).toString('base64') };
    const cache2 = new MemoryReplayCache();
    expect(await verify(forged, { replayCache: cache2 })).toMatchObject({ ok: false, code: 'bad-signature' });
    expect(await verify(signed({ nonce: 'NNNNNNNNNNNNNNNNNNNNNN' }), { replayCache: cache2 })).toMatchObject({ ok: true });
  });

  it('the replay cache forgets expired nonces and fails closed when full', () => {
    const c = new MemoryReplayCache(2);
    expect(c.checkAndRemember('p', 'a', 1000, 0)).toBe(true);
    expect(c.checkAndRemember('p', 'b', 1000, 0)).toBe(true);
    expect(c.checkAndRemember('p', 'c', 1000, 10)).toBe(false);
    expect(c.checkAndRemember('p', 'c', 3000, 2000)).toBe(true);
    expect(c.size).toBe(1);
  });

  it('refuses secrets shorter than 32 bytes', () => {
    expect(() => decodePeerSecret(Buffer.alloc(16).toString('base64'))).toThrow(/32/);
  });
});
