/**
 * The signing core as a service (issue 12): server-held keys (agency, uploaded personal PKCS#12), the
 * external/USB-token path (prepare → sign elsewhere → complete), verification of a file's signatures
 * (cached per sha256) and the trust store (demo root in the database + CONGVAN_TRUST_ANCHORS files).
 * The issuing flow (documents/issuing) calls signAsUser / signAsAgency / takeCompletedSession / stampText.
 */
import { createHash, X509Certificate, verify as cryptoVerify } from 'node:crypto';
import fs from 'node:fs';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Services } from '../../services';
import { AppError, badInput, forbidden, notFound } from '../../shared/errors';
import type { Scope } from '../../shared/scope';
import { Agency } from '../identity/entities/agency.entity';
import { User } from '../identity/entities/user.entity';
import { Document } from '../documents/entities/document.entity';
import { DocumentFile } from '../documents/entities/document-file.entity';
import { Scan } from '../ocr/ocr.entities';
import { accessInfoFor } from '../documents/documents.policy';
import { facetShowsFile } from '../documents/domain';
import { certificateKind, derToPem, fromPkcs12, orderChain, pemToDers, type KeyAndChain } from './crypto/certificates';
import { defaultConverter, isConvertibleToPdf, type DocumentConverter } from '../../infra/convert/converter';
import { KeyStore } from './keystore';
import { LocalCertificateAuthority } from './ca.service';
import { embedSignature, preparePdfSignature, stampText, type TextStamp } from './pdf/pades';
import type { FileSignature, SignOptions } from './pdf/types';
import { SigningPool } from './pool';
import { FileSignatureCheck, SigningCredential, SigningSession, TrustAnchor } from './signing.entities';
import { canManageAgencyCredential, canSeeAgencyCredential } from './signing.policy';

/** A prepared session waits this long for the token's signature. */
const SESSION_MINUTES = 30;
const MAX_P12_BYTES = 64 * 1024;
const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
const MAX_VERIFY_BYTES = 50 * 1024 * 1024;

export type SignOpts = Omit<SignOptions, 'kind'>;
/**
 * Where the issuing flow wants a personal signature of a file drawn (token path); null = invisible. `pdf`: the
 * PDF being signed when the file itself is a DOCX (its conversion).
 */
export type PlacementResolver = (em: EntityManager, file: DocumentFile, userId: string, pdf?: Uint8Array) => Promise<SignOpts | null>;

const isPng = (b: Buffer) => b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
const cn = (subject: string) => /(?:^|\n)CN=([^\n]*)/.exec(subject)?.[1] ?? subject;

export class SigningService {
  readonly keystore: KeyStore;
  /** Signing with server-held keys and verification run on worker threads (pool.ts), off the API's event loop. */
  readonly pool = new SigningPool();
  private envAnchors: Buffer[] | null = null;
  private placementResolver: PlacementResolver | null = null;

  /** The CAs this deployment runs (their CRLs, revocation): ca.service.ts. */
  readonly ca: LocalCertificateAuthority;
  /** DOCX → PDF before a token signature (the process-wide LibreOffice converter, as the issuing flow uses). */
  converter: DocumentConverter = defaultConverter();

  constructor(private readonly services: Services) {
    this.keystore = new KeyStore(services.config.dataDir);
    this.ca = new LocalCertificateAuthority(services, this.keystore);
  }

  /** The issuing flow registers how a file's personal signature is placed (signer block between title and name). */
  setPlacementResolver(fn: PlacementResolver): void {
    this.placementResolver = fn;
  }

  // ───────────────────────── trust store

  /** CONGVAN_TRUST_ANCHORS: comma- or colon-separated PEM file paths (each may hold several certificates). */
  private envTrustAnchors(): Buffer[] {
    if (!this.envAnchors) {
      const files = (process.env.CONGVAN_TRUST_ANCHORS ?? '').split(/[,:]/).map((f) => f.trim()).filter(Boolean);
      this.envAnchors = files.flatMap((f) => pemToDers(fs.readFileSync(f, 'utf8')));
    }
    return this.envAnchors;
  }

  async trustAnchors(em: EntityManager): Promise<Buffer[]> {
    const rows = await em.find(TrustAnchor, {});
    return [...this.envTrustAnchors(), ...rows.flatMap((r) => pemToDers(r.certificatePem))];
  }

  private static anchorsHash(anchors: Buffer[]): string {
    const h = createHash('sha256');
    for (const a of [...anchors].sort(Buffer.compare)) h.update(a);
    return h.digest('hex');
  }

