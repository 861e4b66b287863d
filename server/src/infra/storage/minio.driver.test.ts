import crypto from 'node:crypto';
import fsp from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { AppError } from '../../shared/errors';
import { MinioObjectStorage, type MinioStorageOptions } from './minio.driver';
import { keyForSha256 } from './storage';

// s3rver 3.7.1 (devDependency of the test workspace) ships no types.
type S3rverInstance = { run(): Promise<AddressInfo>; close(): Promise<void> };
type S3rverCtor = new (opts: { port: number; address: string; silent: boolean; directory: string }) => S3rverInstance;
const S3rver = createRequire(__filename)('s3rver') as S3rverCtor;

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
/** s3rver has no multipart API: every known-size object must be a single PUT. */
const S3RVER_PART_SIZE = 5 * 1024 ** 3;

async function expectAppError(p: Promise<unknown>, code: string): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
}

describe('MinioObjectStorage against s3rver', () => {
  let dir: string;
  let spoolDir: string;
  let s3: S3rverInstance;
  let port: number;
  let storage: MinioObjectStorage;
  let opts: MinioStorageOptions;

  beforeAll(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'congvan-s3rver-'));
    spoolDir = path.join(dir, 'spool');
    s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: path.join(dir, 's3') });
    port = (await s3.run()).port;
    opts = {
      endPoint: '127.0.0.1',
      port,
      useSSL: false,
      accessKey: 'S3RVER',
      secretKey: 'S3RVER',
      bucket: 'congvan-test',
      region: 'us-east-1',
      partSize: S3RVER_PART_SIZE,
      tmpDir: spoolDir,
      memoryThreshold: 64 * 1024,
    };
    storage = new MinioObjectStorage(opts);
  });
  afterAll(async () => {
    await s3.close();
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('ensureReady creates the bucket and is idempotent across instances', async () => {
    expect(await storage.client.bucketExists('congvan-test')).toBe(false);
    await Promise.all([storage.ensureReady(), new MinioObjectStorage(opts).ensureReady()]);
    expect(await storage.client.bucketExists('congvan-test')).toBe(true);
    await new MinioObjectStorage(opts).ensureReady();
  });

  it('put/get/stat round-trip with content type and Vietnamese metadata', async () => {
    await storage.ensureReady();
    const body = Buffer.from('Kính gửi: Ủy ban nhân dân tỉnh — nội dung công văn', 'utf8');
    const r = await storage.put(body, { contentType: 'text/plain; charset=utf-8', metadata: { FileName: 'Công văn đến.txt' } });
    expect(r).toEqual({ key: keyForSha256(sha(body)), sha256: sha(body), size: body.length, existed: false });
    expect(await storage.getBuffer(r.key)).toEqual(body);
    const chunks: Buffer[] = [];
    for await (const c of await storage.get(r.key)) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks)).toEqual(body);
    expect(await storage.stat(r.key)).toEqual({
      size: body.length,
      contentType: 'text/plain; charset=utf-8',
      metadata: { filename: 'Công văn đến.txt' },
    });
  });

  it('streams bigger than the memory threshold are spooled to a temp file that is removed afterwards', async () => {
    const body = crypto.randomBytes(1024 * 1024 + 17);
    const parts = [0, 1, 2, 3].map((i) => body.subarray(i * 262_148, (i + 1) * 262_148));
    parts.push(body.subarray(4 * 262_148));
    const r = await storage.put(Readable.from(parts), { contentType: 'application/pdf', size: body.length });
    expect(r.sha256).toBe(sha(body));
    expect(r.size).toBe(body.length);
    expect(await fsp.readdir(spoolDir)).toEqual([]);
    expect(sha(await storage.getBuffer(r.key))).toBe(sha(body));
    expect((await storage.stat(r.key))?.contentType).toBe('application/pdf');
  });

  it('dedupes: the same bytes again report existed and keep the first metadata', async () => {
    const body = crypto.randomBytes(10_000);
    const a = await storage.put(body, { contentType: 'image/png', metadata: { n: '1' } });
    const b = await storage.put(Readable.from([body]), { contentType: 'application/pdf', metadata: { n: '2' } });
    expect(a.existed).toBe(false);
    expect(b).toEqual({ ...a, existed: true });
    expect(await storage.stat(a.key)).toEqual({ size: body.length, contentType: 'image/png', metadata: { n: '1' } });
  });

  it('a stream that fails mid-way uploads nothing and leaves no spool file', async () => {
    const part = crypto.randomBytes(100_000);
    let i = 0;
    const src = new Readable({
      read() {
        if (i++ < 2) this.push(part);
        else setImmediate(() => this.destroy(new Error('connection reset')));
      },
    });
    await expect(storage.put(src)).rejects.toThrow('connection reset');
    expect(await fsp.readdir(spoolDir)).toEqual([]);
    expect(await storage.stat(keyForSha256(sha(Buffer.concat([part, part]))))).toBeNull();
  });

  it('rejects bodies of an unexpected size or above maxBytes without uploading', async () => {
    const body = crypto.randomBytes(5000);
    await expectAppError(storage.put(body, { size: 4999 }), 'BAD_USER_INPUT');
    await expectAppError(storage.put(Readable.from([body]), { maxBytes: 4096 }), 'BAD_USER_INPUT');
    expect(await storage.stat(keyForSha256(sha(body)))).toBeNull();
  });

  it('missing objects: get → NOT_FOUND, stat → null; delete is idempotent', async () => {
    const r = await storage.put(Buffer.from('to be deleted'));
    expect(await storage.stat(r.key)).not.toBeNull();
    await storage.delete(r.key);
    await storage.delete(r.key);
    expect(await storage.stat(r.key)).toBeNull();
    await expectAppError(storage.get(r.key), 'NOT_FOUND');
  });

  it('rejects keys that are not content-addressed', async () => {
    for (const key of ['../x', 'sha256/00/00/' + sha(Buffer.from('q')), 'other/key']) {
      await expectAppError(storage.get(key), 'BAD_USER_INPUT');
      await expectAppError(storage.stat(key), 'BAD_USER_INPUT');
      await expectAppError(storage.delete(key), 'BAD_USER_INPUT');
      await expectAppError(storage.presignedGetUrl(key), 'BAD_USER_INPUT');
    }
  });

  it('presigned GET: fetch returns the same bytes with the Vietnamese download name', async () => {
    const body = crypto.randomBytes(200_000);
    const { key } = await storage.put(body, { contentType: 'application/pdf' });
    const url = await storage.presignedGetUrl(key, { fileName: 'Tờ trình số 7/TTr-STC.pdf', expiresSeconds: 120 });
    expect(new URL(url).host).toBe(`127.0.0.1:${port}`);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(sha(Buffer.from(await res.arrayBuffer()))).toBe(sha(body)); // (toEqual on big Buffers is slow)
    const cd = res.headers.get('content-disposition') ?? '';
    expect(cd).toMatch(/^attachment; filename="To trinh so 7_TTr-STC.pdf"; /);
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(cd)?.[1] ?? '')).toBe('Tờ trình số 7_TTr-STC.pdf');

    // inline is honoured for a PDF (the driver looks the stored type up), with a content-type override too.
    const inline = await fetch(await storage.presignedGetUrl(key, { disposition: 'inline' }));
    expect(inline.headers.get('content-disposition')).toBe('inline');
    await inline.arrayBuffer();
    const typed = await fetch(await storage.presignedGetUrl(key, { contentType: 'application/octet-stream' }));
    expect(typed.headers.get('content-type')).toBe('application/octet-stream');
    await typed.arrayBuffer();

    // Expiry: as requested, clamped to the S3 maximum of 7 days. (s3rver 3.7.1 enforces X-Amz-Expires but does
    // not verify SigV4 signatures at all — authentication.js: "Signature version 4 calculation is unimplemented" —
    // so signature tampering can only be tested against a real MinIO.)
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('120');
    const long = new URL(await storage.presignedGetUrl(key, { expiresSeconds: 30 * 24 * 3600 }));
    expect(long.searchParams.get('X-Amz-Expires')).toBe('604800');
    expect((await fetch(long)).status).toBe(200);
  });

  it('publicUrl: URLs signed for the browser-facing origin work through a Host-preserving reverse proxy', async () => {
    // Stand-in for nginx `location /<bucket>/ { proxy_pass http://minio:9000; proxy_set_header Host $http_host; }`
    const proxy = http.createServer((req, res) => {
      const up = http.request(
        { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers },
        (ur) => {
          res.writeHead(ur.statusCode ?? 502, ur.headers);
          ur.pipe(res);
        },
      );
      req.pipe(up);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const proxyPort = (proxy.address() as AddressInfo).port;
      const pub = new MinioObjectStorage({ ...opts, publicUrl: `http://127.0.0.1:${proxyPort}` });
      const body = Buffer.from('đi qua proxy');
      const { key } = await pub.put(body);
      const url = await pub.presignedGetUrl(key, { fileName: 'Phiếu trình.txt' });
      expect(url.startsWith(`http://127.0.0.1:${proxyPort}/congvan-test/${key}?`)).toBe(true);
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer())).toEqual(body);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('list() yields every content-addressed object with its modification time; removeStaleTemp drops old spool files', async () => {
    await storage.ensureReady();
    const a = await storage.put(Buffer.from('liệt kê A'), { contentType: 'text/plain' });
    const b = await storage.put(Buffer.from('liệt kê B'), { contentType: 'text/plain' });
    const listed = new Map<string, Date>();
    for await (const o of storage.list()) listed.set(o.key, o.lastModified);
    expect(listed.has(a.key) && listed.has(b.key)).toBe(true);
    expect(listed.get(a.key)).toBeInstanceOf(Date);
    await fsp.mkdir(spoolDir, { recursive: true });
    const stale = path.join(spoolDir, 'congvan-upload-stale.part');
    const foreign = path.join(spoolDir, 'other-program.part');
    await fsp.writeFile(stale, 'x');
    await fsp.writeFile(foreign, 'y');
    const old = new Date(Date.now() - 2 * 3600_000);
    await fsp.utimes(stale, old, old);
    await fsp.utimes(foreign, old, old);
    expect(await storage.removeStaleTemp(new Date(Date.now() - 3600_000))).toBe(1);
    await expect(fsp.stat(stale)).rejects.toThrow();
    expect((await fsp.stat(foreign)).size).toBe(1);
  });
});
