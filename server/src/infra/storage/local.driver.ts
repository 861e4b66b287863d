import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import express from 'express';
import { logger } from '../../shared/logger';
import {
  ListedObject,
  ObjectStat,
  ObjectStorage,
  PresignOptions,
  PutOptions,
  PutResult,
  SignedUrlParams,
  assertSecret,
  assertValidKey,
  buildSignedFileUrl,
  contentDisposition,
  effectiveDisposition,
  fileNotFound,
  isNotFoundError,
  isValidKey,
  keyForSha256,
  normalizeContentType,
  normalizeMetadata,
  sizeMismatch,
  streamToBuffer,
  tooLarge,
  verifyLocalSignedUrl,
} from './storage';

export type LocalStorageOptions = {
  /** Root directory, normally `<CONGVAN_DATA_DIR>/objects`. */
  root: string;
  /** Base URL of the API as browsers see it (config.publicUrl); signed URLs point at `${publicUrl}/files/…`. */
  publicUrl: string;
  /** HMAC secret for signed download URLs (≥16 chars). */
  secret: string;
};

type Sidecar = { contentType?: string; metadata: Record<string, string>; size: number; createdAt: string };

const TMP_DIR = '.tmp';
/** Temp files untouched for this long are leftovers of a crashed process and are removed by ensureReady(). */
const STALE_TMP_MS = 60 * 60 * 1000;

const isErrno = (err: unknown, ...codes: string[]): boolean =>
  typeof err === 'object' && err !== null && codes.includes((err as NodeJS.ErrnoException).code ?? '');

/**
 * Local-disk driver (embedded default). Layout under `root`:
 *   sha256/ab/cd/<hex>            the bytes
 *   sha256/ab/cd/<hex>.meta.json  { contentType, metadata, size, createdAt }
 *   .tmp/<uuid>.part              in-flight writes (same filesystem, so the final rename/link is atomic)
 *
 * A write streams into .tmp while hashing, fsyncs, then hard-links (or renames) the temp file onto the
 * content-addressed path and fsyncs the directory. Readers therefore see either nothing or the complete
 * object; a failed or aborted stream only ever leaves a temp file, which is deleted before put() rejects.
 */
export class LocalObjectStorage implements ObjectStorage {
  readonly kind = 'local' as const;
  readonly root: string;
  private readonly tmpDir: string;
  private readonly publicUrl: string;
  private readonly secret: string;
  private ready: Promise<void> | undefined;

  constructor(opts: LocalStorageOptions) {
    assertSecret(opts.secret);
    this.root = path.resolve(opts.root);
    this.tmpDir = path.join(this.root, TMP_DIR);
    this.publicUrl = opts.publicUrl;
    this.secret = opts.secret;
  }

