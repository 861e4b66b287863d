/**
 * Exchange business messages on issued documents (issue 13): lấy lại (13 → 15 / 16), thu hồi, cập nhật, thay
 * thế (BussinessDocType 1 / 2 / 3). The rules are in domain.ts; this service loads the rows, applies the plans
 * in ONE transaction per action (audit event, outbox rows through the exchange core), and applies the
 * messages that arrive (called by the exchange core's apply job through the hooks registered in `wire`).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { LockMode } from '@mikro-orm/core';
import type { Services } from '../../../services';
import { AppError, badInput } from '../../../shared/errors';
import { isUuid } from '../../../shared/ids';
import type { Actor, Scope, Tx } from '../../../shared/scope';
import { Agency } from '../../identity/entities/agency.entity';
import { User } from '../../identity/entities/user.entity';
import { documentNotFound, loadVisibleDocumentWithAccess } from '../../documents/documents.policy';
import { Assignment } from '../../documents/entities/assignment.entity';
import { Document } from '../../documents/entities/document.entity';
import { Notification, Recipient } from '../../documents/entities/misc.entities';
import { EDXML_STATUS, isSecret, type Secrecy } from '../../documents/domain';
import { STATUS_CODES } from '../edxml';
import { publishDocumentChange } from '../../documents/realtime';
import { enqueueSearchIndex } from '../../search/search.jobs';
import {
  DEFAULT_REASON,
  WITHDRAWN_LABEL,
  allowedReceiverActions,
  allowedSenderActions,
  kindOfBusinessDocType,
  planRecall,
  planRecallAnswer,
  planSend,
  receivedEffect,
  senderOutcome,
  withdrawnNote,
  type BusinessAction,
  type BusinessKind,
  type FieldChange,
  type FieldValues,
  type Outcome,
  type SenderDoc,
  type SenderRecipient,
  type UpdatableField,
  type WithdrawnKind,
} from './domain';
import { BusinessActionRow } from './business.entities';
import { ExchangeBusinessAdapter } from './exchange-adapter';
import { AgencyAssignmentsService } from './agency-assignments';
import type { ExchangeBusinessPort, ReceivedBusinessDocument, ReceivedBusinessStatus } from './port';

const toError = (o: Exclude<Outcome<unknown>, { ok: true }>): AppError =>
  o.code === 'BAD_USER_INPUT' ? badInput(o.reason, o.field) : new AppError(o.code, o.reason);

function unwrapOutcome<T>(o: Outcome<T>): T {
  if (!o.ok) throw toError(o);
  return o.value;
}

export interface UpdateIssuedInput {
  reason: string;
  subject?: string | null;
  signerName?: string | null;
  signerTitle?: string | null;
  pageCount?: number | null;
  urgency?: string | null;
}

const actorOf = (a: Actor) => ({ userId: a.userId, agencyId: a.agencyId, roles: a.roles });

export const senderDocOf = (d: Document): SenderDoc => ({
  agencyId: d.agency.id,
  direction: d.direction,
  state: d.state,
  secret: isSecret(d.secrecy as Secrecy),
  archived: d.archivedAt != null,
  withdrawnKind: (d.withdrawnKind as WithdrawnKind | null) ?? null,
});

const fieldsOf = (d: Document): Required<FieldValues> => ({
  subject: d.subject,
  signerName: d.signerName ?? null,
  signerTitle: d.signerTitle ?? null,
  pageCount: d.pageCount ?? null,
  urgency: d.urgency,
});

function applyChanges(d: Document, changes: readonly FieldChange[]): void {
  for (const c of changes) {
    const f: UpdatableField = c.field;
    if (f === 'pageCount') d.pageCount = c.to as number | null;
    else if (f === 'subject') d.subject = String(c.to ?? d.subject);
    else if (f === 'urgency') d.urgency = String(c.to ?? d.urgency);
    else if (f === 'signerName') d.signerName = (c.to as string | null) ?? null;
    else d.signerTitle = (c.to as string | null) ?? null;
  }
}

/** A withdrawn incoming record: its open assignments are closed (kept, not deleted) so nobody is left waiting on it. */
async function closeOpenAssignments(tx: Tx, documentId: string, now: Date): Promise<string[]> {
  const open = await tx.em.find(Assignment, { document: documentId, active: true, state: { $in: ['PENDING', 'IN_PROGRESS', 'DELEGATED'] } });
  for (const a of open) {
    a.state = 'CLOSED';
    a.completedAt = now;
  }
  return open.map((a) => a.id);
}