  // ───────────────────────── verification

  /** Every signature in the PDF: integrity, chain, revocation, kind, time, reason. */
  async verifyPdf(pdf: Uint8Array, em: EntityManager = this.services.orm.em.fork()): Promise<FileSignature[]> {
    const anchors = await this.trustAnchors(em);
    return this.pool.verify(pdf, anchors, await this.ca.crls(em));
  }

  /** DocumentFile.signatures: computed once per content and trust store, then read from file_signature_check. */
  async signaturesOf(em: EntityManager, file: Pick<DocumentFile, 'contentType' | 'sha256' | 'storageKey'>): Promise<FileSignature[]> {
    if (file.contentType !== 'application/pdf') return [];
    const anchors = await this.trustAnchors(em);
    const crls = await this.ca.crls(em);
    // The local CRLs are part of the key: a revocation (a new CRL) makes every cached result stale.
    const anchorsHash = SigningService.anchorsHash([...anchors, ...crls]);
    const cached = await em.findOne(FileSignatureCheck, { sha256: file.sha256 });
    if (cached && cached.anchorsHash === anchorsHash) return cached.signatures;
    const bytes = await this.services.storage.getBuffer(file.storageKey);
    const signatures = await this.pool.verify(bytes, anchors, crls);
    // A derived, content-keyed cache (like ocr_result): written outside any business transaction, no audit.
    await em.getConnection().execute(
      `insert into file_signature_check (sha256, signatures, anchors_hash, checked_at) values (?, ?, ?, now())
       on conflict (sha256) do update set signatures = excluded.signatures, anchors_hash = excluded.anchors_hash, checked_at = now()`,
      [file.sha256, JSON.stringify(signatures), anchorsHash],
    );
    return signatures;
  }

  /** For the receiver / registration: null when every signature is intact and trusted, else the reason. */
  blockingProblem(sigs: FileSignature[]): string | null {
    const bad = sigs.find((s) => !s.valid || !s.trusted || s.revocation === 'REVOKED');
    if (!bad) return null;
    const what = bad.kind === 'AGENCY' ? 'Chữ ký số cơ quan' : 'Chữ ký số';
    return `${what} của "${bad.signerName}" không hợp lệ: ${bad.errors[0] ?? (bad.valid ? 'chứng thư số không được tin cậy.' : 'tệp đã bị thay đổi.')}`;
  }

  /**
   * Vào sổ of an uploaded PDF (a document received by e-mail, issue 12): every signature of every PDF among the
   * uploads and the scans uploaded beforehand (`scanIds`, the caller's agency) must be intact, chain to a trust
   * anchor and not be revoked; otherwise registration is refused with the reason at the file field, before
   * anything is stored or a number drawn. Files without signatures (paper scans) pass; a revocation that could
   * not be checked ("chưa kiểm tra") does not block.
   */
  async assertRegistrable(em: EntityManager, agencyId: string, uploads: readonly File[], scanIds: readonly string[]): Promise<void> {
    const check = async (name: string, bytes: Uint8Array, field: string) => {
      if (bytes.length < 5 || Buffer.from(bytes.subarray(0, 5)).toString('latin1') !== '%PDF-') return;
      let problem: string | null;
      try {
        problem = this.blockingProblem(await this.verifyPdf(bytes, em));
      } catch (e) {
        problem = `không kiểm tra được chữ ký số (${e instanceof Error ? e.message : String(e)}).`;
      }
      if (problem) throw badInput(`Không vào sổ được tệp "${name}": ${problem}`, field);
    };
    for (const f of uploads.filter(Boolean)) {
      if (f.size > MAX_VERIFY_BYTES) continue; // storeUploads refuses it with its own message
      await check(f.name, new Uint8Array(await f.arrayBuffer()), 'files');
    }
    const ids = scanIds.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    if (!ids.length) return;
    const scans = await em.find(Scan, { id: { $in: ids }, agency: agencyId, contentType: 'application/pdf' });
    for (const s of scans) await check(s.fileName, await this.services.storage.getBuffer(s.storageKey), 'fileIds');
  }

  /** Mutation.verifyPdfSignatures: an uploaded PDF checked, nothing stored. */
  async verifyUpload(scope: Scope, file: File): Promise<FileSignature[]> {
    scope.requireActor();
    if (file.size > MAX_VERIFY_BYTES) throw badInput('Tệp quá lớn (tối đa 50 MB).', 'file');
    return this.verifyPdf(new Uint8Array(await file.arrayBuffer()), scope.em);
  }

