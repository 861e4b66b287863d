/**
 * Applying a received message (the `exchange.apply` job), each in its own transaction under a row lock on the
 * inbox row (so a duplicate job or the dispatcher's inline apply is a no-op):
 * - DOCUMENT type 0 (văn bản mới): the recipient's incoming record "chờ vào sổ" with the SAME stored files
 *   (content-addressed keys), the văn thư notified, status 01 queued back. A PDF whose signature is broken or
 *   not trusted is refused: status 02 with the reason, no record (issue 12 receipt check).
 * - STATUS 01–06, 02: the sender's Recipient row (status, code, note); codes only move forward; a progress
 *   code before the 01 is HELD and re-applied once the 01 is applied.
 * - anything else (types 1–3, 13/15/16): the handlers registered with `onApply` (helper modules), else HELD.
 */
import { LockMode } from '@mikro-orm/core';
import type { Services } from '../../../services';
import { logger } from '../../../shared/logger';
import { Scope, type AuditInput, type Tx } from '../../../shared/scope';
import { Agency } from '../../identity/entities/agency.entity';
import { User } from '../../identity/entities/user.entity';
import { Document } from '../../documents/entities/document.entity';
import { Notification, Recipient } from '../../documents/entities/misc.entities';
import { EDXML_STATUS, duplicateKey, receiveElectronic, recipientStatusOf, type EdxmlStatusCode } from '../../documents/domain';
import { linkStoredFile } from '../../documents/files';
import { publishDocumentChange } from '../../documents/realtime';
import { notifyRejectedByRecipient } from '../../documents/delivery';
import { enqueueSearchIndex, searchIndexJob } from '../../search/search.jobs';
import { enqueueMany } from '../outbox/enqueue-many';
import { rawExecute } from '../outbox/bulk';
import type { EdxmlDocumentPackage, EdxmlPackage, EdxmlStatusPackage } from '../edxml';
import { ExchangeInbox, ExchangeOutbox, type InboxFile, type InboxState } from '../exchange.entities';
import { applyJob } from '../exchange.jobs';
import type { Outbox } from '../outbox/outbox';
import { decideStatus, incomingFieldsOf } from './mapping';

/** What a registered handler decided for an inbox row. */
export type ApplyOutcome =
  | { state: 'APPLIED'; documentId?: string | null }
  | { state: 'HELD'; reason: string }
  /** `status02`: queue a status 02 with `reason` back to the sender (DOCUMENT messages). */
  | { state: 'REJECTED'; reason: string; status02?: boolean };

export type ApplyMatch = { kind: 'DOCUMENT'; businessType: number } | { kind: 'STATUS'; statusCode: string };

/** A handler of received messages the core does not handle (business types 1–3, statuses 13/15/16). */
export type InboxHandler = (tx: Tx, row: ExchangeInbox, value: EdxmlPackage, ctx: { services: Services; now: Date }) => Promise<ApplyOutcome>;

/** Told when a sender's Recipient row moved to a new edXML status code (in that transaction). */
export type RecipientStatusListener = (
  tx: Tx,
  e: { recipient: Recipient; senderDocument: Document; code: string; previousCode: string | null; note: string | null; inbox: ExchangeInbox },
) => Promise<void>;

/** What applyMany reads once per chunk, and what it collects to write in bulk. */
interface NewDocumentBatch {
  agencies: Map<string, Agency>;
  /** The sender's outbox row id → the sender's document (same deployment). */
  sources: Map<string, Document>;
  vanThu: Map<string, User[]>;
  indexed: string[];
  arrived: { inbox: ExchangeInbox; doc: Document }[];
  /** Audit events, written in one insert at the end of the chunk's transaction. */
  audits: AuditInput[];
}

/** Rows applied per transaction by applyMany, and how many such transactions run at once. */
const APPLY_CHUNK = 200;
const APPLY_PARALLEL = 2;
/** Rows applied one by one by applyMany (statuses) run this many at a time. */
const OTHERS_PARALLEL = 4;

const keyOf = (m: ApplyMatch) => (m.kind === 'DOCUMENT' ? `D:${m.businessType}` : `S:${m.statusCode}`);
const PDF_MAGIC = '%PDF-';