export class BusinessService {
  private port: ExchangeBusinessPort | null = null;
  /** Giao cơ quan khác: bút phê to other agencies (agency-assignments.ts). */
  readonly agencies: AgencyAssignmentsService;

  constructor(private readonly services: Services) {
    this.agencies = new AgencyAssignmentsService(services);
    // wired to the exchange core when it exists (it is built before us in createServices)
    if (services.exchange) {
      const adapter = new ExchangeBusinessAdapter(services);
      adapter.register(this);
      this.port = adapter;
      services.exchange.onRecipientStatus((tx, e) => this.agencies.onRecipientStatus(tx, e));
    }
  }

  /** The exchange core that queues our messages (services.exchange); set once at start (see port.ts). */
  setPort(port: ExchangeBusinessPort): void {
    this.port = port;
  }

  private requirePort(): ExchangeBusinessPort {
    if (!this.port) throw new AppError('INTERNAL', 'Hệ thống trao đổi văn bản chưa sẵn sàng.');
    return this.port;
  }

  // ── reads ─────────────────────────────────────────────────────────────────────────────────────

  /** The sender-side recipient facts of an outgoing record (with pending recalls). */
  async senderRecipients(em: EntityManager, documentId: string): Promise<{ rows: Recipient[]; facts: SenderRecipient[] }> {
    const rows = await em.find(Recipient, { document: documentId }, { populate: ['agency'], orderBy: { id: 'asc' } });
    const pending = await em.find(BusinessActionRow, { document: documentId, side: 'SENDER', kind: 'RECALL', state: 'REQUESTED' });
    const pendingIds = new Set(pending.map((p) => p.recipient?.id).filter(Boolean));
    const facts = rows.map((r) => ({
      id: r.id,
      electronic: !!r.agency || !!r.agencyCode,
      statusCode: r.statusCode ?? null,
      recallPending: pendingIds.has(r.id),
    }));
    return { rows, facts };
  }

  /** The business actions (buttons) of the caller on a document of its own agency (FULL facet). */
  async allowedActions(scope: Scope, doc: Document): Promise<BusinessAction[]> {
    const actor = scope.requireActor();
    if (doc.agency.id !== actor.agencyId) return [];
    if (doc.direction === 'OUTGOING') {
      if (doc.state !== 'ISSUED') return [];
      const { facts } = await this.senderRecipients(scope.em, doc.id);
      return allowedSenderActions(actorOf(actor), senderDocOf(doc), facts);
    }
    if (doc.direction === 'INCOMING') {
      const pending = await scope.em.count(BusinessActionRow, { document: doc.id, side: 'RECEIVER', kind: 'RECALL', state: 'PENDING' });
      return allowedReceiverActions(
        actorOf(actor),
        { agencyId: doc.agency.id, direction: doc.direction, withdrawnKind: (doc.withdrawnKind as WithdrawnKind | null) ?? null, archived: doc.archivedAt != null },
        pending > 0,
      );
    }
    return [];
  }

  /** The business actions of a document, newest first; a recipient agency (RECIPIENT facet) sees none. */
  async actionsOf(scope: Scope, doc: Document): Promise<BusinessActionRow[]> {
    const actor = scope.requireActor();
    if (doc.agency.id !== actor.agencyId) return [];
    return scope.em.find(BusinessActionRow, { document: doc.id }, { orderBy: { createdAt: 'desc', id: 'asc' } });
  }

  /** A receiver's REPLACE: the replacing incoming record of the same agency once it has arrived (same DocumentId). */
  async replacingOf(scope: Scope, row: BusinessActionRow): Promise<Document | null> {
    if (row.replacingDocument) return scope.em.findOne(Document, { id: row.replacingDocument.id });
    if (row.side !== 'RECEIVER' || !row.replacingEdxmlId || !this.port) return null;
    return this.port.findIncomingByEdxmlId(scope.em, row.agency.id, row.replacingEdxmlId);
  }