  // ───────────────────────── server-held keys

  private async activeCredential(em: EntityManager, where: { user: string } | { agency: string; user: null }, kind: 'PERSONAL' | 'AGENCY'): Promise<SigningCredential | null> {
    return em.findOne(SigningCredential, { ...where, kind, active: true }, { orderBy: { createdAt: 'desc' }, populate: ['encryptedKey', 'image'] });
  }

  private openCredential(c: SigningCredential, field: string, at: Date): KeyAndChain {
    if (c.source !== 'SERVER_KEY' || !c.encryptedKey) throw badInput('Chứng thư số này nằm trên thiết bị ký (USB token): hãy ký qua phần mềm ký số.', field);
    if (at > c.notAfter) throw badInput(`Chứng thư số đã hết hạn (${c.notAfter.toISOString().slice(0, 10)}).`, field);
    if (at < c.notBefore) throw badInput('Chứng thư số chưa có hiệu lực.', field);
    const k = this.keystore.openKey(c.encryptedKey);
    // The root is the verifier's trust anchor: embed the leaf and intermediates only.
    const chain = k.chain.filter((d, i) => i === 0 || !new X509Certificate(d).checkIssued(new X509Certificate(d)));
    return { privateKeyPem: k.privateKeyPem, chain };
  }

  private async signWith(c: SigningCredential, pdf: Uint8Array, kind: 'PERSONAL' | 'AGENCY', opts: SignOpts, field: string): Promise<Uint8Array> {
    const signingTime = opts.signingTime ?? this.services.clock.now();
    const key = this.openCredential(c, field, signingTime);
    const placement = opts.placement ? { ...opts.placement, image: opts.placement.image === undefined ? (c.image ?? null) : opts.placement.image } : null;
    return this.pool.sign(pdf, { ...opts, kind, placement, signingTime, name: opts.name ?? cn(c.subject) }, key).catch(asBadPdf);
  }

  /** Signs with the user's server-held personal key. */
  async signAsUser(em: EntityManager, userId: string, pdf: Uint8Array, opts: SignOpts): Promise<Uint8Array> {
    const c = await this.activeCredential(em, { user: userId }, 'PERSONAL');
    if (!c) throw badInput('Bạn chưa có chứng thư số cá nhân: hãy tải lên tệp PKCS#12 hoặc đăng ký chứng thư của thiết bị ký (USB token).', 'certificate');
    return this.signWith(c, pdf, 'PERSONAL', opts, 'certificate');
  }

  /** The agency signature (chữ ký số cơ quan) with the agency's key. */
  async signAsAgency(em: EntityManager, agencyId: string, pdf: Uint8Array, opts: SignOpts): Promise<Uint8Array> {
    const c = await this.activeCredential(em, { agency: agencyId, user: null }, 'AGENCY');
    if (!c) throw badInput('Cơ quan chưa có chứng thư số cơ quan: quản trị cần tải lên tệp PKCS#12 của cơ quan.', 'agencyCertificate');
    return this.signWith(c, pdf, 'AGENCY', opts, 'agencyCertificate');
  }

  async hasPersonalKey(em: EntityManager, userId: string): Promise<'SERVER_KEY' | 'TOKEN' | null> {
    const c = await em.findOne(SigningCredential, { user: userId, kind: 'PERSONAL', active: true }, { orderBy: { createdAt: 'desc' } });
    return c ? c.source : null;
  }

  /** Incremental text stamp (number, date) that keeps earlier signatures valid. */
  stampText(pdf: Uint8Array, items: TextStamp[]): Promise<Uint8Array> {
    return stampText(pdf, items).catch(asBadPdf);
  }

  // ───────────────────────── credentials

  private credentialFrom(k: { chain: Buffer[] }, owner: { agency: Agency; user: User | null }, kind: 'PERSONAL' | 'AGENCY', source: 'SERVER_KEY' | 'TOKEN'): Partial<SigningCredential> {
    const x = new X509Certificate(k.chain[0]);
    return {
      agency: owner.agency,
      user: owner.user,
      kind,
      source,
      certificatePem: k.chain.map(derToPem).join(''),
      subject: x.subject,
      issuer: x.issuer,
      serialNumber: x.serialNumber,
      notBefore: new Date(x.validFrom),
      notAfter: new Date(x.validTo),
      active: true,
    };
  }

