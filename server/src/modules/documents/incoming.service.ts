/**
 * Văn bản đến (NĐ 30/2020 Điều 20–24): vào sổ (số đến), từ chối tiếp nhận, trình, bút phê, giao xử lý trong
 * đơn vị, tiến độ, hoàn thành, trả lại, theo dõi. Every rule comes from the pure domain (domain/); this
 * service loads and locks the rows, runs the transition, writes the result, the audit event, notifications
 * and the edXML-like status back to the sender (delivery.ts), all in one transaction.
 *
 * Concurrency: each action locks the document row (`select … for update`) and re-reads it, so actions on
 * one document are serialised; `annotate` also compares the document version the caller saw (expectedVersion,
 * default: the version read when the request started) — the second of two simultaneous bút phê gets CONFLICT.
 * Số đến is taken with a row-locking upsert on number_sequence inside the registering transaction: no gaps,
 * no duplicates, and a rolled-back registration gives its number back.
 */
import { OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Services } from '../../services';
import { AppError, badInput, conflict, forbidden, notFound } from '../../shared/errors';
import { isUuid, newId } from '../../shared/ids';
import type { Actor, Scope, Tx } from '../../shared/scope';
import { Agency } from '../identity/entities/agency.entity';
import { Unit } from '../identity/entities/unit.entity';
import { User } from '../identity/entities/user.entity';
import { propagateRecipientStatus } from './delivery';
import {
  VN_TIME_ZONE,
  accessGrant,
  cleanText,
  duplicateKey,
  isSecret,
  localDateOf,
  registerPaper,
  registerYear,
  sequenceKeyFor,
  guardIncoming,
  toAppError,
  transitionIncoming,
  unwrap,
  type ActorContext,
  type AnnotationInput,
  type AssigneeInput,
  type Assignment as DomainAssignment,
  type IncomingAction,
  type IncomingDoc,
  type IncomingEvent,
  type IncomingResult,
  type IncomingState,
  type PersonRef,
  type Secrecy,
  type TransitionSuccess,
} from './domain';
import { CLOSED, CLOSED_ON_COMPLETION_REASON, completionUpdates, planReassign, type ChainLink } from './domain/annotation';
import { canRegisterIncoming } from './domain/creation-policy';
import { NOT_IN_REGISTER_STATES, duplicateProbe, findDuplicates, type DuplicateCandidate } from './domain/duplicates';
import { accessInfoFor, documentNotFound, loadVisibleDocument, viewerOf } from './documents.policy';
import { assertNotArchived } from './archive-guard';
import { Assignment } from './entities/assignment.entity';
import { Document } from './entities/document.entity';
import { DocumentFile } from './entities/document-file.entity';
import { DocumentMember, Notification, ProgressNote } from './entities/misc.entities';
import { attachFiles, linkStoredFile, storeUploads, type StoredUploads } from './files';
import { cleanIdempotencyKey, normalizeReceivedAt, normalizeRegistration, type RegistrationFields, type RegistrationForm } from './incoming-input';
import { publishDocumentChange } from './realtime';
import { Scan } from '../ocr/ocr.entities';
import { normalizeCirculation, secretFileProblem } from './domain/secrecy';
import type { DocumentSettingsService } from './settings.service';
import { enqueueSearchIndex } from '../search/search.jobs';
import { pickIncomingRegister } from '../../../../schema/validation/incoming-registers';

/** registerIncoming's input: the form (incoming-input.ts) plus what it is attached to and how. */
export interface RegisterIncomingInput extends RegistrationForm {
  documentId?: string | null;
  issuerAgencyId?: string | null;
  readerIds?: readonly string[] | null;
  files?: readonly File[] | null;
  fileIds?: readonly string[] | null;
  idempotencyKey?: string | null;
  /** Vẫn vào sổ: register despite a duplicate already in the register (otherwise CONFLICT, no number taken). */
  allowDuplicate?: boolean | null;
  /** Ngày đến of a paper document received earlier (default: now). */
  receivedAt?: Date | string | null;
  /** Chỉ dẫn phạm vi lưu hành (domain/secrecy.ts CIRCULATION_MARKINGS). */
  circulation?: readonly string[] | null;
  /** Sổ văn bản đến (DocumentSettings.incomingRegisters key); omitted = the first active (general) register. */
  registerKey?: string | null;
}

export interface AssigneeRefInput {
  unitId?: string | null;
  userId?: string | null;
  deadline?: string | null;
}

export interface AnnotateInput {
  instruction?: string | null;
  forInfo?: boolean | null;
  lead?: AssigneeRefInput | null;
  coordinators?: readonly AssigneeRefInput[] | null;
  watcherIds?: readonly string[] | null;
  /** Giao cơ quan khác (issue 13): other agencies as chủ trì / phối hợp (exchange/business/agency-assignments.ts). */
  agencies?: readonly { agencyCode: string; role: 'LEAD' | 'COORDINATOR'; deadline?: string | null }[] | null;
  /** The Document.version the leader saw; default: the version read when the request started. */
  expectedVersion?: number | null;
}

export const MAX_PROGRESS_LENGTH = 2000;
const FINISHED_STATES: readonly string[] = ['DONE', 'FOR_INFO', 'REJECTED', 'ANNULLED'];

// ---------------------------------------------------------------------------------------------------
// Entities ⇄ domain snapshot

export function domainAssignmentOf(a: Assignment): DomainAssignment {
  return {
    id: a.id,
    role: a.role,
    target: a.target,
    unitId: a.unit?.id ?? null,
    userId: a.user?.id ?? null,
    deadline: a.deadline ?? null,
    state: a.state as DomainAssignment['state'],
    active: a.active,
  };
}

/** The bút phê chain view of an assignment row (domain/annotation.ts). */
export function chainLinkOf(a: Assignment): ChainLink {
  return { id: a.id, role: a.role, unitId: a.unit?.id ?? null, userId: a.user?.id ?? null, deadline: a.deadline ?? null, state: a.state, active: a.active, parentId: a.parent?.id ?? null };
}

/** The workflow snapshot of an incoming document (its assignments in creation order). */
export function incomingSnapshot(doc: Document, assignments: readonly Assignment[]): IncomingDoc {
  return {
    agencyId: doc.agency.id,
    channel: doc.electronic ? 'ELECTRONIC' : 'PAPER',
    state: doc.state as IncomingState,
    submittedToUserId: doc.submittedTo?.id ?? null,
    annotatedByUserId: doc.annotatedBy?.id ?? null,
    returnedToUserId: doc.returnedTo?.id ?? null,
    assignments: assignments.map(domainAssignmentOf),
  };
}

/** Is the document (or assignment) still being handled: an open deadline may become overdue. */
export const isOpenIncomingState = (state: string): boolean => !FINISHED_STATES.includes(state);

const personOf = (u: User): PersonRef => ({ userId: u.id, agencyId: u.agency.id, unitId: u.unit?.id ?? null, roles: [...u.roles] });

