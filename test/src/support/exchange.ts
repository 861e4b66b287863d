/**
 * Runs the REAL exchange work in process until nothing is pending: the dispatcher (build → local transport →
 * inbox receive) and the appliers (incoming record, statuses), the same functions the `exchange.dispatch` /
 * `exchange.apply` jobs call. For integration tests on createTestRuntime, which runs no job workers.
 *
 *   await services.outgoing.issue(...);   // writes outbox rows
 *   await settleExchange(t);               // recipients now have their "chờ vào sổ" record, senders their 01
 */
import type { Services } from '../../../server/src/services';
import type { Tx } from '../../../server/src/shared/scope';
import type { Agency } from '../../../server/src/modules/identity/entities/agency.entity';
import { Document } from '../../../server/src/modules/documents/entities/document.entity';
import { DocumentFile } from '../../../server/src/modules/documents/entities/document-file.entity';
import { Recipient } from '../../../server/src/modules/documents/entities/misc.entities';
import type { DeliveryOutcome } from '../../../server/src/modules/exchange/outbox/outbox';

export interface SettleStats {
  dispatched: number;
  applied: number;
  rounds: number;
}

type WithServices = { rt: { services: Services } } | { runtime: { rt: { services: Services } } } | Services;

function servicesOf(t: WithServices): Services {
  if ('exchange' in t) return t;
  if ('runtime' in t) return t.runtime.rt.services;
  return t.rt.services;
}

/**
 * Dispatch and apply until nothing is pending (rows waiting on a retry delay are sent at once). Works also
 * while job workers run in the same database (startTestServer): rows another dispatcher holds are waited for.
 * HELD rows that stay held do not count as pending.
 */
export async function settleExchange(t: WithServices, opts: { maxRounds?: number; timeoutMs?: number } = {}): Promise<SettleStats> {
  const services = servicesOf(t);
  const stats: SettleStats = { dispatched: 0, applied: 0, rounds: 0 };
  const maxRounds = opts.maxRounds ?? 200;
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    if (stats.rounds++ >= maxRounds || Date.now() > deadline) throw new Error(`settleExchange: still pending after ${stats.rounds - 1} rounds`);
    const p = await services.exchange.pending();
    let progress = 0;
    for (const id of p.outbox) {
      const r = await services.exchange.dispatch(id);
      if (r !== 'SKIPPED') {
        progress++;
        stats.dispatched++;
      }
    }
    for (const id of [...p.inbox, ...p.held]) {
      const before = p.held.includes(id) ? 'HELD' : 'RECEIVED';
      const after = await services.exchange.apply(id);
      if (after !== before) {
        progress++;
        stats.applied++;
      }
    }
    if (!progress) {
      const after = await services.exchange.pending();
      // Nothing to do here, but another dispatcher / applier (the job workers) still holds rows: wait for it.
      if (!after.outbox.length && !after.inbox.length) return stats;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** A file already in the store (e.g. from `putClaimed`). */
export interface StoredPdf {
  key: string;
  sha256: string;
  size: number;
}

export interface IssuedDocumentSpec {
  agency: Agency;
  number: number;
  subject: string;
  /** The first is the MAIN file, the others ATTACHMENTs. */
  files?: StoredPdf[];
  /** The name of the k-th file; `${number}-${k}.pdf` unless given. */
  fileName?: (k: number) => string;
  recipients: { agency?: Agency | null; agencyCode?: string | null; name: string }[];
  urgency?: string;
  secrecy?: string;
  /** Signed by "Nguyễn Văn An, Phó Chủ tịch" unless false. */
  signed?: boolean;
}

/**
 * An ISSUED outgoing document (`${number}/UBND-TH`, issued 20/11/2026) with its stored files and recipients,
 * queued for delivery in `tx` as the issuing transaction does (outbox rows + dispatch jobs).
 */
export async function createIssuedDocument(tx: Tx, services: Services, spec: IssuedDocumentSpec): Promise<{ doc: Document; outcome: DeliveryOutcome }> {
  const now = new Date();
  const signed = spec.signed ?? true;
  const doc = tx.em.create(Document, {
    agency: spec.agency,
    direction: 'OUTGOING',
    state: 'ISSUED',
    typeName: 'Công văn',
    subject: spec.subject,
    symbol: `${spec.number}/UBND-TH`,
    number: spec.number,
    issuedDate: '2026-11-20',
    urgency: spec.urgency ?? 'THUONG',
    secrecy: spec.secrecy ?? 'THUONG',
    ...(signed ? { signerName: 'Nguyễn Văn An', signerTitle: 'Phó Chủ tịch' } : {}),
    issuedAt: now,
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
  const fileName = spec.fileName ?? ((k: number) => `${spec.number}-${k}.pdf`);
  (spec.files ?? []).forEach((s, k) =>
    tx.em.create(DocumentFile, { document: doc, kind: k ? 'ATTACHMENT' : 'MAIN', version: 1, storageKey: s.key, sha256: s.sha256, fileName: fileName(k), contentType: 'application/pdf', size: s.size, createdAt: now }),
  );
  for (const r of spec.recipients) tx.em.create(Recipient, { document: doc, agency: r.agency ?? null, ...(r.agencyCode ? { agencyCode: r.agencyCode } : {}), name: r.name });
  await tx.em.flush();
  const outcome = await services.exchange.queueIssued(tx, doc, now);
  return { doc, outcome };
}