  private async readImage(image: File | null | undefined): Promise<Buffer | null> {
    if (!image) return null;
    if (image.size > MAX_IMAGE_BYTES) throw badInput('Ảnh chữ ký / con dấu tối đa 2 MB.', 'image');
    const b = Buffer.from(await image.arrayBuffer());
    if (!isPng(b)) throw badInput('Ảnh chữ ký / con dấu phải là tệp PNG nền trong suốt.', 'image');
    return b;
  }

  private async readP12(file: File, password: string): Promise<KeyAndChain> {
    if (file.size > MAX_P12_BYTES) throw badInput('Tệp PKCS#12 quá lớn.', 'file');
    try {
      return fromPkcs12(Buffer.from(await file.arrayBuffer()), password);
    } catch (e) {
      const msg = e instanceof Error ? e.message : '';
      throw badInput(msg || 'Không đọc được tệp PKCS#12.', /Mật khẩu/.test(msg) ? 'password' : 'file');
    }
  }

  /** Stores a credential (the previous active one of the same owner and kind is retired) with its audit event. */
  private async store(scope: Scope, data: Partial<SigningCredential>, action: string): Promise<SigningCredential> {
    return scope.transaction(async (tx) => {
      const where = data.user ? { user: data.user.id, kind: data.kind, active: true } : { agency: data.agency!.id, user: null, kind: data.kind, active: true };
      const previous = await tx.em.find(SigningCredential, where as never);
      for (const p of previous) p.active = false;
      const c = tx.em.create(SigningCredential, data as SigningCredential);
      tx.audit({
        action,
        targetType: 'signing_credential',
        targetId: c.id,
        agencyId: data.agency!.id,
        data: { kind: c.kind, source: c.source, subject: c.subject, serialNumber: c.serialNumber, notAfter: c.notAfter.toISOString(), replaced: previous.map((p) => p.id) },
      });
      await tx.em.flush();
      return c;
    });
  }

  async uploadPersonal(scope: Scope, file: File, password: string, image?: File | null): Promise<SigningCredential> {
    const actor = scope.requireActor();
    const k = await this.readP12(file, password);
    if (certificateKind(k.chain[0]) === 'AGENCY') throw badInput('Đây là chứng thư số của cơ quan, không phải chứng thư số cá nhân.', 'file');
    const user = await scope.em.findOneOrFail(User, { id: actor.userId }, { populate: ['agency'] });
    const img = await this.readImage(image);
    const data = { ...this.credentialFrom(k, { agency: user.agency, user }, 'PERSONAL', 'SERVER_KEY'), encryptedKey: this.keystore.sealKey(k), image: img };
    return this.store(scope, data, 'signing.credential.upload');
  }

  async registerToken(scope: Scope, certificatesPem: string, image?: File | null): Promise<SigningCredential> {
    const actor = scope.requireActor();
    const ders = pemToDers(certificatesPem);
    if (!ders.length) throw badInput('Không có chứng thư số (PEM) nào trong nội dung gửi lên.', 'certificatesPem');
    let chain: Buffer[];
    try {
      chain = orderChain(ders);
    } catch {
      throw badInput('Chứng thư số (PEM) không đọc được.', 'certificatesPem');
    }
    const user = await scope.em.findOneOrFail(User, { id: actor.userId }, { populate: ['agency'] });
    const data = { ...this.credentialFrom({ chain }, { agency: user.agency, user }, 'PERSONAL', 'TOKEN'), encryptedKey: null, image: await this.readImage(image) };
    return this.store(scope, data, 'signing.credential.register_token');
  }

  async uploadAgency(scope: Scope, file: File, password: string, image?: File | null): Promise<SigningCredential> {
    const actor = scope.requireActor();
    if (!canManageAgencyCredential(actor)) throw forbidden('Chỉ quản trị của cơ quan được cài đặt chứng thư số cơ quan.');
    const k = await this.readP12(file, password);
    const agency = await scope.em.findOneOrFail(Agency, { id: actor.agencyId });
    const data = { ...this.credentialFrom(k, { agency, user: null }, 'AGENCY', 'SERVER_KEY'), encryptedKey: this.keystore.sealKey(k), image: await this.readImage(image) };
    return this.store(scope, data, 'signing.credential.upload_agency');
  }

  async myCredentials(scope: Scope): Promise<SigningCredential[]> {
    const actor = scope.requireActor();
    return scope.em.find(SigningCredential, { user: actor.userId, active: true }, { orderBy: { createdAt: 'desc' } });
  }

