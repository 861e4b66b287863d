import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Client, ItemBucketMetadata } from 'minio';
import { minio } from '../../shared/lazy-modules';
import {
  ListedObject,
  ObjectStat,
  ObjectStorage,
  PresignOptions,
  PutOptions,
  PutResult,
  RESERVED_META,
  assertValidKey,
  clampExpiry,
  contentDisposition,
  effectiveDisposition,
  fileNotFound,
  isValidKey,
  keyForSha256,
  normalizeContentType,
  normalizeMetadata,
  sizeMismatch,
  streamToBuffer,
  tooLarge,
} from './storage';

export type MinioStorageOptions = {
  endPoint: string;
  port?: number;
  useSSL: boolean;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region: string;
  /**
   * Multipart part size for the minio client. Leave undefined in production (client default, 64 MiB:
   * bigger objects go multipart). Tests against s3rver, which has no multipart API, pass 5 GiB.
   */
  partSize?: number;
  /**
   * Origin that browsers use to reach the bucket, e.g. `https://congvan.example.gov.vn` when a reverse
   * proxy forwards `/<bucket>/…` to MinIO with the Host header preserved. Presigned URLs are signed for
   * this host. Default: the endpoint above (fine when MinIO is reachable by clients as is).
   */
  publicUrl?: string;
  /** Where bodies larger than `memoryThreshold` are spooled while hashing. Default os.tmpdir(). */
  tmpDir?: string;
  /** Bodies up to this size are hashed in memory instead of a temp file. Default 8 MiB. */
  memoryThreshold?: number;
};

const errCode = (err: unknown): string | undefined =>
  typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
const isMissing = (err: unknown) => ['NoSuchKey', 'NotFound', 'NoSuchObject'].includes(errCode(err) ?? '');

type Spooled = { sha256: string; size: number; buffer?: Buffer; file?: string };

/**
 * S3 / MinIO driver (minio 8 client). `put` first hashes the body (in memory, or spooled to a temp file
 * for big streams) so the content-addressed key is known, skips the upload when the object already
 * exists, and otherwise uploads with a known size (single PUT up to `partSize`, multipart above).
 * S3 user metadata travels in ASCII headers, so values are stored percent-encoded and decoded by stat().
 */
export class MinioObjectStorage implements ObjectStorage {
  readonly kind = 's3' as const;
  readonly bucket: string;
  readonly client: Client;
  private readonly presignClient: Client;
  private readonly region: string;
  private readonly tmpDir: string;
  private readonly memoryThreshold: number;
  private ready: Promise<void> | undefined;

  constructor(opts: MinioStorageOptions) {
    this.bucket = opts.bucket;
    this.region = opts.region;
    this.tmpDir = opts.tmpDir ?? os.tmpdir();
    this.memoryThreshold = opts.memoryThreshold ?? 8 * 1024 * 1024;
    const common = {
      accessKey: opts.accessKey,
      secretKey: opts.secretKey,
      // Setting the region keeps presigning offline (no GetBucketLocation round-trip).
      region: opts.region,
      pathStyle: true,
      ...(opts.partSize !== undefined ? { partSize: opts.partSize } : {}),
    };
    this.client = new (minio().Client)({ endPoint: opts.endPoint, port: opts.port, useSSL: opts.useSSL, ...common });
    if (opts.publicUrl) {
      const u = new URL(opts.publicUrl);
      if (u.pathname !== '/' && u.pathname !== '') throw new Error('S3 public URL must be an origin without a path');
      const useSSL = u.protocol === 'https:';
      this.presignClient = new (minio().Client)({
        endPoint: u.hostname,
        port: u.port ? Number(u.port) : useSSL ? 443 : 80,
        useSSL,
        ...common,
      });
    } else {
      this.presignClient = this.client;
    }
  }

