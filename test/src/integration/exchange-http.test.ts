/**
 * The exchange endpoint of one deployment (issue 13), over real HTTP with real PostgreSQL: peer request
 * authentication (signature, unknown peer, stale, replay — the nonce table shared by replicas), the size
 * limit, the directory a deployment publishes, and the HTTP transport's view of those answers.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import express from 'express';
import { exchangeRouter } from '../../../server/src/modules/exchange/http/exchange-router';
import { generatePeerSecret, decodePeerSecret, signRequest, sha256Hex, type PeerKey } from '../../../server/src/modules/exchange/http-auth';
import { HttpTransport, signedRequest, DIRECTORY_PATH, MESSAGES_PATH } from '../../../server/src/modules/exchange/peers/http-transport';
import { PgReplayCache } from '../../../server/src/modules/exchange/peers/replay-cache';
import { PeersService } from '../../../server/src/modules/exchange/peers/peers.service';
import { buildEdxmlString, statusMessage } from '../../../server/src/modules/exchange/edxml';
import { startTestServer, type TestServer } from '../support/server';
import { gql, loginToken } from '../support/gql';

const PEER = 'PEER.TEST';
let srv: TestServer;
let key: PeerKey;
const secret = generatePeerSecret();

beforeAll(async () => {
  srv = await startTestServer();
  key = { keyId: 'k1', secret: decodePeerSecret(secret) };
  await srv.runtime.rt.services.peers.upsertPeer(null, { code: PEER, name: 'Hệ thống thử', url: 'http://127.0.0.1:9', secret });
}, 60_000);
afterAll(async () => srv?.stop());

const target = () => ({ code: 'H27', baseUrl: srv.url, ownCode: PEER, key });

async function raw(method: string, path: string, headers: Record<string, string>) {
  const res = await fetch(srv.url + path, { method, headers });
  return { status: res.status, json: (await res.json().catch(() => null)) as Record<string, unknown> | null };
}

describe('exchange endpoint: authentication', () => {
  it('publishes the agencies of this deployment to a signed GET', async () => {
    const a = await signedRequest(target(), 'GET', DIRECTORY_PATH);
    expect(a.status).toBe(200);
    const dir = JSON.parse(a.body) as { deployment: string; agencies: { code: string; name: string; parentCode: string | null }[] };
    expect(dir.deployment).toBe('000.00.00.H27');
    expect(dir.agencies).toEqual(expect.arrayContaining([expect.objectContaining({ code: '000.00.02.H27', name: 'Sở Nội vụ tỉnh Bắc Ninh', parentCode: '000.00.00.H27' })]));
  });

  it('refuses unsigned, wrongly signed, unknown-peer and stale requests with a reason (401)', async () => {
    const unsigned = await raw('GET', DIRECTORY_PATH, {});
    expect(unsigned.status).toBe(401);
    expect(String(unsigned.json?.reason)).toMatch(/Thiếu tiêu đề xác thực/);

    const wrongKey = { keyId: 'k1', secret: decodePeerSecret(generatePeerSecret()) };
    const bad = await signedRequest({ ...target(), key: wrongKey }, 'GET', DIRECTORY_PATH);
    expect(bad.status).toBe(401);
    expect(bad.body).toMatch(/Chữ ký yêu cầu không đúng/);

    const unknown = await signedRequest({ ...target(), ownCode: 'NOBODY' }, 'GET', DIRECTORY_PATH);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatch(/không có trong danh sách đối tác/);

    const stale = await signedRequest(target(), 'GET', DIRECTORY_PATH, { now: new Date(Date.now() - 10 * 60_000) });
    expect(stale.status).toBe(401);
    expect(stale.body).toMatch(/lệch thời gian/);
  });

  it('refuses a replay inside the window, also when it reaches another replica (PostgreSQL nonce table)', async () => {
    const headers = signRequest({ peerId: PEER, key, method: 'GET', path: DIRECTORY_PATH, contentSha256: sha256Hex(''), now: new Date() });
    expect((await raw('GET', DIRECTORY_PATH, headers)).status).toBe(200);
    const again = await raw('GET', DIRECTORY_PATH, headers);
    expect(again.status).toBe(401);
    expect(String(again.json?.reason)).toMatch(/phát lại/);

    // A second replica has its own PeersService but the same database: the nonce is already taken.
    const other = new PgReplayCache(srv.runtime.rt.orm);
    const nonce = headers['x-congvan-nonce'];
    expect(await other.checkAndRemember(PEER, nonce, Date.now() + 60_000, Date.now())).toBe(false);
    const fresh = `n-${Date.now()}-abcdefghijkl`;
    expect(await other.checkAndRemember(PEER, fresh, Date.now() + 60_000, Date.now())).toBe(true);
    expect(await srv.runtime.rt.services.peers.replayCache.checkAndRemember(PEER, fresh, Date.now() + 60_000, Date.now())).toBe(false);
    // Once expired, the pair may be taken again (the timestamp check refuses such an old request anyway).
    expect(await other.checkAndRemember(PEER, fresh, Date.now() + 120_000, Date.now() + 61_000)).toBe(true);
  });

  it('a refused message changes nothing and the transport maps the answer (oversized → permanent; bad signature → retry)', async () => {
    const before = await srv.runtime.rt.orm.em.fork().execute<{ n: string }[]>(`select count(*) as n from audit_event`);
    const big = Buffer.alloc(1024, 0x61);
    // Declared beyond the limit (200 MB): refused before the body is read, and for good.
    const oversized = new HttpTransport(target());
    const refused = await oversized.send({ id: 'm0', kind: 'DOCUMENT', senderCode: 'X', recipientCode: '000.00.00.H27', edxmlDocumentId: 'X,2026/01/01,1/X', sha256: sha256Hex(big), size: 300 * 1024 * 1024, body: async () => Readable.from([big]) });
    expect(refused).toEqual({ kind: 'PERMANENT', reason: expect.stringMatching(/vượt quá giới hạn 200 MB/) });

    const wrong = new HttpTransport({ ...target(), key: { keyId: 'k1', secret: decodePeerSecret(generatePeerSecret()) } });
    const out = await wrong.send({ id: 'm1', kind: 'STATUS', senderCode: 'X', recipientCode: '000.00.00.H27', edxmlDocumentId: 'X,2026/01/01,1/X', sha256: sha256Hex(big), size: big.length, body: async () => Readable.from([big]) });
    expect(out.kind).toBe('RETRY');
    const after = await srv.runtime.rt.orm.em.fork().execute<{ n: string }[]>(`select count(*) as n from audit_event`);
    expect(after[0].n).toBe(before[0].n);
  });
});

describe('exchange endpoint: a body over the limit', () => {
  // A router with a 1 MB limit on the same services (real authentication, real inbox), on a port of its own.
  const LIMIT = 1024 * 1024;
  let small: http.Server;
  let smallUrl = '';
  beforeAll(async () => {
    const app = express();
    const { services } = srv.runtime.rt;
    app.use(exchangeRouter({ peers: services.peers, receiver: () => services.exchange?.receiver ?? null, maxMessageBytes: LIMIT }));
    small = http.createServer(app);
    await new Promise<void>((r) => small.listen(0, '127.0.0.1', () => r()));
    smallUrl = `http://127.0.0.1:${(small.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => small.close(() => r())));

  /**
   * A sender that writes its whole request before it reads the answer, as many HTTP clients of other systems do
   * (a streaming Java client, curl without Expect): the status line it reads, or the socket error it got instead.
   */
  async function writeAllThenRead(body: Buffer, declareLength: boolean): Promise<string> {
    const headers = signRequest({ peerId: PEER, key, method: 'POST', path: MESSAGES_PATH, contentSha256: sha256Hex(body), now: new Date() });
    const { port } = new URL(smallUrl);
    const socket = net.connect(Number(port), '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (c: Buffer) => received.push(c));
    const ended = new Promise<string | null>((resolve) => {
      socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      socket.on('close', () => resolve(null));
    });
    const head = [`POST ${MESSAGES_PATH} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Content-Type: application/xml', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    head.push(declareLength ? `Content-Length: ${body.length}` : 'Transfer-Encoding: chunked');
    socket.write(head.join('\r\n') + '\r\n\r\n');
    for (let off = 0; off < body.length; off += 64 * 1024) {
      const chunk = body.subarray(off, off + 64 * 1024);
      const data = declareLength ? chunk : Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
      if (!socket.write(data)) await new Promise((r) => socket.once('drain', r).once('close', r));
      if (socket.destroyed) break;
    }
    if (!socket.destroyed) socket.end(declareLength ? '' : '0\r\n\r\n');
    const error = await ended;
    const answer = Buffer.concat(received).toString('latin1');
    return answer.startsWith('HTTP/1.1') ? answer.split('\r\n')[0] : `no answer (${error ?? 'closed'})`;
  }

  it('a foreign sender that writes it all first reads the 413 and its reason, chunked or with a declared length', async () => {
    // a well-formed beginning, so that only its size stops it
    const open = '<?xml version="1.0" encoding="UTF-8"?><edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><Body><Text>';
    const body = Buffer.concat([Buffer.from(open), Buffer.alloc(16 * LIMIT, 0x61)]);
    expect(await writeAllThenRead(body, false)).toBe('HTTP/1.1 413 Payload Too Large');
    expect(await writeAllThenRead(body, true)).toBe('HTTP/1.1 413 Payload Too Large');
    // our own transport reads the reason (permanent: never re-sent)
    const own = await signedRequest({ ...target(), baseUrl: smallUrl }, 'POST', MESSAGES_PATH, { body: Readable.from([body]), sha256: sha256Hex(body) });
    expect(own.status).toBe(413);
    expect(own.body).toMatch(/vượt quá giới hạn 1 MB/);
  });
});

describe('exchange endpoint: messages', () => {
  const NS = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';
  const inboxCount = async () => Number((await srv.runtime.rt.orm.em.fork().execute<{ n: string }[]>(`select count(*) as n from exchange_inbox`))[0].n);
  const post = (body: Buffer, opts: { sha256?: string; headers?: Record<string, string> } = {}) =>
    signedRequest(target(), 'POST', MESSAGES_PATH, { body: Readable.from([body]), size: body.length, sha256: opts.sha256 ?? sha256Hex(body), headers: { 'x-congvan-recipient': '000.00.00.H27', ...opts.headers } });
  let status: Buffer;

  beforeAll(async () => {
    // The peer's directory as synced: it serves UBND tỉnh Nghệ An.
    const [peer] = await srv.runtime.rt.orm.em.fork().execute<{ id: string }[]>(`select id from exchange_peer where code = ?`, [PEER]);
    await srv.runtime.rt.orm.em.fork().execute(`insert into exchange_directory (agency_code, name, parent_code, peer_id, active, synced_at) values ('000.00.00.H41', 'UBND tỉnh Nghệ An', null, ?, true, now())`, [peer.id]);
    const xml = await buildEdxmlString(
      statusMessage({ from: { organId: '000.00.00.H41', organName: 'UBND tỉnh Nghệ An' }, about: { organId: '000.00.00.H27', documentId: '000.00.00.H27,2026/11/20,77/UBND-TH' }, code: '03', now: new Date() }),
    );
    status = Buffer.from(xml, 'utf8');
  });

  it('stores a message once: a re-send is acknowledged as a duplicate with the same ack', async () => {
    const before = await inboxCount();
    const first = await post(status, { headers: { 'x-congvan-seq': '1' } });
    expect(first.status).toBe(200);
    const ack = JSON.parse(first.body) as { ack: string; duplicate: boolean };
    expect(ack).toEqual({ ack: expect.any(String), duplicate: false });
    const again = await post(status, { headers: { 'x-congvan-seq': '1' } });
    expect(JSON.parse(again.body)).toEqual({ ack: ack.ack, duplicate: true });
    expect(await inboxCount()).toBe(before + 1);
  });

  it('refuses a message from an agency the authenticated peer does not serve (ours, or unknown)', async () => {
    const before = await inboxCount();
    for (const from of ['000.00.02.H27', '000.00.00.H99']) {
      const forged = Buffer.from(
        await buildEdxmlString(statusMessage({ from: { organId: from, organName: 'Giả mạo' }, about: { organId: '000.00.00.H27', documentId: '000.00.00.H27,2026/11/20,77/UBND-TH' }, code: '06', now: new Date() })),
        'utf8',
      );
      const a = await post(forged);
      expect([from, a.status]).toEqual([from, 400]);
      expect(a.body).toContain(from);
    }
    expect(await inboxCount()).toBe(before);
  });

  it('refuses hostile, truncated, mismatching and replayed requests with a reason and stores nothing', async () => {
    const before = await inboxCount();
    const ents = ['<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) ents.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
    const hostile: Record<string, string> = {
      xxe: `<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><edXML xmlns="${NS}">&xxe;</edXML>`,
      'billion laughs': `<?xml version="1.0"?><!DOCTYPE lolz [${ents.join('')}]><edXML xmlns="${NS}"><Subject>&lol9;</Subject></edXML>`,
      'deep nesting': `<edXML xmlns="${NS}">${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</edXML>`,
      truncated: status.subarray(0, Math.floor(status.length / 2)).toString('utf8'),
      'not xml': 'Xin chào',
    };
    const reasons: Record<string, string> = {};
    for (const [name, body] of Object.entries(hostile)) {
      const a = await post(Buffer.from(body, 'utf8'));
      expect([name, a.status]).toEqual([name, 400]);
      reasons[name] = String((JSON.parse(a.body) as { reason: string }).reason);
      expect(reasons[name].length).toBeGreaterThan(10);
    }
    expect(reasons.xxe).not.toContain('root:');

    // The body is not the signed one (hash checked while streaming): refused, nothing stored.
    const other = Buffer.from(status.toString('utf8').replace('000.00.00.H41', '000.00.00.H42'), 'utf8');
    const mismatch = await post(other, { sha256: sha256Hex(status) });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body).toMatch(/khác với nội dung đã ký/);

    // The exact same request again (headers and body): a replay.
    const headers = { ...signRequest({ peerId: PEER, key, method: 'POST', path: MESSAGES_PATH, contentSha256: sha256Hex(status), now: new Date() }), 'content-type': 'application/xml', 'x-congvan-seq': '2' };
    const once = await fetch(srv.url + MESSAGES_PATH, { method: 'POST', headers, body: new Uint8Array(status) });
    expect(once.status).toBe(200);
    const replay = await fetch(srv.url + MESSAGES_PATH, { method: 'POST', headers, body: new Uint8Array(status) });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { reason: string }).reason).toMatch(/phát lại/);

    // Only the legitimate seq-2 message was stored.
    expect(await inboxCount()).toBe(before + 1);
  });
});

describe('peer configuration from the environment', () => {
  const mk = (env: NodeJS.ProcessEnv, nodeEnv = 'test') =>
    new PeersService({ orm: srv.runtime.rt.orm, config: { dataDir: srv.runtime.dataDir, env: nodeEnv, demo: true }, clock: { now: () => new Date() }, env });

  it('applies CONGVAN_PEERS and the demo pair once per process, idempotently; keys are sealed at rest', async () => {
    const env = { CONGVAN_PEERS: JSON.stringify([{ code: 'BO.NOIVU', name: 'Bộ Nội vụ', url: 'https://vb.example.gov.vn', secret }]), CONGVAN_DEMO_PEER_URL: 'http://127.0.0.1:8081' };
    const list = await mk(env).listPeers();
    expect(list.find((x) => x.code === 'BO.NOIVU')).toMatchObject({ source: 'ENV', name: 'Bộ Nội vụ', baseUrl: 'https://vb.example.gov.vn', keyIds: ['k1'], active: true });
    // The primary demo (H27) pairs with the second demo province (H41), and the other way round.
    expect(list.find((x) => x.code === '000.00.00.H41')).toMatchObject({ source: 'DEMO', baseUrl: 'http://127.0.0.1:8081', keyIds: ['demo'] });
    expect((await mk(env).listPeers()).length).toBe(list.length);
    const [row] = await srv.runtime.rt.orm.em.fork().execute<{ keys: { secretEnc: string }[] }[]>(`select keys from exchange_peer where code = 'BO.NOIVU'`);
    expect(Buffer.from(row.keys[0].secretEnc, 'base64').includes(decodePeerSecret(secret))).toBe(false);
  });

  it('refuses the demo pairing in production and a malformed CONGVAN_PEERS, saying why', async () => {
    await expect(mk({ CONGVAN_DEMO_PEER_URL: 'http://127.0.0.1:8081' }, 'production').listPeers()).rejects.toThrow(/demo only/);
    await expect(mk({ CONGVAN_PEERS: '[{"code":"X"}]' }).listPeers()).rejects.toThrow(/CONGVAN_PEERS: 0\.url/);
    await expect(mk({ CONGVAN_PEERS: JSON.stringify([{ code: 'Y', url: 'https://y.example', secret: 'c2hvcnQ=' }]) }).listPeers()).rejects.toThrow(/ít nhất 32 byte/);
  });
});

describe('GraphQL: peers (operator QUAN_TRI only) and the directory (every user)', () => {
  it('lists and saves peers for the operator administrator, refuses others, and checks the input field by field', async () => {
    const admin = await loginToken(srv.url, 'quantri');
    const list = await gql<{ exchangeOwnCode: string; exchangePeers: { code: string; keyIds: string[] }[] }>(srv.url, '{ exchangeOwnCode exchangePeers { code keyIds } }', {}, { token: admin });
    expect(list.data?.exchangeOwnCode).toBe('000.00.00.H27');
    expect(list.data?.exchangePeers.map((p) => p.code)).toContain(PEER);
    for (const u of ['snv.quantri', 'vanthu']) {
      const r = await gql(srv.url, '{ exchangePeers { code } }', {}, { token: await loginToken(srv.url, u) });
      expect([u, r.errors?.[0]?.extensions?.code]).toEqual([u, 'FORBIDDEN']);
    }
    const SAVE = 'mutation($i: ExchangePeerInput!){ saveExchangePeer(input: $i){ code baseUrl keyIds lastSyncError } }';
    const bad = await gql(srv.url, SAVE, { i: { code: 'X.Y', url: 'ftp://x', secret } }, { token: admin });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });
    const short = await gql(srv.url, SAVE, { i: { code: 'X.Y', url: 'https://x.example', secret: 'c2hvcnQ=' } }, { token: admin });
    expect(short.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'secret' });
    // Saved, then its directory fetched at once: the peer is unreachable, so the error is on the row.
    const ok = await gql<{ saveExchangePeer: { code: string; keyIds: string[]; lastSyncError: string | null } }>(srv.url, SAVE, { i: { code: 'X.Y', url: 'http://127.0.0.1:9', secret, keyId: 'k2' } }, { token: admin });
    expect(ok.data?.saveExchangePeer).toMatchObject({ code: 'X.Y', keyIds: ['k2'], lastSyncError: expect.stringMatching(/ECONNREFUSED|kết nối/) });
    expect(await srv.runtime.rt.orm.em.fork().execute(`select 1 from audit_event where action = 'exchange.peer.add' and data->>'code' = 'X.Y'`)).toHaveLength(1);
  });

  it('gives every signed-in user the directory with codes', async () => {
    const r = await gql<{ exchangeDirectory: { code: string; agencyId: string | null; peerCode: string | null }[] }>(srv.url, '{ exchangeDirectory(search: "Nội vụ") { code agencyId peerCode } }', {}, { token: await loginToken(srv.url, 'chuyenvien') });
    expect(r.data?.exchangeDirectory).toEqual(expect.arrayContaining([expect.objectContaining({ code: '000.00.02.H27', peerCode: null, agencyId: expect.any(String) })]));
    expect((await gql(srv.url, '{ exchangeDirectory { code } }')).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