  /** Thay thế: issued outgoing documents of the caller's agency that may replace `documentId` (newest first). */
  async replacementCandidates(scope: Scope, documentId: string, search?: string | null): Promise<Document[]> {
    const actor = scope.requireActor();
    const { doc } = await loadVisibleDocumentWithAccess(scope, documentId);
    if (doc.agency.id !== actor.agencyId || !allowedSenderActions(actorOf(actor), senderDocOf(doc), []).includes('REVOKE_ISSUED')) return [];
    const where: Record<string, unknown> = { agency: actor.agencyId, direction: 'OUTGOING', state: 'ISSUED', withdrawnAt: null, id: { $ne: doc.id }, secrecy: 'THUONG' };
    const q = (search ?? '').trim();
    if (q) where.$or = [{ symbol: { $ilike: `%${q.replace(/[%_\\]/g, '\\$&')}%` } }, { subject: { $ilike: `%${q.replace(/[%_\\]/g, '\\$&')}%` } }];
    return scope.em.find(Document, where, { orderBy: { issuedAt: 'desc', id: 'desc' }, limit: 50 });
  }

  // ── sender ────────────────────────────────────────────────────────────────────────────────────

  /** Loads our outgoing record for a sender action: visible in FULL, then locked in the transaction. */
  private async openOwn(scope: Scope, tx: Tx, documentId: string): Promise<Document> {
    const actor = scope.requireActor();
    const { doc } = await loadVisibleDocumentWithAccess(scope, documentId);
    if (doc.agency.id !== actor.agencyId) throw documentNotFound();
    const locked = await tx.em.findOne(Document, { id: doc.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true, populate: ['agency'] });
    if (!locked) throw documentNotFound();
    return locked;
  }

  /** Lấy lại: status 13 to every recipient still holding the document (each answers 15 or 16). */
  async requestRecall(scope: Scope, documentId: string, reason: string): Promise<Document> {
    const actor = scope.requireActor();
    const port = this.requirePort();
    return scope.transaction(async (tx) => {
      const doc = await this.openOwn(scope, tx, documentId);
      const { rows, facts } = await this.senderRecipients(tx.em, doc.id);
      const plan = unwrapOutcome(planRecall(actorOf(actor), senderDocOf(doc), facts, reason));
      const now = this.services.clock.now();
      for (const id of plan.recipientIds) {
        const r = rows.find((x) => x.id === id)!;
        tx.em.create(BusinessActionRow, {
          document: doc,
          agency: doc.agency,
          side: 'SENDER',
          kind: 'RECALL',
          state: 'REQUESTED',
          reason: plan.reason,
          recipient: r,
          counterpartName: r.name,
          counterpartCode: r.agency?.code ?? r.agencyCode ?? null,
          createdBy: tx.em.getReference(User, actor.userId),
          createdAt: now,
        });
        await port.queueRecipientStatus(tx, { recipientId: r.id, code: '13', description: plan.reason });
      }
      tx.audit({ action: 'document.recall_request', targetType: 'document', targetId: doc.id, agencyId: doc.agency.id, data: { reason: plan.reason, recipientIds: plan.recipientIds } });
      await tx.em.flush();
      publishDocumentChange(tx, this.services, doc);
      return doc;
    });
  }

