import crypto from 'node:crypto';
import fsp from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import express from 'express';
import { AppError } from '../../shared/errors';
import { LocalObjectStorage, localFilesRouter } from './local.driver';
import { buildSignedFileUrl, contentDisposition, keyForSha256, verifyLocalSignedUrl } from './storage';

const SECRET = 'test-secret-0123456789abcdef';
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fsp.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else out.push(p);
  }
  return out;
}

/** A stream that yields `chunks` and then fails, like an upload whose connection drops. */
function failingStream(chunks: Buffer[], error = new Error('connection reset')): Readable {
  let i = 0;
  return new Readable({
    read() {
      if (i < chunks.length) this.push(chunks[i++]);
      else setImmediate(() => this.destroy(error));
    },
  });
}

async function expectAppError(p: Promise<unknown>, code: string): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  return err as AppError;
}

describe('LocalObjectStorage', () => {
  let dir: string;
  let storage: LocalObjectStorage;

  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'congvan-local-storage-'));
    storage = new LocalObjectStorage({ root: path.join(dir, 'objects'), publicUrl: 'http://localhost:1', secret: SECRET });
    await storage.ensureReady();
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('stores a buffer under its sha256 key and reads it back with contentType and Unicode metadata', async () => {
    const body = Buffer.from('Quyết định số 123/QĐ-UBND về việc phê duyệt', 'utf8');
    const r = await storage.put(body, {
      contentType: 'text/plain; charset=utf-8',
      metadata: { FileName: 'Quyết định.txt', source: 'scan' },
    });
    expect(r).toEqual({ key: keyForSha256(sha(body)), sha256: sha(body), size: body.length, existed: false });
    expect(r.key).toMatch(/^sha256\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
    expect(await storage.getBuffer(r.key)).toEqual(body);
    expect(await storage.stat(r.key)).toEqual({
      size: body.length,
      contentType: 'text/plain; charset=utf-8',
      metadata: { filename: 'Quyết định.txt', source: 'scan' },
    });
    const onDisk = await fsp.readFile(path.join(dir, 'objects', ...r.key.split('/')));
    expect(onDisk).toEqual(body);
  });

  it('dedupes identical content: second put (as a stream) reports existed and keeps the first metadata', async () => {
    const body = crypto.randomBytes(300_000);
    const a = await storage.put(body, { contentType: 'application/pdf', metadata: { n: '1' } });
    const b = await storage.put(Readable.from([body.subarray(0, 1000), body.subarray(1000)]), {
      contentType: 'image/png',
      metadata: { n: '2' },
    });
    expect(b).toEqual({ ...a, existed: true });
    expect(await storage.stat(a.key)).toEqual({ size: body.length, contentType: 'application/pdf', metadata: { n: '1' } });
    const files = (await listFiles(path.join(dir, 'objects'))).map((f) => path.relative(path.join(dir, 'objects'), f));
    expect(files.sort()).toEqual([a.key, `${a.key}.meta.json`].map((k) => path.join(...k.split('/'))).sort());
  });

  it('concurrent puts of the same bytes: exactly one reports existed=false', async () => {
    const body = crypto.randomBytes(200_000);
    const results = await Promise.all([1, 2, 3, 4].map(() => storage.put(Readable.from([body]))));
    expect(new Set(results.map((r) => r.key)).size).toBe(1);
    expect(results.filter((r) => !r.existed)).toHaveLength(1);
    expect(sha(await storage.getBuffer(results[0].key))).toBe(sha(body)); // (toEqual on big Buffers is slow)
    expect(await listFiles(path.join(dir, 'objects', '.tmp'))).toEqual([]);
  });

  it('a stream failing mid-way leaves no object and no temp file', async () => {
    const part = crypto.randomBytes(64 * 1024);
    const err = await storage.put(failingStream([part, part, part]), { contentType: 'application/pdf' }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('connection reset');
    expect(await listFiles(path.join(dir, 'objects'))).toEqual([]);
    // Neither the prefix that was received nor the whole would-be body is stored.
    expect(await storage.stat(keyForSha256(sha(Buffer.concat([part, part, part]))))).toBeNull();
    expect(await storage.stat(keyForSha256(sha(part)))).toBeNull();
  });

  it('a stream destroyed without an error (premature close) also leaves nothing behind', async () => {
    const src = new PassThrough();
    const p = storage.put(src);
    src.write(crypto.randomBytes(10_000));
    await new Promise((r) => setImmediate(r));
    src.destroy();
    await expect(p).rejects.toThrow();
    expect(await listFiles(path.join(dir, 'objects'))).toEqual([]);
  });

  it('the object is not visible until the write has completed', async () => {
    const body = crypto.randomBytes(256 * 1024);
    const key = keyForSha256(sha(body));
    const src = new PassThrough();
    const p = storage.put(src);
    src.write(body.subarray(0, 100_000));
    await new Promise((r) => setTimeout(r, 20));
    expect(await storage.stat(key)).toBeNull();
    expect((await listFiles(path.join(dir, 'objects', '.tmp'))).length).toBe(1);
    src.end(body.subarray(100_000));
    const r = await p;
    expect(r.key).toBe(key);
    expect((await storage.stat(key))?.size).toBe(body.length);
    expect(await listFiles(path.join(dir, 'objects', '.tmp'))).toEqual([]);
  });

  it('rejects bodies over maxBytes or of a different size than declared, cleaning up', async () => {
    const big = crypto.randomBytes(50_000);
    await expectAppError(storage.put(Readable.from([big.subarray(0, 30_000), big.subarray(30_000)]), { maxBytes: 40_000 }), 'BAD_USER_INPUT');
    await expectAppError(storage.put(big, { size: 49_999 }), 'BAD_USER_INPUT');
    expect(await listFiles(path.join(dir, 'objects'))).toEqual([]);
  });

  it('NOT_FOUND on get of a missing object, null stat, idempotent delete', async () => {
    const r = await storage.put(Buffer.from('x'));
    await storage.delete(r.key);
    await storage.delete(r.key);
    expect(await storage.stat(r.key)).toBeNull();
    await expectAppError(storage.get(r.key), 'NOT_FOUND');
    await expectAppError(storage.getBuffer(r.key), 'NOT_FOUND');
    expect(await listFiles(path.join(dir, 'objects'))).toEqual([]);
  });

  it('rejects keys that are not content-addressed (no path traversal)', async () => {
    const hex = sha(Buffer.from('a'));
    const bad = [
      '../../etc/passwd',
      `sha256/${hex.slice(0, 2)}/${hex.slice(2, 4)}/../../../x`,
      `sha256/00/00/${hex}`, // prefix does not match the hash
      `sha256/${hex.slice(0, 2)}/${hex.slice(2, 4)}/${hex.toUpperCase()}`,
      `sha256/${hex.slice(0, 2)}/${hex.slice(2, 4)}/${hex}.meta.json`,
      `/sha256/${hex.slice(0, 2)}/${hex.slice(2, 4)}/${hex}`,
      '.tmp/x',
    ];
    for (const key of bad) {
      await expectAppError(storage.get(key), 'BAD_USER_INPUT');
      await expectAppError(storage.stat(key), 'BAD_USER_INPUT');
      await expectAppError(storage.delete(key), 'BAD_USER_INPUT');
      await expectAppError(storage.presignedGetUrl(key), 'BAD_USER_INPUT');
    }
  });

  it('rejects metadata keys that are not header tokens and header-injecting content types', async () => {
    await expectAppError(storage.put(Buffer.from('a'), { metadata: { 'tên tệp': 'x' } }), 'BAD_USER_INPUT');
    await expectAppError(storage.put(Buffer.from('a'), { metadata: { 'content-type': 'x' } }), 'BAD_USER_INPUT');
    await expectAppError(storage.put(Buffer.from('a'), { contentType: 'text/html\r\nSet-Cookie: a=b' }), 'BAD_USER_INPUT');
  });

  it('ensureReady removes stale temp files left by a crashed process, keeps fresh ones', async () => {
    const tmp = path.join(dir, 'objects', '.tmp');
    await fsp.writeFile(path.join(tmp, 'old.part'), 'partial');
    await fsp.writeFile(path.join(tmp, 'fresh.part'), 'partial');
    const old = new Date(Date.now() - 2 * 3600 * 1000);
    await fsp.utimes(path.join(tmp, 'old.part'), old, old);
    const again = new LocalObjectStorage({ root: path.join(dir, 'objects'), publicUrl: 'http://x', secret: SECRET });
    await again.ensureReady();
    expect((await fsp.readdir(tmp)).sort()).toEqual(['fresh.part']);
  });
});

