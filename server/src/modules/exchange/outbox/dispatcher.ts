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
import { Scope, type Tx } from '../../../shared/scope';
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
import { enqueueMany } from './enqueue-many';
import { FANOUT_BATCH_MIN, rawExecute } from './bulk';

/** Retry delay after `attempts` failed attempts: 1 s, 2 s, 4 s … capped at 15 min. */
export const retryDelayMs = (attempts: number): number => Math.min(15 * 60_000, 1000 * 2 ** Math.max(0, attempts - 1));

export type DispatchResult = 'SKIPPED' | OutboxState;

/** Per-state counts of a batch dispatch. */
export type DispatchCounts = Record<DispatchResult, number>;

/** Rows of one batch that are not one fan-out group are sent this many at a time. */
const SINGLES_CONCURRENCY = 4;

interface Claimed {
  id: string;
  attempts: number;
}

export class Dispatcher {
  constructor(
    private readonly services: Services,
    private readonly transportFor: (peerId: string | null) => Promise<Transport | null>,
    /** Called after local ACKs, outside any transaction: applies the new inbox rows at once (the jobs are the fallback). */
    private readonly afterLocalAck: (inboxIds: string[]) => Promise<void>,
  ) {}

  /** One outbox row (`exchange.dispatch {outboxId}`). */
  async dispatch(outboxId: string): Promise<DispatchResult> {
    const claimed = await this.claim([outboxId]);
    if (!claimed.length) return 'SKIPPED';
    return (await this.sendClaimed(claimed)).get(outboxId) ?? 'SKIPPED';
  }

  /**
   * Many rows (`exchange.dispatch {outboxIds}`): claimed in one statement; the rows of one message to several
   * agencies of this deployment (same document, business type and data) go as ONE group — one package built
   * and stored, one `sendBatch` (one inbox transaction), outcomes recorded in one transaction; other rows one
   * by one, a few at a time.
   */
  async dispatchMany(outboxIds: readonly string[]): Promise<DispatchCounts> {
    const counts: DispatchCounts = { SKIPPED: 0, QUEUED: 0, SENDING: 0, DELIVERED: 0, FAILED: 0 };
    const claimed = outboxIds.length ? await this.claim(outboxIds) : [];
    const states = claimed.length ? await this.sendClaimed(claimed) : new Map<string, DispatchResult>();
    for (const id of outboxIds) counts[states.get(id) ?? 'SKIPPED']++;
    return counts;
  }

  /** Claims the rows that may go now (QUEUED or lease lapsed, dependency settled): SENDING with a lease. */
  private async claim(ids: readonly string[]): Promise<Claimed[]> {
    const em = this.services.orm.em.fork();
    const claimed = await rawExecute<{ id: string; attempts: number; recipient_id: string | null }>(em,
      `update exchange_outbox o set state = 'SENDING', attempts = o.attempts + 1, lease_until = now() + make_interval(secs => ?), sent_at = now()
        where o.id = any(array(select jsonb_array_elements_text(?::jsonb))::uuid[]) and (o.state = 'QUEUED' or (o.state = 'SENDING' and o.lease_until < now()))
          and (o.depends_on is null or exists (select 1 from exchange_outbox d where d.id = o.depends_on and d.state in ('DELIVERED', 'FAILED')))
        returning o.id, o.attempts, o.recipient_id`,
      [this.services.config.exchangeLeaseSeconds, JSON.stringify(ids)], // how long it stays SENDING before another dispatcher may take it over
    );
    const recipients = claimed.map((c) => c.recipient_id).filter((x): x is string => !!x);
    if (recipients.length) await rawExecute(em, `update recipient set transport_state = 'SENDING' where id = any(array(select jsonb_array_elements_text(?::jsonb))::uuid[]) and transport_state in ('QUEUED', 'SENDING')`, [JSON.stringify(recipients)]);
    return claimed.map((c) => ({ id: c.id, attempts: c.attempts }));
  }

