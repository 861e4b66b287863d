/**
 * Phát hành văn bản điện tử (issue 12), two-phase, in the order of NĐ 30 Điều 14:
 *
 *   0. check   (no lock, no number): the văn thư's thể thức check — a DOCX (DOC, ODT) file converted to PDF
 *              first (LibreOffice headless, server/src/infra/convert: never inside a transaction), the number
 *              blank and date line where App. I puts them, the signing authority line printed, TL./TUQ.
 *              backed by a recorded delegation;
 *   1. reserve (transaction): the number from the sequence (`takeNumber`: no gap, no duplicate) recorded in
 *              `number_reservation` as RESERVED, and a recovery job queued for later;
 *   2. produce (no transaction: signing can take long or wait for a device): the number and date written
 *              on the page as an incremental update (the signer's signature stays valid), the agency
 *              signature (seal over the left third of the signer's image, agency name and ISO time),
 *              attachments signed top-right without image; the result verified;
 *   3. commit  (transaction): the issued files (bản gốc = the signed, numbered PDF), the register fields,
 *              the reservation USED, delivery to the recipient agencies (they receive THIS file), audit.
 *
 * If step 2 fails, the reservation stays with the error and the attempt count: a retry uses the same
 * number. If nobody retries (or the process died between the steps), the recovery job cancels the
 * reservation with its reason after RESERVATION_TTL_MINUTES; the next issue takes a new number and the
 * cancelled one stays in the register of reservations with its reason (never a silent gap).
 */
import { PDFDocument } from 'pdf-lib';
import { badInput, conflict, forbidden, AppError } from '../../../shared/errors';
import { isUuid } from '../../../shared/ids';
import type { Services } from '../../../services';
import type { Scope, Tx } from '../../../shared/scope';
import { Agency } from '../../identity/entities/agency.entity';
import { Unit } from '../../identity/entities/unit.entity';
import { User } from '../../identity/entities/user.entity';
import { enqueueSearchIndex } from '../../search/search.jobs';
import { putClaimed } from '../../storage-gc/stored-objects';
import type { DeliveryOutcome } from '../../exchange/exchange.service';
import { defaultConverter, isConvertibleToPdf, type DocumentConverter } from '../../../infra/convert/converter';
import { pdfPageCount } from '../../../shared/file-type';
import {
  COPY_TYPES,
  URGENCIES,
  cleanText,
  findTypeByCode,
  findTypeByName,
  formatSymbol,
  guardOutgoing,
  isCopyFormCode,
  isPlainDate,
  isSecret,
  localDateOf,
  registerYear,
  sequenceKeyFor,
  toAppError,
  transitionOutgoing,
  unwrap,
  type Secrecy,
} from '../domain';
import { outgoingSymbol } from '../domain/secrecy';
import { isVanThuOf } from '../domain/actors';
import { loadVisibleDocument } from '../documents.policy';
import { Document } from '../entities/document.entity';
import { DocumentFile } from '../entities/document-file.entity';
import { Notification, Recipient } from '../entities/misc.entities';
import { attachFiles, linkStoredFile, storeUploads } from '../files';
import { canConfigureAgency } from '../../identity/identity.policy';
import { publishDocumentChange } from '../realtime';
import type { DocumentSettingsService } from '../settings.service';
import { delegationProblemOf } from '../../../../../schema/validation/signing-authority';
import { PAPER_OUTGOING_MESSAGES, paperIssuedDateProblem, paperOutgoingTextProblems } from '../../../../../schema/validation/paper-outgoing';
import { canRegisterPaperOutgoing } from './issuing.policy';
import { authorityLines, defaultAuthority, delegationProblem, normalizeAuthority, type SigningAuthority, type SigningAuthorityMode } from './authority';
import { contextOf, lockOutgoingDoc, outgoingSnapshot, placeOf, takeNumber } from './common';
import { DocumentIssuing, NumberReservation, SigningDelegation, type ReservationStatus } from './issuing.entities';
import { reservationRecoveryJob } from './issuing.jobs';
import { dejaVuMeasure, pdfWords, type PdfPageText } from './pdf-text';
import { sealRect, signerOf, topRight, vnIso, type IssuingSigner } from './signer';
import { planStamp, signatureRect } from './stamp-layout';

/** A reservation not used within this time is cancelled by the recovery job. */
export const RESERVATION_TTL_MINUTES = 15;
const PDF = 'application/pdf';

type Deps = Pick<Services, 'storage' | 'orm' | 'config' | 'pubsub' | 'clock'>;

export interface IssueResult {
  document: Document;
}

/** A personal signature made before the SIGN transaction (IssuingService.preparePersonal). */
export interface PreparedPersonal {
  mainFileId: string;
  placement: DocumentIssuing['signaturePlacement'];
  stored: { key: string; sha256: string; size: number };
  /** Pages of the signed PDF (a converted DOCX had none recorded). */
  pageCount: number | null;
}

export class IssuingService {
  constructor(
    private readonly deps: Deps,
    private readonly settings: DocumentSettingsService,
    /** Another real signer (a token helper, tests with an agency key that cannot sign); default services.signing. */
    private readonly signerOverride?: IssuingSigner,
    /** DOCX → PDF (default: LibreOffice headless, CONGVAN_SOFFICE or PATH). */
    readonly converter: DocumentConverter = defaultConverter(),
  ) {}

  /**
   * The PDF of a draft file: its bytes when it is a PDF, the converter's rendering when it is a DOCX (DOC, ODT).
   * Never call inside a transaction: a conversion takes seconds.
   */
  async pdfOf(file: DocumentFile): Promise<Buffer> {
    const bytes = await this.deps.storage.getBuffer(file.storageKey);
    if (file.contentType === PDF) return bytes;
    if (!isConvertibleToPdf(file.contentType)) throw badInput(notPdfMessage(file.fileName), 'files');
    return this.converter.toPdf(bytes, file.fileName);
  }

  signer(): IssuingSigner {
    return this.signerOverride ?? signerOf(this.deps as Services);
  }

  // ── issuing details ───────────────────────────────────────────────────────────────────────────

  /** The issuing row of a document (created on first use, in `tx`). */
  async details(em: Tx['em'], doc: Document): Promise<DocumentIssuing> {
    const row = await em.findOne(DocumentIssuing, { document: doc.id });
    return row ?? em.create(DocumentIssuing, { document: doc, legalNormative: false, paper: false, updatedAt: new Date() });
  }

  /** The authority to print: the one chosen on the draft, else the default for the agency and the signer. */
  authorityOf(row: DocumentIssuing | null, agency: Agency, signerTitle: string | null | undefined): SigningAuthority {
    if (row?.authorityMode) return { mode: row.authorityMode as SigningAuthorityMode, collective: row.authorityCollective ?? null, principal: row.authorityPrincipal ?? null };
    return defaultAuthority(agency.name, signerTitle);
  }

