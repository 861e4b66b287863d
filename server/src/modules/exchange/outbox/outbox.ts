/**
 * The outbox (DESIGN.md): rows written in the transaction that causes a message — issuing a document, a
 * receiver's move on an incoming record — with the dispatch job queued in that same transaction. Nothing is
 * built or sent here: the dispatcher does that after commit, outside any transaction.
 */
import type { Services } from '../../../services';
import type { Tx } from '../../../shared/scope';
import { badInput, notFound } from '../../../shared/errors';
import { Agency } from '../../identity/entities/agency.entity';
import { Document } from '../../documents/entities/document.entity';
import { Recipient } from '../../documents/entities/misc.entities';
import { EDXML_STATUS, edxmlCodeForIncoming, isSecret, type EdxmlStatusCode, type IncomingState, type Secrecy } from '../../documents/domain';
import { decideStatus } from '../inbox/mapping';

const PROGRESS_CODES: ReadonlySet<string> = new Set(['01', '02', '03', '04', '05', '06']);
import { publishDocumentChange } from '../../documents/realtime';
import type { EdxmlBusiness, EdxmlResponseFor } from '../edxml';
import { ExchangeInbox, ExchangeOutbox } from '../exchange.entities';
import { dispatchJob } from '../exchange.jobs';
import type { PeerDirectory } from '../transport';
import { edxmlDocumentIdOf, responseForOf } from './package';

/** Note on a recipient agency that is not sent electronically because the document is secret. */
export const SECRET_NOT_DELIVERED_NOTE = 'Văn bản mật: không gửi qua hệ thống (QĐ 28/2018/QĐ-TTg), gửi bản giấy theo quy định.';
/** Note on a recipient agency that has left the deployment since the draft was written. */
export const INACTIVE_AGENCY_NOTE = 'Cơ quan nhận đã ngừng sử dụng hệ thống: không gửi được văn bản điện tử, gửi bản giấy.';
/** Note on a recipient of a document without number / symbol / date (no edXML DocumentId). */
export const NO_IDENTITY_NOTE = 'Văn bản chưa có số, ký hiệu và ngày ban hành: không gửi điện tử được, gửi bản giấy.';
/** Note on a recipient agency that no deployment we know serves. */
export const UNROUTABLE_NOTE = 'Cơ quan nhận không có trong danh bạ liên thông: không gửi được văn bản điện tử, gửi bản giấy.';

export interface QueueDocumentInput {
  /** The Recipient row (of an outgoing document, or of an incoming one being forwarded). */
  recipientId: string;
  /** BussinessDocType: 0 new, 1 revoke, 2 update, 3 replace. */
  businessType: 0 | 1 | 2 | 3;
  /** The document whose header and files are sent (default: the Recipient's document; e.g. the replacing one). */
  documentId?: string;
  /** The Bussiness block (types 1–3: target DocumentId, reason, ReplacementInfoList…); default: "new". */
  business?: EdxmlBusiness;
  /** Free data kept on the outbox row for the sender's own appliers. */
  data?: Record<string, unknown>;
  /** MessageHeader extras: DueDate (YYYY-MM-DD: the receiver's hạn xử lý) and Content (e.g. phiếu chuyển text). */
  header?: { dueDate?: string | null; content?: string | null };
}

export type QueueStatusInput =
  | {
      /** A receiver's status about an incoming record received through the exchange (01–06, 02, 15, 16). */
      incomingDocumentId: string;
      code: EdxmlStatusCode;
      /** Description: the reason (02, 16), "Số đến: N" (03)… Defaults to the code's standard text. */
      note?: string | null;
    }
  | {
      /** A sender's status to one recipient of its document (13: lấy lại). */
      recipientId: string;
      code: EdxmlStatusCode;
      note?: string | null;
    };

export interface DeliveryOutcome {
  /** Recipients for which a message was queued. */
  queued: { recipientId: string; recipientCode: string; outboxId: string }[];
  /** Recipient agencies not sent electronically (secret document, inactive agency, unknown route), with the reason. */
  skipped: { recipientId: string; agencyId: string | null; note: string }[];
  /** External recipients (by name): recorded in the register only. */
  external: number;
}