export class InboxApplier {
  private readonly handlers = new Map<string, InboxHandler>();
  private readonly statusListeners: RecipientStatusListener[] = [];

  constructor(
    private readonly services: Services,
    private readonly outbox: Outbox,
  ) {}

  onApply(match: ApplyMatch, handler: InboxHandler): void {
    this.handlers.set(keyOf(match), handler);
  }

  onRecipientStatus(listener: RecipientStatusListener): void {
    this.statusListeners.push(listener);
  }

  /** Applies one inbox row; returns its state afterwards (or null when it does not exist). */
  async apply(inboxId: string): Promise<InboxState | null> {
    const em = this.services.orm.em.fork();
    const row = await em.findOne(ExchangeInbox, { id: inboxId });
    if (!row) return null;
    if (row.state !== 'RECEIVED' && row.state !== 'HELD') return row.state;
    const value = row.value as unknown as EdxmlPackage;
    // Receipt check of signatures (outside the transaction: CPU and storage reads).
    const refusal = row.kind === 'DOCUMENT' && (row.businessType ?? 0) === 0 && !this.handlers.has('D:0') ? await this.signatureProblem(row.files) : null;
    const scope = new Scope(this.services.orm.em.fork(), null);
    return scope.transaction(async (tx) => {
      const r = await tx.em.findOne(ExchangeInbox, { id: inboxId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!r) return null;
      if (r.state !== 'RECEIVED' && r.state !== 'HELD') return r.state;
      const before = r.state;
      const now = this.services.clock.now();
      const handler = this.handlers.get(keyOf(r.kind === 'DOCUMENT' ? { kind: 'DOCUMENT', businessType: r.businessType ?? 0 } : { kind: 'STATUS', statusCode: r.statusCode ?? '' }));
      let outcome: ApplyOutcome;
      if (handler) outcome = await handler(tx, r, value, { services: this.services, now });
      else if (r.kind === 'DOCUMENT' && (r.businessType ?? 0) === 0) outcome = await this.applyNewDocument(tx, r, value as EdxmlDocumentPackage, refusal, now);
      else if (r.kind === 'STATUS' && r.statusCode && ['01', '02', '03', '04', '05', '06'].includes(r.statusCode)) outcome = await this.applyStatus(tx, r, value as EdxmlStatusPackage, now);
      else outcome = { state: 'HELD', reason: `Nghiệp vụ chưa được hỗ trợ (${r.kind === 'DOCUMENT' ? `BussinessDocType ${r.businessType}` : `StatusCode ${r.statusCode}`}).` };
      await this.record(tx, r, outcome, now, before);
      return r.state;
    });
  }

  /**
   * `exchange.apply {inboxIds}`: new documents (BussinessDocType 0) set-based, `APPLY_CHUNK` rows per
   * transaction — the signature check once per distinct set of files, agencies, senders' records and văn thư
   * read once, the search-index jobs and the 01s back written in bulk; everything else (and a chunk whose
   * transaction failed) one row at a time through `apply`. Returns how many rows are APPLIED/REJECTED now.
   */
  async applyMany(inboxIds: readonly string[]): Promise<{ settled: number; other: number }> {
    const em = this.services.orm.em.fork();
    // Without `value` (the parsed package): the chunk's transaction reads it under its lock.
    const rows = inboxIds.length
      ? await em.find(ExchangeInbox, { id: { $in: [...inboxIds] } }, { orderBy: { receivedAt: 'asc', id: 'asc' }, fields: ['id', 'state', 'kind', 'businessType', 'files', 'receivedAt', 'edxmlDocumentId', 'senderCode', 'recipientCode'] })
      : [];
    const setBased = rows.filter((r) => r.state === 'RECEIVED' && r.kind === 'DOCUMENT' && (r.businessType ?? 0) === 0 && !this.handlers.has('D:0'));
    const others = rows.filter((r) => !setBased.includes(r) && (r.state === 'RECEIVED' || r.state === 'HELD'));
    let settled = 0;
    // Receipt check of signatures once per distinct set of files (a fan-out: one check for every recipient).
    const refusals = new Map<string, string | null>();
    for (const r of setBased) {
      const k = r.files.map((f) => f.key).join('|');
      if (!refusals.has(k)) refusals.set(k, await this.signatureProblem(r.files));
    }
    const chunks: (typeof setBased)[] = [];
    for (let i = 0; i < setBased.length; i += APPLY_CHUNK) chunks.push(setBased.slice(i, i + APPLY_CHUNK));
    // Two chunks at a time: one transaction's database work overlaps the other's CPU work.
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(APPLY_PARALLEL, chunks.length) }, async () => {
        for (let i = next++; i < chunks.length; i = next++) {
          const chunk = chunks[i];
          try {
            settled += await this.applyNewDocuments(chunk, refusals);
          } catch (e) {
            logger.warn({ err: e, rows: chunk.length }, 'batch apply failed: applying row by row');
            for (const r of chunk) if ((await this.apply(r.id)) !== 'RECEIVED') settled++;
          }
        }
      }),
    );
    // The rest (statuses: a fan-out's 01s coming back) one row per transaction, a few pairs at a time; the
    // messages of one (document, sender, recipient) in order, one after the other.
    const pairs = new Map<string, string[]>();
    for (const r of others) {
      const key = `${r.edxmlDocumentId}\u0000${r.senderCode}\u0000${r.recipientCode}`;
      pairs.set(key, [...(pairs.get(key) ?? []), r.id]);
    }
    const queue = [...pairs.values()];
    let k = 0;
    await Promise.all(
      Array.from({ length: Math.min(OTHERS_PARALLEL, queue.length) }, async () => {
        for (let i = k++; i < queue.length; i = k++) for (const id of queue[i]) await this.apply(id);
      }),
    );
    return { settled, other: others.length };
  }

  private async applyNewDocuments(chunk: readonly Pick<ExchangeInbox, 'id' | 'files'>[], refusals: ReadonlyMap<string, string | null>): Promise<number> {
    const scope = new Scope(this.services.orm.em.fork(), null);
    return scope.transaction(async (tx) => {
      const em = tx.em;
      const rows = await em.find(ExchangeInbox, { id: { $in: chunk.map((r) => r.id) }, state: 'RECEIVED' }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } });
      if (!rows.length) return 0;
      const now = this.services.clock.now();
      const codes = [...new Set(rows.flatMap((r) => [r.recipientCode, r.senderCode]))];
      const agencies = new Map((await em.find(Agency, { code: { $in: codes } })).map((a) => [a.code, a]));
      const messageIds = rows.flatMap((r) => (r.via === 'LOCAL' && r.messageId ? [r.messageId] : []));
      const sent = messageIds.length
        ? await rawExecute<{ id: string; document_id: string | null }>(em, `select id::text, document_id from exchange_outbox where id::text = any(array(select jsonb_array_elements_text(?::jsonb)))`, [JSON.stringify(messageIds)])
        : [];
      const docIds = [...new Set(sent.flatMap((o) => (o.document_id ? [o.document_id] : [])))];
      const senderDocs = new Map((docIds.length ? await em.find(Document, { id: { $in: docIds } }) : []).map((d) => [d.id, d]));
      const sources = new Map(sent.flatMap((o) => (o.document_id && senderDocs.has(o.document_id) ? [[o.id, senderDocs.get(o.document_id)!] as const] : [])));
      const agencyIds = rows.flatMap((r) => {
        const a = agencies.get(r.recipientCode);
        return a ? [a.id] : [];
      });
      const users = agencyIds.length ? await em.find(User, { agency: { $in: agencyIds }, active: true, roles: { $contains: ['VAN_THU'] } }) : [];
      const vanThu = new Map<string, User[]>();
      for (const u of users) vanThu.set(u.agency.id, [...(vanThu.get(u.agency.id) ?? []), u]);
      const pre: NewDocumentBatch = { agencies, sources, vanThu, indexed: [], arrived: [], audits: [] };
      const applied = new Set<string>();
      for (const r of rows) {
        const refusal = refusals.get(r.files.map((f) => f.key).join('|')) ?? null;
        const outcome = await this.applyNewDocument(tx, r, r.value as unknown as EdxmlDocumentPackage, refusal, now, pre);
        await this.record(tx, r, outcome, now, 'RECEIVED', { agency: agencies.get(r.recipientCode) ?? null, applied, audits: pre.audits });
      }
      await em.flush();
      await tx.auditMany(pre.audits);
      await enqueueMany(tx, searchIndexJob, pre.indexed.map((documentId) => ({ documentId })));
      await this.outbox.queueStatusesFor(tx, pre.arrived.map((a) => ({ inbox: a.inbox, code: '01' as const, note: null, doc: a.doc })), { agencies, flushed: true });
      if (applied.size) {
        const held = await em.find(ExchangeInbox, { state: 'HELD', edxmlDocumentId: { $in: [...applied] }, id: { $nin: rows.map((r) => r.id) } }, { fields: ['id'] });
        await enqueueMany(tx, applyJob, held.map((h) => ({ inboxId: h.id })));
      }
      return rows.length;
    });
  }

  /**
   * Writes the outcome on the row with its audit event. `batch` (applyMany): the agency is preloaded and the
   * HELD rows of the applied DocumentIds are collected (re-queued once for the whole batch).
   */
  private async record(tx: Tx, r: ExchangeInbox, o: ApplyOutcome, now: Date, before: InboxState, batch?: { agency: Agency | null; applied: Set<string>; audits: AuditInput[] }): Promise<void> {
    const agency = batch ? batch.agency : await tx.em.findOne(Agency, { code: r.recipientCode });
    if (o.state === 'HELD') {
      r.state = 'HELD';
      r.reason = o.reason;
      if (before !== 'HELD') tx.audit({ action: 'exchange.hold', targetType: 'exchange_inbox', targetId: r.id, agencyId: agency?.id ?? null, data: { reason: o.reason, statusCode: r.statusCode, edxmlDocumentId: r.edxmlDocumentId } });
      return;
    }
    r.state = o.state;
    r.appliedAt = now;
    if (o.state === 'REJECTED') {
      r.reason = o.reason;
      tx.audit({ action: 'exchange.reject', targetType: 'exchange_inbox', targetId: r.id, agencyId: agency?.id ?? null, data: { reason: o.reason, kind: r.kind, senderCode: r.senderCode, edxmlDocumentId: r.edxmlDocumentId } });
      if (o.status02 && r.kind === 'DOCUMENT') {
        await this.outbox.queueStatusFor(tx, r, '02', o.reason, null);
        r.lastStatusCode = '02';
      }
    } else {
      r.reason = null;
      if (o.documentId) r.appliedDocument = tx.em.getReference(Document, o.documentId);
      (batch ? batch.audits.push.bind(batch.audits) : (e: AuditInput) => tx.audit(e))({ action: 'exchange.apply', targetType: 'exchange_inbox', targetId: r.id, agencyId: agency?.id ?? null, data: { kind: r.kind, businessType: r.businessType, statusCode: r.statusCode, senderCode: r.senderCode, edxmlDocumentId: r.edxmlDocumentId, documentId: o.documentId ?? null } });
      // Statuses held for this document (arrived before what they follow) are tried again.
      if (batch) batch.applied.add(r.edxmlDocumentId);
      else {
        const held = await tx.em.find(ExchangeInbox, { state: 'HELD', edxmlDocumentId: r.edxmlDocumentId, id: { $ne: r.id } });
        for (const h of held) await tx.enqueue(applyJob, { inboxId: h.id });
      }
    }
  }

  private async signatureProblem(files: readonly InboxFile[]): Promise<string | null> {
    for (const f of files) {
      const bytes = await this.services.storage.getBuffer(f.key);
      if (bytes.length < 5 || bytes.subarray(0, 5).toString('latin1') !== PDF_MAGIC) continue;
      let problem: string | null;
      try {
        problem = this.services.signing.blockingProblem(await this.services.signing.verifyPdf(bytes));
      } catch (e) {
        problem = `không kiểm tra được chữ ký số (${e instanceof Error ? e.message : String(e)}).`;
      }
      if (problem) return `Tệp "${f.name}": ${problem}`;
    }
    return null;
  }

  private async applyNewDocument(tx: Tx, r: ExchangeInbox, v: EdxmlDocumentPackage, refusal: string | null, now: Date, pre?: NewDocumentBatch): Promise<ApplyOutcome> {
    const em = tx.em;
    const agency = pre ? (pre.agencies.get(r.recipientCode) ?? null) : await em.findOne(Agency, { code: r.recipientCode });
    if (!agency || !agency.active) return { state: 'REJECTED', reason: `Cơ quan nhận ${r.recipientCode} không còn sử dụng hệ thống.`, status02: true };
    if (refusal) return { state: 'REJECTED', reason: `Từ chối tiếp nhận: ${refusal}`, status02: true };
    const f = incomingFieldsOf(v);
    const issuer = pre ? (pre.agencies.get(r.senderCode) ?? null) : await em.findOne(Agency, { code: r.senderCode });
    // Inside this deployment the sender's record is known: keep the link (reply, history).
    let source: Document | null = null;
    if (r.via === 'LOCAL' && r.messageId) {
      if (pre) source = pre.sources.get(r.messageId) ?? null;
      else {
        const sent = await em.findOne(ExchangeOutbox, { id: r.messageId }, { populate: ['document'] });
        source = sent?.document ?? null;
      }
    }
    const arrival = receiveElectronic(agency.id);
    const incoming = em.create(Document, {
      agency,
      direction: 'INCOMING',
      state: arrival.state,
      electronic: true,
      sourceDocument: source,
      issuerAgency: issuer,
      issuerName: issuer?.name ?? f.issuerName,
      symbol: f.symbol,
      number: f.number,
      issuedDate: f.issuedDate,
      typeCode: source?.typeCode ?? null,
      typeName: f.typeName,
      subject: f.subject,
      signerName: f.signerName,
      signerTitle: f.signerTitle,
      urgency: f.urgency,
      secrecy: 'THUONG',
      circulation: source?.circulation ?? null,
      pageCount: f.pageCount,
      deadline: f.dueDate,
      receivedAt: now,
      dupKey: f.symbol && f.issuedDate ? duplicateKey(issuer?.name ?? f.issuerName, f.symbol, f.issuedDate) : null,
      createdAt: now,
      updatedAt: now,
    });
    r.files.forEach((file, i) =>
      linkStoredFile(em, incoming, { storageKey: file.key, sha256: file.sha256, fileName: file.name, contentType: file.contentType, size: file.size }, i === 0 ? 'MAIN' : 'ATTACHMENT', { uploadedBy: null, createdAt: now }),
    );
    (pre ? pre.audits.push.bind(pre.audits) : (e: AuditInput) => tx.audit(e))({
      action: 'document.deliver',
      targetType: 'document',
      targetId: incoming.id,
      agencyId: agency.id,
      data: { inboxId: r.id, senderCode: r.senderCode, edxmlDocumentId: r.edxmlDocumentId, sourceDocumentId: source?.id ?? null, symbol: f.symbol, statusCode: '01', via: r.via, files: r.files.map((x) => ({ name: x.name, sha256: x.sha256 })) },
    });
    if (pre) pre.indexed.push(incoming.id);
    else await enqueueSearchIndex(tx, incoming.id);
    const vanThu = pre ? (pre.vanThu.get(agency.id) ?? []) : await em.find(User, { agency: agency.id, active: true, roles: { $contains: ['VAN_THU'] } });
    for (const u of vanThu) {
      em.create(Notification, { user: u, kind: 'DOCUMENT_ARRIVED', document: incoming, text: `Văn bản đến mới từ ${incoming.issuerName}: ${f.symbol ?? ''} — ${f.subject}`.slice(0, 1000), createdAt: now });
    }
    r.appliedDocument = incoming;
    if (pre) pre.arrived.push({ inbox: r, doc: incoming });
    else await this.outbox.queueStatusFor(tx, r, '01', null, incoming);
    r.lastStatusCode = '01';
    publishDocumentChange(tx, this.services, incoming);
    return { state: 'APPLIED', documentId: incoming.id };
  }

  private async applyStatus(tx: Tx, r: ExchangeInbox, v: EdxmlStatusPackage, now: Date): Promise<ApplyOutcome> {
    const em = tx.em;
    const code = r.statusCode as EdxmlStatusCode;
    const sent = await em.findOne(
      ExchangeOutbox,
      { kind: 'DOCUMENT', businessType: 0, edxmlDocumentId: r.edxmlDocumentId, senderCode: r.recipientCode, recipientCode: r.senderCode, recipient: { $ne: null } },
      { populate: ['recipient', 'recipient.agency'], orderBy: { createdAt: 'asc' } },
    );
    if (!sent?.recipient) return { state: 'REJECTED', reason: `Không có văn bản ${r.edxmlDocumentId} đã gửi tới ${r.senderCode}.` };
    const rec = sent.recipient;
    const senderDoc = await em.findOneOrFail(Document, { id: rec.document.id }, { populate: ['agency'] });
    const previousCode = rec.statusCode ?? null;
    const decision = decideStatus(previousCode, code);
    if (decision === 'HOLD') return { state: 'HELD', reason: `Trạng thái ${code} đến trước trạng thái 01: chờ.` };
    if (decision === 'STALE') {
      tx.audit({ action: 'exchange.status_stale', targetType: 'document', targetId: senderDoc.id, agencyId: senderDoc.agency.id, data: { recipientId: rec.id, statusCode: code, currentCode: previousCode, inboxId: r.id } });
      return { state: 'APPLIED', documentId: senderDoc.id };
    }
    const description = v.description ?? null;
    const status = recipientStatusOf(code);
    rec.status = status;
    rec.statusCode = code;
    rec.statusAt = now;
    if (code === '01') rec.note = null;
    else if (code === '02') rec.note = description ?? EDXML_STATUS['02'].description;
    else if (code === '03' && description && description !== EDXML_STATUS['03'].description) rec.note = description;
    // A status about the document proves it arrived.
    if (sent.state !== 'DELIVERED') {
      sent.state = 'DELIVERED';
      sent.deliveredAt ??= now;
      sent.leaseUntil = null;
    }
    rec.transportState = 'DELIVERED';
    rec.transportError = null;
    if (rec.agency && !rec.deliveredDocument) {
      // Same deployment: link the recipient's incoming record (the recipient agency may then read the original).
      const theirs = await em.findOne(ExchangeInbox, { kind: 'DOCUMENT', edxmlDocumentId: r.edxmlDocumentId, senderCode: r.recipientCode, recipientCode: r.senderCode, appliedDocument: { $ne: null } });
      if (theirs?.appliedDocument) rec.deliveredDocument = theirs.appliedDocument;
    }
    tx.audit({
      action: 'document.recipient_status',
      targetType: 'document',
      targetId: senderDoc.id,
      agencyId: senderDoc.agency.id,
      data: { recipientId: rec.id, recipientAgencyId: rec.agency?.id ?? null, recipientCode: r.senderCode, status, statusCode: code, previousCode, note: rec.note ?? null, inboxId: r.id },
    });
    publishDocumentChange(tx, this.services, senderDoc);
    if (code === '02') await notifyRejectedByRecipient(tx, senderDoc, rec.name, rec.note ?? null, now);
    for (const l of this.statusListeners) await l(tx, { recipient: rec, senderDocument: senderDoc, code, previousCode, note: rec.note ?? null, inbox: r });
    return { state: 'APPLIED', documentId: senderDoc.id };
  }

  /** Logs instead of throwing: used for the dispatcher's inline apply (the jobs are the durable path). */
  async applyQuietly(inboxIds: readonly string[]): Promise<void> {
    try {
      if (inboxIds.length === 1) await this.apply(inboxIds[0]);
      else await this.applyMany(inboxIds);
    } catch (e) {
      logger.warn({ err: e, inboxIds: inboxIds.length }, 'inline apply failed (the exchange.apply jobs retry it)');
    }
  }
}