  /** Sets the authority / legal normative flag chosen on the draft (validated). */
  async setDraftOptions(tx: Tx, doc: Document, input: { signingAuthority?: SigningAuthority | null; legalNormative?: boolean | null }): Promise<Record<string, unknown>> {
    const changes: Record<string, unknown> = {};
    if (input.signingAuthority === undefined && (input.legalNormative === undefined || input.legalNormative === null)) return changes;
    const row = await this.details(tx.em, doc);
    if (input.signingAuthority !== undefined) {
      if (input.signingAuthority === null) {
        row.authorityMode = null;
        row.authorityCollective = null;
        row.authorityPrincipal = null;
      } else {
        const r = normalizeAuthority(input.signingAuthority);
        if (!r.ok) throw toAppError(r);
        row.authorityMode = r.value.mode;
        row.authorityCollective = r.value.collective ?? null;
        row.authorityPrincipal = r.value.principal ?? null;
      }
      changes.signingAuthority = input.signingAuthority;
    }
    if (input.legalNormative !== undefined && input.legalNormative !== null) {
      const on = !!input.legalNormative;
      if (on && !sequenceKeySafe(doc.typeCode)) throw badInput(`Loại "${doc.typeName}" không ban hành dưới hình thức văn bản quy phạm pháp luật.`, 'legalNormative');
      row.legalNormative = on;
      changes.legalNormative = on;
    }
    row.updatedAt = new Date();
    return changes;
  }

  /** TL./TUQ.: the signer needs a delegation in force on `day` (CONFLICT otherwise). */
  async checkDelegation(em: Tx['em'], agencyId: string, authority: SigningAuthority, signerUserId: string, day: string): Promise<void> {
    const ds = await em.find(SigningDelegation, { agency: agencyId, delegate: signerUserId });
    const problem = delegationProblem(
      authority,
      signerUserId,
      day,
      ds.map((d) => ({ delegateUserId: d.delegate.id, mode: d.mode as SigningAuthorityMode, validFrom: d.validFrom, validTo: d.validTo ?? null, revoked: !!d.revokedAt })),
    );
    if (problem) throw new AppError(problem.code, problem.reason, { field: 'signingAuthority' });
  }

  // ── ký (the signer's personal signature) ─────────────────────────────────────────────────────

  /**
   * Inside the SIGN transaction: fixes the authority lines, checks a delegation, and applies the signer's
   * PAdES signature to the main draft file (server-held key, or the signed PDF of a completed external
   * signing session), stored as a new draft version. A secret document (no file) is signed on paper.
   */
  /**
   * Before the SIGN transaction, for a signer with a server-held key: the signed draft, stamped and stored. Signing
   * costs CPU and storing takes a claim on its own connection (putClaimed), so neither may run inside a transaction
   * that holds a pooled connection and the document's row lock (concurrent signings would exhaust the pool). Null
   * when there is nothing to prepare here (token session, no file, not a PDF, no server key): signPersonal then
   * decides inside the transaction, with its errors. The stored object is claimed: if the transaction fails, the
   * garbage collector removes it once unreferenced.
   */
  async preparePersonal(scope: Scope, documentId: string, now: Date): Promise<PreparedPersonal | null> {
    const actor = scope.requireActor();
    const doc = await loadVisibleDocument(scope, documentId);
    if (doc.direction !== 'OUTGOING') return null;
    const em = scope.em.fork();
    const agency = await em.findOneOrFail(Agency, { id: doc.agency.id });
    unwrap(transitionOutgoing(outgoingSnapshot(doc), { type: 'SIGN' }, contextOf(actor, agency, now)));
    const user = await em.findOneOrFail(User, { id: actor.userId });
    const row = await em.findOne(DocumentIssuing, { document: doc.id });
    const authority = this.authorityOf(row, agency, user.title);
    await this.checkDelegation(em, agency.id, authority, user.id, localDateOf(now, agency.timeZone));
    const lines = authorityLines(authority, user.title);
    const drafts = await em.find(DocumentFile, { document: doc.id, kind: 'DRAFT' }, { orderBy: { version: 'desc', id: 'asc' } });
    const main = drafts[0];
    if (!main || (main.contentType !== PDF && !isConvertibleToPdf(main.contentType))) return null;
    const signer = this.signer();
    if ((await signer.hasPersonalKey(em, user.id)) !== 'SERVER_KEY') return null;
    // A DOCX draft is converted here (before the transaction); the DOCX stays as the draft's source version.
    const bytes = await this.pdfOf(main);
    const placement = signatureRect(await pdfWords(bytes), user.fullName, lines);
    const signed = await signer.signAsUser(em, user.id, bytes, { reason: 'Ký ban hành', location: placeOf(agency), placement: { page: placement.page, rect: placement.rect }, signingTime: now });
    const stored = await putClaimed(this.deps, Buffer.from(signed), { contentType: PDF, maxBytes: this.deps.config.maxUploadBytes * 2 });
    return { mainFileId: main.id, placement, stored, pageCount: main.pageCount ?? pdfPageCount(signed) };
  }

  async signPersonal(tx: Tx, doc: Document, user: User, signingSessionId: string | null | undefined, now: Date, prepared: PreparedPersonal | null = null): Promise<Record<string, unknown>> {
    const em = tx.em;
    const row = await this.details(em, doc);
    const authority = this.authorityOf(row, doc.agency, user.title);
    await this.checkDelegation(em, doc.agency.id, authority, user.id, localDateOf(now, doc.agency.timeZone));
    const lines = authorityLines(authority, user.title);
    row.authorityMode = authority.mode;
    row.authorityCollective = authority.collective ?? null;
    row.authorityPrincipal = authority.principal ?? null;
    row.authorityLines = lines;
    row.updatedAt = now;
    const drafts = await em.find(DocumentFile, { document: doc.id, kind: 'DRAFT' }, { orderBy: { version: 'desc', id: 'asc' } });
    const latest = drafts.filter((f) => f.version === drafts[0]?.version);
    const main = latest[0];
    if (!main) {
      if (isSecret(doc.secrecy as Secrecy)) return { authority: lines, digital: false };
      throw conflict('Văn bản chưa có tệp nội dung để ký.');
    }
    if (main.contentType !== PDF && !isConvertibleToPdf(main.contentType)) throw badInput(notPdfMessage(main.fileName), 'files');
    let stored: { key: string; sha256: string; size: number };
    let pageCount = main.pageCount ?? null;
    if (prepared && !signingSessionId) {
      // signed before the transaction (preparePersonal): still the latest draft?
      if (prepared.mainFileId !== main.id) throw conflict('Dự thảo vừa được thay đổi trong lúc ký, vui lòng ký lại.');
      row.signaturePlacement = prepared.placement;
      stored = prepared.stored;
      pageCount = prepared.pageCount;
    } else stored = await this.signInTransaction(em, doc, user, main, lines, row, signingSessionId, now);
    const version = main.version + 1;
    const signedFile = em.create(DocumentFile, {
      document: doc,
      kind: 'DRAFT',
      version,
      storageKey: stored.key,
      sha256: stored.sha256,
      fileName: signedName(main.fileName),
      contentType: PDF,
      size: stored.size,
      pageCount,
      uploadedBy: user,
      createdAt: now,
    });
    // Attachments of the same version go along unchanged (they get the agency signature at issue).
    for (const f of latest.slice(1)) linkStoredFile(em, doc, f, 'DRAFT', { uploadedBy: f.uploadedBy ?? null, createdAt: now, version });
    row.personalSignedSha256 = stored.sha256;
    return { authority: lines, digital: true, signedFileId: signedFile.id, sha256: stored.sha256 };
  }