/** Latest earlier outbox row of the same (DocumentId, sender, recipient): a message never overtakes it. */
async function previousRow(tx: Tx, edxmlDocumentId: string, senderCode: string, recipientCode: string): Promise<ExchangeOutbox | null> {
  return tx.em.findOne(ExchangeOutbox, { edxmlDocumentId, senderCode, recipientCode }, { orderBy: { createdAt: 'desc', id: 'desc' } });
}

export class Outbox {
  constructor(
    private readonly services: Services,
    private readonly directory: () => PeerDirectory | null,
  ) {}

  /**
   * In the issuing transaction: one DOCUMENT message (business type 0) per recipient agency. Secret documents
   * are never sent electronically (QĐ 28/2018): the recipient row gets a note instead; so do agencies that left
   * the deployment and agencies no known deployment serves. External recipients (by name) only count.
   */
  async queueIssued(tx: Tx, doc: Document, now: Date): Promise<DeliveryOutcome> {
    const recipients = await tx.em.find(Recipient, { document: doc.id }, { populate: ['agency'], orderBy: { id: 'asc' } });
    const out: DeliveryOutcome = { queued: [], skipped: [], external: 0 };
    for (const r of recipients) {
      if (!r.agency && !r.agencyCode) {
        out.external++;
        r.status = null;
        r.statusCode = null;
        r.statusAt = now;
        continue;
      }
      const row = await this.queueDocument(tx, { recipientId: r.id, businessType: 0 }, { recipient: r, document: doc, now });
      if (row) out.queued.push({ recipientId: r.id, recipientCode: row.recipientCode, outboxId: row.id });
      else out.skipped.push({ recipientId: r.id, agencyId: r.agency?.id ?? null, note: r.note ?? '' });
    }
    return out;
  }

  /**
   * Queues a DOCUMENT message to one Recipient row (of an outgoing OR an incoming document). Returns null when
   * the recipient is not reachable electronically (the reason is written on the Recipient's note).
   */
  async queueDocument(tx: Tx, input: QueueDocumentInput, preloaded?: { recipient?: Recipient; document?: Document; now?: Date }): Promise<ExchangeOutbox | null> {
    const em = tx.em;
    const now = preloaded?.now ?? this.services.clock.now();
    const r = preloaded?.recipient ?? (await em.findOne(Recipient, { id: input.recipientId }, { populate: ['agency', 'document', 'document.agency'] }));
    if (!r) throw notFound('Không tìm thấy nơi nhận.');
    const owner = await em.findOneOrFail(Document, { id: r.document.id }, { populate: ['agency'] });
    const doc = preloaded?.document ?? (input.documentId ? await em.findOneOrFail(Document, { id: input.documentId }, { populate: ['agency'] }) : owner);
    const sender = owner.agency;
    const skip = (note: string) => {
      r.status = null;
      r.statusCode = null;
      r.statusAt = now;
      r.note = note;
      r.transportState = null;
      return null;
    };
    if (isSecret(doc.secrecy as Secrecy)) return skip(SECRET_NOT_DELIVERED_NOTE);
    let peerId: string | null = null;
    let code: string;
    if (r.agency) {
      if (!r.agency.active) return skip(INACTIVE_AGENCY_NOTE);
      code = r.agency.code;
    } else if (r.agencyCode) {
      code = r.agencyCode;
      const local = await em.findOne(Agency, { code });
      if (local) {
        if (!local.active) return skip(INACTIVE_AGENCY_NOTE);
      } else {
        const route = await this.directory()?.route(code, tx.em);
        if (!route) return skip(UNROUTABLE_NOTE);
        peerId = route.peerId;
      }
    } else {
      throw badInput('Nơi nhận này không phải cơ quan trong danh bạ liên thông: không gửi điện tử được.', 'recipientId');
    }
    const business = input.business;
    const edxmlDocumentId = business?.documentId && input.businessType !== 0 ? business.documentId : edxmlDocumentIdOf(sender.code, doc);
    // Without number, symbol and date a document has no edXML DocumentId: it cannot be sent electronically.
    if (!edxmlDocumentId) return skip(NO_IDENTITY_NOTE);
    await em.flush();
    const prev = await previousRow(tx, edxmlDocumentId, sender.code, code);
    // A second update (type 2) of the same document to the same recipient is a new message, not a duplicate.
    const earlier = await em.count(ExchangeOutbox, { kind: 'DOCUMENT', edxmlDocumentId, senderCode: sender.code, recipientCode: code, businessType: input.businessType });
    const row = em.create(ExchangeOutbox, {
      kind: 'DOCUMENT',
      businessType: input.businessType,
      description: business?.businessDocReason ?? null,
      edxmlDocumentId,
      senderCode: sender.code,
      recipientCode: code,
      peerId,
      document: doc,
      recipient: r,
      dedupSeq: earlier,
      dependsOn: prev?.id ?? null,
      data: business || input.data || input.header ? { ...(input.data ?? {}), ...(business ? { business } : {}), ...(input.header ? { header: input.header } : {}) } : null,
      state: 'QUEUED',
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
    });
    r.agencyCode ??= code;
    r.transportState = 'QUEUED';
    r.transportError = null;
    tx.audit({
      action: 'exchange.queue',
      targetType: 'document',
      targetId: owner.id,
      agencyId: sender.id,
      data: { outboxId: row.id, kind: 'DOCUMENT', businessType: input.businessType, recipientId: r.id, recipientCode: code, peerId, edxmlDocumentId, sentDocumentId: doc.id },
    });
    await tx.enqueue(dispatchJob, { outboxId: row.id });
    return row;
  }