/** Maps OptimisticLockError / unique violations to CONFLICT; other errors unchanged. */
export function mapDbError(e: unknown): unknown {
  if (e instanceof OptimisticLockError) return conflict('Văn bản vừa được người khác cập nhật. Vui lòng tải lại và thử lại.');
  if (e instanceof UniqueConstraintViolationException) return conflict('Dữ liệu vừa bị thay đổi đồng thời. Vui lòng thử lại.');
  return e;
}

function renameField(e: unknown, from: string, to: string): unknown {
  if (e instanceof AppError && e.extra.field === from) return new AppError(e.code, e.message, { ...e.extra, field: to });
  return e;
}

const fmtDate = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

interface Opened {
  doc: Document;
  agency: Agency;
  assignments: Assignment[];
  snapshot: IncomingDoc;
}

export class IncomingService {
  /** The deployment's settings service (its clock: the working calendar follows the services' clock). */
  private get settings(): DocumentSettingsService {
    return this.services.documentSettings;
  }

  constructor(private readonly services: Services) {}

  private now(): Date {
    return this.services.clock.now();
  }

  private ctx(actor: Actor, now: Date, timeZone: string): ActorContext {
    return { userId: actor.userId, agencyId: actor.agencyId, unitId: actor.unitId, roles: actor.roles, now, timeZone };
  }

  /**
   * Inside `tx`: lock the document row, re-read it and its assignments, check the caller may see it
   * (NOT_FOUND otherwise) and that it is an incoming record; optionally check the version.
   */
  private async open(scope: Scope, tx: Tx, id: string, expectedVersion?: number | null): Promise<Opened> {
    const actor = scope.requireActor();
    if (!isUuid(id)) throw documentNotFound();
    await tx.em.execute('select 1 from "document" where "id" = ? for update', [id]);
    const doc = await tx.em.findOne(Document, { id }, { refresh: true, populate: ['agency'] });
    if (!doc) throw documentNotFound();
    const info = await accessInfoFor(tx.em, doc);
    if (!accessGrant(viewerOf(actor), info)) throw documentNotFound();
    if (doc.direction !== 'INCOMING') throw conflict('Đây không phải văn bản đến.');
    assertNotArchived(doc);
    if (expectedVersion != null && doc.version !== expectedVersion) {
      throw conflict('Văn bản vừa được người khác cập nhật. Vui lòng tải lại và thử lại.', { reason: 'VERSION_MISMATCH' });
    }
    const assignments = await tx.em.find(Assignment, { document: doc.id }, { orderBy: { createdAt: 'asc', id: 'asc' }, refresh: true });
    return { doc, agency: doc.agency, assignments, snapshot: incomingSnapshot(doc, assignments) };
  }