  /**
   * Query.agencySigningCredentials (quản trị): every certificate of the agency — the agency's and its users' —
   * newest first; with includeInactive, the replaced and revoked ones too.
   */
  async agencyCredentials(scope: Scope, includeInactive: boolean): Promise<SigningCredential[]> {
    const actor = scope.requireActor();
    if (!canManageAgencyCredential(actor)) throw forbidden('Chỉ quản trị của cơ quan được xem các chứng thư số của cơ quan.');
    return scope.em.find(SigningCredential, { agency: actor.agencyId, ...(includeInactive ? {} : { active: true }) }, { populate: ['user'], orderBy: { createdAt: 'desc', id: 'asc' }, limit: 500 });
  }

  /** SigningCredential.canRevoke: the caller is the quản trị of its agency, it is not revoked, and a CA we run issued it. */
  async canRevoke(scope: Scope, c: SigningCredential): Promise<boolean> {
    const actor = scope.actor;
    if (!actor || !canManageAgencyCredential(actor) || c.agency.id !== actor.agencyId) return false;
    if ((await this.ca.revocationsOf(scope.em, [c.id])).has(c.id)) return false;
    return this.ca.issuerOf(c, await this.ca.operatedIssuers(scope.em)) !== null;
  }

  async agencyCredential(scope: Scope): Promise<SigningCredential | null> {
    const actor = scope.requireActor();
    if (!canSeeAgencyCredential(actor)) throw forbidden();
    return scope.em.findOne(SigningCredential, { agency: actor.agencyId, user: null, kind: 'AGENCY', active: true }, { orderBy: { createdAt: 'desc' } });
  }

  async credentialHasImage(em: EntityManager, c: SigningCredential): Promise<boolean> {
    const [r] = await em.getConnection().execute<{ has: boolean }[]>('select image is not null as has from signing_credential where id = ?', [c.id]);
    return !!r?.has;
  }

  // ───────────────────────── external signing (USB token)

  /** Step 1: the caller's file (a document they may see) prepared for their signature. */
  async prepare(scope: Scope, fileId: string, certificatesPem?: string | null): Promise<{ session: SigningSession; digest: Buffer }> {
    const actor = scope.requireActor();
    const file = await scope.em.findOne(DocumentFile, { id: fileId }, { populate: ['document'] });
    if (!file) throw notFound('Tệp');
    const doc = await scope.em.findOneOrFail(Document, { id: file.document.id });
    const facet = this.services.documents.facet(scope, await accessInfoFor(scope.em, doc));
    if (!facet || !facetShowsFile(facet, file.kind)) throw notFound('Tệp');
    const convert = isConvertibleToPdf(file.contentType);
    if (file.contentType !== 'application/pdf' && !convert) throw badInput('Chỉ ký số được tệp PDF hoặc dự thảo DOCX (chuyển sang PDF trước khi ký).', 'fileId');

    let chain: Buffer[];
    if (certificatesPem) {
      chain = orderChain(pemToDers(certificatesPem));
      if (!chain.length) throw badInput('Không có chứng thư số (PEM) nào trong nội dung gửi lên.', 'certificatesPem');
    } else {
      const c = await this.activeCredential(scope.em, { user: actor.userId }, 'PERSONAL');
      if (!c) throw badInput('Bạn chưa đăng ký chứng thư số của thiết bị ký (USB token).', 'certificatesPem');
      chain = pemToDers(c.certificatePem);
    }
    const now = this.services.clock.now();
    const leaf = new X509Certificate(chain[0]);
    if (now > new Date(leaf.validTo) || now < new Date(leaf.validFrom)) throw badInput('Chứng thư số không còn hiệu lực.', 'certificatesPem');
    // A DOCX draft is signed as its PDF conversion (LibreOffice, before the session's transaction); the signed
    // PDF the session holds becomes the signed draft version (issuing signPersonal), the DOCX stays the source.
    const stored = await this.services.storage.getBuffer(file.storageKey);
    const pdf = convert ? await this.converter.toPdf(stored, file.fileName) : stored;
    const opts = (await this.placementResolver?.(scope.em, file, actor.userId, convert ? pdf : undefined)) ?? {};
    if (opts.placement && opts.placement.image === undefined) {
      const c = await this.activeCredential(scope.em, { user: actor.userId }, 'PERSONAL');
      opts.placement = { ...opts.placement, image: c?.image ?? null };
    }
    const prepared = await preparePdfSignature(pdf, { ...opts, kind: 'PERSONAL', signingTime: now, name: opts.name ?? cn(leaf.subject) }, chain).catch(asBadPdf);
    return scope.transaction(async (tx) => {
      const session = tx.em.create(SigningSession, {
        user: tx.em.getReference(User, actor.userId),
        file,
        documentId: doc.id,
        status: 'PREPARED',
        kind: 'PERSONAL',
        pdf: Buffer.from(prepared.pdf),
        contentsOffset: prepared.contentsOffset,
        contentsHexLength: prepared.contentsHexLength,
        signedAttributes: Buffer.from(prepared.signedAttributes),
        certificatePem: chain.map(derToPem).join(''),
        signingTime: prepared.signingTime,
        expiresAt: new Date(now.getTime() + SESSION_MINUTES * 60_000),
        createdAt: now,
      });
      tx.audit({ action: 'signature.prepare', targetType: 'document', targetId: doc.id, agencyId: doc.agency.id, data: { sessionId: session.id, fileId: file.id, certificate: leaf.serialNumber } });
      await tx.em.flush();
      return { session, digest: Buffer.from(prepared.digest) };
    });
  }