  ensureReady(): Promise<void> {
    this.ready ??= this.init().catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  private async init(): Promise<void> {
    if (await this.client.bucketExists(this.bucket)) return;
    try {
      await this.client.makeBucket(this.bucket, this.region);
    } catch (err) {
      // Several replicas start at once: losing the race is fine.
      if (!['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes(errCode(err) ?? '')) throw err;
    }
  }

  async put(input: Buffer | Readable, opts: PutOptions = {}): Promise<PutResult> {
    const metadata = normalizeMetadata(opts.metadata);
    const contentType = normalizeContentType(opts.contentType);
    const spooled = await this.spool(input, opts.maxBytes);
    try {
      if (opts.size !== undefined && spooled.size !== opts.size) throw sizeMismatch(opts.size, spooled.size);
      const key = keyForSha256(spooled.sha256);
      const base = { key, sha256: spooled.sha256, size: spooled.size };
      if (await this.exists(key)) return { ...base, existed: true };

      const headers: ItemBucketMetadata = { 'Content-Type': contentType ?? 'application/octet-stream' };
      for (const [k, v] of Object.entries(metadata)) headers[k] = encodeURIComponent(v);
      const body = spooled.buffer ?? fs.createReadStream(spooled.file as string);
      await this.client.putObject(this.bucket, key, body, spooled.size, headers);
      return { ...base, existed: false };
    } finally {
      if (spooled.file) await fsp.rm(spooled.file, { force: true }).catch(() => undefined);
    }
  }

  /** Hashes the body; small bodies stay in memory, larger ones go to a temp file (removed by the caller). */
  private async spool(input: Buffer | Readable, maxBytes: number | undefined): Promise<Spooled> {
    if (Buffer.isBuffer(input)) {
      if (maxBytes !== undefined && input.length > maxBytes) throw tooLarge(maxBytes);
      return { sha256: crypto.createHash('sha256').update(input).digest('hex'), size: input.length, buffer: input };
    }
    const hash = crypto.createHash('sha256');
    let size = 0;
    let chunks: Buffer[] | undefined = [];
    let file: string | undefined;
    let fh: fsp.FileHandle | undefined;
    const writeAll = async (buf: Buffer) => {
      for (let off = 0; off < buf.length; ) off += (await (fh as fsp.FileHandle).write(buf, off, buf.length - off)).bytesWritten;
    };
    try {
      for await (const c of input) {
        const buf = typeof c === 'string' ? Buffer.from(c) : (c as Buffer);
        size += buf.length;
        if (maxBytes !== undefined && size > maxBytes) throw tooLarge(maxBytes);
        hash.update(buf);
        if (chunks) {
          chunks.push(buf);
          if (size > this.memoryThreshold) {
            await fsp.mkdir(this.tmpDir, { recursive: true });
            file = path.join(this.tmpDir, `congvan-upload-${crypto.randomUUID()}.part`);
            fh = await fsp.open(file, 'wx', 0o600);
            for (const b of chunks) await writeAll(b);
            chunks = undefined;
          }
        } else {
          await writeAll(buf);
        }
      }
      if (fh) {
        const h = fh;
        fh = undefined;
        await h.close();
      }
      const sha256 = hash.digest('hex');
      return chunks ? { sha256, size, buffer: Buffer.concat(chunks) } : { sha256, size, file };
    } catch (err) {
      if (fh) await fh.close().catch(() => undefined);
      if (file) await fsp.rm(file, { force: true }).catch(() => undefined);
      throw err;
    }
  }

  private async exists(key: string): Promise<boolean> {
    try {
      await this.client.statObject(this.bucket, key);
      return true;
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
  }

  async get(key: string): Promise<Readable> {
    assertValidKey(key);
    try {
      return await this.client.getObject(this.bucket, key);
    } catch (err) {
      if (isMissing(err)) throw fileNotFound();
      throw err;
    }
  }

  async getBuffer(key: string): Promise<Buffer> {
    return streamToBuffer(await this.get(key));
  }

  async stat(key: string): Promise<ObjectStat | null> {
    assertValidKey(key);
    let st;
    try {
      st = await this.client.statObject(this.bucket, key);
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
    const metadata: Record<string, string> = {};
    let contentType: string | undefined;
    for (const [k, v] of Object.entries(st.metaData ?? {})) {
      const lk = k.toLowerCase();
      const value = String(v);
      if (lk === 'content-type') contentType = value;
      else if (!RESERVED_META.has(lk) && !lk.startsWith('x-amz-')) metadata[lk] = safeDecode(value);
    }
    return { size: st.size, ...(contentType ? { contentType } : {}), metadata };
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    try {
      await this.client.removeObject(this.bucket, key);
    } catch (err) {
      if (!isMissing(err)) throw err;
    }
  }

  async presignedGetUrl(key: string, opts: PresignOptions = {}): Promise<string> {
    assertValidKey(key);
    const expires = clampExpiry(opts.expiresSeconds);
    const overrideType = normalizeContentType(opts.contentType);
    let typeForDisposition = overrideType;
    if (opts.disposition === 'inline' && !typeForDisposition) typeForDisposition = (await this.stat(key))?.contentType;
    const respHeaders: Record<string, string> = {
      'response-content-disposition': contentDisposition(
        effectiveDisposition(opts.disposition, typeForDisposition),
        opts.fileName,
      ),
    };
    if (overrideType) respHeaders['response-content-type'] = overrideType;
    return this.presignClient.presignedGetObject(this.bucket, key, expires, respHeaders);
  }

  /** ListObjectsV2 under `sha256/` (1000 keys per request). */
  async *list(): AsyncIterable<ListedObject> {
    const stream = this.client.listObjectsV2(this.bucket, 'sha256/', true);
    for await (const item of stream as AsyncIterable<{ name?: string; lastModified?: Date }>) {
      if (item.name && isValidKey(item.name)) yield { key: item.name, lastModified: new Date(item.lastModified?.getTime() ?? 0) };
    }
  }

  /** Spooled uploads live in the OS temp dir under a congvan-upload- prefix. */
  async removeStaleTemp(olderThan: Date): Promise<number> {
    let removed = 0;
    let names: string[];
    try {
      names = await fsp.readdir(this.tmpDir);
    } catch {
      return 0;
    }
    for (const name of names) {
      if (!name.startsWith('congvan-upload-') || !name.endsWith('.part')) continue;
      const p = path.join(this.tmpDir, name);
      try {
        if ((await fsp.stat(p)).mtimeMs < olderThan.getTime()) {
          await fsp.rm(p, { force: true });
          removed++;
        }
      } catch {
        // removed by its writer meanwhile
      }
    }
    return removed;
  }
}

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