  private async sendClaimed(claimed: readonly Claimed[]): Promise<Map<string, DispatchResult>> {
    const em = this.services.orm.em.fork();
    const rows = await em.find(ExchangeOutbox, { id: { $in: claimed.map((c) => c.id) } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    const attempts = new Map(claimed.map((c) => [c.id, c.attempts]));
    const groups = new Map<string, ExchangeOutbox[]>();
    for (const row of rows) {
      const key = row.peerId == null && row.kind === 'DOCUMENT' && row.document ? `D|${row.document.id}|${row.businessType}|${JSON.stringify(row.data ?? null)}` : `R|${row.id}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    const result = new Map<string, DispatchResult>();
    // Rows with a package of their own (statuses, peers' rows), per transport: sent a few at a time, then
    // recorded together in one transaction.
    const singles = new Map<string, ExchangeOutbox[]>();
    for (const g of groups.values()) {
      if (g.length === 1) singles.set(g[0].peerId ?? '', [...(singles.get(g[0].peerId ?? '') ?? []), g[0]]);
      else for (const [id, st] of await this.sendGroup(g, attempts)) result.set(id, st);
    }
    await Promise.all(
      [...singles.values()].map(async (rs) => {
        for (const [id, st] of await this.sendEach(rs, attempts)) result.set(id, st);
      }),
    );
    return result;
  }

  /** Rows of one transport, each with its own package: handed over `SINGLES_CONCURRENCY` at a time, recorded in one transaction. */
  private async sendEach(rows: readonly ExchangeOutbox[], attempts: ReadonlyMap<string, number>): Promise<Map<string, DispatchResult>> {
    if (rows.length === 1) return this.sendGroup(rows, attempts);
    const outcomes = new Array<TransportOutcome>(rows.length);
    let transport: Transport | null = null;
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(SINGLES_CONCURRENCY, rows.length) }, async () => {
        for (let i = next++; i < rows.length; i = next++) {
          const r = await this.handOver([rows[i]]);
          outcomes[i] = r.outcomes[0];
          transport ??= r.transport;
        }
      }),
    );
    return this.settle(rows, outcomes, attempts, transport);
  }

  /** Rows carrying the SAME package (one, or a fan-out group): built once, handed over, outcomes recorded together. */
  private async sendGroup(group: readonly ExchangeOutbox[], attempts: ReadonlyMap<string, number>): Promise<Map<string, DispatchResult>> {
    const t0 = Date.now();
    const { outcomes, transport } = await this.handOver(group);
    const t1 = Date.now();
    const states = await this.settle(group, outcomes, attempts, transport);
    if (group.length > 1) logger.info({ rows: group.length, handOverMs: t1 - t0, recordAndApplyMs: Date.now() - t1 }, 'exchange fan-out batch sent');
    return states;
  }

  /** Builds (once) and hands over the package of `group` (rows carrying the same package). Never throws. */
  private async handOver(group: readonly ExchangeOutbox[]): Promise<{ outcomes: TransportOutcome[]; transport: Transport | null }> {
    const { services } = this;
    let outcomes: TransportOutcome[];
    let transport: Transport | null = null;
    try {
      const payload = await this.ensurePayload(group[0]);
      if (group.length > 1) {
        // The one package of the fan-out, stored once (content-addressed), referenced by every row.
        await services.orm.em
          .fork()
          .execute(`update exchange_outbox set payload_key = ?, payload_sha256 = ?, payload_size = ? where id = any(array(select jsonb_array_elements_text(?::jsonb))::uuid[])`, [payload.key, payload.sha256, payload.size, JSON.stringify(group.slice(1).map((r) => r.id))]);
      }
      transport = await this.transportFor(group[0].peerId ?? null);
      if (!transport) outcomes = group.map(() => ({ kind: 'RETRY', error: 'Chưa cấu hình đường truyền tới hệ thống nhận.' }));
      else {
        const msgs = group.map(
          (row): OutboundMessage => ({
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
          }),
        );
        const t = transport;
        if (msgs.length > 1 && t.sendBatch) outcomes = await t.sendBatch(msgs);
        else {
          outcomes = [];
          for (const m of msgs) outcomes.push(await t.send(m));
        }
      }
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      outcomes = group.map(() => ({ kind: 'RETRY', error }));
    }
    return { outcomes, transport };
  }

  /** Records the outcomes (one transaction), then applies at once what the local inbox newly stored. */
  private async settle(rows: readonly ExchangeOutbox[], outcomes: readonly TransportOutcome[], attempts: ReadonlyMap<string, number>, transport: Transport | null): Promise<Map<string, DispatchResult>> {
    const t0 = Date.now();
    const states = await this.record(
      rows.map((row, i) => ({ id: row.id, attempts: attempts.get(row.id) ?? row.attempts, outcome: outcomes[i] })),
      transport?.name ?? null,
    );
    if (transport?.name === 'local') {
      const fresh = outcomes.flatMap((o) => (o.kind === 'ACK' && !o.duplicate ? [o.ack] : []));
      const t1 = Date.now();
      if (fresh.length) await this.afterLocalAck([...new Set(fresh)]);
      if (rows.length > 1) logger.debug({ rows: rows.length, recordMs: t1 - t0, applyMs: Date.now() - t1 }, 'exchange batch recorded and applied');
    }
    return states;
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

  /** Records the outcomes of claimed rows in one transaction (only rows still ours: same `attempts`). */
  private async record(items: readonly { id: string; attempts: number; outcome: TransportOutcome }[], transportName: string | null): Promise<Map<string, DispatchResult>> {
    const scope = new Scope(this.services.orm.em.fork(), null);
    return scope.transaction(async (tx) => {
      const result = new Map<string, DispatchResult>();
      const settled: string[] = [];
      const acks = items.filter((i) => i.outcome.kind === 'ACK');
      if (acks.length >= FANOUT_BATCH_MIN) {
        // A fan-out's acknowledgements, set-based: rows still ours (SENDING, same attempts) become DELIVERED.
        await this.recordAcks(tx, acks, transportName, result);
        for (const [id, st] of result) if (st === 'DELIVERED') settled.push(id);
        items = items.filter((i) => i.outcome.kind !== 'ACK');
      }
      const rows = new Map((await tx.em.find(ExchangeOutbox, { id: { $in: items.map((i) => i.id) } }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } })).map((r) => [r.id, r]));
      const recIds = [...rows.values()].flatMap((r) => (r.recipient ? [r.recipient.id] : []));
      const recs = new Map((recIds.length ? await tx.em.find(Recipient, { id: { $in: recIds } }) : []).map((r) => [r.id, r]));
      const docIds = [...new Set([...rows.values()].flatMap((r) => (r.document ? [r.document.id] : [])))];
      const docs = new Map((docIds.length ? await tx.em.find(Document, { id: { $in: docIds } }, { populate: ['agency'] }) : []).map((d) => [d.id, d]));
      const senderCodes = [...new Set([...rows.values()].map((r) => r.senderCode))];
      const senders = new Map((await tx.em.find(Agency, { code: { $in: senderCodes } })).map((a) => [a.code, a]));
      const now = this.services.clock.now();
      const retries: ExchangeOutbox[] = [];
      const changedDocs = new Map<string, Document>();
      for (const { id, attempts, outcome } of items) {
        const row = rows.get(id);
        if (!row) {
          result.set(id, 'SKIPPED');
          continue;
        }
        // Another dispatcher took the row over (our lease lapsed) or a status already proved delivery.
        if (row.state !== 'SENDING' || row.attempts !== attempts) {
          result.set(id, row.state);
          continue;
        }
        const rec = row.recipient ? (recs.get(row.recipient.id) ?? null) : null;
        const doc = row.document ? (docs.get(row.document.id) ?? null) : null;
        const sender = senders.get(row.senderCode) ?? null;
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
          retries.push(row);
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
        if (row.state !== 'QUEUED') settled.push(row.id);
        if (doc && row.kind === 'DOCUMENT') changedDocs.set(doc.id, doc);
        result.set(id, row.state);
      }
      // Retries: a fan-out group again as one delayed batch job, single rows each their own.
      if (retries.length >= FANOUT_BATCH_MIN && retries.every((r) => (r.peerId ?? null) === null)) {
        const at = new Date(Math.max(...retries.map((r) => r.nextAttemptAt.getTime())));
        await tx.enqueue(dispatchJob, { outboxIds: retries.map((r) => r.id) }, { startAfter: at });
      } else for (const r of retries) await tx.enqueue(dispatchJob, { outboxId: r.id }, { startAfter: r.nextAttemptAt });
      if (settled.length) {
        const dependents = await tx.em.find(ExchangeOutbox, { dependsOn: { $in: settled }, state: 'QUEUED' }, { fields: ['id'] });
        await enqueueMany(tx, dispatchJob, dependents.map((d) => ({ outboxId: d.id })));
      }
      for (const doc of changedDocs.values()) publishDocumentChange(tx, this.services, doc);
      return result;
    });
  }

  /** ACK outcomes in bulk: one UPDATE of the rows still ours, one of their Recipient rows, audit events in one insert. */
  private async recordAcks(tx: Tx, acks: readonly { id: string; attempts: number; outcome: TransportOutcome }[], transportName: string | null, result: Map<string, DispatchResult>): Promise<void> {
    const now = this.services.clock.now();
    const input = acks.map((a) => ({ id: a.id, attempts: a.attempts, ack: a.outcome.kind === 'ACK' ? a.outcome.ack : '', duplicate: a.outcome.kind === 'ACK' && a.outcome.duplicate }));
    const updated = await rawExecute<{ id: string; recipient_id: string | null; document_id: string | null; sender_code: string; edxml_document_id: string; kind: string; business_type: number | null; status_code: string | null; recipient_code: string; attempts: number; ack: string }>(tx.em,
      `update exchange_outbox o set state = 'DELIVERED', delivered_at = ?, ack = x.ack, last_error = null, lease_until = null
         from jsonb_to_recordset(?::jsonb) as x(id uuid, attempts int, ack text)
        where o.id = x.id and o.state = 'SENDING' and o.attempts = x.attempts
        returning o.id, o.recipient_id, o.document_id, o.sender_code, o.edxml_document_id, o.kind, o.business_type, o.status_code, o.recipient_code, o.attempts, o.ack`,
      [now, JSON.stringify(input)],
    );
    const recipients = updated.flatMap((u) => (u.recipient_id ? [u.recipient_id] : []));
    if (recipients.length) {
      await rawExecute(tx.em, `update recipient set transport_state = 'DELIVERED', transport_error = null where id = any(array(select jsonb_array_elements_text(?::jsonb))::uuid[])`, [JSON.stringify(recipients)]);
    }
    const senders = new Map((await tx.em.find(Agency, { code: { $in: [...new Set(updated.map((u) => u.sender_code))] } })).map((a) => [a.code, a.id]));
    const dup = new Map(input.map((i) => [i.id, i.duplicate]));
    await tx.auditMany(
      updated.map((u) => ({
        action: 'exchange.delivered',
        targetType: 'document',
        targetId: u.document_id,
        agencyId: senders.get(u.sender_code) ?? null,
        data: { outboxId: u.id, edxmlDocumentId: u.edxml_document_id, kind: u.kind, businessType: u.business_type, statusCode: u.status_code, recipientCode: u.recipient_code, transport: transportName, attempts: u.attempts, ack: u.ack, duplicate: dup.get(u.id) ?? false },
      })),
    );
    for (const u of updated) result.set(u.id, 'DELIVERED');
    const rest = acks.filter((a) => !result.has(a.id)).map((a) => a.id);
    if (rest.length) for (const r of await tx.em.find(ExchangeOutbox, { id: { $in: rest } }, { fields: ['id', 'state'] })) result.set(r.id, r.state);
    for (const id of rest) if (!result.has(id)) result.set(id, 'SKIPPED');
    const docIds = [...new Set(updated.filter((u) => u.kind === 'DOCUMENT' && u.document_id).map((u) => u.document_id!))];
    if (docIds.length) for (const d of await tx.em.find(Document, { id: { $in: docIds } }, { fields: ['id', 'agency'] })) publishDocumentChange(tx, this.services, d);
  }
}
