/**
 * Giao cơ quan khác (issue 13): a bút phê names other agencies (ours, or a peer's through its mã định danh) as
 * chủ trì or phối hợp. In the annotating transaction each one gets an AgencyAssignment and a Recipient row on
 * OUR incoming record, and the document is queued to it through the exchange (business type 0) with the phiếu
 * chuyển (role, deadline, instruction) as the message's reason. The agency's statuses come back on that
 * Recipient (exchange core, onRecipientStatus): 05 → IN_PROGRESS, 06 → DONE, 02 → REJECTED; the chủ trì
 * agency's 06 completes the document when no unit / person of ours is chủ trì (the phối hợp are closed).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Services } from '../../../services';
import { badInput } from '../../../shared/errors';
import type { Actor, Tx } from '../../../shared/scope';
import { Agency } from '../../identity/entities/agency.entity';
import { User } from '../../identity/entities/user.entity';
import { Assignment } from '../../documents/entities/assignment.entity';
import { Document } from '../../documents/entities/document.entity';
import { Notification, Recipient } from '../../documents/entities/misc.entities';
import { CLOSED, CLOSED_ON_COMPLETION_REASON, normalizeAgencies, type AgencyAssigneeInput, type FieldError } from '../../documents/domain/annotation';
import { publishDocumentChange } from '../../documents/realtime';
import { AgencyAssignment } from './business.entities';

/** What an agency's status does to its assignment (pure). */
export function agencyStateFor(current: string, code: string): string | null {
  if (current === 'DONE' || current === 'REJECTED' || current === 'CLOSED') return null;
  if (code === '06') return 'DONE';
  if (code === '02') return 'REJECTED';
  if (code === '05' || code === '04') return current === 'PENDING' ? 'IN_PROGRESS' : null;
  return null;
}

const dmy = (iso: string) => {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
};

/** Phiếu chuyển as text (BussinessDocReason of the forwarded package). */
export function transferSlip(from: string, role: 'LEAD' | 'COORDINATOR', deadline: string | null, instruction: string | null): string {
  const r = role === 'LEAD' ? 'chủ trì' : 'phối hợp';
  return `Phiếu chuyển của ${from}: giao ${r} xử lý${deadline ? `, hạn ${dmy(deadline)}` : ''}${instruction ? `. Ý kiến chỉ đạo: ${instruction}` : ''}`.slice(0, 1000);
}

export class AgencyAssignmentsService {
  constructor(private readonly services: Services) {}

  /**
   * In the bút phê transaction (after the incoming record took the annotation): supersedes the earlier agency
   * assignments and sends the document to each agency named. Unknown / unreachable agency → BAD_USER_INPUT at
   * `agencies[i].agencyCode`.
   */
  async assign(tx: Tx, doc: Document, inputs: readonly AgencyAssigneeInput[], actor: Actor, instruction: string | null, today: string): Promise<AgencyAssignment[]> {
    const em = tx.em;
    const earlier = await em.find(AgencyAssignment, { document: doc.id, active: true });
    for (const a of earlier) a.active = false;
    if (!inputs.length) return [];
    const errors: FieldError[] = [];
    const agencies = normalizeAgencies(inputs, false, today, errors);
    if (errors.length) throw badInput(errors[0].message, errors[0].field);
    const own = await em.findOneOrFail(Agency, { id: doc.agency.id });
    const out: AgencyAssignment[] = [];
    for (const [i, a] of agencies.entries()) {
      const field = `agencies[${i}].agencyCode`;
      if (a.agencyCode === own.code) throw badInput('Không giao cho chính cơ quan mình: chọn đơn vị, cá nhân của cơ quan.', field);
      const local = await em.findOne(Agency, { code: a.agencyCode });
      let name: string;
      if (local) {
        if (!local.active) throw badInput('Cơ quan được giao đã ngừng sử dụng hệ thống.', field);
        name = local.name;
      } else {
        const route = await this.services.exchange.peerDirectory?.route(a.agencyCode);
        if (!route) throw badInput('Cơ quan được giao không có trong danh bạ liên thông.', field);
        name = route.name;
      }
      if (a.role === 'LEAD') doc.deadline = a.deadline; // the document's hạn xử lý is the chủ trì's
      const recipient = em.create(Recipient, { document: doc, agency: local ?? null, agencyCode: a.agencyCode, name });
      const row = em.create(AgencyAssignment, {
        document: doc,
        role: a.role,
        agencyCode: a.agencyCode,
        agencyName: name,
        agency: local ?? null,
        deadline: a.deadline,
        instruction,
        recipient,
        state: 'PENDING',
        active: true,
        assignedBy: em.getReference(User, actor.userId),
        createdAt: this.services.clock.now(),
      });
      await em.flush();
      const slip = transferSlip(own.name, a.role, a.deadline, instruction);
      const queued = await this.services.exchange.queueDocument(tx, {
        recipientId: recipient.id,
        businessType: 0,
        business: { businessDocType: 0, businessDocReason: slip, paper: 0 },
        // the phiếu chuyển also as MessageHeader DueDate / Content, where other systems read a deadline and a note
        header: { dueDate: a.deadline, content: slip },
        data: { agencyAssignmentId: row.id, role: a.role, deadline: a.deadline, instruction },
      });
      if (!queued) throw badInput(recipient.note || 'Không gửi được văn bản điện tử tới cơ quan được giao.', field);
      out.push(row);
    }
    tx.audit({
      action: 'document.assign_agencies',
      targetType: 'document',
      targetId: doc.id,
      agencyId: doc.agency.id,
      data: { agencies: out.map((r) => ({ id: r.id, agencyCode: r.agencyCode, role: r.role, deadline: r.deadline ?? null })), superseded: earlier.map((r) => r.id) },
    });
    return out;
  }