  /**
   * The token path (a completed external signing session, consumed in the transaction) and, as a fallback, the
   * server-key path when nothing was prepared: signs and stores inside the transaction.
   */
  private async signInTransaction(
    em: Tx['em'],
    doc: Document,
    user: User,
    main: DocumentFile,
    lines: string[],
    row: DocumentIssuing,
    signingSessionId: string | null | undefined,
    now: Date,
  ): Promise<{ key: string; sha256: string; size: number }> {
    const signer = this.signer();
    let signed: Uint8Array;
    if (signingSessionId) {
      const s = await signer.takeCompletedSession(em, signingSessionId, user.id);
      if (s.documentId !== doc.id || s.fileId !== main.id) throw badInput('Phiên ký số không phải của bản dự thảo mới nhất của văn bản này.', 'signingSessionId');
      signed = s.pdf;
    } else {
      const how = await signer.hasPersonalKey(em, user.id);
      if (how !== 'SERVER_KEY') {
        throw badInput(
          how === 'TOKEN'
            ? 'Chứng thư số của bạn nằm trên thiết bị ký (USB token): hãy ký bằng ứng dụng ký số rồi xác nhận lại.'
            : 'Bạn chưa có chứng thư số cá nhân: tải lên tệp PKCS#12 trong Tài khoản, hoặc ký bằng thiết bị ký số.',
          'signingSessionId',
        );
      }
      // A DOCX is converted before the transaction (preparePersonal), never here.
      if (main.contentType !== PDF) throw conflict('Dự thảo vừa được thay đổi trong lúc ký, vui lòng ký lại.');
      const bytes = await this.deps.storage.getBuffer(main.storageKey);
      const pages = await pdfWords(bytes);
      const placement = signatureRect(pages, user.fullName, lines);
      row.signaturePlacement = placement;
      signed = await signer.signAsUser(em, user.id, bytes, { reason: 'Ký ban hành', location: placeOf(doc.agency), placement: { page: placement.page, rect: placement.rect }, signingTime: now });
    }
    const stored = await putClaimed(this.deps, Buffer.from(signed), { contentType: PDF, maxBytes: this.deps.config.maxUploadBytes * 2 });
    return stored;
  }

  /**
   * Where a signer's signature goes on a draft file (the token path: signing.service prepareSignature asks
   * through setPlacementResolver): between the authority/title lines and the signer's name.
   */
  async personalPlacement(
    em: Tx['em'],
    file: DocumentFile,
    userId: string,
    /** The PDF being signed when `file` is a DOCX (its conversion). */
    pdf?: Uint8Array,
  ): Promise<{ reason: string; location: string; placement: { page: number; rect: { x: number; y: number; width: number; height: number } } } | null> {
    if (file.contentType !== PDF && !pdf) return null;
    const doc = await em.findOne(Document, { id: file.document.id }, { populate: ['agency'] });
    const user = await em.findOne(User, { id: userId });
    if (!doc || !user) return null;
    const row = await em.findOne(DocumentIssuing, { document: doc.id });
    const lines = authorityLines(this.authorityOf(row, doc.agency, user.title), user.title);
    const pages = await pdfWords(pdf ? Buffer.from(pdf) : await this.deps.storage.getBuffer(file.storageKey));
    const where = signatureRect(pages, user.fullName, lines);
    return { reason: 'Ký ban hành', location: placeOf(doc.agency), placement: { page: where.page, rect: where.rect } };
  }

  // ── phát hành ─────────────────────────────────────────────────────────────────────────────────

