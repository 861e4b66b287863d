/**
 * Văn bản đi (outgoing documents): dự thảo → trình duyệt (approval chain) → ký → phát hành, NĐ 30 Điều 10–18.
 *
 * Every rule of who may do what, when, lives in domain/outgoing-workflow.ts (`transitionOutgoing`); this
 * service loads the document (NOT_FOUND when the caller may not see it), locks its row, applies the domain
 * transition, and writes the consequences in ONE transaction with an audit event:
 * - approval steps: comments (DocumentComment), notifications of the next step's owners, who is named
 *   as a reader (so an approving trưởng phòng — or anyone on a secret document — can open it);
 * - sign (the signer): the signing authority line fixed (TM./KT./Q./TL./TUQ.; TL./TUQ. need a recorded
 *   delegation) and the signer's PAdES signature on the draft PDF (issuing/issuing.service.ts signPersonal);
 * - issue (văn thư): two-phase (issuing/issuing.service.ts): the number reserved from the agency's sequence
 *   (no gap, no duplicate), number and date written on the page, the agency signature, then commit and
 *   delivery to the recipient agencies of the deployment (delivery.ts) — the recipients get the signed,
 *   numbered PDF, which is the bản gốc;
 * - return for correction (văn thư): a signed document with a thể thức error goes back to the drafter.
 */
import { OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Services } from '../../services';
import { badInput, conflict, forbidden } from '../../shared/errors';
import { isUuid } from '../../shared/ids';
import type { Scope, Tx } from '../../shared/scope';
import { Agency } from '../identity/entities/agency.entity';
import { Unit } from '../identity/entities/unit.entity';
import { User } from '../identity/entities/user.entity';
import type { Role } from '../identity/roles';
import {
  SECRECIES,
  URGENCIES,
  allowedOutgoingActions,
  cleanText,
  findTypeByCode,
  findTypeByName,
  guardOutgoing,
  isSecret,
  newOutgoingDraft,
  toAppError,
  transitionOutgoing,
  unwrap,
  type ApprovalStep,
  type DocumentType,
  type OutgoingAction,
  type OutgoingDoc,
  type OutgoingEvent,
  type Secrecy,
} from './domain';
import { canBeSigner, canDraftOutgoing } from './domain/creation-policy';
import { isVanThuOf } from './domain/actors';
import { loadVisibleDocument } from './documents.policy';
import { assertNotArchived } from './archive-guard';
import { Document } from './entities/document.entity';
import { DocumentFile } from './entities/document-file.entity';
import { DocumentComment, DocumentMember, Notification, Recipient } from './entities/misc.entities';
import { attachFiles, storeUploads, type StoredUploads } from './files';
import { publishDocumentChange } from './realtime';
import { normalizeCirculation, secretFileProblem, type CirculationMarking } from './domain/secrecy';
import type { DocumentSettingsService } from './settings.service';
import type { SigningAuthority } from './issuing/authority';
import { contextOf, domainActor, lockOutgoingDoc, outgoingSnapshot } from './issuing/common';
import { IssuingService } from './issuing/issuing.service';

export { outgoingSnapshot, takeNumber } from './issuing/common';

export interface CreateDraftInput {
  typeCode?: string | null;
  typeName?: string | null;
  subject: string;
  urgency?: string | null;
  secrecy?: string | null;
  /** Recipient agencies of this deployment (delivered at issue). */
  recipientAgencyIds?: readonly string[] | null;
  /** Recipient agencies of peer deployments by mã định danh (exchange directory; sent through the exchange). */
  recipientAgencyCodes?: readonly string[] | null;
  /** External bodies, recorded by name. */
  externalRecipients?: readonly string[] | null;
  /** Người ký (a LANH_DAO of the agency); none = any leader may sign. */
  signerId?: string | null;
  /** The incoming document this answers. */
  replyToId?: string | null;
  copies?: number | null;
  /** Draft files: version 1. Refused for a secret draft (domain/secrecy.ts: metadata only). */
  files?: readonly File[] | null;
  /** Chỉ dẫn phạm vi lưu hành (domain/secrecy.ts CIRCULATION_MARKINGS). */
  circulation?: readonly string[] | null;
  /** Thẩm quyền ký (TM., KT., Q., TL., TUQ., or signed directly); none = the default at signing. */
  signingAuthority?: SigningAuthority | null;
  /** Văn bản quy phạm pháp luật: numbered per type and year (05/2026/QĐ-UBND). */
  legalNormative?: boolean | null;
}

export type UpdateDraftInput = Omit<Partial<CreateDraftInput>, 'replyToId' | 'subject'> & { subject?: string | null };