  /** Thu hồi / cập nhật / thay thế (BussinessDocType 1 / 2 / 3). */
  async sendBusiness(
    scope: Scope,
    documentId: string,
    kind: Exclude<BusinessKind, 'RECALL'>,
    input: { reason: string; replacementId?: string | null; changes?: FieldValues | null },
  ): Promise<Document> {
    const actor = scope.requireActor();
    const port = this.requirePort();
    return scope.transaction(async (tx) => {
      const doc = await this.openOwn(scope, tx, documentId);
      const { rows, facts } = await this.senderRecipients(tx.em, doc.id);
      let replacement: Document | null = null;
      if (kind === 'REPLACE' && input.replacementId) {
        replacement = isUuid(input.replacementId) ? await tx.em.findOne(Document, { id: input.replacementId }, { populate: ['agency'] }) : null;
        if (replacement && replacement.agency.id !== actor.agencyId) replacement = null;
        if (!replacement) throw badInput('Không tìm thấy văn bản thay thế.', 'replacementId');
      }
      const plan = unwrapOutcome(
        planSend(actorOf(actor), { ...senderDocOf(doc), id: doc.id }, facts, kind, {
          reason: input.reason,
          replacement: replacement
            ? { id: replacement.id, agencyId: replacement.agency.id, direction: replacement.direction, state: replacement.state, withdrawnKind: (replacement.withdrawnKind as WithdrawnKind | null) ?? null }
            : null,
          before: fieldsOf(doc),
          changes: input.changes ?? null,
        }),
      );
      const now = this.services.clock.now();
      if (plan.changes.length) applyChanges(doc, plan.changes);
      if (plan.withdraw) {
        doc.withdrawnAt = now;
        doc.withdrawnKind = plan.withdraw;
        doc.withdrawnNote = withdrawnNote(plan.withdraw, plan.reason, replacement?.symbol ?? null);
      }
      const row = tx.em.create(BusinessActionRow, {
        document: doc,
        agency: doc.agency,
        side: 'SENDER',
        kind,
        state: 'SENT',
        reason: plan.reason,
        replacingDocument: replacement,
        replacingEdxmlId: replacement ? port.edxmlDocumentIdOf(replacement) : null,
        changes: plan.changes.length ? plan.changes : null,
        createdBy: tx.em.getReference(User, actor.userId),
        createdAt: now,
      });
      await tx.em.flush();
      for (const id of plan.recipientIds) {
        await port.queueBusinessDocument(tx, {
          recipientId: id,
          businessType: kind === 'REVOKE' ? 1 : kind === 'UPDATE' ? 2 : 3,
          reason: plan.reason,
          replacementDocumentId: replacement?.id ?? null,
          changes: plan.changes,
        });
      }
      const action = kind === 'REVOKE' ? 'document.revoke' : kind === 'UPDATE' ? 'document.update_issued' : 'document.replace';
      tx.audit({
        action,
        targetType: 'document',
        targetId: doc.id,
        agencyId: doc.agency.id,
        data: { actionId: row.id, reason: plan.reason, recipientIds: plan.recipientIds, replacementId: replacement?.id ?? null, changes: plan.changes, recipients: rows.length },
      });
      await tx.em.flush();
      await enqueueSearchIndex(tx, doc.id);
      publishDocumentChange(tx, this.services, doc);
      return doc;
    });
  }

  // ── receiver ──────────────────────────────────────────────────────────────────────────────────

  /** Đồng ý (15) or từ chối (16) lấy lại: the receiving văn thư answers the pending request. */
  async answerRecall(scope: Scope, documentId: string, accept: boolean, reason: string | null | undefined): Promise<Document> {
    const actor = scope.requireActor();
    const port = this.requirePort();
    return scope.transaction(async (tx) => {
      const { doc: seen } = await loadVisibleDocumentWithAccess(scope, documentId);
      if (seen.agency.id !== actor.agencyId) throw documentNotFound();
      const doc = (await tx.em.findOne(Document, { id: seen.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true, populate: ['agency'] }))!;
      const pending = await tx.em.findOne(BusinessActionRow, { document: doc.id, side: 'RECEIVER', kind: 'RECALL', state: 'PENDING' }, { orderBy: { createdAt: 'desc' } });
      const plan = unwrapOutcome(
        planRecallAnswer(
          actorOf(actor),
          { agencyId: doc.agency.id, direction: doc.direction, withdrawnKind: (doc.withdrawnKind as WithdrawnKind | null) ?? null, archived: doc.archivedAt != null },
          !!pending,
          accept,
          reason,
        ),
      );
      const now = this.services.clock.now();
      pending!.state = plan.code === '15' ? 'ACCEPTED' : 'REFUSED';
      pending!.answerReason = plan.reason;
      pending!.answeredBy = tx.em.getReference(User, actor.userId);
      pending!.answeredAt = now;
      let closedAssignmentIds: string[] = [];
      if (plan.withdraw) {
        doc.withdrawnAt = now;
        doc.withdrawnKind = plan.withdraw;
        doc.withdrawnNote = withdrawnNote(plan.withdraw, pending!.reason ?? null);
        closedAssignmentIds = await closeOpenAssignments(tx, doc.id, now);
      }
      await port.queueIncomingStatus(tx, { incomingDocumentId: doc.id, code: plan.code, description: plan.reason ?? undefined });
      tx.audit({
        action: plan.code === '15' ? 'document.recall_accept' : 'document.recall_refuse',
        targetType: 'document',
        targetId: doc.id,
        agencyId: doc.agency.id,
        data: { actionId: pending!.id, reason: plan.reason, statusCode: plan.code, closedAssignmentIds },
      });
      await tx.em.flush();
      publishDocumentChange(tx, this.services, doc);
      return doc;
    });
  }