  /** Queues a STATUS message (see QueueStatusInput). Returns null when the record did not come through the exchange. */
  async queueStatus(tx: Tx, input: QueueStatusInput): Promise<ExchangeOutbox | null> {
    const em = tx.em;
    if ('incomingDocumentId' in input) {
      const inbox = await em.findOne(ExchangeInbox, { appliedDocument: input.incomingDocumentId, kind: 'DOCUMENT' }, { orderBy: { receivedAt: 'asc' } });
      if (!inbox) return null;
      const doc = await em.findOneOrFail(Document, { id: input.incomingDocumentId }, { populate: ['agency'] });
      const row = await this.queueStatusFor(tx, inbox, input.code, input.note ?? null, doc);
      // Only the progress track (01–06, 02) moves the last code; 13/15/16 are a separate recall track.
      if (PROGRESS_CODES.has(input.code)) inbox.lastStatusCode = input.code;
      return row;
    }
    const r = await em.findOne(Recipient, { id: input.recipientId }, { populate: ['agency', 'document', 'document.agency'] });
    if (!r) throw notFound('Không tìm thấy nơi nhận.');
    const sent = await em.findOne(ExchangeOutbox, { recipient: r.id, kind: 'DOCUMENT' }, { orderBy: { createdAt: 'asc' } });
    if (!sent) return null;
    const doc = r.document;
    return this.insertStatus(tx, {
      senderCode: sent.senderCode,
      recipientCode: sent.recipientCode,
      peerId: sent.peerId ?? null,
      edxmlDocumentId: sent.edxmlDocumentId,
      about: responseForOf(doc.agency.code, doc),
      code: input.code,
      note: input.note ?? null,
      document: doc,
      agencyId: doc.agency.id,
    });
  }

  /** A receiver's status about a received DOCUMENT inbox row (also for one refused at receipt: 02, no record). */
  async queueStatusFor(tx: Tx, inbox: ExchangeInbox, code: EdxmlStatusCode, note: string | null, doc: Document | null): Promise<ExchangeOutbox> {
    const ours = await tx.em.findOne(Agency, { code: inbox.recipientCode });
    const value = inbox.value as { header?: { from?: { organId?: string }; code?: { codeNumber?: string; codeNotation?: string }; promulgationInfo?: { promulgationDate?: string } } };
    const h = value.header ?? {};
    const about: EdxmlResponseFor = { organId: h.from?.organId ?? inbox.senderCode, documentId: inbox.edxmlDocumentId };
    if (h.code?.codeNumber && h.code.codeNotation) about.code = `${h.code.codeNumber}/${h.code.codeNotation}`;
    if (h.promulgationInfo?.promulgationDate) about.promulgationDate = h.promulgationInfo.promulgationDate;
    let peerId = inbox.peerId ?? null;
    if (!(await tx.em.findOne(Agency, { code: inbox.senderCode }))) {
      const route = await this.directory()?.route(inbox.senderCode, tx.em);
      if (route) peerId = route.peerId;
    } else peerId = null;
    return this.insertStatus(tx, {
      senderCode: inbox.recipientCode,
      recipientCode: inbox.senderCode,
      peerId,
      edxmlDocumentId: inbox.edxmlDocumentId,
      about,
      code,
      note,
      document: doc,
      agencyId: ours?.id ?? null,
      inboxId: inbox.id,
      organName: ours?.name,
    });
  }

