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
import { Scope, type Tx } from '../../../shared/scope';
import { Agency } from '../../identity/entities/agency.entity';
import { User } from '../../identity/entities/user.entity';
import { Document } from '../../documents/entities/document.entity';
import { Notification, Recipient } from '../../documents/entities/misc.entities';
import { EDXML_STATUS, duplicateKey, receiveElectronic, recipientStatusOf, type EdxmlStatusCode } from '../../documents/domain';
import { linkStoredFile } from '../../documents/files';
import { publishDocumentChange } from '../../documents/realtime';
import { notifyRejectedByRecipient } from '../../documents/delivery';
import { enqueueSearchIndex } from '../../search/search.jobs';
import type { EdxmlDocumentPackage, EdxmlPackage, EdxmlStatusPackage } from '../edxml';
import { ExchangeInbox, ExchangeOutbox, type InboxState } from '../exchange.entities';
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
    const refusal = row.kind === 'DOCUMENT' && (row.businessType ?? 0) === 0 && !this.handlers.has('D:0') ? await this.signatureProblem(row) : null;
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

  private async record(tx: Tx, r: ExchangeInbox, o: ApplyOutcome, now: Date, before: InboxState): Promise<void> {
    const agency = await tx.em.findOne(Agency, { code: r.recipientCode });
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
      tx.audit({ action: 'exchange.apply', targetType: 'exchange_inbox', targetId: r.id, agencyId: agency?.id ?? null, data: { kind: r.kind, businessType: r.businessType, statusCode: r.statusCode, senderCode: r.senderCode, edxmlDocumentId: r.edxmlDocumentId, documentId: o.documentId ?? null } });
      // Statuses held for this document (arrived before what they follow) are tried again.
      const held = await tx.em.find(ExchangeInbox, { state: 'HELD', edxmlDocumentId: r.edxmlDocumentId, id: { $ne: r.id } });
      for (const h of held) await tx.enqueue(applyJob, { inboxId: h.id });
    }
  }

  private async signatureProblem(row: ExchangeInbox): Promise<string | null> {
    for (const f of row.files) {
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

  private async applyNewDocument(tx: Tx, r: ExchangeInbox, v: EdxmlDocumentPackage, refusal: string | null, now: Date): Promise<ApplyOutcome> {
    const em = tx.em;
    const agency = await em.findOne(Agency, { code: r.recipientCode });
    if (!agency || !agency.active) return { state: 'REJECTED', reason: `Cơ quan nhận ${r.recipientCode} không còn sử dụng hệ thống.`, status02: true };
    if (refusal) return { state: 'REJECTED', reason: `Từ chối tiếp nhận: ${refusal}`, status02: true };
    const f = incomingFieldsOf(v);
    const issuer = await em.findOne(Agency, { code: r.senderCode });
    // Inside this deployment the sender's record is known: keep the link (reply, history).
    let source: Document | null = null;
    if (r.via === 'LOCAL' && r.messageId) {
      const sent = await em.findOne(ExchangeOutbox, { id: r.messageId }, { populate: ['document'] });
      source = sent?.document ?? null;
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
    tx.audit({
      action: 'document.deliver',
      targetType: 'document',
      targetId: incoming.id,
      agencyId: agency.id,
      data: { inboxId: r.id, senderCode: r.senderCode, edxmlDocumentId: r.edxmlDocumentId, sourceDocumentId: source?.id ?? null, symbol: f.symbol, statusCode: '01', via: r.via, files: r.files.map((x) => ({ name: x.name, sha256: x.sha256 })) },
    });
    await enqueueSearchIndex(tx, incoming.id);
    const vanThu = await em.find(User, { agency: agency.id, active: true, roles: { $contains: ['VAN_THU'] } });
    for (const u of vanThu) {
      em.create(Notification, { user: u, kind: 'DOCUMENT_ARRIVED', document: incoming, text: `Văn bản đến mới từ ${incoming.issuerName}: ${f.symbol ?? ''} — ${f.subject}`.slice(0, 1000), createdAt: now });
    }
    r.appliedDocument = incoming;
    await this.outbox.queueStatusFor(tx, r, '01', null, incoming);
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

  /** Logs instead of throwing: used for the dispatcher's inline apply (the job is the durable path). */
  async applyQuietly(inboxId: string): Promise<void> {
    try {
      await this.apply(inboxId);
    } catch (e) {
      logger.warn({ err: e, inboxId }, 'inline apply failed (the exchange.apply job retries it)');
    }
  }
}
