/**
 * Delivery inside the deployment (gửi văn bản điện tử liên thông nội bộ): when an outgoing document is
 * issued, every recipient agency of this deployment gets an INCOMING record at once (edXML 01 "đã đến"),
 * in the issuing transaction; and every later move of that incoming record is reported back to the
 * sender's Recipient row (edXML 02–06), like a STATUS message.
 */
import type { Services } from '../../services';
import type { Tx } from '../../shared/scope';
import { Agency } from '../identity/entities/agency.entity';
import { User } from '../identity/entities/user.entity';
import {
  EDXML_STATUS,
  duplicateKey,
  edxmlCodeForIncoming,
  isSecret,
  receiveElectronic,
  recipientStatusForIncoming,
  type IncomingState,
  type Secrecy,
} from './domain';
import { Document } from './entities/document.entity';
import { linkStoredFile } from './files';
import { DocumentFile } from './entities/document-file.entity';
import { Notification, Recipient } from './entities/misc.entities';
import { publishDocumentChange } from './realtime';
import { enqueueSearchIndex } from '../search/search.jobs';

/** Note on a recipient agency that is not sent electronically because the document is secret. */
export const SECRET_NOT_DELIVERED_NOTE = 'Văn bản mật: không gửi qua hệ thống (QĐ 28/2018/QĐ-TTg), gửi bản giấy theo quy định.';
/** Note on a recipient agency that has left the deployment since the draft was written. */
export const INACTIVE_AGENCY_NOTE = 'Cơ quan nhận đã ngừng sử dụng hệ thống: không gửi được văn bản điện tử, gửi bản giấy.';

export interface DeliveryOutcome {
  /** Recipient agencies that received an incoming record. */
  delivered: { recipientId: string; agencyId: string; incomingDocumentId: string }[];
  /** Recipient agencies not delivered electronically (secret document, inactive agency), with the reason. */
  skipped: { recipientId: string; agencyId: string; note: string }[];
  /** External recipients (by name): recorded in the register only. */
  external: number;
}

/**
 * Delivers an ISSUED outgoing document to its recipient agencies, inside the issuing transaction `tx`.
 * `files` are the issued files (MAIN first, then ATTACHMENT) of the outgoing record; the incoming records
 * reference the SAME storage keys (content-addressed objects, no copy).
 * Secret documents are never delivered electronically (QĐ 28/2018 excludes state secrets): the recipient
 * row gets a note instead. The recipient agencies' văn thư users are notified.
 */
export async function deliverIssued(tx: Tx, doc: Document, files: readonly DocumentFile[], now: Date): Promise<DeliveryOutcome> {
  const em = tx.em;
  const sender = doc.agency;
  const recipients = await em.find(Recipient, { document: doc.id }, { populate: ['agency'], orderBy: { id: 'asc' } });
  const outcome: DeliveryOutcome = { delivered: [], skipped: [], external: 0 };
  const secret = isSecret(doc.secrecy as Secrecy);
  for (const r of recipients) {
    if (!r.agency) {
      outcome.external++;
      r.status = null;
      r.statusCode = null;
      r.statusAt = now;
      continue;
    }
    const agency = r.agency;
    const note = secret ? SECRET_NOT_DELIVERED_NOTE : !agency.active ? INACTIVE_AGENCY_NOTE : null;
    if (note) {
      r.status = null;
      r.statusCode = null;
      r.statusAt = now;
      r.note = note;
      outcome.skipped.push({ recipientId: r.id, agencyId: agency.id, note });
      continue;
    }
    const arrival = receiveElectronic(agency.id);
    const incoming = em.create(Document, {
      agency,
      direction: 'INCOMING',
      state: arrival.state,
      electronic: arrival.channel === 'ELECTRONIC',
      sourceDocument: doc,
      issuerAgency: sender,
      issuerName: sender.name,
      symbol: doc.symbol ?? null,
      number: doc.number ?? null,
      issuedDate: doc.issuedDate ?? null,
      typeCode: doc.typeCode ?? null,
      typeName: doc.typeName,
      subject: doc.subject,
      signerName: doc.signerName ?? null,
      signerTitle: doc.signerTitle ?? null,
      urgency: doc.urgency,
      secrecy: doc.secrecy,
      circulation: doc.circulation ?? null,
      pageCount: doc.pageCount ?? null,
      receivedAt: now,
      dupKey: doc.symbol && doc.issuedDate ? duplicateKey(sender.name, doc.symbol, doc.issuedDate) : null,
      createdAt: now,
      updatedAt: now,
    });
    for (const f of files) linkStoredFile(em, incoming, f, f.kind === 'ATTACHMENT' ? 'ATTACHMENT' : 'MAIN', { uploadedBy: null, createdAt: now });
    r.deliveredDocument = incoming;
    r.status = 'DELIVERED';
    r.statusCode = '01';
    r.statusAt = now;
    r.note = null;
    tx.audit({
      action: 'document.deliver',
      targetType: 'document',
      targetId: incoming.id,
      agencyId: agency.id,
      data: { sourceDocumentId: doc.id, senderAgencyId: sender.id, symbol: doc.symbol ?? null, statusCode: '01' },
    });
    await enqueueSearchIndex(tx, incoming.id);
    const vanThu = await em.find(User, { agency: agency.id, active: true, roles: { $contains: ['VAN_THU'] } });
    for (const u of vanThu) {
      em.create(Notification, {
        user: u,
        kind: 'DOCUMENT_ARRIVED',
        document: incoming,
        text: `Văn bản đến mới từ ${sender.name}: ${doc.symbol ?? ''} — ${doc.subject}`.slice(0, 1000),
        createdAt: now,
      });
    }
    outcome.delivered.push({ recipientId: r.id, agencyId: agency.id, incomingDocumentId: incoming.id });
  }
  return outcome;
}

