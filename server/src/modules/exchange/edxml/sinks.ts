/**
 * Where attachment bytes go while a package is parsed. The parser calls `begin(meta)` when the first bytes of
 * an attachment are decoded, `write` for each decoded piece (awaiting it: backpressure), `end()` at the end
 * of the attachment, and `abort(err)` if the package turns out to be bad while the attachment is open. When a
 * later part of the package is bad, the results of attachments already ended are handed to `discard`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { once } from 'node:events';
import type { EdxmlAttachmentMeta } from './model';
import type { ObjectStorage, PutResult } from '../../../infra/storage/storage';

export interface AttachmentBeginMeta extends EdxmlAttachmentMeta {
  /** 0-based position in AttachmentEncoded. */
  index: number;
}

export interface AttachmentWriter<R> {
  write(chunk: Uint8Array): void | Promise<void>;
  end(): Promise<R>;
  abort(err: Error): void | Promise<void>;
}

export interface AttachmentSink<R> {
  begin(meta: AttachmentBeginMeta): AttachmentWriter<R> | Promise<AttachmentWriter<R>>;
  /** Undo an attachment that was completed before the package failed (delete a temp file…). */
  discard?(result: R): void | Promise<void>;
}

export interface DigestResult {
  size: number;
  sha256: string;
}

/** Keeps nothing: sha256 and size of each attachment (the CLI's `parse`, tests). */
export class DigestSink implements AttachmentSink<DigestResult> {
  begin(): AttachmentWriter<DigestResult> {
    const h = crypto.createHash('sha256');
    let size = 0;
    return {
      write(chunk) {
        h.update(chunk);
        size += chunk.length;
      },
      async end() {
        return { size, sha256: h.digest('hex') };
      },
      abort() {},
    };
  }
}

export interface FileResult extends DigestResult {
  path: string;
}

/**
 * Writes each attachment to its own file in `dir` (created if missing): `<index>-<safe name>`. Used by the
 * CLI's `parse --extract DIR` and as a staging area before the object store.
 */
export class DirectorySink implements AttachmentSink<FileResult> {
  constructor(private readonly dir: string) {}

  async begin(meta: AttachmentBeginMeta): Promise<AttachmentWriter<FileResult>> {
    await fsp.mkdir(this.dir, { recursive: true });
    const base = (meta.attachmentName ?? meta.zipEntryName ?? `attachment-${meta.index + 1}`).normalize('NFC');
    const safe = base.replace(/[/\\\0]/g, '_').replace(/^\.+/, '_').slice(0, 150) || 'attachment';
    // never overwrite: `1-a.pdf`, then `1-a.pdf.2`, `1-a.pdf.3`… when the directory is reused
    let file = path.join(this.dir, `${meta.index + 1}-${safe}`);
    let out: fs.WriteStream;
    for (let n = 2; ; n++) {
      out = fs.createWriteStream(file, { flags: 'wx' });
      try {
        await once(out, 'open');
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n > 1000) throw e;
        file = path.join(this.dir, `${meta.index + 1}-${safe}.${n}`);
      }
    }
    const h = crypto.createHash('sha256');
    let size = 0;
    // A write still in flight when abort() destroys the stream errors later: keep it, never unhandled.
    let failure: Error | undefined;
    out.on('error', (e) => (failure ??= e));
    return {
      async write(chunk) {
        if (failure) throw failure;
        h.update(chunk);
        size += chunk.length;
        if (!out.write(chunk)) await once(out, 'drain');
      },
      async end() {
        await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
        return { path: file, size, sha256: h.digest('hex') };
      },
      async abort() {
        out.destroy();
        await fsp.rm(file, { force: true });
      },
    };
  }

  async discard(result: FileResult): Promise<void> {
    await fsp.rm(result.path, { force: true });
  }
}

/** A private temp directory for DirectorySink; remove it with `fsp.rm(dir, {recursive: true})`. */
export async function makeTempDir(prefix = 'edxml-'): Promise<string> {
  return fsp.mkdtemp(path.join(os.tmpdir(), prefix));
}

/**
 * Streams each attachment into the object store (content-addressed) as it is decoded. The store's own
 * maxBytes check backs up the parser's limit. `discard` does nothing: a content-addressed object nobody
 * references is removed by the storage garbage collector after its grace period (storage.ts).
 */
export class StorageSink implements AttachmentSink<PutResult> {
  constructor(
    private readonly storage: ObjectStorage,
    private readonly maxBytes?: number,
  ) {}

  begin(meta: AttachmentBeginMeta): AttachmentWriter<PutResult> {
    const body = new PassThrough();
    body.on('error', () => undefined); // the put() reports it
    const contentType = meta.wrapping === 'zip' ? undefined : meta.contentType;
    const put = this.storage.put(body, { contentType, maxBytes: this.maxBytes });
    // A rejected put must not become an unhandled rejection before end() awaits it.
    put.catch(() => undefined);
    return {
      async write(chunk) {
        if (!body.write(chunk)) await Promise.race([once(body, 'drain'), put]);
      },
      async end() {
        body.end();
        return put;
      },
      abort(err) {
        body.destroy(err);
      },
    };
  }
}
