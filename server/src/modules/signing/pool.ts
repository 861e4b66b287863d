/**
 * A small pool of worker threads for the signing core (issue 12): PAdES signing with a server-held key and the
 * verification of a file's signatures run off the API's event loop, so that a 50 MB PDF being hashed or a burst
 * of issuing does not stall every other request. CONGVAN_SIGNING_THREADS sets the size (default: cores − 1,
 * at most 4, at least 1); 0 runs everything in process (as before). Workers are started on first use and do
 * not keep the process alive when idle. A worker that dies fails its jobs and is replaced on the next call.
 */
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { KeyAndChain } from './crypto/certificates';
import { signPdfWithKey } from './pdf/local-signer';
import type { FileSignature, SignOptions } from './pdf/types';
import { verifyPdfSignatures } from './pdf/verify';
import type { PoolRequest } from './pool-worker';
import { crlStatus } from './revocation';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };
type Slot = { worker: Worker; pending: Map<number, Pending> };
type Job = { op: 'verify'; pdf: Uint8Array; anchors: Uint8Array[]; crls: Uint8Array[] } | { op: 'sign'; pdf: Uint8Array; opts: SignOptions; key: KeyAndChain } | { op: 'threadId' };

/** The worker's entry: the .ts source under tsx / ts-jest (loaded through tsx's require hook), else the built .js. */
function bootstrap(): { source: string; file: string } {
  const ext = path.extname(__filename);
  const file = path.join(__dirname, `pool-worker${ext}`);
  const source = `${ext === '.ts' ? "require('tsx/cjs');" : ''} require(require('node:worker_threads').workerData.file);`;
  return { source, file };
}

export function defaultPoolSize(): number {
  const env = process.env.CONGVAN_SIGNING_THREADS;
  if (env !== undefined && env !== '' && Number.isInteger(Number(env)) && Number(env) >= 0) return Number(env);
  return Math.max(1, Math.min(4, os.availableParallelism() - 1));
}

export class SigningPool {
  private slots: (Slot | null)[];
  private next = 0;
  private seq = 0;

  constructor(readonly size: number = defaultPoolSize()) {
    this.slots = Array.from({ length: size }, () => null);
  }

  /** Every signature of the PDF, verified against `anchors` (DER), revocation from the local `crls` (DER), then the distribution points. */
  verify(pdf: Uint8Array, anchors: readonly Uint8Array[], crls: readonly Uint8Array[] = []): Promise<FileSignature[]> {
    if (this.size === 0) return verifyPdfSignatures(pdf, { anchors: anchors.map((a) => Buffer.from(a)), revocation: (c, i) => crlStatus(c, i, { localCrls: crls }) });
    return this.run({ op: 'verify', pdf, anchors: [...anchors], crls: [...crls] }) as Promise<FileSignature[]>;
  }

  /** A PAdES signature with a key held by the server (prepare + sign + embed in the worker). */
  async sign(pdf: Uint8Array, opts: SignOptions, key: KeyAndChain): Promise<Uint8Array> {
    if (this.size === 0) return signPdfWithKey(pdf, opts, key);
    return new Uint8Array((await this.run({ op: 'sign', pdf, opts, key })) as Uint8Array);
  }

  /** The thread id that runs a job (tests: the work is not on the main thread). */
  threadId(): Promise<number> {
    return this.size === 0 ? Promise.resolve(0) : (this.run({ op: 'threadId' }) as Promise<number>);
  }

  async close(): Promise<void> {
    const slots = this.slots.filter((s): s is Slot => !!s);
    this.slots = this.slots.map(() => null);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private slot(): Slot {
    const i = this.next++ % this.size;
    let s = this.slots[i];
    if (!s) {
      const { source, file } = bootstrap();
      const worker = new Worker(source, { eval: true, workerData: { file } });
      const slot: Slot = { worker, pending: new Map() };
      worker.unref();
      worker.on('message', (m: { id: number; ok: boolean; value?: unknown; error?: string }) => {
        const p = slot.pending.get(m.id);
        if (!p) return;
        slot.pending.delete(m.id);
        if (slot.pending.size === 0) worker.unref();
        if (m.ok) p.resolve(m.value);
        else p.reject(new Error(m.error));
      });
      const fail = (e: Error) => {
        if (this.slots[i] === slot) this.slots[i] = null;
        for (const p of slot.pending.values()) p.reject(e);
        slot.pending.clear();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`Tiến trình ký số dừng bất thường (mã ${code}).`)));
      this.slots[i] = slot;
      s = slot;
    }
    return s;
  }

  private run(job: Job): Promise<unknown> {
    const s = this.slot();
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      s.pending.set(id, { resolve, reject });
      // Keep the process alive while a job is in flight.
      s.worker.ref();
      s.worker.postMessage({ ...job, id } as PoolRequest);
    });
  }
}