  private async insertStatus(
    tx: Tx,
    s: {
      senderCode: string;
      recipientCode: string;
      peerId: string | null;
      edxmlDocumentId: string;
      about: EdxmlResponseFor;
      code: EdxmlStatusCode;
      note: string | null;
      document: Document | null;
      agencyId: string | null;
      inboxId?: string;
      organName?: string;
    },
  ): Promise<ExchangeOutbox> {
    const em = tx.em;
    const now = this.services.clock.now();
    await em.flush();
    const prev = await previousRow(tx, s.edxmlDocumentId, s.senderCode, s.recipientCode);
    const same = await em.count(ExchangeOutbox, { kind: 'STATUS', edxmlDocumentId: s.edxmlDocumentId, senderCode: s.senderCode, recipientCode: s.recipientCode, statusCode: s.code });
    const description = s.note?.trim() || EDXML_STATUS[s.code].description;
    const row = em.create(ExchangeOutbox, {
      kind: 'STATUS',
      statusCode: s.code,
      description,
      edxmlDocumentId: s.edxmlDocumentId,
      senderCode: s.senderCode,
      recipientCode: s.recipientCode,
      peerId: s.peerId,
      document: s.document,
      recipient: null,
      dedupSeq: same + 1,
      dependsOn: prev?.id ?? null,
      data: { about: s.about, ...(s.organName ? { organName: s.organName } : {}), ...(s.inboxId ? { inboxId: s.inboxId } : {}) },
      state: 'QUEUED',
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
    });
    tx.audit({
      action: 'exchange.queue',
      targetType: 'document',
      targetId: s.document?.id ?? null,
      agencyId: s.agencyId,
      data: { outboxId: row.id, kind: 'STATUS', statusCode: s.code, description, recipientCode: s.recipientCode, peerId: s.peerId, edxmlDocumentId: s.edxmlDocumentId, inboxId: s.inboxId ?? null },
    });
    await tx.enqueue(dispatchJob, { outboxId: row.id });
    return row;
  }

  /**
   * After a transition of an incoming record received through the exchange: queue the status the sender must
   * see (01 … 06, 02 with the reason, "Số đến: N" with 03). Codes only move forward; an unchanged code sends
   * nothing. `viaExchange` false: the record did not come through the exchange (paper, or delivered before it).
   */
  async incomingChanged(tx: Tx, doc: Document): Promise<{ viaExchange: boolean; status: ExchangeOutbox | null }> {
    if (doc.direction !== 'INCOMING') return { viaExchange: false, status: null };
    const inbox = await tx.em.findOne(ExchangeInbox, { appliedDocument: doc.id, kind: 'DOCUMENT' }, { orderBy: { receivedAt: 'asc' } });
    if (!inbox) return { viaExchange: false, status: null };
    const code = edxmlCodeForIncoming(doc.state as IncomingState);
    const last = inbox.lastStatusCode ?? null;
    if (code === last || decideStatus(last, code) !== 'APPLY') return { viaExchange: true, status: null };
    const note = code === '02' ? (doc.returnReason ?? EDXML_STATUS['02'].description) : code === '03' && doc.incomingNumber != null ? `Số đến: ${doc.incomingNumber}` : null;
    const row = await this.queueStatusFor(tx, inbox, code, note, doc);
    inbox.lastStatusCode = code;
    publishDocumentChange(tx, this.services, doc);
    return { viaExchange: true, status: row };
  }
}