describe('signed URLs', () => {
  const key = keyForSha256(sha(Buffer.from('abc')));

  it('verifyLocalSignedUrl accepts its own signature and rejects tampering, other secrets and expiry', () => {
    const now = Date.UTC(2026, 0, 1);
    const url = new URL(buildSignedFileUrl('http://h', key, SECRET, { expiresSeconds: 60, fileName: 'Tờ trình.pdf' }, now));
    const exp = url.searchParams.get('exp') as string;
    const sig = url.searchParams.get('sig') as string;
    expect(Number(exp)).toBe(now / 1000 + 60);
    expect(verifyLocalSignedUrl(key, exp, sig, SECRET, { fileName: 'Tờ trình.pdf' }, now)).toBe(true);
    expect(verifyLocalSignedUrl(key, exp, sig, SECRET, { fileName: 'Khác.pdf' }, now)).toBe(false);
    expect(verifyLocalSignedUrl(key, exp, sig, SECRET, { fileName: 'Tờ trình.pdf', contentType: 'text/html' }, now)).toBe(false);
    expect(verifyLocalSignedUrl(key, String(Number(exp) + 1), sig, SECRET, { fileName: 'Tờ trình.pdf' }, now)).toBe(false);
    expect(verifyLocalSignedUrl(key, exp, sig, 'another-secret-0123456789', { fileName: 'Tờ trình.pdf' }, now)).toBe(false);
    expect(verifyLocalSignedUrl(key, exp, sig, SECRET, { fileName: 'Tờ trình.pdf' }, now + 61_000)).toBe(false);
    expect(verifyLocalSignedUrl(key, exp, sig.slice(1), SECRET, { fileName: 'Tờ trình.pdf' }, now)).toBe(false);
  });

  it('contentDisposition: ASCII fallback plus RFC 5987 filename*', () => {
    expect(contentDisposition('attachment', 'Công văn số 15/UBND-VP (đợt 2).pdf')).toBe(
      `attachment; filename="Cong van so 15_UBND-VP (dot 2).pdf"; filename*=UTF-8''C%C3%B4ng%20v%C4%83n%20s%E1%BB%91%2015_UBND-VP%20%28%C4%91%E1%BB%A3t%202%29.pdf`,
    );
    expect(contentDisposition('inline', undefined)).toBe('inline');
  });
});

