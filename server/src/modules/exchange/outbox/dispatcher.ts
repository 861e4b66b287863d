/**
 * The dispatcher: claims one outbox row (QUEUED, or SENDING with a lapsed lease; its dependency DELIVERED or
 * FAILED), builds its package into the object store once (outside any transaction), hands it to the transport
 * and records the outcome in a transaction with its audit event: ACK → DELIVERED (dependents queued), RETRY →
 * QUEUED again with backoff (a delayed dispatch job), PERMANENT → FAILED with the reason.
 */
import { Readable } from 'node:stream';
import { LockMode } from '@mikro-orm/core';
import type { Services } from '../../../services';
import { logger } from '../../../shared/logger';
import { Scope } from '../../../shared/scope';
import { Agency } from '../../identity/entities/agency.entity';
import { Document } from '../../documents/entities/document.entity';
import { DocumentFile } from '../../documents/entities/document-file.entity';
import { Recipient } from '../../documents/entities/misc.entities';
import { publishDocumentChange } from '../../documents/realtime';
import { placeOf } from '../../documents/issuing/common';
import { buildEdxml, statusMessage, type BuildAttachment, type EdxmlBusiness, type EdxmlPackage, type EdxmlResponseFor, type StatusCode } from '../edxml';
import { ExchangeOutbox, type OutboxState } from '../exchange.entities';
import { dispatchJob } from '../exchange.jobs';
import type { OutboundMessage, Transport, TransportOutcome } from '../transport';
import { documentFactsOf, documentPackage, fileFactsOf } from './package';

/** How long a claimed row stays SENDING before another dispatcher may take it over. */
export const SEND_LEASE_SECONDS = Number(process.env.CONGVAN_EXCHANGE_LEASE_SECONDS) > 0 ? Number(process.env.CONGVAN_EXCHANGE_LEASE_SECONDS) : 120;
/** Retry delay after `attempts` failed attempts: 1 s, 2 s, 4 s … capped at 15 min. */
export const retryDelayMs = (attempts: number): number => Math.min(15 * 60_000, 1000 * 2 ** Math.max(0, attempts - 1));

export type DispatchResult = 'SKIPPED' | OutboxState;

export class Dispatcher {
  constructor(
    private readonly services: Services,
    private readonly transportFor: (peerId: string | null) => Promise<Transport | null>,
    /** Called after a local ACK, outside any transaction: applies the inbox row at once (the job is the fallback). */
    private readonly afterLocalAck: (inboxId: string) => Promise<void>,
  ) {}

  async dispatch(outboxId: string): Promise<DispatchResult> {
    const { services } = this;
    const em = services.orm.em.fork();
    const claimed = await em.execute<{ id: string; attempts: number; recipient_id: string | null }[]>(
      `update exchange_outbox o set state = 'SENDING', attempts = o.attempts + 1, lease_until = now() + make_interval(secs => ?), sent_at = now()
        where o.id = ? and (o.state = 'QUEUED' or (o.state = 'SENDING' and o.lease_until < now()))
          and (o.depends_on is null or exists (select 1 from exchange_outbox d where d.id = o.depends_on and d.state in ('DELIVERED', 'FAILED')))
        returning o.id, o.attempts, o.recipient_id`,
      [SEND_LEASE_SECONDS, outboxId],
    );
    if (!claimed.length) return 'SKIPPED';
    const attempts = claimed[0].attempts;
    if (claimed[0].recipient_id) await em.execute(`update recipient set transport_state = 'SENDING' where id = ? and transport_state in ('QUEUED', 'SENDING')`, [claimed[0].recipient_id]);
    const row = await em.findOneOrFail(ExchangeOutbox, { id: outboxId });
    let outcome: TransportOutcome;
    let transport: Transport | null = null;
    try {
      const payload = await this.ensurePayload(row);
      transport = await this.transportFor(row.peerId ?? null);
      if (!transport) outcome = { kind: 'RETRY', error: 'Chưa cấu hình đường truyền tới hệ thống nhận.' };
      else {
        const msg: OutboundMessage = {
          id: row.id,
          kind: row.kind,
          senderCode: row.senderCode,
          recipientCode: row.recipientCode,
          edxmlDocumentId: row.edxmlDocumentId,
          sha256: payload.sha256,
          size: payload.size,
          body: () => services.storage.get(payload.key),
          sequence: row.dedupSeq,
          businessType: row.businessType ?? null,
          statusCode: row.statusCode ?? null,
        };
        outcome = await transport.send(msg);
      }
    } catch (e) {
      outcome = { kind: 'RETRY', error: e instanceof Error ? e.message : String(e) };
    }
    const state = await this.record(outboxId, attempts, outcome, transport?.name ?? null);
    if (outcome.kind === 'ACK' && transport?.name === 'local' && !outcome.duplicate) await this.afterLocalAck(outcome.ack);
    return state;
  }

