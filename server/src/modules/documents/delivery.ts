/**
 * Delivery to recipient agencies now goes through the exchange (modules/exchange, issue 13): the issuing
 * transaction writes outbox rows, the dispatcher hands edXML packages to a transport, the recipient's inbox
 * creates its incoming record and status messages come back to the sender's Recipient row.
 *
 * What stays here: the legacy direct status report for incoming records delivered BEFORE the exchange existed
 * (they have no inbox row), and the notes re-exported for existing callers.
 */
import type { Services } from '../../services';
import type { Tx } from '../../shared/scope';
import { Agency } from '../identity/entities/agency.entity';
import { User } from '../identity/entities/user.entity';
import { EDXML_STATUS, edxmlCodeForIncoming, recipientStatusForIncoming, type IncomingState } from './domain';
import { Document } from './entities/document.entity';
import { Notification, Recipient } from './entities/misc.entities';
import { publishDocumentChange } from './realtime';

export { SECRET_NOT_DELIVERED_NOTE, INACTIVE_AGENCY_NOTE } from '../exchange/outbox/outbox';

/**
 * LEGACY (records delivered before the exchange): after a transition of an INCOMING record that was delivered
 * inside the deployment, report the new status
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
    const recipientAgency = await em.findOne(Agency, { id: incomingDoc.agency.id });
    await notifyRejectedByRecipient(tx, sender, recipientAgency?.name ?? 'Cơ quan nhận', note, now);
  }
  return r;
}

/**
 * Bị từ chối tiếp nhận: tell the sender's văn thư (and the drafter) that `recipientName` rejected `sender`
 * (with the reason `note`) so they can act. Used by the legacy path above and by the exchange inbox.
 */
export async function notifyRejectedByRecipient(tx: Tx, sender: Document, recipientName: string, note: string | null, now: Date): Promise<void> {
  const em = tx.em;
  const vanThu = await em.find(User, { agency: sender.agency.id, active: true, roles: { $contains: ['VAN_THU'] } });
  const userIds = new Set(vanThu.map((u) => u.id));
  if (sender.drafter) userIds.add(sender.drafter.id);
  for (const id of userIds) {
    em.create(Notification, {
      user: em.getReference(User, id),
      kind: 'DOCUMENT_REJECTED_BY_RECIPIENT',
      document: sender,
      text: `${recipientName} từ chối tiếp nhận văn bản ${sender.symbol ?? ''}: ${note ?? ''}`.slice(0, 1000),
      createdAt: now,
    });
  }
}