  /** The two-phase issue (module comment). With an idempotency key, a retry of a finished issue returns it. */
  async issue(scope: Scope, documentId: string, key: string | null): Promise<Document> {
    const actor = scope.requireActor();
    // 0. check (no lock): visible, issuable, thể thức of the file.
    const pre = await loadVisibleDocument(scope, documentId);
    if (pre.direction !== 'OUTGOING') throw conflict('Đây không phải văn bản đi.');
    const agency = await scope.em.findOneOrFail(Agency, { id: pre.agency.id });
    const ctx0 = contextOf(actor, agency, this.deps.clock.now());
    if (pre.state === 'ISSUED' && key !== null && pre.idempotencyKey === key) {
      const denied = guardOutgoing({ ...outgoingSnapshot(pre), state: 'SIGNED' }, 'ISSUE', ctx0);
      if (denied) throw toAppError(denied);
      return pre;
    }
    unwrap(transitionOutgoing(outgoingSnapshot(pre), { type: 'ISSUE' }, ctx0));
    // A key already used by another document: refused before a number is reserved.
    if (key !== null && (await scope.em.count(Document, { agency: agency.id, idempotencyKey: key, id: { $ne: pre.id } }))) {
      throw conflict('Mã yêu cầu đã được dùng cho một văn bản khác.', { field: 'idempotencyKey' });
    }
    const files = await this.latestDraftFiles(scope.em, pre.id);
    const secret = isSecret(pre.secrecy as Secrecy);
    if (!files.length && !secret) throw conflict('Văn bản chưa có tệp nội dung để phát hành.');
    for (const f of files) if (f.contentType !== PDF && !isConvertibleToPdf(f.contentType)) throw badInput(notPdfMessage(f.fileName), 'files');
    const row0 = await scope.em.findOne(DocumentIssuing, { document: pre.id });
    const authority = this.authorityOf(row0, agency, pre.signerTitle);
    const lines = row0?.authorityLines ?? authorityLines(authority, pre.signerTitle);
    if (pre.signedBy) await this.checkDelegation(scope.em, agency.id, authority, pre.signedBy.id, localDateOf(pre.signedAt ?? ctx0.now, agency.timeZone));
    const settings = await this.settings.get(scope.em, agency.id);
    const registerKey = sequenceKeyFor({ direction: 'OUTGOING', secrecy: pre.secrecy as Secrecy, typeCode: pre.typeCode, policy: settings.numbering, legalNormative: !!row0?.legalNormative });
    const unitAbbr = pre.drafterUnit ? (await scope.em.findOne(Unit, { id: pre.drafterUnit.id }))?.abbr : null;
    const copyForm = row0?.copyForm ?? null;
    const symbolFor = (n: number, year: number) =>
      copyForm
        ? formatSymbol({ number: n, typeCode: copyForm, agencyAbbr: agency.abbr })
        : row0?.legalNormative
        ? formatSymbol({ number: n, typeCode: pre.typeCode, agencyAbbr: agency.abbr, year })
        : outgoingSymbol({ number: n, typeCode: pre.typeCode, agencyAbbr: agency.abbr, unitAbbr }, pre.secrecy as Secrecy);
    const place = placeOf(agency);
    // The PDFs to issue: a DOCX (DOC, ODT) main file or attachment is converted now, before any number is
    // reserved and outside every transaction; the DOCX stays a draft version (the source), never the bản gốc.
    const sources: IssueSource[] = [];
    for (const f of files) {
      const bytes = await this.pdfOf(f);
      sources.push({ from: f, bytes, fileName: f.contentType === PDF ? f.fileName : pdfName(f.fileName), pageCount: (f.contentType === PDF ? f.pageCount : null) ?? pdfPageCount(bytes) });
    }
    let mainBytes: Buffer | null = null;
    let mainPages: PdfPageText[] | null = null;
    if (sources.length && copyForm) mainBytes = sources[0].bytes;
    else if (sources.length) {
      mainBytes = sources[0].bytes;
      const pages = (mainPages = await pdfWords(mainBytes));
      const today = localDateOf(ctx0.now, agency.timeZone);
      const check = planStamp(pages, { symbol: symbolFor(999, registerYear(ctx0.now, agency.timeZone)), date: today, place, authorityLines: lines }, await dejaVuMeasure());
      if (check.problems.length) throw badInput(`Thể thức văn bản chưa đúng, cần trả lại để sửa: ${check.problems.join(' ')}`, 'files');
    }

    // 1. reserve
    const reserved = await this.run(scope, async (tx) => {
      const doc = await lockOutgoingDoc(scope, tx, documentId);
      const now = this.deps.clock.now();
      const ctx = contextOf(actor, doc.agency, now);
      unwrap(transitionOutgoing(outgoingSnapshot(doc), { type: 'ISSUE' }, ctx));
      const year = registerYear(now, agency.timeZone);
      const open = await tx.em.findOne(NumberReservation, { document: doc.id, status: 'RESERVED' });
      if (open && open.registerYear === year && open.registerKey === registerKey) {
        open.attempts++;
        tx.audit({ action: 'document.number_retry', targetType: 'document', targetId: doc.id, agencyId: agency.id, data: { number: open.number, symbol: open.symbol, attempts: open.attempts } });
        return { id: open.id, number: open.number, symbol: open.symbol, issuedDate: open.issuedDate, year, now };
      }
      if (open) {
        open.status = 'CANCELLED';
        open.reason = 'Sổ hoặc năm đăng ký đã thay đổi trước khi phát hành.';
        open.settledAt = now;
        tx.audit({ action: 'document.number_cancel', targetType: 'document', targetId: doc.id, agencyId: agency.id, data: { number: open.number, symbol: open.symbol, reason: open.reason } });
      }
      const number = await takeNumber(tx.em, agency.id, registerKey, year);
      const symbol = symbolFor(number, year);
      const issuedDate = localDateOf(now, agency.timeZone);
      const r = tx.em.create(NumberReservation, {
        agency: doc.agency,
        registerKey,
        registerYear: year,
        number,
        symbol,
        issuedDate,
        document: doc,
        status: 'RESERVED',
        attempts: 1,
        reservedBy: tx.em.getReference(User, actor.userId),
        reservedAt: now,
      });
      tx.audit({ action: 'document.number_reserve', targetType: 'document', targetId: doc.id, agencyId: agency.id, data: { number, symbol, registerKey, registerYear: year, issuedDate } });
      await tx.enqueue(reservationRecoveryJob, { reservationId: r.id }, { startAfter: new Date(now.getTime() + RESERVATION_TTL_MINUTES * 60_000 + 5_000) });
      return { id: r.id, number, symbol, issuedDate, year, now };
    });

    // 2. produce the issued files (outside any transaction)
    let produced: Produced;
    try {
      produced = copyForm
        ? await this.produceCopy(scope, agency, sources, reserved, copyForm)
        : await this.produce(scope, agency, sources, mainBytes, mainPages, reserved, place, lines, row0?.signaturePlacement ?? null, pre.signerName ?? null);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      await this.run(scope, async (tx) => {
        const r = await tx.em.findOneOrFail(NumberReservation, { id: reserved.id });
        r.lastError = message.slice(0, 2000);
        tx.audit({ action: 'document.issue_failed', targetType: 'document', targetId: documentId, agencyId: agency.id, data: { number: r.number, symbol: r.symbol, attempts: r.attempts, error: r.lastError } });
      });
      if (e instanceof AppError && e.code === 'BAD_USER_INPUT') throw e;
      throw conflict(
        `Không ký số được văn bản (${message}). Số ${reserved.symbol} được giữ cho văn bản này: phát hành lại sẽ dùng đúng số này; nếu sau ${RESERVATION_TTL_MINUTES} phút chưa phát hành được, số bị hủy và ghi rõ lý do.`,
      );
    }

    // 3. commit
    return this.run(scope, async (tx) => {
      const doc = await lockOutgoingDoc(scope, tx, documentId);
      const r = await tx.em.findOneOrFail(NumberReservation, { id: reserved.id }, { refresh: true });
      if (doc.state === 'ISSUED' && r.status === 'USED') return doc;
      if (r.status !== 'RESERVED') throw conflict(`Số ${r.symbol} đã bị hủy (${r.reason ?? ''}). Vui lòng phát hành lại để nhận số mới.`);
      const now = this.deps.clock.now();
      const ctx = contextOf(actor, doc.agency, now);
      unwrap(transitionOutgoing(outgoingSnapshot(doc), { type: 'ISSUE' }, ctx));
      doc.state = 'ISSUED';
      doc.approvalStep = null;
      doc.number = r.number;
      doc.symbol = r.symbol;
      doc.registerKey = r.registerKey;
      doc.registerYear = r.registerYear;
      doc.issuedDate = r.issuedDate;
      doc.issuedAt = now;
      doc.issuedBy = tx.em.getReference(User, actor.userId);
      doc.idempotencyKey = key;
      r.status = 'USED';
      r.settledAt = now;
      const baseName = r.symbol.replace(/\//g, '-');
      const issued: DocumentFile[] = [];
      if (produced.main) {
        issued.push(
          tx.em.create(DocumentFile, {
            document: doc,
            kind: 'MAIN',
            version: 1,
            storageKey: produced.main.key,
            sha256: produced.main.sha256,
            fileName: `${baseName}.pdf`,
            contentType: PDF,
            size: produced.main.size,
            pageCount: sources[0]?.pageCount ?? null,
            uploadedBy: tx.em.getReference(User, actor.userId),
            createdAt: now,
          }),
        );
      }
      for (const a of produced.attachments) {
        issued.push(
          tx.em.create(DocumentFile, {
            document: doc,
            kind: 'ATTACHMENT',
            version: 1,
            storageKey: a.key,
            sha256: a.sha256,
            fileName: a.from.fileName,
            contentType: PDF,
            size: a.size,
            pageCount: a.from.pageCount,
            uploadedBy: tx.em.getReference(User, actor.userId),
            createdAt: now,
          }),
        );
      }
      if (issued[0]?.pageCount) doc.pageCount = issued[0].pageCount;
      const row = await this.details(tx.em, doc);
      if (!copyForm) row.authorityLines = lines;
      row.archiveCopies = [{ holder: 'VT', count: 1 }, ...(doc.drafterUnit ? [{ holder: unitAbbr ?? 'Đơn vị soạn thảo', count: 1 }] : [])];
      row.updatedAt = now;
      // Liên thông: one outbox row per recipient agency, dispatched after commit (modules/exchange).
      const delivery: DeliveryOutcome = await (this.deps as Services).exchange.queueIssued(tx, doc, now);
      if (doc.drafter && doc.drafter.id !== actor.userId) {
        tx.em.create(Notification, { user: tx.em.getReference(User, doc.drafter.id), kind: 'DOCUMENT_ISSUED', document: doc, text: `Văn bản "${doc.subject}" đã được phát hành: số ${r.symbol}.`.slice(0, 1000), createdAt: now });
      }
      tx.audit({
        action: 'document.issue',
        targetType: 'document',
        targetId: doc.id,
        agencyId: doc.agency.id,
        data: {
          number: r.number,
          symbol: r.symbol,
          registerKey: r.registerKey,
          registerYear: r.registerYear,
          issuedDate: r.issuedDate,
          idempotencyKey: key,
          reservationId: r.id,
          attempts: r.attempts,
          authority: lines,
          files: issued.map((f) => ({ id: f.id, kind: f.kind, sha256: f.sha256 })),
          queued: delivery.queued,
          skipped: delivery.skipped,
          external: delivery.external,
        },
      });
      await enqueueSearchIndex(tx, doc.id);
      publishDocumentChange(tx, this.deps, doc);
      await tx.em.flush();
      return doc;
    });
  }

  /** Step 2: stamp number/date on the main file, agency-sign it and the attachments, verify. */
  private async produce(
    scope: Scope,
    agency: Agency,
    files: readonly IssueSource[],
    mainBytes: Buffer | null,
    mainPages: PdfPageText[] | null,
    reserved: { symbol: string; issuedDate: string; now: Date },
    place: string,
    lines: string[],
    signerPlacement: { page: number; rect: { x: number; y: number; width: number; height: number } } | null,
    signerName: string | null,
  ) {
    const out: Produced = { main: null, attachments: [] };
    if (!files.length || !mainBytes) return out;
    const signer = this.signer();
    const em = scope.em.fork();
    const pages = mainPages ?? (await pdfWords(mainBytes));
    const plan = planStamp(pages, { symbol: reserved.symbol, date: reserved.issuedDate, place, authorityLines: lines }, await dejaVuMeasure());
    if (plan.problems.length) throw badInput(`Thể thức văn bản chưa đúng, cần trả lại để sửa: ${plan.problems.join(' ')}`, 'files');
    const stamped = await signer.stampText(mainBytes, plan.items);
    const where = signerPlacement ?? signatureRect(pages, signerName, lines);
    const signedAt = this.deps.clock.now();
    const agencyText = [agency.name, `Thời gian ký: ${vnIso(signedAt)}`];
    const sealed = await signer.signAsAgency(em, agency.id, stamped, {
      reason: `Phát hành văn bản số ${reserved.symbol}`,
      location: place,
      placement: { page: where.page, rect: sealRect(where.rect), text: agencyText, fontSize: 8 },
      signingTime: signedAt,
    });
    const checks = await signer.verifyPdf(sealed);
    const agencySig = checks.filter((c) => c.kind === 'AGENCY').pop();
    if (!agencySig || !agencySig.valid || !agencySig.trusted) {
      throw new Error(`chữ ký số của cơ quan không hợp lệ hoặc không được tin cậy${agencySig?.errors.length ? `: ${agencySig.errors.join('; ')}` : ''}`);
    }
    const broken = checks.find((c) => !c.valid);
    if (broken) throw new Error(`chữ ký của ${broken.signerName} không còn nguyên vẹn sau khi ghi số`);
    const limit = this.deps.config.maxUploadBytes * 2;
    const m = await putClaimed(this.deps, Buffer.from(sealed), { contentType: PDF, maxBytes: limit });
    out.main = { key: m.key, sha256: m.sha256, size: m.size };
    for (const f of files.slice(1)) {
      const bytes = f.bytes;
      const size = (await pdfWords(bytes))[0] ?? { width: 595, height: 842 };
      const signedAtt = await signer.signAsAgency(em, agency.id, bytes, {
        reason: `Phụ lục kèm theo văn bản số ${reserved.symbol}`,
        location: place,
        placement: { page: 0, rect: topRight(size), image: null, text: [`Số: ${reserved.symbol}`, agency.name, `Thời gian ký: ${vnIso(signedAt)}`], fontSize: 8 },
        signingTime: signedAt,
      });
      const a = await putClaimed(this.deps, Buffer.from(signedAtt), { contentType: PDF, maxBytes: limit });
      out.attachments.push({ key: a.key, sha256: a.sha256, size: a.size, from: f });
    }
    return out;
  }

  /**
   * Step 2 of a copy (Phụ lục I, bản sao điện tử): the agency signature with the copy block at the top right
   * of the first page, without image — hình thức sao, tên cơ quan sao, số ký hiệu bản sao, thời gian ký. The
   * source file is not rewritten (incremental update): its own signatures stay verifiable.
   */
  private async produceCopy(scope: Scope, agency: Agency, files: readonly IssueSource[], reserved: { symbol: string }, form: string) {
    const signer = this.signer();
    const em = scope.em.fork();
    const signedAt = this.deps.clock.now();
    const label = COPY_LABELS[form] ?? 'SAO Y';
    const out: Produced = { main: null, attachments: [] };
    for (const [i, f] of files.entries()) {
      const bytes = f.bytes;
      const size = (await pdfWords(bytes))[0] ?? { width: 595, height: 842 };
      const signed = await signer.signAsAgency(em, agency.id, bytes, {
        reason: `${label} số ${reserved.symbol}`,
        location: placeOf(agency),
        placement: { page: 0, rect: topRight(size, { width: 220, height: 58 }), image: null, text: [label, agency.name, `Số: ${reserved.symbol}`, `Thời gian ký: ${vnIso(signedAt)}`], fontSize: 8 },
        signingTime: signedAt,
      });
      const checks = await signer.verifyPdf(signed);
      const agencySig = checks.filter((c) => c.kind === 'AGENCY').pop();
      if (!agencySig || !agencySig.valid || !agencySig.trusted) throw new Error(`chữ ký số của cơ quan trên bản sao không hợp lệ hoặc không được tin cậy${agencySig?.errors.length ? `: ${agencySig.errors.join('; ')}` : ''}`);
      const p = await putClaimed(this.deps, Buffer.from(signed), { contentType: PDF, maxBytes: this.deps.config.maxUploadBytes * 2 });
      if (i === 0) out.main = { key: p.key, sha256: p.sha256, size: p.size };
      else out.attachments.push({ key: p.key, sha256: p.sha256, size: p.size, from: f });
    }
    return out;
  }

  /**
   * The recovery job: a reservation still RESERVED after RESERVATION_TTL_MINUTES (signing failed and nobody
   * retried, or the process died between the steps) is CANCELLED with its reason. Idempotent.
   */
  async recoverStale(scope: Scope, opts: { reservationId?: string | null; olderThanMinutes?: number } = {}): Promise<{ cancelled: { id: string; symbol: string; reason: string }[] }> {
    const now = this.deps.clock.now();
    const cutoff = new Date(now.getTime() - (opts.olderThanMinutes ?? RESERVATION_TTL_MINUTES) * 60_000);
    return scope.transaction(async (tx) => {
      const where = opts.reservationId ? { id: opts.reservationId, status: 'RESERVED' as const, reservedAt: { $lte: cutoff } } : { status: 'RESERVED' as const, reservedAt: { $lte: cutoff } };
      const stale = await tx.em.find(NumberReservation, where, { populate: ['document'], orderBy: { reservedAt: 'asc' } });
      const cancelled: { id: string; symbol: string; reason: string }[] = [];
      for (const r of stale) {
        // Lock the reservation row so that a commit in flight (step 3) and the recovery never both win.
        const locked = await tx.em.execute<{ status: string }[]>('select status from number_reservation where id = ? for update', [r.id]);
        if (locked[0]?.status !== 'RESERVED') continue;
        r.status = 'CANCELLED';
        r.settledAt = now;
        r.reason = r.lastError
          ? `Ký số không thành công sau ${r.attempts} lần (${r.lastError}); không phát hành lại trong ${RESERVATION_TTL_MINUTES} phút.`
          : `Phát hành bị gián đoạn (máy chủ dừng giữa lúc cấp số và ký số); không hoàn tất trong ${RESERVATION_TTL_MINUTES} phút.`;
        r.reason = r.reason.slice(0, 2000);
        tx.audit({ action: 'document.number_cancel', targetType: 'document', targetId: r.document.id, agencyId: r.agency.id, data: { number: r.number, symbol: r.symbol, registerKey: r.registerKey, registerYear: r.registerYear, reason: r.reason } });
        cancelled.push({ id: r.id, symbol: r.symbol, reason: r.reason });
      }
      return { cancelled };
    });
  }

  // ── bản sao (Điều 25–27) ─────────────────────────────────────────────────────────────────────

  /**
   * Sao y / sao lục / trích sao (văn thư): a new outgoing record of the copy form, numbered in the copies'
   * own sequence (`05/SY-UBND`), whose file is the source's (SY, SL) or the chosen pages (TrS), signed by the
   * agency with the copy block at the top right; delivered to the recipient agencies. Sao y and trích sao are
   * made from an original (an issued or a received document), sao lục from a bản sao y.
   */
  async makeCopy(scope: Scope, input: { sourceDocumentId: string; form: string; pages?: readonly number[] | null; recipientAgencyIds?: readonly string[] | null; externalRecipients?: readonly string[] | null }): Promise<Document> {
    const actor = scope.requireActor();
    if (!isVanThuOf(actor, actor.agencyId)) throw forbidden('Chỉ văn thư mới được sao văn bản.');
    const form = input.form;
    if (!isCopyFormCode(form)) throw badInput('Hình thức sao không hợp lệ (SY, SL, TrS).', 'form');
    const source = await loadVisibleDocument(scope, input.sourceDocumentId);
    if (source.agency.id !== actor.agencyId) throw badInput('Chỉ sao được văn bản của cơ quan mình.', 'sourceDocumentId');
    const sourceRow = await scope.em.findOne(DocumentIssuing, { document: source.id });
    const original = source.direction === 'OUTGOING' ? source.state === 'ISSUED' : source.incomingNumber != null && source.state !== 'ANNULLED' && source.state !== 'REJECTED';
    if (!original) throw badInput('Chỉ sao được văn bản đã phát hành hoặc văn bản đến đã vào sổ.', 'sourceDocumentId');
    if (isSecret(source.secrecy as Secrecy)) throw badInput('Văn bản mật không lưu trên hệ thống: sao bản giấy theo quy định bảo vệ bí mật nhà nước.', 'sourceDocumentId');
    if (form === 'SL' && sourceRow?.copyForm !== 'SY') throw badInput('Sao lục được thực hiện từ bản sao y.', 'form');
    if (form !== 'SL' && sourceRow?.copyForm) throw badInput('Sao y, trích sao được thực hiện từ bản gốc hoặc bản chính; từ bản sao y hãy dùng sao lục.', 'form');
    const srcFiles = await scope.em.find(DocumentFile, { document: source.id, kind: { $in: ['MAIN', 'ATTACHMENT'] } }, { orderBy: { kind: 'desc', createdAt: 'asc', id: 'asc' } });
    const main = srcFiles.find((f) => f.kind === 'MAIN');
    if (!main) throw badInput('Văn bản nguồn chưa có tệp bản chính để sao.', 'sourceDocumentId');
    for (const f of srcFiles) if (f.contentType !== PDF) throw badInput(`Tệp "${f.fileName}" không phải PDF: chỉ sao điện tử được tệp PDF.`, 'sourceDocumentId');
    let extract: { key: string; sha256: string; size: number; pages: number[] } | null = null;
    if (form === 'TrS') {
      const pages = [...new Set(input.pages ?? [])].sort((a, b) => a - b);
      const bytes = await this.deps.storage.getBuffer(main.storageKey);
      const src = await PDFDocument.load(bytes, { updateMetadata: false });
      if (!pages.length || pages.some((p) => !Number.isInteger(p) || p < 1 || p > src.getPageCount())) throw badInput(`Chọn các trang cần trích sao (1 đến ${src.getPageCount()}).`, 'pages');
      const out = await PDFDocument.create();
      for (const pg of await out.copyPages(src, pages.map((p) => p - 1))) out.addPage(pg);
      const p = await putClaimed(this.deps, Buffer.from(await out.save()), { contentType: PDF, maxBytes: this.deps.config.maxUploadBytes * 2 });
      extract = { key: p.key, sha256: p.sha256, size: p.size, pages };
    } else if (input.pages?.length) throw badInput('Chỉ trích sao mới chọn trang.', 'pages');
    const recipients = await this.recipientAgencies(scope.em, actor.agencyId, input.recipientAgencyIds ?? []);
    const external = [...new Set((input.externalRecipients ?? []).map((n) => cleanText(n)).filter(Boolean))].slice(0, 200);
    const type = COPY_TYPES.find((t) => t.code === form)!;
    const copy = await this.run(scope, async (tx) => {
      const now = this.deps.clock.now();
      const doc = tx.em.create(Document, {
        agency: tx.em.getReference(Agency, actor.agencyId),
        direction: 'OUTGOING',
        state: 'SIGNED',
        typeCode: type.code,
        typeName: type.name,
        subject: source.subject,
        urgency: source.urgency,
        secrecy: 'THUONG',
        drafter: tx.em.getReference(User, actor.userId),
        drafterUnit: actor.unitId ? tx.em.getReference(Unit, actor.unitId) : null,
        approvalChain: [],
        approvalStep: null,
        externalRecipients: external,
        createdBy: tx.em.getReference(User, actor.userId),
        createdAt: now,
        updatedAt: now,
      });
      tx.em.create(DocumentIssuing, { document: doc, copyForm: form, copyOf: source, legalNormative: false, paper: false, updatedAt: now });
      for (const a of recipients) tx.em.create(Recipient, { document: doc, agency: a, name: a.name });
      for (const n of external) tx.em.create(Recipient, { document: doc, agency: null, name: n });
      if (extract) {
        tx.em.create(DocumentFile, { document: doc, kind: 'DRAFT', version: 1, storageKey: extract.key, sha256: extract.sha256, fileName: `trich-sao-${main.fileName}`, contentType: PDF, size: extract.size, pageCount: extract.pages.length, uploadedBy: tx.em.getReference(User, actor.userId), createdAt: now });
      } else {
        for (const f of srcFiles) linkStoredFile(tx.em, doc, f, 'DRAFT', { uploadedBy: tx.em.getReference(User, actor.userId), createdAt: now, version: 1 });
      }
      tx.audit({
        action: 'document.copy_create',
        targetType: 'document',
        targetId: doc.id,
        agencyId: actor.agencyId,
        data: { form, sourceDocumentId: source.id, sourceSymbol: source.symbol ?? null, pages: extract?.pages ?? null, recipientAgencyIds: recipients.map((a) => a.id), externalRecipients: external },
      });
      return doc;
    });
    return this.issue(scope, copy.id, null);
  }

  // ── văn bản giấy ký ngoài hệ thống ──────────────────────────────────────────────────────────────

  /** Vào sổ văn bản đi a paper document signed outside the system, with its scan (one transaction). */
  async registerPaperOutgoing(
    scope: Scope,
    input: {
      typeCode?: string | null;
      typeName?: string | null;
      subject: string;
      issuedDate?: string | null;
      signerName: string;
      signerTitle?: string | null;
      signingAuthority?: SigningAuthority | null;
      legalNormative?: boolean | null;
      urgency?: string | null;
      externalRecipients?: readonly string[] | null;
      scan: File;
    },
  ): Promise<Document> {
    const actor = scope.requireActor();
    if (!canRegisterPaperOutgoing(actor)) throw forbidden('Chỉ văn thư mới được vào sổ văn bản đi.');
    // The rules the form checks too (schema/validation/paper-outgoing.ts), same messages.
    const subject = cleanText(input.subject ?? '');
    const signerName = cleanText(input.signerName ?? '');
    const [textProblem] = paperOutgoingTextProblems({ subject, signerName, signerTitle: input.signerTitle });
    if (textProblem) throw badInput(textProblem.message, textProblem.field);
    const agency = await scope.em.findOneOrFail(Agency, { id: actor.agencyId });
    const now0 = this.deps.clock.now();
    const today = localDateOf(now0, agency.timeZone);
    const issuedDate = input.issuedDate ?? today;
    if (!isPlainDate(issuedDate)) throw badInput(PAPER_OUTGOING_MESSAGES.issuedDate, 'issuedDate');
    const dateProblem = paperIssuedDateProblem(issuedDate, today);
    if (dateProblem) throw badInput(dateProblem, 'issuedDate');
    const settings = await this.settings.get(scope.em, agency.id);
    const active = settings.documentTypes.filter((t) => t.active);
    const type = (input.typeCode ? findTypeByCode(cleanText(input.typeCode), active) : undefined) ?? (input.typeName ? findTypeByName(cleanText(input.typeName), active) : undefined);
    if (!type) throw badInput(PAPER_OUTGOING_MESSAGES.type, 'typeCode');
    if (type.code && isCopyFormCode(type.code)) throw badInput('Bản sao được tạo bằng chức năng sao văn bản.', 'typeCode');
    const authority = input.signingAuthority ? normalizeAuthority(input.signingAuthority) : { ok: true as const, value: defaultAuthority(agency.name, input.signerTitle) };
    if (!authority.ok) throw toAppError(authority);
    const legalNormative = !!input.legalNormative;
    const registerKey = sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode: type.code, policy: settings.numbering, legalNormative });
    if (!input.scan) throw badInput(PAPER_OUTGOING_MESSAGES.scan, 'scan');
    const up = await storeUploads(this.deps, [input.scan], { maxBytes: this.deps.config.maxUploadBytes, field: 'scan' });
    const external = [...new Set((input.externalRecipients ?? []).map((n) => cleanText(n)).filter(Boolean))].slice(0, 200);
    return this.run(scope, async (tx) => {
      const now = this.deps.clock.now();
      const year = Number(issuedDate.slice(0, 4));
      const number = await takeNumber(tx.em, agency.id, registerKey, year);
      const unitAbbr = actor.unitId ? (await tx.em.findOne(Unit, { id: actor.unitId }))?.abbr : null;
      const symbol = legalNormative ? formatSymbol({ number, typeCode: type.code, agencyAbbr: agency.abbr, year }) : formatSymbol({ number, typeCode: type.code, agencyAbbr: agency.abbr, unitAbbr });
      const doc = tx.em.create(Document, {
        agency,
        direction: 'OUTGOING',
        state: 'ISSUED',
        typeCode: type.code,
        typeName: type.name,
        subject,
        urgency: input.urgency && (URGENCIES as readonly string[]).includes(input.urgency) ? input.urgency : 'THUONG',
        secrecy: 'THUONG',
        drafter: tx.em.getReference(User, actor.userId),
        drafterUnit: actor.unitId ? tx.em.getReference(Unit, actor.unitId) : null,
        approvalChain: [],
        approvalStep: null,
        externalRecipients: external,
        signerName,
        signerTitle: input.signerTitle ? cleanText(input.signerTitle) : null,
        number,
        symbol,
        registerKey,
        registerYear: year,
        issuedDate,
        issuedAt: now,
        issuedBy: tx.em.getReference(User, actor.userId),
        createdBy: tx.em.getReference(User, actor.userId),
        createdAt: now,
        updatedAt: now,
      });
      const files = attachFiles(tx, doc, up.stored, 'MAIN', actor.userId, 1);
      if (files[0]?.pageCount) doc.pageCount = files[0].pageCount;
      for (const n of external) tx.em.create(Recipient, { document: doc, agency: null, name: n, statusAt: now });
      const lines = authorityLines(authority.value, input.signerTitle);
      tx.em.create(DocumentIssuing, {
        document: doc,
        paper: true,
        legalNormative,
        authorityMode: authority.value.mode,
        authorityCollective: authority.value.collective ?? null,
        authorityPrincipal: authority.value.principal ?? null,
        authorityLines: lines,
        archiveCopies: [{ holder: 'VT', count: 1 }],
        updatedAt: now,
      });
      tx.em.create(NumberReservation, { agency, registerKey, registerYear: year, number, symbol, issuedDate, document: doc, status: 'USED', attempts: 1, reservedBy: tx.em.getReference(User, actor.userId), reservedAt: now, settledAt: now });
      tx.audit({
        action: 'document.register_paper_outgoing',
        targetType: 'document',
        targetId: doc.id,
        agencyId: agency.id,
        data: { number, symbol, registerKey, registerYear: year, issuedDate, signerName, authority: lines, files: files.map((f) => ({ id: f.id, sha256: f.sha256 })) },
      });
      await enqueueSearchIndex(tx, doc.id);
      publishDocumentChange(tx, this.deps, doc);
      return doc;
    });
  }

  /** Query.paperOutgoingAllowed: may the caller register paper outgoing documents (the web shows the action)? */
  paperOutgoingAllowed(scope: Scope): boolean {
    return canRegisterPaperOutgoing(scope.requireActor());
  }

  // ── giao ký (TL. / TUQ.) and the reservations list ──────────────────────────────────────────────

  async recordDelegation(scope: Scope, input: { delegateId: string; mode: string; principal: string; decisionRef: string; scope?: string | null; validFrom: string; validTo?: string | null }): Promise<SigningDelegation> {
    const actor = scope.requireActor();
    if (!canConfigureAgency(actor, actor.agencyId)) throw forbidden('Chỉ quản trị của cơ quan mới được ghi nhận giao ký.');
    if (!isPlainDate(input.validFrom)) throw badInput('Ngày bắt đầu không hợp lệ, nhập theo dạng dd/mm/yyyy.', 'validFrom');
    if (input.validTo != null && !isPlainDate(input.validTo)) throw badInput('Ngày kết thúc không hợp lệ, nhập theo dạng dd/mm/yyyy.', 'validTo');
    // The rules the delegations form checks too (schema/validation/signing-authority.ts), same messages.
    const problem = delegationProblemOf({ ...input, principal: cleanText(input.principal ?? ''), decisionRef: cleanText(input.decisionRef ?? '') });
    if (problem) throw badInput(problem.message, problem.field);
    const principal = cleanText(input.principal).toLocaleUpperCase('vi-VN');
    const decisionRef = cleanText(input.decisionRef);
    const delegate = isUuid(input.delegateId) ? await scope.em.findOne(User, { id: input.delegateId, agency: actor.agencyId, active: true }) : null;
    if (!delegate) throw badInput('Người được giao ký phải là người dùng đang hoạt động của cơ quan.', 'delegateId');
    return this.run(scope, async (tx) => {
      const d = tx.em.create(SigningDelegation, {
        agency: tx.em.getReference(Agency, actor.agencyId),
        delegate: tx.em.getReference(User, delegate.id),
        mode: input.mode,
        principal,
        decisionRef,
        scope: input.scope ? cleanText(input.scope) : null,
        validFrom: input.validFrom,
        validTo: input.validTo ?? null,
        createdBy: tx.em.getReference(User, actor.userId),
        createdAt: new Date(),
      });
      tx.audit({ action: 'signing_delegation.record', targetType: 'signing_delegation', targetId: d.id, agencyId: actor.agencyId, data: { delegateId: delegate.id, mode: input.mode, principal, decisionRef, validFrom: input.validFrom, validTo: input.validTo ?? null } });
      return d;
    });
  }

  async revokeDelegation(scope: Scope, id: string): Promise<SigningDelegation> {
    const actor = scope.requireActor();
    if (!canConfigureAgency(actor, actor.agencyId)) throw forbidden('Chỉ quản trị của cơ quan mới được thu hồi giao ký.');
    return this.run(scope, async (tx) => {
      const d = isUuid(id) ? await tx.em.findOne(SigningDelegation, { id, agency: actor.agencyId }) : null;
      if (!d) throw new AppError('NOT_FOUND', 'Không tìm thấy văn bản giao ký.');
      if (!d.revokedAt) {
        d.revokedAt = new Date();
        tx.audit({ action: 'signing_delegation.revoke', targetType: 'signing_delegation', targetId: d.id, agencyId: actor.agencyId, data: { delegateId: d.delegate.id, mode: d.mode } });
      }
      return d;
    });
  }

  async delegations(scope: Scope, includeRevoked: boolean): Promise<SigningDelegation[]> {
    const actor = scope.requireActor();
    if (!['QUAN_TRI', 'VAN_THU', 'LANH_DAO'].some((r) => actor.roles.includes(r as never))) throw forbidden('Bạn không xem được danh sách giao ký.');
    return scope.em.find(SigningDelegation, { agency: actor.agencyId, ...(includeRevoked ? {} : { revokedAt: null }) }, { populate: ['delegate'], orderBy: { validFrom: 'desc', id: 'asc' } });
  }

  async reservations(scope: Scope, status?: string | null, year?: number | null): Promise<NumberReservation[]> {
    const actor = scope.requireActor();
    if (!['QUAN_TRI', 'VAN_THU', 'LANH_DAO'].some((r) => actor.roles.includes(r as never))) throw forbidden('Bạn không xem được sổ cấp số.');
    return scope.em.find(
      NumberReservation,
      { agency: actor.agencyId, ...(status ? { status: status as ReservationStatus } : {}), ...(year ? { registerYear: year } : {}) },
      { orderBy: { reservedAt: 'desc', id: 'asc' }, limit: 500 },
    );
  }

  private async recipientAgencies(em: Tx['em'], senderAgencyId: string, ids: readonly string[]): Promise<Agency[]> {
    const unique = [...new Set(ids)];
    if (unique.length > 200) throw badInput('Tối đa 200 nơi nhận.', 'recipientAgencyIds');
    if (unique.some((id) => !isUuid(id))) throw badInput('Mã cơ quan nhận không hợp lệ.', 'recipientAgencyIds');
    if (unique.includes(senderAgencyId)) throw badInput('Không gửi văn bản cho chính cơ quan mình.', 'recipientAgencyIds');
    if (!unique.length) return [];
    const found = await em.find(Agency, { id: { $in: unique }, active: true });
    if (found.length !== unique.length) throw badInput('Có cơ quan nhận không tồn tại hoặc đã ngừng hoạt động.', 'recipientAgencyIds');
    return found;
  }

  private async latestDraftFiles(em: Tx['em'], documentId: string): Promise<DocumentFile[]> {
    const drafts = await em.find(DocumentFile, { document: documentId, kind: 'DRAFT' }, { orderBy: { version: 'desc', id: 'asc' } });
    return drafts.filter((f) => f.version === drafts[0]?.version);
  }

  private async run<T>(scope: Scope, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return scope.transaction(fn);
  }
}