  // ── applying received messages (no actor: called by the exchange core's apply job) ─────────────

  private async notifyVanThu(tx: Tx, agencyId: string, doc: Document, kind: string, text: string, now: Date): Promise<void> {
    const users = await tx.em.find(User, { agency: agencyId, active: true, roles: { $contains: ['VAN_THU'] } });
    for (const u of users) tx.em.create(Notification, { user: u, kind, document: doc, text: text.slice(0, 1000), createdAt: now });
  }

  /**
   * A status about a business message arrived: 13 at the receiver (our incoming record: a pending recall),
   * 15 / 16 at the sender (our outgoing record: the recipient's answer). Other codes: false (not ours).
   */
  async applyStatus(tx: Tx, msg: ReceivedBusinessStatus): Promise<boolean> {
    const now = this.services.clock.now();
    if (msg.code === '13') {
      const doc = await tx.em.findOne(Document, { id: msg.documentId }, { populate: ['agency'] });
      if (!doc || doc.direction !== 'INCOMING') return false;
      const open = await tx.em.count(BusinessActionRow, { document: doc.id, side: 'RECEIVER', kind: 'RECALL', state: 'PENDING' });
      if (open === 0 && !doc.withdrawnAt) {
        tx.em.create(BusinessActionRow, {
          document: doc,
          agency: doc.agency,
          side: 'RECEIVER',
          kind: 'RECALL',
          state: 'PENDING',
          reason: msg.description || DEFAULT_REASON.RECALL,
          counterpartName: msg.senderName ?? doc.issuerName ?? null,
          counterpartCode: msg.senderCode,
          createdAt: now,
        });
        await this.notifyVanThu(tx, doc.agency.id, doc, 'DOCUMENT_RECALL_REQUESTED', `${doc.issuerName ?? 'Cơ quan gửi'} đề nghị lấy lại văn bản ${doc.symbol ?? ''}: ${msg.description ?? ''}`, now);
        tx.audit({ action: 'document.recall_requested', targetType: 'document', targetId: doc.id, agencyId: doc.agency.id, data: { senderCode: msg.senderCode, reason: msg.description ?? null } });
        publishDocumentChange(tx, this.services, doc);
      }
      return true;
    }
    if (msg.code === '15' || msg.code === '16') {
      if (!msg.recipientId) return false;
      const r = await tx.em.findOne(Recipient, { id: msg.recipientId }, { populate: ['document', 'document.agency', 'agency'] });
      if (!r) return false;
      const row = await tx.em.findOne(BusinessActionRow, { recipient: r.id, side: 'SENDER', kind: 'RECALL', state: 'REQUESTED' }, { orderBy: { createdAt: 'desc' } });
      const next = row ? senderOutcome(row.state, msg.code) : null;
      if (!row || !next) return true; // a late or duplicate answer changes nothing
      row.state = next;
      // a 15 carries the standard text unless the receiver wrote a note; a 16 carries the reason
      const standard = new Set<string>([EDXML_STATUS['15'].description, EDXML_STATUS['16'].description, STATUS_CODES['15'].vi, STATUS_CODES['16'].vi]);
      row.answerReason = msg.description && !standard.has(msg.description) ? msg.description : null;
      row.answeredAt = now;
      if (next === 'ACCEPTED') {
        // the recipient gave the document back: it no longer sees our record (documents.policy NOT_DELIVERED)
        r.status = 'RECALL_ACCEPTED';
        r.statusCode = '15';
        r.statusAt = now;
        r.note = 'Đã đồng ý cho lấy lại văn bản';
      } else {
        r.note = `Từ chối cho lấy lại: ${msg.description ?? ''}`.trim();
      }
      const sender = r.document;
      tx.audit({
        action: 'document.recipient_status',
        targetType: 'document',
        targetId: sender.id,
        agencyId: sender.agency.id,
        data: { recipientId: r.id, recipientAgencyId: r.agency?.id ?? null, statusCode: msg.code, status: next === 'ACCEPTED' ? 'RECALL_ACCEPTED' : 'RECALL_REFUSED', note: msg.description ?? null },
      });
      await this.notifyVanThu(
        tx,
        sender.agency.id,
        sender,
        next === 'ACCEPTED' ? 'DOCUMENT_RECALL_ACCEPTED' : 'DOCUMENT_RECALL_REFUSED',
        `${r.name} ${next === 'ACCEPTED' ? 'đồng ý' : 'từ chối'} cho lấy lại văn bản ${sender.symbol ?? ''}${msg.description ? `: ${msg.description}` : ''}`,
        now,
      );
      publishDocumentChange(tx, this.services, sender);
      return true;
    }
    return false;
  }