/**
 * After a transition of an INCOMING record that was delivered inside the deployment, report the new status
 * to the sender: updates the sender's Recipient row (status, edXML code, time, note = "Số đến: N" once
 * registered, or the rejection reason for 02). Call it in the same transaction as the transition, after
 * the new state is set on `incomingDoc`. A no-op for documents not delivered by this system.
 * With `services`, the sender's document is announced as changed after commit (subscriptions).
 * Returns the updated Recipient row (or null).
 */
export async function propagateRecipientStatus(tx: Tx, incomingDoc: Document, services?: Pick<Services, 'pubsub'>): Promise<Recipient | null> {
  if (incomingDoc.direction !== 'INCOMING' || !incomingDoc.sourceDocument) return null;
  const em = tx.em;
  const r = await em.findOne(Recipient, { deliveredDocument: incomingDoc.id }, { populate: ['document', 'document.agency'] });
  if (!r) return null;
  const state = incomingDoc.state as IncomingState;
  const status = recipientStatusForIncoming(state);
  const code = edxmlCodeForIncoming(state);
  const note =
    status === 'REJECTED'
      ? (incomingDoc.returnReason ?? EDXML_STATUS['02'].description)
      : incomingDoc.incomingNumber != null
        ? `Số đến: ${incomingDoc.incomingNumber}`
        : null;
  const changed = r.statusCode !== code;
  if (!changed && r.note === note) return r;
  const now = new Date();
  r.status = status;
  r.statusCode = code;
  r.statusAt = now;
  r.note = note;
  const sender = r.document;
  if (services) publishDocumentChange(tx, services, sender);
  tx.audit({
    action: 'document.recipient_status',
    targetType: 'document',
    targetId: sender.id,
    agencyId: sender.agency.id,
    data: { recipientId: r.id, recipientAgencyId: incomingDoc.agency.id, status, statusCode: code, note },
  });
  if (changed && status === 'REJECTED') {
    // Bị từ chối tiếp nhận: tell the sender's văn thư (and the drafter) so they can act.
    const senderAgencyId = sender.agency.id;
    const recipientAgency = await em.findOne(Agency, { id: incomingDoc.agency.id });
    const vanThu = await em.find(User, { agency: senderAgencyId, active: true, roles: { $contains: ['VAN_THU'] } });
    const userIds = new Set(vanThu.map((u) => u.id));
    if (sender.drafter) userIds.add(sender.drafter.id);
    for (const id of userIds) {
      em.create(Notification, {
        user: em.getReference(User, id),
        kind: 'DOCUMENT_REJECTED_BY_RECIPIENT',
        document: sender,
        text: `${recipientAgency?.name ?? 'Cơ quan nhận'} từ chối tiếp nhận văn bản ${sender.symbol ?? ''}: ${note ?? ''}`.slice(0, 1000),
        createdAt: now,
      });
    }
  }
  return r;
}