  /** Builds the package once and keeps its key on the row (rebuilt if the object has gone). */
  private async ensurePayload(row: ExchangeOutbox): Promise<{ key: string; sha256: string; size: number }> {
    const { storage } = this.services;
    if (row.payloadKey && row.payloadSha256 && row.payloadSize != null && (await storage.stat(row.payloadKey))) {
      return { key: row.payloadKey, sha256: row.payloadSha256, size: Number(row.payloadSize) };
    }
    const { value, source } = await this.packageOf(row);
    const gen = buildEdxml(value, source);
    const bytes = Readable.from(
      (async function* () {
        for await (const piece of gen) yield Buffer.from(piece, 'utf8');
      })(),
    );
    const put = await storage.put(bytes, { contentType: 'application/xml' });
    await this.services.orm.em
      .fork()
      .execute(`update exchange_outbox set payload_key = ?, payload_sha256 = ?, payload_size = ? where id = ?`, [put.key, put.sha256, put.size, row.id]);
    return { key: put.key, sha256: put.sha256, size: put.size };
  }

  private async packageOf(row: ExchangeOutbox): Promise<{ value: EdxmlPackage<BuildAttachment>; source?: (att: BuildAttachment, i: number) => Promise<AsyncIterable<Uint8Array>> }> {
    const em = this.services.orm.em.fork();
    const now = this.services.clock.now();
    const data = (row.data ?? {}) as { about?: EdxmlResponseFor; organName?: string; business?: EdxmlBusiness; header?: { dueDate?: string | null; content?: string | null } };
    if (row.kind === 'STATUS') {
      const ours = await em.findOne(Agency, { code: row.senderCode });
      const value = statusMessage({
        from: { organId: row.senderCode, ...(ours?.name || data.organName ? { organName: ours?.name ?? data.organName } : {}) },
        about: data.about ?? { documentId: row.edxmlDocumentId },
        code: row.statusCode as StatusCode,
        description: row.description ?? undefined,
        now,
      });
      return { value };
    }
    if (!row.document) throw new Error('outbox row without its document');
    const doc = await em.findOneOrFail(Document, { id: row.document.id }, { populate: ['agency'] });
    const all = await em.find(DocumentFile, { document: doc.id, kind: { $in: ['MAIN', 'ATTACHMENT'] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    const files = [...all.filter((f) => f.kind === 'MAIN'), ...all.filter((f) => f.kind === 'ATTACHMENT')];
    // The From of a forwarded document is the forwarding agency (owner of the Recipient row).
    const fromAgency = (await em.findOne(Agency, { code: row.senderCode })) ?? doc.agency;
    const recipients = row.recipient ? await em.find(Recipient, { document: (await em.findOneOrFail(Recipient, { id: row.recipient.id })).document.id }, { orderBy: { name: 'asc' } }) : [];
    const to = recipients
      .filter((r) => r.agencyCode && r.transportState)
      .map((r) => ({ organId: r.agencyCode!, organName: r.name }));
    if (!to.some((t) => t.organId === row.recipientCode)) to.push({ organId: row.recipientCode, organName: row.recipientCode });
    const value = documentPackage(
      { organId: fromAgency.code, organName: fromAgency.name },
      to,
      documentFactsOf(doc, placeOf(fromAgency)),
      files.map(fileFactsOf),
      now,
      data.business,
    );
    if (data.header?.dueDate) value.header.dueDate = data.header.dueDate;
    if (data.header?.content) value.header.content = data.header.content;
    const storage = this.services.storage;
    return { value, source: async (_att, i) => storage.get(files[i].storageKey) };
  }

  private async record(outboxId: string, attempts: number, outcome: TransportOutcome, transportName: string | null): Promise<DispatchResult> {
    const scope = new Scope(this.services.orm.em.fork(), null);
    return scope.transaction(async (tx) => {
      const row = await tx.em.findOne(ExchangeOutbox, { id: outboxId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!row) return 'SKIPPED';
      // Another dispatcher took the row over (our lease lapsed) or a status already proved delivery.
      if (row.state !== 'SENDING' || row.attempts !== attempts) return row.state;
      const now = this.services.clock.now();
      const rec = row.recipient ? await tx.em.findOne(Recipient, { id: row.recipient.id }) : null;
      const doc = row.document ? await tx.em.findOne(Document, { id: row.document.id }, { populate: ['agency'] }) : null;
      const sender = await tx.em.findOne(Agency, { code: row.senderCode });
      const base = { outboxId: row.id, edxmlDocumentId: row.edxmlDocumentId, kind: row.kind, businessType: row.businessType, statusCode: row.statusCode, recipientCode: row.recipientCode, transport: transportName, attempts };
      row.leaseUntil = null;
      if (outcome.kind === 'ACK') {
        row.state = 'DELIVERED';
        row.deliveredAt = now;
        row.ack = outcome.ack;
        row.lastError = null;
        if (rec) {
          rec.transportState = 'DELIVERED';
          rec.transportError = null;
        }
        tx.audit({ action: 'exchange.delivered', targetType: 'document', targetId: doc?.id ?? null, agencyId: sender?.id ?? null, data: { ...base, ack: outcome.ack, duplicate: outcome.duplicate } });
      } else if (outcome.kind === 'RETRY') {
        row.state = 'QUEUED';
        const delay = outcome.retryAfterMs ?? retryDelayMs(attempts);
        row.nextAttemptAt = new Date(Date.now() + delay);
        row.lastError = outcome.error.slice(0, 2000);
        if (rec) {
          rec.transportState = 'QUEUED';
          rec.transportError = row.lastError;
        }
        tx.audit({ action: 'exchange.retry', targetType: 'document', targetId: doc?.id ?? null, agencyId: sender?.id ?? null, data: { ...base, error: row.lastError, retryInMs: delay } });
        await tx.enqueue(dispatchJob, { outboxId: row.id }, { startAfter: row.nextAttemptAt });
      } else {
        row.state = 'FAILED';
        row.lastError = outcome.reason.slice(0, 4000);
        if (rec) {
          rec.transportState = 'FAILED';
          rec.transportError = row.lastError;
        }
        tx.audit({ action: 'exchange.failed', targetType: 'document', targetId: doc?.id ?? null, agencyId: sender?.id ?? null, data: { ...base, reason: row.lastError } });
        logger.warn({ outboxId: row.id, reason: row.lastError }, 'exchange message refused by the receiver');
      }
      if (row.state !== 'QUEUED') {
        const dependents = await tx.em.find(ExchangeOutbox, { dependsOn: row.id, state: 'QUEUED' });
        for (const d of dependents) await tx.enqueue(dispatchJob, { outboxId: d.id });
      }
      if (doc && row.kind === 'DOCUMENT') publishDocumentChange(tx, this.services, doc);
      return row.state;
    });
  }
}