  /** The active agency assignments of a document (the bút phê in force), chủ trì first. */
  async list(em: EntityManager, documentId: string): Promise<AgencyAssignment[]> {
    const rows = await em.find(AgencyAssignment, { document: documentId, active: true }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    return [...rows.filter((r) => r.role === 'LEAD'), ...rows.filter((r) => r.role !== 'LEAD')];
  }

  /** A Recipient of ours moved to a new status code (exchange core listener): moves its agency assignment. */
  async onRecipientStatus(tx: Tx, e: { recipient: Recipient; senderDocument: Document; code: string; note: string | null }): Promise<void> {
    const em = tx.em;
    const row = await em.findOne(AgencyAssignment, { recipient: e.recipient.id, active: true });
    if (!row) return;
    const now = this.services.clock.now();
    row.statusCode = e.code;
    row.statusNote = e.note;
    const next = agencyStateFor(row.state, e.code);
    const doc = await em.findOneOrFail(Document, { id: row.document.id }, { populate: ['agency'] });
    if (next) {
      row.state = next;
      if (next === 'DONE') row.completedAt = now;
    }
    tx.audit({
      action: 'document.agency_assignment_status',
      targetType: 'document',
      targetId: doc.id,
      agencyId: doc.agency.id,
      data: { agencyAssignmentId: row.id, agencyCode: row.agencyCode, statusCode: e.code, state: row.state, note: e.note },
    });
    if (doc.direction === 'INCOMING' && !doc.withdrawnAt && !doc.archivedAt) {
      if (next === 'IN_PROGRESS' && row.role === 'LEAD' && doc.state === 'ASSIGNED') doc.state = 'IN_PROGRESS';
      if (next === 'DONE' && row.role === 'LEAD' && (doc.state === 'ASSIGNED' || doc.state === 'IN_PROGRESS')) {
        const internalLead = await em.count(Assignment, { document: doc.id, active: true, role: 'LEAD' });
        if (internalLead === 0) {
          // the chủ trì agency finished: the document is done; the phối hợp still open are closed with the reason
          doc.state = 'DONE';
          doc.completedAt = now;
          const open = await em.find(Assignment, { document: doc.id, active: true, state: { $in: ['PENDING', 'IN_PROGRESS', 'DELEGATED'] } });
          for (const a of open) {
            a.state = CLOSED;
            a.completedAt = now;
          }
          const others = await em.find(AgencyAssignment, { document: doc.id, active: true, state: { $in: ['PENDING', 'IN_PROGRESS'] }, id: { $ne: row.id } });
          for (const o of others) o.state = 'CLOSED';
          tx.audit({ action: 'document.complete', targetType: 'document', targetId: doc.id, agencyId: doc.agency.id, data: { byAgency: row.agencyCode, agencyAssignmentId: row.id, closedAssignmentIds: open.map((a) => a.id), closedReason: open.length ? CLOSED_ON_COMPLETION_REASON : null } });
          if (doc.annotatedBy) {
            em.create(Notification, {
              user: em.getReference(User, doc.annotatedBy.id),
              kind: 'DOCUMENT_COMPLETED',
              document: doc,
              text: `${row.agencyName} đã hoàn thành xử lý văn bản ${doc.symbol ?? ''} (chủ trì): ${doc.subject}`.slice(0, 1000),
              createdAt: now,
            });
          }
        }
      }
      // the document's own status to ITS sender (e.g. 06 back to the ministry), when it came through the exchange
      await this.services.exchange.incomingChanged(tx, doc);
    }
    publishDocumentChange(tx, this.services, doc);
  }
}