/** Roles that may write drafts. */
const MAX_SUBJECT = 2000;
const MAX_RECIPIENTS = 200;
const MAX_EXTERNAL_NAME = 300;
const MAX_IDEMPOTENCY_KEY = 100;

/** Action names the UI gets in Document.allowedActions for an outgoing document (one per mutation). */
export type OutgoingUiAction = 'UPDATE_DRAFT' | 'SUBMIT' | 'APPROVE' | 'REJECT' | 'COMMENT' | 'SIGN' | 'ISSUE' | 'RETURN_FOR_CORRECTION' | 'MAKE_COPY';

// ---------------------------------------------------------------------------------------------------
// Snapshots

/**
 * What the caller may do now with an outgoing document (for Document.allowedActions): UPDATE_DRAFT,
 * SUBMIT, APPROVE, REJECT, COMMENT, SIGN, ISSUE. Empty for incoming documents and anonymous callers.
 */
export function allowedOutgoingActionsFor(scope: Scope, doc: Document): OutgoingUiAction[] {
  if (!scope.actor || doc.direction !== 'OUTGOING') return [];
  const out: OutgoingUiAction[] = [];
  for (const t of allowedOutgoingActions(outgoingSnapshot(doc), domainActor(scope.actor))) {
    if (t === 'ADD_VERSION') out.push('UPDATE_DRAFT');
    else if (t !== 'WITHDRAW') out.push(t);
  }
  // Bản sao of an issued (non-secret) document: the văn thư (issuing.service makeCopy enforces the same).
  if (doc.state === 'ISSUED' && !isSecret((doc.secrecy ?? 'THUONG') as Secrecy) && isVanThuOf(domainActor(scope.actor), doc.agency.id)) out.push('MAKE_COPY');
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Small helpers

function mapDbError(e: unknown): unknown {
  if (e instanceof OptimisticLockError) return conflict('Văn bản vừa được người khác cập nhật. Vui lòng tải lại và thử lại.');
  if (e instanceof UniqueConstraintViolationException) {
    const msg = String((e as Error).message);
    if (msg.includes('document_idempotency_unique')) return conflict('Mã yêu cầu đã được dùng cho một văn bản khác.', { field: 'idempotencyKey' });
    if (msg.includes('document_outgoing_number_unique')) return conflict('Số văn bản đã được cấp cho văn bản khác. Vui lòng thử lại.');
    return conflict('Dữ liệu bị trùng với một bản ghi đã có.');
  }
  return e;
}

function text(v: string | null | undefined): string {
  return cleanText(v ?? '');
}

/** An optional free-text comment (trình, ký): NFC, at most 2000 characters. */
function optionalComment(v: string | null | undefined): string {
  const c = text(v);
  if (c.length > 2000) throw badInput('Ý kiến không được dài quá 2000 ký tự.', 'comment');
  return c;
}

function parseUrgency(v: string | null | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (!(URGENCIES as readonly string[]).includes(v)) throw badInput('Mức độ khẩn không hợp lệ.', 'urgency');
  return v;
}

function parseSecrecy(v: string | null | undefined): Secrecy | undefined {
  if (v === undefined || v === null) return undefined;
  if (!(SECRECIES as readonly string[]).includes(v)) throw badInput('Độ mật không hợp lệ.', 'secrecy');
  return v as Secrecy;
}

function parseCirculation(v: readonly string[] | null | undefined): CirculationMarking[] | undefined {
  if (v === undefined || v === null) return undefined;
  const r = normalizeCirculation(v);
  if (!r.ok) throw badInput(r.reason, r.field);
  return r.value;
}

function parseSubject(v: string | null | undefined): string {
  const s = text(v);
  if (!s) throw badInput('Trích yếu nội dung không được để trống.', 'subject');
  if (s.length > MAX_SUBJECT) throw badInput(`Trích yếu không được dài quá ${MAX_SUBJECT} ký tự.`, 'subject');
  return s;
}

function parseCopies(v: number | null | undefined): number | null | undefined {
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (!Number.isInteger(v) || v < 1 || v > 100_000) throw badInput('Số lượng bản phải là số nguyên dương.', 'copies');
  return v;
}

/** Type by code (exact first) or by name, among the agency's active types. */
export function resolveDocumentType(types: readonly DocumentType[], code: string | null | undefined, name: string | null | undefined): DocumentType {
  const c = text(code);
  const n = text(name);
  if (!c && !n) throw badInput('Chưa chọn loại văn bản.', 'typeCode');
  const active = types.filter((t) => t.active);
  const byCode = c ? findTypeByCode(c, active) : undefined;
  if (c && !byCode) throw badInput(`Loại văn bản có chữ viết tắt "${c}" không có trong danh mục của cơ quan.`, 'typeCode');
  const byName = n ? findTypeByName(n, active) : undefined;
  if (n && !byName) throw badInput(`Loại văn bản "${n}" không có trong danh mục của cơ quan.`, 'typeName');
  if (byCode && byName && byCode.key !== byName.key) throw badInput(`Chữ viết tắt "${c}" không phải của loại "${n}".`, 'typeCode');
  return (byCode ?? byName)!;
}

function parseExternal(names: readonly string[] | null | undefined): string[] | undefined {
  if (names === undefined || names === null) return undefined;
  const out: string[] = [];
  for (const raw of names) {
    const n = text(raw);
    if (!n) continue;
    if (n.length > MAX_EXTERNAL_NAME) throw badInput(`Tên nơi nhận không được dài quá ${MAX_EXTERNAL_NAME} ký tự.`, 'externalRecipients');
    if (!out.includes(n)) out.push(n);
  }
  if (out.length > MAX_RECIPIENTS) throw badInput(`Tối đa ${MAX_RECIPIENTS} nơi nhận.`, 'externalRecipients');
  return out;
}

// ---------------------------------------------------------------------------------------------------

type Deps = Pick<Services, 'storage' | 'orm' | 'config' | 'pubsub' | 'clock'> & Partial<Pick<Services, 'peers'>>;

export class OutgoingService {
  /** The issuing flow: signer's signature, two-phase issue, copies, paper registration, delegations. */
  readonly issuing: IssuingService;

  constructor(
    private readonly deps: Deps,
    private readonly settings: DocumentSettingsService,
  ) {
    this.issuing = new IssuingService(deps, settings);
  }

  // ── drafting ──────────────────────────────────────────────────────────────────────────────────

  /** Dự thảo: a new outgoing draft of the caller's agency, with its draft files as version 1. */
  async createDraft(scope: Scope, input: CreateDraftInput): Promise<Document> {
    const actor = scope.requireActor();
    if (!canDraftOutgoing(actor)) throw forbidden('Chỉ chuyên viên, trưởng phòng hoặc lãnh đạo mới được soạn dự thảo văn bản đi.');
    const subject = parseSubject(input.subject);
    const urgency = parseUrgency(input.urgency) ?? 'THUONG';
    const secrecy = parseSecrecy(input.secrecy) ?? 'THUONG';
    const copies = parseCopies(input.copies) ?? null;
    const external = parseExternal(input.externalRecipients) ?? [];
    const em = scope.em;
    const agency = await em.findOneOrFail(Agency, { id: actor.agencyId });
    const settings = await this.settings.get(em, actor.agencyId);
    const type = resolveDocumentType(settings.documentTypes, input.typeCode, input.typeName);
    const recipientAgencies = await this.loadRecipientAgencies(em, actor.agencyId, input.recipientAgencyIds ?? []);
    const peerRecipients = await this.loadPeerRecipients(em, input.recipientAgencyCodes);
    const signer = input.signerId ? await this.loadSigner(em, actor.agencyId, input.signerId) : null;
    let replyTo: Document | null = null;
    if (input.replyToId) {
      replyTo = await loadVisibleDocument(scope, input.replyToId);
      if (replyTo.direction !== 'INCOMING' || replyTo.agency.id !== actor.agencyId) throw badInput('Chỉ trả lời được văn bản đến của cơ quan mình.', 'replyToId');
    }
    const now = this.deps.clock.now();
    const draft = unwrap(newOutgoingDraft(contextOf(actor, agency, now), { chain: settings.approvalChain, signerUserId: signer?.id ?? null })).next;
    const circulation = parseCirculation(input.circulation) ?? [];
    // Văn bản mật: no file on the system (domain/secrecy.ts) — refused before anything is stored.
    const secretFiles = secretFileProblem({ secrecy, uploads: (input.files ?? []).filter(Boolean).length });
    if (secretFiles) throw badInput(secretFiles.reason, secretFiles.field);

    const up = await storeUploads(this.deps, input.files, { maxBytes: this.deps.config.maxUploadBytes });
    return await this.run(scope, async (tx) => {
      const doc = tx.em.create(Document, {
        agency,
        direction: 'OUTGOING',
        state: draft.state,
        typeCode: type.code,
        typeName: type.name,
        subject,
        urgency,
        secrecy,
        copies,
        drafter: tx.em.getReference(User, actor.userId),
        drafterUnit: actor.unitId ? tx.em.getReference(Unit, actor.unitId) : null,
        signer,
        approvalChain: [...draft.chain],
        approvalStep: null,
        replyTo,
        externalRecipients: external,
        circulation: circulation.length ? circulation : null,
        createdBy: tx.em.getReference(User, actor.userId),
        createdAt: now,
        updatedAt: now,
      });
      this.replaceRecipients(tx.em, doc, recipientAgencies, external, peerRecipients);
      const files = attachFiles(tx, doc, up.stored, 'DRAFT', actor.userId, 1);
      if (files[0]?.pageCount) doc.pageCount = files[0].pageCount;
      if (isSecret(secrecy)) await this.nameReaders(tx.em, doc, [actor.userId]);
      const issuingOptions = await this.issuing.setDraftOptions(tx, doc, { signingAuthority: input.signingAuthority, legalNormative: input.legalNormative });
      tx.audit({
        action: 'document.draft_create',
        targetType: 'document',
        targetId: doc.id,
        agencyId: actor.agencyId,
        data: {
          typeCode: type.code,
          typeName: type.name,
          urgency,
          secrecy,
          circulation,
          recipientAgencyIds: recipientAgencies.map((a) => a.id),
          ...(peerRecipients.length ? { recipientAgencyCodes: peerRecipients.map((r) => r.code) } : {}),
          externalRecipients: external,
          signerId: signer?.id ?? null,
          replyToId: replyTo?.id ?? null,
          files: files.map((f) => ({ id: f.id, fileName: f.fileName, sha256: f.sha256 })),
          ...issuingOptions,
        },
      });
      publishDocumentChange(tx, this.deps, doc);
      return doc;
    });
  }

  /**
   * Sửa dự thảo. Metadata (type, subject, markings, recipients, signer, copies): only the drafter, while the
   * draft is DRAFT or RETURNED_TO_DRAFTER. New files: a new draft version (the drafter then, or the current
   * approver while it is in approval — domain ADD_VERSION).
   */
  async updateDraft(scope: Scope, documentId: string, input: UpdateDraftInput): Promise<Document> {
    const actor = scope.requireActor();
    const hasFiles = !!input.files?.length;
    const meta = {
      type: (input.typeCode ?? null) !== null || (input.typeName ?? null) !== null,
      subject: input.subject !== undefined && input.subject !== null,
      urgency: parseUrgency(input.urgency),
      secrecy: parseSecrecy(input.secrecy),
      circulation: parseCirculation(input.circulation),
      copies: parseCopies(input.copies),
      external: parseExternal(input.externalRecipients),
      recipients: input.recipientAgencyIds !== undefined && input.recipientAgencyIds !== null,
      peerRecipients: input.recipientAgencyCodes !== undefined && input.recipientAgencyCodes !== null,
      signer: input.signerId !== undefined,
      issuing: input.signingAuthority !== undefined || (input.legalNormative !== undefined && input.legalNormative !== null),
    };
    const subject = meta.subject ? parseSubject(input.subject) : undefined;
    const metaChanged =
      meta.type ||
      meta.subject ||
      meta.urgency !== undefined ||
      meta.secrecy !== undefined ||
      meta.circulation !== undefined ||
      meta.copies !== undefined ||
      meta.external !== undefined ||
      meta.recipients ||
      meta.peerRecipients ||
      meta.signer ||
      meta.issuing;
    if (!metaChanged && !hasFiles) throw badInput('Không có thông tin nào để cập nhật.');
    const seen = await this.loadOutgoingVisible(scope, documentId);
    // Văn bản mật: no file on the system (domain/secrecy.ts) — refused before anything is stored.
    const secretProblem = async (current: Document, em: EntityManager) => {
      const secrecyAfter = meta.secrecy ?? (current.secrecy as Secrecy);
      const becomesSecret = isSecret(secrecyAfter) && !isSecret(current.secrecy as Secrecy);
      return secretFileProblem({
        secrecy: secrecyAfter,
        uploads: hasFiles ? input.files!.length : 0,
        existingFiles: becomesSecret ? await em.count(DocumentFile, { document: current.id }) : 0,
      });
    };
    const early = await secretProblem(seen, scope.em);
    if (early) throw badInput(early.reason, early.field);

    const up: StoredUploads | null = hasFiles ? await storeUploads(this.deps, input.files, { maxBytes: this.deps.config.maxUploadBytes }) : null;
    return await this.run(scope, async (tx) => {
      const doc = await this.lockOutgoing(scope, tx, documentId);
      const ctx = contextOf(actor, doc.agency, this.deps.clock.now());
      const snap = outgoingSnapshot(doc);
      const late = await secretProblem(doc, tx.em); // the locked row (another request may have changed it)
      if (late) throw badInput(late.reason, late.field);
      if (metaChanged) {
        const denied = guardOutgoing(snap, 'SUBMIT', ctx); // drafter, in DRAFT / RETURNED_TO_DRAFTER
        if (denied) {
          throw denied.code === 'CONFLICT'
            ? conflict('Chỉ sửa được thông tin dự thảo khi dự thảo chưa trình hoặc đã bị trả lại.')
            : forbidden('Chỉ người soạn thảo mới được sửa thông tin dự thảo.');
        }
      }
      if (hasFiles) {
        const denied = guardOutgoing(snap, 'ADD_VERSION', ctx);
        if (denied) throw toAppError(denied);
      }
      const changes: Record<string, unknown> = {};
      if (meta.type) {
        const settings = await this.settings.get(tx.em, doc.agency.id);
        const type = resolveDocumentType(settings.documentTypes, input.typeCode, input.typeName);
        doc.typeCode = type.code;
        doc.typeName = type.name;
        changes.typeCode = type.code;
        changes.typeName = type.name;
      }
      if (subject !== undefined) doc.subject = changes.subject = subject;
      if (meta.urgency !== undefined) doc.urgency = changes.urgency = meta.urgency;
      if (meta.secrecy !== undefined) {
        doc.secrecy = changes.secrecy = meta.secrecy;
        if (isSecret(meta.secrecy) && doc.drafter) await this.nameReaders(tx.em, doc, [doc.drafter.id]);
      }
      if (meta.circulation !== undefined) {
        doc.circulation = meta.circulation.length ? meta.circulation : null;
        changes.circulation = meta.circulation;
      }
      if (meta.copies !== undefined) doc.copies = changes.copies = meta.copies;
      if (meta.signer) {
        const signer = input.signerId ? await this.loadSigner(tx.em, doc.agency.id, input.signerId) : null;
        doc.signer = signer;
        changes.signerId = signer?.id ?? null;
      }
      if (meta.recipients || meta.peerRecipients || meta.external !== undefined) {
        const current = await tx.em.find(Recipient, { document: doc.id }, { populate: ['agency'] });
        const agencies = meta.recipients
          ? await this.loadRecipientAgencies(tx.em, doc.agency.id, input.recipientAgencyIds ?? [])
          : current.filter((r) => r.agency).map((r) => r.agency!);
        const peerRecipients = meta.peerRecipients
          ? await this.loadPeerRecipients(tx.em, input.recipientAgencyCodes)
          : current.filter((r) => !r.agency && r.agencyCode).map((r) => ({ code: r.agencyCode!, name: r.name }));
        if (meta.peerRecipients) changes.recipientAgencyCodes = peerRecipients.map((r) => r.code);
        const external = meta.external ?? doc.externalRecipients ?? [];
        for (const r of current) tx.em.remove(r);
        this.replaceRecipients(tx.em, doc, agencies, external, peerRecipients);
        doc.externalRecipients = external;
        changes.recipientAgencyIds = agencies.map((a) => a.id);
        changes.externalRecipients = external;
      }
      if (meta.issuing) Object.assign(changes, await this.issuing.setDraftOptions(tx, doc, { signingAuthority: input.signingAuthority, legalNormative: input.legalNormative }));
      if (up) {
        const last = await tx.em.find(DocumentFile, { document: doc.id, kind: 'DRAFT' }, { orderBy: { version: 'desc' }, limit: 1 });
        const version = (last[0]?.version ?? 0) + 1;
        const files = attachFiles(tx, doc, up.stored, 'DRAFT', actor.userId, version);
        for (const f of files) unwrap(transitionOutgoing(snap, { type: 'ADD_VERSION', fileId: f.id }, ctx));
        if (files[0]?.pageCount) doc.pageCount = files[0].pageCount;
        changes.version = version;
        changes.files = files.map((f) => ({ id: f.id, fileName: f.fileName, sha256: f.sha256 }));
      }
      tx.audit({ action: 'document.draft_update', targetType: 'document', targetId: doc.id, agencyId: doc.agency.id, data: changes });
      publishDocumentChange(tx, this.deps, doc);
      return doc;
    });
  }

  // ── approval chain ────────────────────────────────────────────────────────────────────────────

  /** Trình duyệt: into the agency's approval chain (leading steps the drafter owns are skipped). */
  async submitForApproval(scope: Scope, documentId: string, comment?: string | null): Promise<Document> {
    return this.transition(scope, documentId, { type: 'SUBMIT' }, 'document.submit', async (tx, doc) => {
      doc.returnReason = null;
      const c = optionalComment(comment);
      if (c) this.addComment(tx.em, doc, scope.requireActor().userId, 'COMMENT', c);
      return c ? { comment: c } : {};
    });
  }

  /** Duyệt: the owner of the current step approves; the last approval makes it wait for the signature. */
  async approve(scope: Scope, documentId: string, comment?: string | null): Promise<Document> {
    return this.transition(scope, documentId, { type: 'APPROVE', comment: comment ?? undefined }, 'document.approve', async (tx, doc, events) => {
      const ev = events.find((e) => e.type === 'STEP_APPROVED');
      const c = ev && ev.type === 'STEP_APPROVED' ? ev.comment : null;
      this.addComment(tx.em, doc, scope.requireActor().userId, 'APPROVE', c ?? '');
      return { step: ev && ev.type === 'STEP_APPROVED' ? ev.step : null, comment: c };
    });
  }

  /** Trả lại: the current approver (or the signer) returns the draft to the drafter, with the reason. */
  async reject(scope: Scope, documentId: string, reason: string): Promise<Document> {
    return this.transition(scope, documentId, { type: 'REJECT', reason }, 'document.reject', async (tx, doc, events) => {
      const ev = events.find((e) => e.type === 'REJECTED');
      const r = ev && ev.type === 'REJECTED' ? ev.reason : text(reason);
      doc.returnReason = r;
      this.addComment(tx.em, doc, scope.requireActor().userId, 'REJECT', r);
      if (doc.drafter) this.notify(tx.em, [doc.drafter.id], 'DRAFT_RETURNED', doc, `Dự thảo "${doc.subject}" bị trả lại: ${r}`);
      return { step: ev && ev.type === 'REJECTED' ? ev.step : null, reason: r };
    });
  }

  /**
   * Ký: the chosen signer (or, none chosen, any leader) signs: the signing authority is fixed (TL./TUQ. need a
   * delegation) and the signer's digital signature is applied to the draft PDF — with the server-held key, or
   * by taking the signed PDF of a completed external signing session (USB token: `signingSessionId`).
   */
  async sign(scope: Scope, documentId: string, comment?: string | null, signingSessionId?: string | null): Promise<Document> {
    const c = optionalComment(comment);
    // The signature itself is made (and stored) before the transaction: see IssuingService.preparePersonal.
    const prepared = signingSessionId ? null : await this.issuing.preparePersonal(scope, documentId, this.deps.clock.now());
    return this.transition(scope, documentId, { type: 'SIGN' }, 'document.sign', async (tx, doc) => {
      const actor = scope.requireActor();
      const user = await tx.em.findOneOrFail(User, { id: actor.userId });
      const now = this.deps.clock.now();
      doc.signedBy = user;
      doc.signedAt = now;
      doc.signerName = user.fullName;
      doc.signerTitle = user.title ?? null;
      const signature = await this.issuing.signPersonal(tx, doc, user, signingSessionId, now, prepared);
      this.addComment(tx.em, doc, actor.userId, 'SIGN', c);
      return { signedAt: now.toISOString(), signerName: user.fullName, ...signature };
    });
  }

  /** Trả lại để sửa thể thức (văn thư): a signed, not yet numbered document goes back to the drafter, with the reason. */
  async returnForCorrection(scope: Scope, documentId: string, reason: string): Promise<Document> {
    return this.transition(scope, documentId, { type: 'RETURN_FOR_CORRECTION', reason }, 'document.return_for_correction', async (tx, doc, events) => {
      const ev = events.find((e) => e.type === 'RETURNED_FOR_CORRECTION');
      const r = ev && ev.type === 'RETURNED_FOR_CORRECTION' ? ev.reason : text(reason);
      doc.returnReason = r;
      this.addComment(tx.em, doc, scope.requireActor().userId, 'REJECT', r);
      if (doc.drafter) this.notify(tx.em, [doc.drafter.id], 'DRAFT_RETURNED', doc, `Văn bản "${doc.subject}" bị văn thư trả lại để sửa thể thức: ${r}`);
      return { reason: r };
    });
  }

  /** Ý kiến: anyone in the chain comments, until issued. */
  async comment(scope: Scope, documentId: string, body: string): Promise<Document> {
    return this.transition(scope, documentId, { type: 'COMMENT', comment: body }, 'document.comment', async (tx, doc, events) => {
      const ev = events.find((e) => e.type === 'COMMENTED');
      const c = ev && ev.type === 'COMMENTED' ? ev.comment : text(body);
      this.addComment(tx.em, doc, scope.requireActor().userId, 'COMMENT', c);
      return { comment: c };
    });
  }

  // ── issue ─────────────────────────────────────────────────────────────────────────────────────

  /**
   * Phát hành (văn thư), two-phase (issuing/issuing.service.ts): the number reserved, written on the page with
   * the date, the agency signature applied, then the register fields, delivery and audit committed.
   * With an idempotency key, a retry of an issue that already succeeded returns the issued document.
   */
  async issue(scope: Scope, documentId: string, idempotencyKey?: string | null): Promise<Document> {
    scope.requireActor();
    const key = idempotencyKey == null ? null : text(idempotencyKey);
    if (key !== null && (!key || key.length > MAX_IDEMPOTENCY_KEY)) throw badInput(`Mã yêu cầu phải có từ 1 đến ${MAX_IDEMPOTENCY_KEY} ký tự.`, 'idempotencyKey');
    try {
      return await this.issuing.issue(scope, documentId, key);
    } catch (e) {
      throw mapDbError(e);
    }
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────────────

  /** Runs a transaction, turning lock / unique violations into CONFLICT. */
  private async run<T>(scope: Scope, fn: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return await scope.transaction(fn);
    } catch (e) {
      throw mapDbError(e);
    }
  }

  /** NOT_FOUND unless the caller may see it; CONFLICT for an incoming document. (Pre-check before storing uploads.) */
  private async loadOutgoingVisible(scope: Scope, id: string): Promise<Document> {
    const doc = await loadVisibleDocument(scope, id);
    if (doc.direction !== 'OUTGOING') throw conflict('Đây không phải văn bản đi.');
    assertNotArchived(doc);
    return doc;
  }

  private lockOutgoing(scope: Scope, tx: Tx, id: string): Promise<Document> {
    return lockOutgoingDoc(scope, tx, id);
  }

  /**
   * One approval-chain transition: visibility, row lock, domain transition (FORBIDDEN / CONFLICT /
   * BAD_USER_INPUT with the domain's reason), then `apply` for the extra records, the consequences of
   * the domain events (notifications, readers) and the audit event.
   */
  private async transition(
    scope: Scope,
    documentId: string,
    action: OutgoingAction,
    auditAction: string,
    apply: (tx: Tx, doc: Document, events: OutgoingEvent[]) => Promise<Record<string, unknown>>,
  ): Promise<Document> {
    const actor = scope.requireActor();
    return this.run(scope, async (tx) => {
      const doc = await this.lockOutgoing(scope, tx, documentId);
      const before = outgoingSnapshot(doc);
      const { next, events } = unwrap(transitionOutgoing(before, action, contextOf(actor, doc.agency, this.deps.clock.now())));
      doc.state = next.state;
      doc.approvalStep = next.currentStep;
      const data = await apply(tx, doc, events);
      await this.onEvents(tx, doc, next, events);
      tx.audit({
        action: auditAction,
        targetType: 'document',
        targetId: doc.id,
        agencyId: doc.agency.id,
        data: { from: before.state, to: next.state, step: next.currentStep, ...data },
      });
      publishDocumentChange(tx, this.deps, doc);
      return doc;
    });
  }

  /** Consequences of domain events: who must act next is notified and may open the document. */
  private async onEvents(tx: Tx, doc: Document, next: OutgoingDoc, events: readonly OutgoingEvent[]): Promise<void> {
    const em = tx.em;
    for (const e of events) {
      if (e.type === 'STEP_ENTERED') {
        const step = next.chain[e.step];
        const owners = await this.stepOwners(em, next, step);
        if (!owners.length) {
          throw conflict(`Bước duyệt "${step.label ?? e.step + 1}" không có người phụ trách trong cơ quan. Vui lòng liên hệ quản trị để cấu hình quy trình duyệt.`);
        }
        await this.nameReaders(em, doc, owners);
        this.notify(em, owners, 'APPROVAL_REQUESTED', doc, `Dự thảo chờ bạn duyệt: ${doc.subject}`);
      }
    }
    if (next.state === 'APPROVED' && events.some((e) => e.type === 'STATE_CHANGED')) {
      const signers = next.signerUserId ? [next.signerUserId] : await this.usersWithRole(em, next.agencyId, 'LANH_DAO');
      if (isSecret(doc.secrecy as Secrecy)) await this.nameReaders(em, doc, signers);
      this.notify(em, signers, 'SIGN_REQUESTED', doc, `Văn bản chờ ký: ${doc.subject}`);
    }
    if (next.state === 'SIGNED' && events.some((e) => e.type === 'STATE_CHANGED')) {
      const vanThu = await this.usersWithRole(em, next.agencyId, 'VAN_THU');
      if (isSecret(doc.secrecy as Secrecy)) await this.nameReaders(em, doc, vanThu);
      this.notify(em, vanThu, 'ISSUE_REQUESTED', doc, `Văn bản chờ phát hành: ${doc.subject}`);
    }
  }

  /** Active users owning an approval step of this document. */
  private async stepOwners(em: EntityManager, doc: OutgoingDoc, step: ApprovalStep): Promise<string[]> {
    if (step.kind === 'USER') {
      const u = await em.findOne(User, { id: step.userId, agency: doc.agencyId, active: true });
      return u ? [u.id] : [];
    }
    if (step.scope === 'DRAFTING_UNIT') {
      if (!doc.drafterUnitId) return [];
      const us = await em.find(User, { agency: doc.agencyId, unit: doc.drafterUnitId, active: true, roles: { $contains: [step.role] } });
      return us.map((u) => u.id);
    }
    return this.usersWithRole(em, doc.agencyId, step.role);
  }

  private async usersWithRole(em: EntityManager, agencyId: string, role: Role): Promise<string[]> {
    const us = await em.find(User, { agency: agencyId, active: true, roles: { $contains: [role] } });
    return us.map((u) => u.id);
  }

  /** Names users as readers (so they can open the draft; required for secret documents). */
  private async nameReaders(em: EntityManager, doc: Document, userIds: readonly string[]): Promise<void> {
    if (!userIds.length) return;
    const existing = await em.find(DocumentMember, { document: doc.id, kind: 'READER', user: { $in: [...userIds] } });
    const have = new Set(existing.map((m) => m.user.id));
    for (const id of new Set(userIds)) {
      if (!have.has(id)) em.create(DocumentMember, { document: doc, user: em.getReference(User, id), kind: 'READER', createdAt: new Date() });
    }
  }

  private notify(em: EntityManager, userIds: readonly string[], kind: string, doc: Document, body: string): void {
    for (const id of new Set(userIds)) {
      em.create(Notification, { user: em.getReference(User, id), kind, document: doc, text: body.slice(0, 1000), createdAt: new Date() });
    }
  }

  private addComment(em: EntityManager, doc: Document, authorId: string, kind: 'COMMENT' | 'APPROVE' | 'REJECT' | 'SIGN', body: string): void {
    em.create(DocumentComment, { document: doc, author: em.getReference(User, authorId), kind, text: body, createdAt: new Date() });
  }

  /** Recipient agencies: of this deployment, active, not the sender itself; deduplicated. */
  private async loadRecipientAgencies(em: EntityManager, senderAgencyId: string, ids: readonly string[]): Promise<Agency[]> {
    const unique = [...new Set(ids)];
    if (unique.length > MAX_RECIPIENTS) throw badInput(`Tối đa ${MAX_RECIPIENTS} nơi nhận.`, 'recipientAgencyIds');
    if (unique.some((id) => !isUuid(id))) throw badInput('Mã cơ quan nhận không hợp lệ.', 'recipientAgencyIds');
    if (unique.includes(senderAgencyId)) throw badInput('Không gửi văn bản cho chính cơ quan mình.', 'recipientAgencyIds');
    if (!unique.length) return [];
    const found = await em.find(Agency, { id: { $in: unique }, active: true });
    if (found.length !== unique.length) throw badInput('Có cơ quan nhận không tồn tại hoặc đã ngừng hoạt động.', 'recipientAgencyIds');
    const byId = new Map(found.map((a) => [a.id, a]));
    return unique.map((id) => byId.get(id)!);
  }

  /** The chosen signer: an active LANH_DAO of the agency. */
  private async loadSigner(em: EntityManager, agencyId: string, id: string): Promise<User> {
    const u = isUuid(id) ? await em.findOne(User, { id, agency: agencyId, active: true }) : null;
    if (!u || !canBeSigner(u)) throw badInput('Người ký phải là lãnh đạo của cơ quan.', 'signerId');
    return u;
  }

  /** Recipient agencies of peer deployments, by code from the exchange directory (issue 13). */
  private async loadPeerRecipients(em: EntityManager, codes: readonly string[] | null | undefined): Promise<{ code: string; name: string }[]> {
    if (!codes?.length) return [];
    if (!this.deps.peers) throw badInput('Chưa cấu hình liên thông với hệ thống khác.', 'recipientAgencyCodes');
    return this.deps.peers.resolveRecipientCodes(em, codes);
  }

  /** Recipient rows (nơi nhận) of a draft: agencies first (ours, then peers' by code), then external names; statuses come at issue. */
  private replaceRecipients(em: EntityManager, doc: Document, agencies: readonly Agency[], external: readonly string[], peerAgencies: readonly { code: string; name: string }[] = []): void {
    for (const a of agencies) em.create(Recipient, { document: doc, agency: a, name: a.name });
    for (const p of peerAgencies) em.create(Recipient, { document: doc, agency: null, agencyCode: p.code, name: p.name });
    for (const n of external) em.create(Recipient, { document: doc, agency: null, name: n });
  }
}