function sequenceKeySafe(typeCode: string | null | undefined): boolean {
  try {
    sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode, legalNormative: true });
    return true;
  } catch {
    return false;
  }
}

/** Hình thức sao as printed in the copy block. */
export const COPY_LABELS: Readonly<Record<string, string>> = { SY: 'SAO Y', SL: 'SAO LỤC', TrS: 'TRÍCH SAO' };

export function notPdfMessage(fileName: string): string {
  return `Tệp "${fileName}" không phải PDF hay văn bản Word/OpenDocument (DOCX, DOC, ODT): không ký số được. Hãy tải lên bản PDF hoặc DOCX của dự thảo.`;
}

/** A file to issue: the draft file and its PDF (the file itself, or its conversion). */
interface IssueSource {
  from: DocumentFile;
  bytes: Buffer;
  /** The issued file's name: `.docx` → `.pdf`. */
  fileName: string;
  pageCount: number | null;
}

interface Produced {
  main: { key: string; sha256: string; size: number } | null;
  attachments: { key: string; sha256: string; size: number; from: IssueSource }[];
}

const DRAFT_EXT = /\.(pdf|docx|doc|odt)$/iu;

/** "du-thao.docx" → "du-thao.pdf". */
function pdfName(name: string): string {
  return `${name.replace(DRAFT_EXT, '')}.pdf`;
}

function signedName(name: string): string {
  return `${name.replace(DRAFT_EXT, '')} (đã ký).pdf`;
}