  /** Runs a transaction; maps lock/unique errors to CONFLICT. */
  private async run<T>(scope: Scope, fn: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return await scope.transaction(fn);
    } catch (e) {
      throw mapDbError(e);
    }
  }

  /** Writes the domain snapshot onto the document and its assignment rows (creating new ones). */
  private apply(tx: Tx, o: Opened, next: IncomingDoc, extra: { assignedBy?: string; instruction?: string | null; now: Date }): Map<string, Assignment> {
    const em = tx.em;
    const userRef = (id: string | null) => (id ? em.getReference(User, id) : null);
    const unitRef = (id: string | null) => (id ? em.getReference(Unit, id) : null);
    const { doc } = o;
    doc.state = next.state;
    if ((doc.submittedTo?.id ?? null) !== next.submittedToUserId) doc.submittedTo = userRef(next.submittedToUserId);
    if ((doc.annotatedBy?.id ?? null) !== next.annotatedByUserId) doc.annotatedBy = userRef(next.annotatedByUserId);
    if ((doc.returnedTo?.id ?? null) !== next.returnedToUserId) doc.returnedTo = userRef(next.returnedToUserId);
    const byId = new Map(o.assignments.map((a) => [a.id, a]));
    for (const a of next.assignments) {
      const e = byId.get(a.id);
      if (e) {
        if (e.state !== a.state) {
          if (a.state === 'IN_PROGRESS' && !e.startedAt) e.startedAt = extra.now;
          if (a.state === 'DONE') e.completedAt = extra.now;
          e.state = a.state;
        }
        if (e.active !== a.active) e.active = a.active;
        if ((e.user?.id ?? null) !== a.userId) e.user = userRef(a.userId);
      } else {
        const created = em.create(Assignment, {
          id: a.id,
          document: doc,
          role: a.role,
          target: a.target,
          unit: unitRef(a.unitId),
          user: userRef(a.userId),
          deadline: a.deadline,
          state: a.state,
          active: a.active,
          assignedBy: userRef(extra.assignedBy ?? null),
          instruction: extra.instruction ?? null,
          createdAt: extra.now,
        });
        byId.set(a.id, created);
        o.assignments.push(created);
      }
    }
    return byId;
  }

  /** Notifications (one per user, never to the actor). */
  private notify(tx: Tx, actor: Actor, userIds: Iterable<string | null | undefined>, kind: string, doc: Document, text: string, now: Date): void {
    const seen = new Set<string>();
    for (const id of userIds) {
      if (!id || id === actor.userId || seen.has(id)) continue;
      seen.add(id);
      tx.em.create(Notification, { user: tx.em.getReference(User, id), kind, document: doc, text: text.slice(0, 1000), createdAt: now });
    }
  }

  /** Heads (TRUONG_PHONG) of a unit. */
  private async unitHeads(em: EntityManager, unitId: string): Promise<string[]> {
    const heads = await em.find(User, { unit: unitId, active: true, roles: { $contains: ['TRUONG_PHONG'] } });
    return heads.map((u) => u.id);
  }

  /** Adds members (WATCHER or READER) that are not there yet. */
  private async addMembers(tx: Tx, doc: Document, userIds: Iterable<string>, kind: 'WATCHER' | 'READER', now: Date): Promise<void> {
    const ids = [...new Set([...userIds].filter(Boolean))];
    if (!ids.length) return;
    const existing = await tx.em.find(DocumentMember, { document: doc.id, kind, user: { $in: ids } });
    const have = new Set(existing.map((m) => m.user.id));
    for (const id of ids) if (!have.has(id)) tx.em.create(DocumentMember, { document: doc, user: tx.em.getReference(User, id), kind, createdAt: now });
  }

  /** Active users of `agencyId` by id; BAD_USER_INPUT (field) if any is unknown, inactive or of another agency. */
  private async usersOfAgency(em: EntityManager, agencyId: string, ids: readonly string[], field: string, what = 'Người dùng'): Promise<Map<string, User>> {
    const unique = [...new Set(ids)];
    if (unique.some((id) => typeof id !== 'string' || !isUuid(id))) throw badInput(`${what} không hợp lệ.`, field);
    const users = unique.length ? await em.find(User, { id: { $in: unique } }, { populate: ['agency', 'unit'] }) : [];
    const map = new Map(users.map((u) => [u.id, u]));
    for (const id of unique) {
      const u = map.get(id);
      if (!u || !u.active || u.agency.id !== agencyId) throw badInput(`${what} không thuộc cơ quan hoặc không còn hoạt động.`, field);
    }
    return map;
  }

  private async nextNumber(tx: Tx, agencyId: string, key: string, year: number): Promise<number> {
    const rows = await tx.em.execute<{ last_number: number }[]>(
      `insert into "number_sequence" ("agency_id", "key", "year", "last_number") values (?, ?, ?, 1)
       on conflict ("agency_id", "key", "year") do update set "last_number" = "number_sequence"."last_number" + 1
       returning "last_number"`,
      [agencyId, key, year],
    );
    return Number(rows[0].last_number);
  }

  private async afterChange(tx: Tx, doc: Document): Promise<unknown> {
    publishDocumentChange(tx, this.services, doc);
    // Liên thông: the sender learns the new status through an edXML status message (modules/exchange);
    // records delivered before the exchange existed (no inbox row) are still reported directly.
    const sent = await this.services.exchange.incomingChanged(tx, doc);
    return sent.viaExchange ? sent.status : propagateRecipientStatus(tx, doc, this.services);
  }

  private step(o: Opened, action: IncomingAction, ctx: ActorContext): TransitionSuccess<IncomingDoc, IncomingEvent> {
    const r: IncomingResult = transitionIncoming(o.snapshot, action, ctx);
    return unwrap(r);
  }

  // -------------------------------------------------------------------------------------------------
  // Vào sổ

  private async findByIdempotencyKey(scope: Scope, agencyId: string, key: string): Promise<Document | null> {
    const prior = await scope.em.fork().findOne(Document, { agency: agencyId, idempotencyKey: key });
    if (!prior) return null;
    return loadVisibleDocument(scope, prior.id);
  }

  /**
   * Vào sổ văn bản đến: a paper document (new record) or an electronically received one (input.documentId,
   * state RECEIVED). Gives the số đến of the agency's register for the year (INCOMING, or INCOMING_SECRET for
   * secret documents). A retry with the same idempotencyKey returns the first document.
   */
  async registerIncoming(scope: Scope, input: RegisterIncomingInput): Promise<Document> {
    const actor = scope.requireActor();
    if (!canRegisterIncoming(actor)) throw forbidden('Chỉ văn thư mới được vào sổ văn bản đến.');
    const key = cleanIdempotencyKey(input.idempotencyKey);
    if (key) {
      const prior = await this.findByIdempotencyKey(scope, actor.agencyId, key);
      if (prior) return prior;
    }
    const now = this.now();
    const agency = await scope.em.findOneOrFail(Agency, { id: actor.agencyId });
    const tz = agency.timeZone || VN_TIME_ZONE;
    const settings = await this.settings.get(scope.em, agency.id);

    let existing: Document | null = null;
    if (input.documentId) {
      existing = await loadVisibleDocument(scope, input.documentId);
      if (existing.direction !== 'INCOMING') throw conflict('Đây không phải văn bản đến.');
      if (existing.state !== 'RECEIVED') throw conflict('Văn bản đã được vào sổ hoặc đã bị từ chối.');
    }
    let issuerAgency: Agency | null = null;
    if (input.issuerAgencyId) {
      if (!isUuid(input.issuerAgencyId)) throw badInput('Cơ quan ban hành không hợp lệ.', 'issuerAgencyId');
      issuerAgency = await scope.em.findOne(Agency, { id: input.issuerAgencyId });
      if (!issuerAgency) throw badInput('Không tìm thấy cơ quan ban hành trong hệ thống.', 'issuerAgencyId');
    }
    const fields = normalizeRegistration(input, {
      types: settings.documentTypes,
      today: localDateOf(now, tz),
      issuerAgencyName: issuerAgency?.name ?? null,
      prefill: existing ? prefillOf(existing) : null,
    });
    // Ngày đến: only a paper document may carry an earlier one (an electronic arrival has its own).
    if (existing && input.receivedAt != null) throw badInput('Ngày đến của văn bản điện tử là thời điểm hệ thống nhận được, không sửa được.', 'receivedAt');
    const receivedAt = normalizeReceivedAt(input.receivedAt, { now, timeZone: tz, issuedDate: fields.issuedDate });
    const readerIds = [...new Set(input.readerIds ?? [])];
    const fileIds = [...new Set(input.fileIds ?? [])];
    if (fileIds.some((id) => !isUuid(id))) throw badInput('Tệp đã tải lên không hợp lệ.', 'fileIds');
    const circulation = normalizeCirculation(input.circulation);
    if (!circulation.ok) throw badInput(circulation.reason, circulation.field);
    // Văn bản mật: metadata only (domain/secrecy.ts) — refused before anything is stored or a number drawn.
    const secretFiles = secretFileProblem({
      secrecy: fields.secrecy,
      uploads: (input.files ?? []).filter(Boolean).length,
      fileIds: fileIds.length,
      existingFiles: existing && isSecret(fields.secrecy) ? Math.max(await scope.em.count(DocumentFile, { document: existing.id }), existing.electronic ? 1 : 0) : 0,
    });
    if (secretFiles) throw badInput(secretFiles.reason, secretFiles.field);
    // Sổ văn bản đến: one of the agency's active registers (checked before anything is stored or a number drawn).
    // Secret documents always go to the secret register.
    const requestedRegister = input.registerKey?.trim() || null;
    let ordinaryRegister = 'INCOMING';
    if (isSecret(fields.secrecy)) {
      if (requestedRegister && requestedRegister !== 'INCOMING_SECRET' && requestedRegister !== 'INCOMING')
        throw badInput('Văn bản mật được vào sổ văn bản mật, không chọn sổ khác.', 'registerKey');
    } else {
      const picked = pickIncomingRegister(settings.incomingRegisters, requestedRegister);
      if (!picked.ok) throw badInput(picked.message, 'registerKey');
      ordinaryRegister = picked.register.key;
    }

    // Chữ ký số of an uploaded PDF (issue 12): a tampered, untrusted or revoked signature blocks registration.
    await this.services.signing.assertRegistrable(scope.em, agency.id, input.files ?? [], fileIds);

    const uploads = await storeUploads(this.services, input.files, { maxBytes: this.services.config.maxUploadBytes });
    try {
      return await this.run(scope, async (tx) => {
        const ctx = this.ctx(actor, now, tz);
        let doc: Document;
        if (existing) {
          const o = await this.open(scope, tx, existing.id);
          const r = this.step(o, { type: 'REGISTER' }, ctx);
          this.apply(tx, o, r.next, { now });
          doc = o.doc;
        } else {
          const r = unwrap(registerPaper(agency.id, ctx));
          doc = tx.em.create(Document, {
            agency,
            direction: 'INCOMING',
            state: r.next.state,
            electronic: false,
            typeName: fields.typeName,
            subject: fields.subject,
            urgency: fields.urgency,
            secrecy: fields.secrecy,
            createdBy: tx.em.getReference(User, actor.userId),
            createdAt: now,
            updatedAt: now,
            version: 1,
          });
        }
        applyFields(doc, fields);
        if (!existing || input.circulation != null) doc.circulation = circulation.value.length ? circulation.value : null;
        if (issuerAgency) doc.issuerAgency = issuerAgency;
        doc.receivedAt = existing?.receivedAt ?? receivedAt ?? now;
        if (!doc.createdBy) doc.createdBy = tx.em.getReference(User, actor.userId);
        if (key && !doc.idempotencyKey) doc.idempotencyKey = key;

        // Named readers (secret documents: the only people who may see it, with the registering văn thư).
        // Validated first: a wrong form is a BAD_USER_INPUT, whatever else is wrong.
        const readers = await this.usersOfAgency(tx.em, agency.id, readerIds, 'readerIds', 'Người được xem');

        // Trùng văn bản: checked BEFORE the số đến is drawn, so a refused duplicate consumes no number.
        const duplicates = await this.visibleDuplicates(tx, actor, agency.id, doc, fields, uploads, fileIds, tz);
        if (duplicates.length && input.allowDuplicate !== true) {
          throw conflict(
            `Văn bản này có thể đã được vào sổ (${duplicates.length} văn bản trùng cơ quan ban hành, số ký hiệu và ngày ban hành hoặc trùng tệp). Kiểm tra lại, hoặc chọn "Vẫn vào sổ".`,
            { reason: 'DUPLICATE', duplicateOf: duplicates.map((d) => d.id) },
          );
        }

        // Số đến: in this transaction (a rollback gives the number back).
        const registerKey = isSecret(fields.secrecy) ? sequenceKeyFor({ direction: 'INCOMING', secrecy: fields.secrecy }) : ordinaryRegister;
        const year = registerYear(now, tz);
        doc.registerKey = registerKey;
        doc.registerYear = year;
        doc.incomingNumber = await this.nextNumber(tx, agency.id, registerKey, year);

        // Possible duplicate (flag only; the văn thư decides).
        doc.dupKey = fields.symbol && fields.issuedDate ? duplicateKey(fields.issuerName, fields.symbol, fields.issuedDate, tz) : null;
        doc.duplicateOf = duplicates.length ? tx.em.getReference(Document, duplicates[0].id) : null;
        if (!doc.duplicateOf && doc.dupKey) {
          const dup = await tx.em.findOne(
            Document,
            { agency: agency.id, direction: 'INCOMING', dupKey: doc.dupKey, id: { $ne: doc.id }, state: { $nin: [...NOT_IN_REGISTER_STATES] } },
            { orderBy: { receivedAt: 'asc', id: 'asc' } },
          );
          doc.duplicateOf = dup ?? null;
        }

        const readerSet = new Set(readers.keys());
        if (isSecret(fields.secrecy)) readerSet.add(actor.userId);
        await this.addMembers(tx, doc, readerSet, 'READER', now);

        // Files: a scan uploaded (and digitised) beforehand is the bản chính; otherwise the first upload is,
        // unless the document already has one. The rest are attachments (phụ lục).
        const current = existing ? await tx.em.count(DocumentFile, { document: doc.id, kind: 'MAIN' }) : 0;
        const attached: DocumentFile[] = [];
        attached.push(...(await this.copyFiles(tx, doc, fileIds, actor, !current)));
        const [first, ...rest] = uploads.stored;
        const mainTaken = current > 0 || attached.some((f) => f.kind === 'MAIN');
        if (first) attached.push(...attachFiles(tx, doc, [first], mainTaken ? 'ATTACHMENT' : 'MAIN', actor.userId));
        if (rest.length) attached.push(...attachFiles(tx, doc, rest, 'ATTACHMENT', actor.userId));
        // Scans and PDFs are digitised in the background (deduplicated by content).
        await this.services.ocr.requestDigitisation(tx, attached);
        if (!doc.pageCount) {
          const main = attached.find((f) => f.kind === 'MAIN');
          if (main?.pageCount) doc.pageCount = main.pageCount;
        }

        tx.audit({
          action: 'document.register',
          targetType: 'document',
          targetId: doc.id,
          agencyId: agency.id,
          data: {
            incomingNumber: doc.incomingNumber,
            registerKey,
            registerYear: year,
            electronic: doc.electronic,
            symbol: doc.symbol ?? null,
            duplicateOfId: doc.duplicateOf?.id ?? null,
            files: attached.map((f) => ({ id: f.id, fileName: f.fileName, contentType: f.contentType, size: Number(f.size) })),
            readerIds: [...readerSet],
            circulation: doc.circulation ?? [],
          },
        });
        await enqueueSearchIndex(tx, doc.id);
        await tx.em.flush();
        await this.afterChange(tx, doc);
        return doc;
      });
    } catch (e) {
      if (key && e instanceof AppError && e.code === 'CONFLICT') {
        const prior = await this.findByIdempotencyKey(scope, actor.agencyId, key);
        if (prior) return prior;
      }
      throw e;
    }
  }

  /**
   * Registered incoming records of the agency that are the same document (domain/duplicates.ts) and that the
   * caller may see, oldest first. Records the caller may not see (secret documents of other readers) are left
   * out: their existence is never revealed, and they still set duplicateOf after the fact (hidden by the
   * resolver). An advisory lock on the reference key and on each sha256 serialises two simultaneous
   * registrations of the same document, so the second one sees the first.
   */
  private async visibleDuplicates(
    tx: Tx,
    actor: Actor,
    agencyId: string,
    doc: Document,
    fields: RegistrationFields,
    uploads: StoredUploads,
    fileIds: readonly string[],
    tz: string,
  ): Promise<Document[]> {
    const em = tx.em;
    const shas = uploads.stored.map((u) => u.sha256);
    if (fileIds.length) {
      const given = await em.find(DocumentFile, { id: { $in: [...fileIds] } });
      const scans = await em.find(Scan, { id: { $in: [...fileIds] }, agency: agencyId });
      shas.push(...given.map((f) => f.sha256), ...scans.map((x) => x.sha256));
    }
    if (doc.electronic) shas.push(...(await em.find(DocumentFile, { document: doc.id })).map((f) => f.sha256));
    const probe = duplicateProbe(fields, shas, tz);
    if (!probe.key && !probe.sha256s.length) return [];
    const locks = [...(probe.key ? [probe.key] : []), ...probe.sha256s].sort();
    for (const k of locks) await em.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`incoming-dup|${agencyId}|${k}`]);
    const inRegister = { agency: agencyId, direction: 'INCOMING', state: { $nin: [...NOT_IN_REGISTER_STATES] } } as const;
    const byKey = probe.key ? await em.find(Document, { ...inRegister, dupKey: probe.key }) : [];
    const byFile = probe.sha256s.length ? await em.find(DocumentFile, { sha256: { $in: [...probe.sha256s] }, document: inRegister }, { populate: ['document'] }) : [];
    const found = new Map<string, Document>();
    for (const d of [...byKey, ...byFile.map((f) => f.document)]) found.set(d.id, d);
    const ordered = [...found.values()].sort((x, y) => (x.receivedAt?.getTime() ?? 0) - (y.receivedAt?.getTime() ?? 0) || x.id.localeCompare(y.id));
    const files = ordered.length ? await em.find(DocumentFile, { document: { $in: ordered.map((d) => d.id) } }) : [];
    const candidates: DuplicateCandidate[] = ordered.map((d) => ({ id: d.id, state: d.state, key: d.dupKey ?? null, sha256s: files.filter((f) => f.document.id === d.id).map((f) => f.sha256) }));
    const matches = findDuplicates(probe, candidates, doc.id ?? null);
    if (!matches.length) return [];
    const docs = await em.find(Document, { id: { $in: matches.map((m) => m.id) } }, { populate: ['agency'] });
    const byId = new Map(docs.map((d) => [d.id, d]));
    const visible: Document[] = [];
    for (const m of matches) {
      const d = byId.get(m.id);
      if (d && accessGrant(viewerOf(actor), await accessInfoFor(em, d))) visible.push(d);
    }
    return visible;
  }

  /** Attaches already-stored files (by DocumentFile id, of documents the caller may see in their agency). */
  private async copyFiles(tx: Tx, doc: Document, ids: readonly string[], actor: Actor, firstIsMain: boolean): Promise<DocumentFile[]> {
    if (!ids.length) return [];
    const files = await tx.em.find(DocumentFile, { id: { $in: [...ids] } }, { populate: ['document'] });
    // Scans uploaded (and digitised) before registration, by the caller's agency.
    const scans = await tx.em.find(Scan, { id: { $in: [...ids] }, agency: actor.agencyId });
    const out: DocumentFile[] = [];
    for (const id of ids) {
      const scan = scans.find((x) => x.id === id);
      const kind = firstIsMain && out.length === 0 ? 'MAIN' : 'ATTACHMENT';
      const link = { uploadedBy: tx.em.getReference(User, actor.userId), createdAt: this.now() };
      if (scan) {
        // Its page count is known once it has been inspected for digitisation.
        const [r] = await tx.em.execute<{ pages_total: number | null }[]>(`select pages_total from ocr_result where sha256 = ?`, [scan.sha256]);
        out.push(linkStoredFile(tx.em, doc, { ...scan, pageCount: r?.pages_total ?? null }, kind, link));
        continue;
      }
      const f = files.find((x) => x.id === id);
      if (!f || f.document.agency.id !== actor.agencyId || !accessGrant(viewerOf(actor), await accessInfoFor(tx.em, f.document))) {
        throw badInput('Không tìm thấy tệp đã tải lên.', 'fileIds');
      }
      out.push(linkStoredFile(tx.em, doc, f, kind, link));
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------------
  // Hủy vào sổ

  /**
   * Hủy vào sổ: the văn thư annuls a wrong registration (e.g. the same document registered twice). The
   * document becomes ANNULLED; its số đến stays in the register (the register export prints it "hủy: <lý do>"),
   * the reason is kept in returnReason; open assignments are closed (active = false, their returnReason notes
   * the annulment) and their handlers notified; the document leaves every inbox box. No status is sent back
   * to an electronic sender: the annulment corrects the register, it is not a refusal (use rejectIncoming).
   */
  async annulRegistration(scope: Scope, documentId: string, reason: string): Promise<Document> {
    const actor = scope.requireActor();
    const now = this.now();
    return this.run(scope, async (tx) => {
      const o = await this.open(scope, tx, documentId);
      const r = this.step(o, { type: 'ANNUL', reason }, this.ctx(actor, now, o.agency.timeZone));
      const ev = r.events.find((e) => e.type === 'ANNULLED');
      if (!ev || ev.type !== 'ANNULLED') throw conflict('Không thể hủy vào sổ văn bản này.');
      const byId = this.apply(tx, o, r.next, { now });
      const doc = o.doc;
      doc.returnReason = ev.reason;
      const note = `Văn bản đã bị hủy vào sổ: ${ev.reason}`.slice(0, MAX_PROGRESS_LENGTH);
      const handlers: (string | null)[] = [];
      for (const id of ev.closedAssignmentIds) {
        const a = byId.get(id)!;
        a.returnReason = note;
        handlers.push(a.user?.id ?? null);
        if (!a.user && a.unit) handlers.push(...(await this.unitHeads(tx.em, a.unit.id)));
      }
      this.notify(tx, actor, [...handlers, doc.submittedTo?.id, doc.annotatedBy?.id], 'DOCUMENT_ANNULLED', doc, `Văn bản ${doc.symbol ?? ''} (số đến ${doc.incomingNumber ?? ''}) đã bị hủy vào sổ: ${ev.reason}`, now);
      tx.audit({
        action: 'document.annul',
        targetType: 'document',
        targetId: doc.id,
        agencyId: o.agency.id,
        data: { reason: ev.reason, incomingNumber: doc.incomingNumber ?? null, registerKey: doc.registerKey ?? null, registerYear: doc.registerYear ?? null, closedAssignmentIds: ev.closedAssignmentIds },
      });
      await tx.em.flush();
      publishDocumentChange(tx, this.services, doc);
      return doc;
    });
  }

  // -------------------------------------------------------------------------------------------------
  // Từ chối tiếp nhận (edXML 02)

  async rejectIncoming(scope: Scope, documentId: string, reason: string): Promise<Document> {
    const actor = scope.requireActor();
    const now = this.now();
    return this.run(scope, async (tx) => {
      const o = await this.open(scope, tx, documentId);
      const r = this.step(o, { type: 'REJECT', reason }, this.ctx(actor, now, o.agency.timeZone));
      this.apply(tx, o, r.next, { now });
      const ev = r.events.find((e) => e.type === 'REJECTED');
      o.doc.returnReason = ev && ev.type === 'REJECTED' ? ev.reason : cleanText(reason);
      tx.audit({ action: 'document.reject', targetType: 'document', targetId: o.doc.id, agencyId: o.agency.id, data: { reason: o.doc.returnReason } });
      await tx.em.flush();
      await this.afterChange(tx, o.doc);
      return o.doc;
    });
  }

  // -------------------------------------------------------------------------------------------------
  // Trình

  async submitForAnnotation(scope: Scope, documentId: string, leaderId: string): Promise<Document> {
    const actor = scope.requireActor();
    const now = this.now();
    if (typeof leaderId !== 'string' || !isUuid(leaderId)) throw badInput('Lãnh đạo được trình không hợp lệ.', 'leaderId');
    return this.run(scope, async (tx) => {
      const o = await this.open(scope, tx, documentId);
      const leader = await tx.em.findOne(User, { id: leaderId, active: true }, { populate: ['agency', 'unit'] });
      const person: PersonRef = leader ? personOf(leader) : { userId: leaderId, agencyId: '', unitId: null, roles: [] };
      let r;
      try {
        r = this.step(o, { type: 'SUBMIT', leader: person }, this.ctx(actor, now, o.agency.timeZone));
      } catch (e) {
        throw renameField(e, 'leader', 'leaderId');
      }
      this.apply(tx, o, r.next, { now });
      o.doc.returnReason = null;
      if (isSecret(o.doc.secrecy as Secrecy)) await this.addMembers(tx, o.doc, [leaderId], 'READER', now);
      this.notify(tx, actor, [leaderId], 'DOCUMENT_SUBMITTED', o.doc, `Văn bản đến số ${o.doc.incomingNumber ?? ''} trình xin ý kiến: ${o.doc.subject}`, now);
      tx.audit({ action: 'document.submit', targetType: 'document', targetId: o.doc.id, agencyId: o.agency.id, data: { leaderId } });
      await tx.em.flush();
      await this.afterChange(tx, o.doc);
      return o.doc;
    });
  }

  // -------------------------------------------------------------------------------------------------
  // Bút phê

  /** Resolves one assignee of the form into the domain input: a person (with their unit) or a unit of the agency. */
  private async assigneeOf(em: EntityManager, agencyId: string, a: AssigneeRefInput, field: string): Promise<AssigneeInput> {
    const deadline = a.deadline ?? null;
    if (a.userId) {
      const users = await this.usersOfAgency(em, agencyId, [a.userId], `${field}.userId`, 'Cán bộ được giao');
      const u = users.get(a.userId)!;
      const unitId = u.unit?.id ?? null;
      if (a.unitId && a.unitId !== unitId) throw badInput('Cán bộ được giao không thuộc đơn vị đã chọn.', `${field}.unitId`);
      return { target: 'USER', userId: u.id, unitId, deadline };
    }
    if (a.unitId) {
      const unit = isUuid(a.unitId) ? await em.findOne(Unit, { id: a.unitId }) : null;
      if (!unit || unit.agency.id !== agencyId) throw badInput('Đơn vị được giao không thuộc cơ quan.', `${field}.unitId`);
      return { target: 'UNIT', unitId: unit.id, userId: null, deadline };
    }
    return { target: 'UNIT', unitId: null, userId: null, deadline };
  }

  async annotate(scope: Scope, documentId: string, input: AnnotateInput): Promise<Document> {
    const actor = scope.requireActor();
    const now = this.now();
    const seen = await loadVisibleDocument(scope, documentId);
    const expected = input.expectedVersion ?? seen.version;
    const watcherIds = [...new Set(input.watcherIds ?? [])];

    return this.run(scope, async (tx) => {
      const o = await this.open(scope, tx, documentId, expected);
      // Role and state first (FORBIDDEN / CONFLICT), then the form (BAD_USER_INPUT).
      const denied = guardIncoming(o.snapshot, 'ANNOTATE', actor);
      if (denied) throw toAppError(denied);
      const lead = input.lead ? await this.assigneeOf(tx.em, o.agency.id, input.lead, 'lead') : null;
      const coordinators: AssigneeInput[] = [];
      for (const [i, c] of (input.coordinators ?? []).entries()) coordinators.push(await this.assigneeOf(tx.em, o.agency.id, c, `coordinators[${i}]`));
      await this.usersOfAgency(tx.em, o.agency.id, watcherIds, 'watcherIds', 'Người theo dõi');
      const annotation: AnnotationInput = { instruction: input.instruction ?? null, forInfo: input.forInfo === true, lead, coordinators, watcherUserIds: watcherIds, agencies: input.agencies ?? [] };
      const r = this.step(o, { type: 'ANNOTATE', annotation }, this.ctx(actor, now, o.agency.timeZone));
      const ann = r.events.find((e) => e.type === 'ANNOTATED');
      const instruction = ann && ann.type === 'ANNOTATED' ? ann.instruction || null : null;
      this.apply(tx, o, r.next, { now, assignedBy: actor.userId, instruction });
      const doc = o.doc;
      doc.instruction = instruction;
      doc.annotatedAt = now;
      doc.returnReason = null;
      doc.completedAt = r.next.state === 'FOR_INFO' ? now : null;
      const created = r.events.flatMap((e) => (e.type === 'ASSIGNMENT_CREATED' ? [e.assignment] : []));
      doc.deadline = created.find((a) => a.role === 'LEAD')?.deadline ?? null;
      await this.addMembers(tx, doc, watcherIds, 'WATCHER', now);
      // giao cơ quan khác (issue 13): the document goes to the agencies named, through the exchange
      await this.services.exchangeBusiness.agencies.assign(tx, doc, input.agencies ?? [], actor, instruction, localDateOf(now, o.agency.timeZone));

      // Who must act: the person, or the heads of the unit.
      const recipients = new Map<string, DomainAssignment>();
      for (const a of created) {
        const ids = a.userId ? [a.userId] : a.unitId ? await this.unitHeads(tx.em, a.unitId) : [];
        for (const id of ids) if (!recipients.has(id) || a.role === 'LEAD') recipients.set(id, a);
      }
      if (isSecret(doc.secrecy as Secrecy)) await this.addMembers(tx, doc, [...recipients.keys(), ...watcherIds, actor.userId], 'READER', now);
      for (const [userId, a] of recipients) {
        const role = a.role === 'LEAD' ? 'chủ trì' : 'phối hợp';
        const due = a.deadline ? `, hạn ${fmtDate(a.deadline)}` : '';
        this.notify(tx, actor, [userId], 'DOCUMENT_ASSIGNED', doc, `Được giao ${role} xử lý văn bản ${doc.symbol ?? ''} (số đến ${doc.incomingNumber ?? ''})${due}: ${doc.subject}`, now);
      }
      this.notify(tx, actor, watcherIds, 'DOCUMENT_WATCH', doc, `Lãnh đạo đề nghị theo dõi văn bản ${doc.symbol ?? ''}: ${doc.subject}`, now);

      tx.audit({
        action: 'document.annotate',
        targetType: 'document',
        targetId: doc.id,
        agencyId: o.agency.id,
        data: {
          instruction,
          forInfo: annotation.forInfo,
          assignments: created.map((a) => ({ id: a.id, role: a.role, target: a.target, unitId: a.unitId, userId: a.userId, deadline: a.deadline })),
          superseded: r.events.flatMap((e) => (e.type === 'ASSIGNMENT_SUPERSEDED' ? [e.assignmentId] : [])),
          watcherIds,
        },
      });
      await enqueueSearchIndex(tx, doc.id); // the assigned units are a search filter
      await tx.em.flush();
      await this.afterChange(tx, doc);
      return doc;
    });
  }

  // -------------------------------------------------------------------------------------------------
  // Assignment actions

  /** The assignment and its document, if the caller may see the document (NOT_FOUND otherwise). */
  private async visibleAssignment(scope: Scope, assignmentId: string): Promise<{ assignment: Assignment; doc: Document }> {
    if (typeof assignmentId !== 'string' || !isUuid(assignmentId)) throw notFound('Phân công');
    const a = await scope.em.findOne(Assignment, { id: assignmentId });
    if (!a) throw notFound('Phân công');
    try {
      const doc = await loadVisibleDocument(scope, a.document.id);
      return { assignment: a, doc };
    } catch (e) {
      if (e instanceof AppError && e.code === 'NOT_FOUND') throw notFound('Phân công');
      throw e;
    }
  }

  /**
   * Giao xử lý trong đơn vị: the unit head hands a unit assignment to a person of the unit. The bút phê chain
   * is kept (issue 9): the leader's assignment keeps its instruction and deadline and becomes DELEGATED; the
   * person's assignment is a CHILD (parent = the leader's) with the unit head's own instruction and deadline
   * (not later than the leader's). Re-assigning a child replaces it by a new child of the same parent.
   */
  async reassign(scope: Scope, assignmentId: string, userId: string, opts: { deadline?: string | null; instruction?: string | null } = {}): Promise<Assignment> {
    const actor = scope.requireActor();
    const now = this.now();
    const { doc: seen } = await this.visibleAssignment(scope, assignmentId);
    if (typeof userId !== 'string' || !isUuid(userId)) throw badInput('Cán bộ được giao không hợp lệ.', 'userId');
    const instruction = opts.instruction != null ? cleanText(opts.instruction) || null : null;
    if (instruction && instruction.length > MAX_PROGRESS_LENGTH) throw badInput(`Ý kiến giao việc không được dài quá ${MAX_PROGRESS_LENGTH} ký tự.`, 'instruction');
    return this.run(scope, async (tx) => {
      const o = await this.open(scope, tx, seen.id);
      const target = await tx.em.findOne(User, { id: userId, active: true }, { populate: ['agency', 'unit'] });
      const to: PersonRef = target ? personOf(target) : { userId, agencyId: '', unitId: null, roles: [] };
      const ctx = this.ctx(actor, now, o.agency.timeZone);
      let r;
      try {
        // the domain checks who may re-assign and to whom; its snapshot (which overwrites) is not applied
        r = this.step(o, { type: 'REASSIGN', assignmentId, to, note: instruction ?? undefined }, ctx);
      } catch (e) {
        throw renameField(e, 'to', 'userId');
      }
      const links = o.assignments.map(chainLinkOf);
      const from = links.find((l) => l.id === assignmentId)!;
      const plan = planReassign(from, links, opts.deadline, localDateOf(now, o.agency.timeZone));
      if (!plan.ok) throw badInput(plan.message, plan.field);
      const original = o.snapshot.assignments.find((a) => a.id === assignmentId)!;
      const childId = newId();
      const patched = o.snapshot.assignments.map((a) => {
        const u = plan.updates.find((x) => x.id === a.id);
        return u ? { ...a, ...(u.state ? { state: u.state as DomainAssignment['state'] } : {}), ...(u.active !== undefined ? { active: u.active } : {}) } : a;
      });
      const child: DomainAssignment = {
        id: childId,
        role: original.role,
        // target UNIT with the designated person: a return by the person goes back to the unit head
        target: 'UNIT',
        unitId: original.unitId,
        userId,
        deadline: plan.deadline,
        state: 'PENDING',
        active: true,
      };
      const byId = this.apply(tx, o, { ...o.snapshot, assignments: [...patched, child] }, { now, assignedBy: actor.userId, instruction });
      const a = byId.get(childId)!;
      a.parent = byId.get(plan.parentId)!;
      if (isSecret(o.doc.secrecy as Secrecy)) await this.addMembers(tx, o.doc, [userId], 'READER', now);
      const due = a.deadline ? `, hạn ${fmtDate(a.deadline)}` : '';
      this.notify(tx, actor, [userId], 'DOCUMENT_ASSIGNED', o.doc, `Được giao xử lý văn bản ${o.doc.symbol ?? ''} (số đến ${o.doc.incomingNumber ?? ''})${due}: ${o.doc.subject}`, now);
      const ev = r.events.find((e) => e.type === 'REASSIGNED');
      tx.audit({
        action: 'document.reassign',
        targetType: 'document',
        targetId: o.doc.id,
        agencyId: o.agency.id,
        data: {
          assignmentId,
          childAssignmentId: childId,
          parentAssignmentId: plan.parentId,
          fromUserId: ev && ev.type === 'REASSIGNED' ? ev.fromUserId : null,
          toUserId: userId,
          deadline: a.deadline ?? null,
          instruction,
        },
      });
      await tx.em.flush();
      await this.afterChange(tx, o.doc);
      return a;
    });
  }

  /** Tiến độ: a progress note, optionally with a draft reply file (REPLY_DRAFT). */
  async addProgress(scope: Scope, assignmentId: string, text: string, file?: File | null): Promise<Assignment> {
    const actor = scope.requireActor();
    const now = this.now();
    const { doc: seen } = await this.visibleAssignment(scope, assignmentId);
    const note = cleanText(text ?? '');
    if (!note) throw badInput('Nội dung tiến độ không được để trống.', 'text');
    if (note.length > MAX_PROGRESS_LENGTH) throw badInput(`Nội dung tiến độ không được dài quá ${MAX_PROGRESS_LENGTH} ký tự.`, 'text');
    // A secret document carries no file on the system (domain/secrecy.ts): refused before storing.
    const secretFiles = secretFileProblem({ secrecy: seen.secrecy as Secrecy, uploads: file ? 1 : 0, uploadField: 'file' });
    if (secretFiles) throw badInput(secretFiles.reason, secretFiles.field);
    const uploads: StoredUploads = await storeUploads(this.services, file ? [file] : [], { maxBytes: this.services.config.maxUploadBytes, field: 'file', maxFiles: 1 });
    return await this.run(scope, async (tx) => {
      const o = await this.open(scope, tx, seen.id);
      const ctx = this.ctx(actor, now, o.agency.timeZone);
      let r;
      try {
        r = this.step(o, { type: 'ADD_PROGRESS', assignmentId, note }, ctx);
      } catch (e) {
        throw renameField(e, 'note', 'text');
      }
      const a = this.apply(tx, o, r.next, { now }).get(assignmentId)!;
      const progress = tx.em.create(ProgressNote, { assignment: a, author: tx.em.getReference(User, actor.userId), text: note, createdAt: now });
      let fileId: string | null = null;
      if (uploads.stored.length) {
        const version = (await tx.em.count(DocumentFile, { document: o.doc.id, kind: 'REPLY_DRAFT' })) + 1;
        const [f] = attachFiles(tx, o.doc, uploads.stored, 'REPLY_DRAFT', actor.userId, version);
        o.snapshot = r.next;
        const r2 = this.step(o, { type: 'ATTACH_DRAFT', assignmentId, fileId: f.id }, ctx);
        this.apply(tx, o, r2.next, { now });
        a.draftFile = f;
        progress.file = f;
        fileId = f.id;
      }
      tx.audit({ action: 'document.progress', targetType: 'document', targetId: o.doc.id, agencyId: o.agency.id, data: { assignmentId, text: note, fileId } });
      await tx.em.flush();
      await this.afterChange(tx, o.doc);
      return a;
    });
  }

  /** Hoàn thành: the lead's completion completes the document. */
  async completeAssignment(scope: Scope, assignmentId: string, noteText?: string | null): Promise<Assignment> {
    const actor = scope.requireActor();
    const now = this.now();
    const { doc: seen } = await this.visibleAssignment(scope, assignmentId);
    const note = noteText != null ? cleanText(noteText) || null : null;
    if (note && note.length > MAX_PROGRESS_LENGTH) throw badInput(`Ghi chú không được dài quá ${MAX_PROGRESS_LENGTH} ký tự.`, 'note');
    return this.run(scope, async (tx) => {
      const o = await this.open(scope, tx, seen.id);
      const r = this.step(o, { type: 'COMPLETE', assignmentId, note: note ?? undefined }, this.ctx(actor, now, o.agency.timeZone));
      const byId = this.apply(tx, o, r.next, { now });
      const a = byId.get(assignmentId)!;
      if (note) tx.em.create(ProgressNote, { assignment: a, author: tx.em.getReference(User, actor.userId), text: note, createdAt: now });
      const ev = r.events.find((e) => e.type === 'COMPLETED');
      const lead = !!ev && ev.type === 'COMPLETED' && ev.lead;
      // The chain: delegated ancestors are done with their child; completing the document closes the open
      // phối hợp assignments with a recorded reason (never left "chưa xử lý" without a word).
      const chain = completionUpdates(assignmentId, lead, o.assignments.map(chainLinkOf));
      for (const id of chain.done) {
        const p = byId.get(id)!;
        p.state = 'DONE';
        p.completedAt = now;
      }
      for (const id of chain.closed) {
        const c = byId.get(id)!;
        c.state = CLOSED;
        c.completedAt = now;
        tx.em.create(ProgressNote, { assignment: c, author: tx.em.getReference(User, actor.userId), text: `Đóng phân công: ${CLOSED_ON_COMPLETION_REASON}.`, createdAt: now });
      }
      if (lead) {
        o.doc.completedAt = now;
        this.notify(tx, actor, [o.doc.annotatedBy?.id], 'DOCUMENT_COMPLETED', o.doc, `Đã hoàn thành xử lý văn bản ${o.doc.symbol ?? ''} (số đến ${o.doc.incomingNumber ?? ''}): ${o.doc.subject}`, now);
      }
      tx.audit({ action: 'document.complete', targetType: 'document', targetId: o.doc.id, agencyId: o.agency.id, data: { assignmentId, lead, note, doneAssignmentIds: chain.done, closedAssignmentIds: chain.closed, closedReason: chain.closed.length ? CLOSED_ON_COMPLETION_REASON : null } });
      await tx.em.flush();
      await this.afterChange(tx, o.doc);
      return a;
    });
  }

  /** Trả lại: an assignment (to the leader / the unit head), or the document (leader → văn thư). */
  async returnDocument(scope: Scope, documentId: string, assignmentId: string | null | undefined, reason: string): Promise<Document> {
    const actor = scope.requireActor();
    const now = this.now();
    if (assignmentId != null && (typeof assignmentId !== 'string' || !isUuid(assignmentId))) throw notFound('Phân công');
    return this.run(scope, async (tx) => {
      const o = await this.open(scope, tx, documentId);
      if (assignmentId != null && !o.assignments.some((a) => a.id === assignmentId)) throw notFound('Phân công');
      const r = this.step(o, { type: 'RETURN', reason, assignmentId: assignmentId ?? undefined }, this.ctx(actor, now, o.agency.timeZone));
      const byId = this.apply(tx, o, r.next, { now });
      const ev = r.events.find((e) => e.type === 'RETURNED');
      if (!ev || ev.type !== 'RETURNED') throw conflict('Không thể trả lại văn bản.');
      const doc = o.doc;
      if (ev.assignmentId) byId.get(ev.assignmentId)!.returnReason = ev.reason;
      if (ev.to.kind !== 'UNIT_HEAD' && (ev.assignmentId === null || doc.state === 'RETURNED')) doc.returnReason = ev.reason;
      let to: string[] = [];
      if (ev.to.kind === 'VAN_THU') {
        const vanThu = await tx.em.find(User, { agency: o.agency.id, active: true, roles: { $contains: ['VAN_THU'] } });
        const registrar = doc.createdBy?.id;
        to = registrar && vanThu.some((u) => u.id === registrar) ? [registrar] : vanThu.map((u) => u.id);
        if (isSecret(doc.secrecy as Secrecy)) {
          const readers = (await accessInfoFor(tx.em, doc)).namedReaderIds;
          to = to.filter((id) => readers.includes(id));
        }
      } else if (ev.to.kind === 'LEADER') {
        to = ev.to.userId ? [ev.to.userId] : [];
      } else if (ev.to.unitId) {
        to = await this.unitHeads(tx.em, ev.to.unitId);
      }
      this.notify(tx, actor, to, 'DOCUMENT_RETURNED', doc, `Văn bản ${doc.symbol ?? ''} (số đến ${doc.incomingNumber ?? ''}) bị trả lại: ${ev.reason}`, now);
      tx.audit({ action: 'document.return', targetType: 'document', targetId: doc.id, agencyId: o.agency.id, data: { reason: ev.reason, to: ev.to, assignmentId: ev.assignmentId } });
      await tx.em.flush();
      await this.afterChange(tx, doc);
      return doc;
    });
  }

  /** Theo dõi / bỏ theo dõi (any person who may see the document). */
  async watch(scope: Scope, documentId: string, on: boolean): Promise<Document> {
    const actor = scope.requireActor();
    const now = this.now();
    return this.run(scope, async (tx) => {
      const doc = await loadVisibleDocument(scope, documentId, tx.em);
      const existing = await tx.em.findOne(DocumentMember, { document: doc.id, user: actor.userId, kind: 'WATCHER' });
      if (on && !existing) tx.em.create(DocumentMember, { document: doc, user: tx.em.getReference(User, actor.userId), kind: 'WATCHER', createdAt: now });
      if (!on && existing) tx.em.remove(existing);
      if (on !== !!existing) {
        tx.audit({ action: on ? 'document.watch' : 'document.unwatch', targetType: 'document', targetId: doc.id, agencyId: doc.agency.id });
        publishDocumentChange(tx, this.services, doc);
      }
      await tx.em.flush();
      return doc;
    });
  }
}

/** What an electronic arrival already carries (the form may leave these empty). */
function prefillOf(doc: Document): Partial<RegistrationFields> {
  return {
    issuerName: doc.issuerName ?? undefined,
    symbol: doc.symbol ?? null,
    issuedDate: doc.issuedDate ?? null,
    typeCode: doc.typeCode ?? null,
    typeName: doc.typeName || undefined,
    subject: doc.subject || undefined,
    signerName: doc.signerName ?? null,
    signerTitle: doc.signerTitle ?? null,
    urgency: doc.urgency as RegistrationFields['urgency'],
    secrecy: doc.secrecy as RegistrationFields['secrecy'],
    pageCount: doc.pageCount ?? null,
  };
}

function applyFields(doc: Document, f: RegistrationFields): void {
  doc.issuerName = f.issuerName;
  doc.symbol = f.symbol;
  doc.number = f.number;
  doc.issuedDate = f.issuedDate;
  doc.typeCode = f.typeCode;
  doc.typeName = f.typeName;
  doc.subject = f.subject;
  doc.signerName = f.signerName;
  doc.signerTitle = f.signerTitle;
  doc.urgency = f.urgency;
  doc.secrecy = f.secrecy;
  doc.pageCount = f.pageCount;
}