  /** Step 3: the token's signature value embedded; the session then holds the signed PDF. */
  async complete(scope: Scope, sessionId: string, signatureBase64: string, certificatesPem: string): Promise<SigningSession> {
    const actor = scope.requireActor();
    return scope.transaction(async (tx) => {
      const s = await tx.em.findOne(SigningSession, { id: sessionId, user: actor.userId }, { populate: ['pdf'], lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!s) throw notFound('Phiên ký số');
      if (s.status !== 'PREPARED') throw badInput('Phiên ký số đã được hoàn tất.', 'sessionId');
      if (this.services.clock.now() > s.expiresAt) throw badInput('Phiên ký số đã hết hạn: hãy ký lại.', 'sessionId');
      const chain = orderChain(pemToDers(certificatesPem));
      const expected = pemToDers(s.certificatePem)[0];
      if (!chain.length || !chain[0].equals(expected)) throw badInput('Chứng thư số không khớp với chứng thư đã dùng khi chuẩn bị ký.', 'certificatesPem');
      const signature = Buffer.from(signatureBase64, 'base64');
      const ok = cryptoVerify('sha256', s.signedAttributes, new X509Certificate(chain[0]).publicKey, signature);
      if (!ok) throw badInput('Giá trị chữ ký không khớp với chứng thư số (thiết bị ký đã ký sai dữ liệu).', 'signatureBase64');
      const signed = embedSignature(
        { pdf: s.pdf, contentsOffset: s.contentsOffset, contentsHexLength: s.contentsHexLength, signedAttributes: s.signedAttributes, digest: new Uint8Array(), signingTime: s.signingTime },
        signature,
        chain.filter((d) => !new X509Certificate(d).checkIssued(new X509Certificate(d))),
      );
      s.pdf = Buffer.from(signed);
      s.signedSha256 = createHash('sha256').update(signed).digest('hex');
      s.status = 'COMPLETED';
      tx.audit({ action: 'signature.complete', targetType: 'document', targetId: s.documentId, agencyId: actor.agencyId, data: { sessionId: s.id, sha256: s.signedSha256 } });
      return s;
    });
  }

  /** The signed PDF of a COMPLETED session of that user, once (then CONSUMED). Call inside the flow's transaction. */
  async takeCompletedSession(em: EntityManager, sessionId: string, userId: string): Promise<{ pdf: Uint8Array; sha256: string; fileId: string; documentId: string }> {
    const s = await em.findOne(SigningSession, { id: sessionId, user: userId }, { populate: ['pdf'] });
    if (!s) throw notFound('Phiên ký số');
    if (s.status !== 'COMPLETED') throw badInput(s.status === 'CONSUMED' ? 'Phiên ký số đã được dùng.' : 'Phiên ký số chưa được ký xong.', 'signingSessionId');
    s.status = 'CONSUMED';
    return { pdf: s.pdf, sha256: s.signedSha256 as string, fileId: s.file.id, documentId: s.documentId };
  }
}

function asBadPdf(e: unknown): never {
  if (e instanceof AppError) throw e;
  throw badInput(e instanceof Error ? e.message : 'Tệp PDF không hợp lệ.', 'file');
}