describe('localFilesRouter over HTTP', () => {
  let dir: string;
  let server: http.Server;
  let base: string;
  let storage: LocalObjectStorage;

  beforeAll(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'congvan-files-router-'));
    const app = express();
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    storage = new LocalObjectStorage({ root: path.join(dir, 'objects'), publicUrl: base, secret: SECRET });
    await storage.ensureReady();
    app.use('/files', localFilesRouter(storage, SECRET));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await fsp.rm(dir, { recursive: true, force: true });
  });

  const fileNameFromHeader = (cd: string | null) => {
    const m = /filename\*=UTF-8''([^;]+)/.exec(cd ?? '');
    return m ? decodeURIComponent(m[1]) : undefined;
  };

  it('serves the bytes with Content-Type and a Vietnamese filename (inline for PDF)', async () => {
    const body = Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(100_000)]);
    const { key } = await storage.put(body, { contentType: 'application/pdf' });
    const url = await storage.presignedGetUrl(key, { fileName: 'Công văn số 15/UBND-VP về việc họp.pdf', disposition: 'inline' });
    expect(url.startsWith(`${base}/files/${key}?`)).toBe(true);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-length')).toBe(String(body.length));
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const cd = res.headers.get('content-disposition');
    expect(cd).toMatch(/^inline; filename="Cong van so 15_UBND-VP ve viec hop.pdf"; filename\*=UTF-8''/);
    expect(fileNameFromHeader(cd)).toBe('Công văn số 15_UBND-VP về việc họp.pdf');
    expect(sha(Buffer.from(await res.arrayBuffer()))).toBe(sha(body));

    const etag = res.headers.get('etag') as string;
    expect(etag).toBe(`"${key.slice(-64)}"`);
    const cached = await fetch(url, { headers: { 'If-None-Match': etag } });
    expect(cached.status).toBe(304);
  });

  it('defaults to attachment, and never renders HTML inline (forced download, stored type kept)', async () => {
    const { key } = await storage.put(Buffer.from('<script>alert(1)</script>'), { contentType: 'text/html' });
    const res = await fetch(await storage.presignedGetUrl(key, { fileName: 'trang.html', disposition: 'inline' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; /);
    const plain = await fetch(await storage.presignedGetUrl(key));
    expect(plain.headers.get('content-disposition')).toBe('attachment');
    await plain.arrayBuffer();
  });

  it('contentType override is applied and covered by the signature', async () => {
    const { key } = await storage.put(Buffer.from('plain bytes'));
    const url = await storage.presignedGetUrl(key, { contentType: 'text/plain' });
    const ok = await fetch(url);
    expect(ok.headers.get('content-type')).toBe('text/plain');
    expect(await ok.text()).toBe('plain bytes');
    const u = new URL(url);
    u.searchParams.set('type', 'text/html');
    expect((await fetch(u)).status).toBe(403);
  });

  it('403 on a bad signature, a tampered file name or an expired link', async () => {
    const { key } = await storage.put(Buffer.from('secret document'));
    const url = new URL(await storage.presignedGetUrl(key, { fileName: 'Báo cáo.docx' }));

    const badSig = new URL(url);
    badSig.searchParams.set('sig', 'A' + (url.searchParams.get('sig') as string).slice(1));
    const r1 = await fetch(badSig);
    expect(r1.status).toBe(403);
    expect(((await r1.json()) as { error: { message: string } }).error.message).toBe('Liên kết tải tệp không hợp lệ.');

    const renamed = new URL(url);
    renamed.searchParams.set('name', 'Khác.docx');
    expect((await fetch(renamed)).status).toBe(403);

    const noSig = new URL(url);
    noSig.searchParams.delete('sig');
    expect((await fetch(noSig)).status).toBe(403);

    const expired = buildSignedFileUrl(base, key, SECRET, { expiresSeconds: 60 }, Date.now() - 3600_000);
    const r2 = await fetch(expired);
    expect(r2.status).toBe(403);
    expect(((await r2.json()) as { error: { message: string } }).error.message).toBe('Liên kết tải tệp đã hết hạn.');

    // Signed with another secret.
    expect((await fetch(buildSignedFileUrl(base, key, 'another-secret-0123456789'))).status).toBe(403);
  });

  it('404 when the signed object does not exist; 400 for a malformed key; traversal never reaches the disk', async () => {
    const missing = keyForSha256(sha(Buffer.from('never stored')));
    const r = await fetch(buildSignedFileUrl(base, missing, SECRET));
    expect(r.status).toBe(404);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');

    const hex = sha(Buffer.from('x'));
    expect((await fetch(`${base}/files/sha256/00/00/${hex}?exp=9999999999&sig=x`)).status).toBe(400);
    const trav = await fetch(`${base}/files/sha256/%2e%2e/%2e%2e/..%2f..%2fetc%2fpasswd?exp=9999999999&sig=x`);
    expect([400, 404]).toContain(trav.status);
    expect(await trav.text()).not.toContain('root:');
  });
});