  ensureReady(): Promise<void> {
    this.ready ??= this.init().catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  private async init(): Promise<void> {
    await fsp.mkdir(path.join(this.root, 'sha256'), { recursive: true });
    await fsp.mkdir(this.tmpDir, { recursive: true });
    const now = Date.now();
    for (const name of await fsp.readdir(this.tmpDir)) {
      const p = path.join(this.tmpDir, name);
      try {
        const st = await fsp.stat(p);
        if (now - st.mtimeMs > STALE_TMP_MS) await fsp.rm(p, { force: true });
      } catch {
        // raced with another process: ignore
      }
    }
  }

  /** Absolute path of the object for a validated key. */
  private objectPath(key: string): string {
    assertValidKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  async put(input: Buffer | Readable, opts: PutOptions = {}): Promise<PutResult> {
    const metadata = normalizeMetadata(opts.metadata);
    const contentType = normalizeContentType(opts.contentType);
    await this.ensureReady();

    const tmp = path.join(this.tmpDir, `${crypto.randomUUID()}.part`);
    const fh = await fsp.open(tmp, 'wx', 0o640);
    let closed = false;
    try {
      const hash = crypto.createHash('sha256');
      let size = 0;
      const write = async (buf: Buffer) => {
        size += buf.length;
        if (opts.maxBytes !== undefined && size > opts.maxBytes) throw tooLarge(opts.maxBytes);
        hash.update(buf);
        for (let off = 0; off < buf.length; ) {
          const { bytesWritten } = await fh.write(buf, off, buf.length - off);
          off += bytesWritten;
        }
      };
      if (Buffer.isBuffer(input)) {
        await write(input);
      } else {
        for await (const chunk of input) await write(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
      }
      if (opts.size !== undefined && size !== opts.size) throw sizeMismatch(opts.size, size);
      await fh.sync();
      closed = true;
      await fh.close();

      const sha256 = hash.digest('hex');
      const key = keyForSha256(sha256);
      const finalPath = this.objectPath(key);
      const dir = path.dirname(finalPath);
      if (await exists(finalPath)) return { key, sha256, size, existed: true };

      await fsp.mkdir(dir, { recursive: true });
      const sidecar: Sidecar = { contentType, metadata, size, createdAt: new Date().toISOString() };
      await writeFileAtomic(path.join(this.tmpDir, `${crypto.randomUUID()}.meta`), `${finalPath}.meta.json`, JSON.stringify(sidecar));
      const existed = await commit(tmp, finalPath);
      await fsyncDir(dir);
      return { key, sha256, size, existed };
    } finally {
      if (!closed) await fh.close().catch(() => undefined);
      await fsp.rm(tmp, { force: true }).catch(() => undefined);
    }
  }

  async get(key: string): Promise<Readable> {
    const p = this.objectPath(key);
    let fh: fsp.FileHandle;
    try {
      fh = await fsp.open(p, 'r');
    } catch (err) {
      if (isErrno(err, 'ENOENT')) throw fileNotFound();
      throw err;
    }
    return fh.createReadStream();
  }

  async getBuffer(key: string): Promise<Buffer> {
    return streamToBuffer(await this.get(key));
  }

  async stat(key: string): Promise<ObjectStat | null> {
    const p = this.objectPath(key);
    let st: fs.Stats;
    try {
      st = await fsp.stat(p);
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return null;
      throw err;
    }
    let sidecar: Partial<Sidecar> = {};
    try {
      sidecar = JSON.parse(await fsp.readFile(`${p}.meta.json`, 'utf8')) as Sidecar;
    } catch (err) {
      if (!isErrno(err, 'ENOENT')) logger.warn({ err, key }, 'storage: unreadable sidecar');
    }
    return {
      size: st.size,
      ...(sidecar.contentType ? { contentType: sidecar.contentType } : {}),
      metadata: sidecar.metadata ?? {},
    };
  }

  async delete(key: string): Promise<void> {
    const p = this.objectPath(key);
    await fsp.rm(p, { force: true });
    await fsp.rm(`${p}.meta.json`, { force: true });
  }

  async presignedGetUrl(key: string, opts: PresignOptions = {}): Promise<string> {
    return buildSignedFileUrl(this.publicUrl, key, this.secret, opts);
  }

  /** Walks sha256/<ab>/<cd>/: cheap on a local disk (three directory levels, no file reads). */
  async *list(): AsyncIterable<ListedObject> {
    const base = path.join(this.root, 'sha256');
    for (const a of await readdirOrEmpty(base)) {
      for (const b of await readdirOrEmpty(path.join(base, a))) {
        const dir = path.join(base, a, b);
        for (const name of await readdirOrEmpty(dir)) {
          const key = `sha256/${a}/${b}/${name}`;
          if (!isValidKey(key)) continue; // sidecars (.meta.json) and foreign files
          try {
            const st = await fsp.stat(path.join(dir, name));
            yield { key, lastModified: new Date(st.mtimeMs) };
          } catch (err) {
            if (!isErrno(err, 'ENOENT')) throw err; // deleted meanwhile
          }
        }
      }
    }
  }

  async removeStaleTemp(olderThan: Date): Promise<number> {
    await this.ensureReady();
    let removed = 0;
    for (const name of await readdirOrEmpty(this.tmpDir)) {
      const p = path.join(this.tmpDir, name);
      try {
        const st = await fsp.stat(p);
        if (st.mtimeMs < olderThan.getTime()) {
          await fsp.rm(p, { force: true });
          removed++;
        }
      } catch {
        // finished or removed by its writer meanwhile
      }
    }
    return removed;
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await fsp.readdir(dir);
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return [];
    throw err;
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fsp.access(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Publishes `tmp` at `finalPath`. A hard link fails with EEXIST when another writer got there first,
 * which tells us exactly whether the object already existed; filesystems without hard links fall back
 * to rename (atomic too; identical content, so last writer wins harmlessly).
 */
async function commit(tmp: string, finalPath: string): Promise<boolean> {
  try {
    await fsp.link(tmp, finalPath);
    return false;
  } catch (err) {
    if (isErrno(err, 'EEXIST')) return true;
    if (isErrno(err, 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK', 'EXDEV')) {
      await fsp.rename(tmp, finalPath);
      return false;
    }
    throw err;
  }
}

async function writeFileAtomic(tmp: string, finalPath: string, data: string): Promise<void> {
  try {
    const fh = await fsp.open(tmp, 'wx', 0o640);
    try {
      await fh.writeFile(data, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, finalPath);
  } finally {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
  }
}

async function fsyncDir(dir: string): Promise<void> {
  try {
    const fh = await fsp.open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Directory fsync is unsupported on some platforms; the rename itself is still atomic.
  }
}

/* ------------------------------------------------------------------------ HTTP: GET /files/<key> */

const q = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function sendError(res: express.Response, status: number, code: string, message: string): void {
  res.status(status).set('Cache-Control', 'no-store').json({ error: { code, message } });
}

/**
 * Serves signed download URLs (`presignedGetUrl` of the local driver). Mount it at `/files`:
 *   app.use('/files', localFilesRouter(storage, secret))
 * Works with any ObjectStorage (it only uses stat/get), so it can also proxy S3 objects if needed.
 * 400 malformed key · 403 bad or expired signature · 404 missing object.
 */
export function localFilesRouter(storage: ObjectStorage, secret: string): express.Router {
  assertSecret(secret);
  const router = express.Router();
  router.get('/sha256/:a/:b/:hex', async (req, res) => {
    const key = `sha256/${req.params.a}/${req.params.b}/${req.params.hex}`;
    if (!isValidKey(key)) return sendError(res, 400, 'BAD_USER_INPUT', 'Đường dẫn tệp không hợp lệ.');

    const exp = q(req.query.exp) ?? '';
    const sig = q(req.query.sig) ?? '';
    const params: SignedUrlParams = {
      fileName: q(req.query.name) || undefined,
      contentType: q(req.query.type) || undefined,
      disposition: q(req.query.disp) === 'inline' ? 'inline' : undefined,
    };
    if (!verifyLocalSignedUrl(key, exp, sig, secret, params)) {
      const expired = /^\d+$/.test(exp) && Number(exp) * 1000 < Date.now();
      return sendError(
        res,
        403,
        'FORBIDDEN',
        expired ? 'Liên kết tải tệp đã hết hạn.' : 'Liên kết tải tệp không hợp lệ.',
      );
    }

    try {
      const st = await storage.stat(key);
      if (!st) return sendError(res, 404, 'NOT_FOUND', 'Tệp không tồn tại.');
      const etag = `"${key.slice(-64)}"`;
      const contentType = params.contentType ?? st.contentType ?? 'application/octet-stream';
      const maxAge = Math.max(0, Number(exp) - Math.floor(Date.now() / 1000));
      res.set({
        ETag: etag,
        'Cache-Control': `private, max-age=${maxAge}`,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Content-Disposition': contentDisposition(effectiveDisposition(params.disposition, contentType), params.fileName),
      });
      if (req.headers['if-none-match'] === etag) return void res.status(304).end();
      // setHeader, not res.set: express would append a charset to text/* types.
      res.status(200);
      res.setHeader('Content-Type', contentType);
      res.setHeader('Content-Length', String(st.size));
      if (req.method === 'HEAD') return void res.end();
      const body = await storage.get(key);
      await pipeline(body, res);
    } catch (err) {
      if (res.headersSent) {
        res.destroy(err instanceof Error ? err : undefined);
        return;
      }
      if (isNotFoundError(err)) {
        return sendError(res, 404, 'NOT_FOUND', 'Tệp không tồn tại.');
      }
      logger.error({ err, key }, 'files: failed to serve object');
      sendError(res, 500, 'INTERNAL', 'Lỗi hệ thống. Vui lòng thử lại sau.');
    }
  });
  return router;
}
