/**
 * The signing worker thread (pool.ts): PAdES signing with a key and signature verification run here, off the
 * API's event loop (hashing, RSA, PDF parsing and writing are CPU work). Messages: {id, op, args} → {id, ok,
 * value | error}. Revocation is checked from here (CRL fetch with its own per-thread cache).
 */
import { parentPort, threadId } from 'node:worker_threads';
import type { KeyAndChain } from './crypto/certificates';
import { signPdfWithKey } from './pdf/local-signer';
import type { SignOptions } from './pdf/types';
import { verifyPdfSignatures } from './pdf/verify';
import { crlStatus } from './revocation';

export type PoolRequest =
  | { id: number; op: 'verify'; pdf: Uint8Array; anchors: Uint8Array[]; crls: Uint8Array[] }
  | { id: number; op: 'sign'; pdf: Uint8Array; opts: SignOptions; key: KeyAndChain }
  | { id: number; op: 'threadId' };

async function handle(m: PoolRequest): Promise<unknown> {
  switch (m.op) {
    case 'verify':
      return verifyPdfSignatures(m.pdf, { anchors: m.anchors.map((a) => Buffer.from(a)), revocation: (c, i) => crlStatus(c, i, { localCrls: m.crls }) });
    case 'sign': {
      // Structured clone turns Buffers into Uint8Arrays: give the signer Buffers back.
      const image = m.opts.placement?.image;
      const opts: SignOptions = m.opts.placement ? { ...m.opts, placement: { ...m.opts.placement, image: image ? Buffer.from(image) : image } } : m.opts;
      return signPdfWithKey(m.pdf, opts, { privateKeyPem: m.key.privateKeyPem, chain: m.key.chain.map((d) => Buffer.from(d)) });
    }
    case 'threadId':
      return threadId;
  }
}

parentPort?.on('message', (m: PoolRequest) => {
  handle(m).then(
    (value) => parentPort!.postMessage({ id: m.id, ok: true, value }),
    (e: unknown) => parentPort!.postMessage({ id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
  );
});