  /**
   * A DOCUMENT message of BussinessDocType 1 / 2 / 3 arrived for our incoming record of the original document:
   * revoke / replace withdraw it (marked, locked, number kept with a note), update applies and records the
   * changes. Returns false when the type is not ours (0).
   */
  async applyDocument(tx: Tx, msg: ReceivedBusinessDocument): Promise<boolean> {
    const kind = kindOfBusinessDocType(msg.businessType);
    if (!kind) return false;
    const doc = await tx.em.findOne(Document, { id: msg.documentId }, { populate: ['agency'] });
    if (!doc || doc.direction !== 'INCOMING') return false;
    const now = this.services.clock.now();
    const effect = receivedEffect(kind);
    const reason = msg.reason || DEFAULT_REASON[kind];
    let changes: FieldChange[] = [];
    if (kind === 'UPDATE' && msg.fields) {
      const before = fieldsOf(doc);
      for (const k of Object.keys(msg.fields) as UpdatableField[]) {
        const to = msg.fields[k];
        if (to === undefined || to === null || to === '') continue;
        if (before[k] !== to) changes.push({ field: k, from: before[k], to });
      }
      if (!doc.withdrawnAt && !doc.archivedAt) applyChanges(doc, changes);
      else changes = [];
    }
    let closedAssignmentIds: string[] = [];
    if (effect.withdraw && !doc.withdrawnAt) {
      doc.withdrawnAt = now;
      doc.withdrawnKind = effect.withdraw;
      doc.withdrawnNote = withdrawnNote(effect.withdraw, reason, msg.replacingSymbol ?? null);
      closedAssignmentIds = await closeOpenAssignments(tx, doc.id, now);
      // a pending recall is moot once revoked / replaced
      const pending = await tx.em.find(BusinessActionRow, { document: doc.id, side: 'RECEIVER', kind: 'RECALL', state: 'PENDING' });
      for (const p of pending) {
        p.state = 'ACCEPTED';
        p.answerReason = WITHDRAWN_LABEL[effect.withdraw];
        p.answeredAt = now;
      }
    }
    tx.em.create(BusinessActionRow, {
      document: doc,
      agency: doc.agency,
      side: 'RECEIVER',
      kind,
      state: effect.state,
      reason,
      counterpartName: msg.senderName ?? doc.issuerName ?? null,
      counterpartCode: msg.senderCode,
      replacingEdxmlId: msg.replacingEdxmlId ?? null,
      changes: changes.length ? changes : null,
      createdAt: now,
    });
    const what = kind === 'REVOKE' ? 'thu hồi' : kind === 'UPDATE' ? 'cập nhật' : 'thay thế';
    await this.notifyVanThu(tx, doc.agency.id, doc, 'DOCUMENT_BUSINESS_RECEIVED', `${doc.issuerName ?? 'Cơ quan gửi'} ${what} văn bản ${doc.symbol ?? ''}: ${reason}`, now);
    tx.audit({
      action: kind === 'REVOKE' ? 'document.revoked_by_sender' : kind === 'UPDATE' ? 'document.updated_by_sender' : 'document.replaced_by_sender',
      targetType: 'document',
      targetId: doc.id,
      agencyId: doc.agency.id,
      data: { senderCode: msg.senderCode, reason, changes, replacingEdxmlId: msg.replacingEdxmlId ?? null, closedAssignmentIds },
    });
    await enqueueSearchIndex(tx, doc.id);
    publishDocumentChange(tx, this.services, doc);
    return true;
  }

  /** The agency a code names in this deployment (null for a peer's agency). */
  async localAgency(em: EntityManager, code: string): Promise<Agency | null> {
    return em.findOne(Agency, { code });
  }
}