describe('LocalObjectStorage: listing and temp files (for the storage garbage collector)', () => {
  it('list() yields objects (not sidecars); removeStaleTemp removes only .tmp files older than the cut-off', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'congvan-local-list-'));
    try {
      const storage = new LocalObjectStorage({ root: path.join(dir, 'objects'), publicUrl: 'http://localhost:1', secret: SECRET });
      const a = await storage.put(Buffer.from('công văn A'), { contentType: 'text/plain' });
      const b = await storage.put(Buffer.from('công văn B'), { contentType: 'text/plain' });
      const keys: string[] = [];
      for await (const o of storage.list()) {
        keys.push(o.key);
        expect(o.lastModified).toBeInstanceOf(Date);
      }
      expect(keys.sort()).toEqual([a.key, b.key].sort());
      const tmp = path.join(dir, 'objects', '.tmp');
      const old = new Date(Date.now() - 2 * 3600_000);
      await fsp.writeFile(path.join(tmp, 'old.part'), 'x');
      await fsp.utimes(path.join(tmp, 'old.part'), old, old);
      await fsp.writeFile(path.join(tmp, 'new.part'), 'y');
      expect(await storage.removeStaleTemp(new Date(Date.now() - 3600_000))).toBe(1);
      expect((await fsp.readdir(tmp)).sort()).toEqual(['new.part']);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});
