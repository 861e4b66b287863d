/**
 * .edxml files for the văn thư (issue 13): export an issued outgoing document as an edXML package (built
 * streaming with buildEdxml from the stored files into the object store, handed out as a short-lived download
 * link), and import a package received by other means (mail, USB…) into the inbox like any received message.
 */
import { Readable } from 'node:stream';
import type { Services } from '../../../services';
import { badInput, forbidden } from '../../../shared/errors';
import type { Scope } from '../../../shared/scope';
import { Agency } from '../../identity/entities/agency.entity';
import { documentNotFound, loadVisibleDocumentWithAccess } from '../../documents/documents.policy';
import { DocumentFile } from '../../documents/entities/document-file.entity';
import { Recipient } from '../../documents/entities/misc.entities';
import { isSecret, type Secrecy } from '../../documents/domain';
import { DigestSink, EdxmlParseError, buildEdxml, parseEdxml, rejectionReason, validateEdxml, type BuildAttachment } from '../edxml';
import { documentFactsOf, documentPackage, fileFactsOf } from '../outbox/package';
import type { InboxReceiver } from '../transport';
import { mayManageIssued } from './domain';

/** An exported package's link lives 10 minutes (like file links). */
export const EXPORT_URL_SECONDS = 600;
/** The largest .edxml a văn thư may import (attachments are base64 inside: 4/3 of the files). */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

export interface EdxmlExportResult {
  url: string;
  fileName: string;
  size: number;
  sha256: string;
}

/** "125/QĐ-UBND" → "125-QD-UBND.edxml" (a safe download name). */
export function exportFileName(symbol: string | null, fallback: string): string {
  const base = (symbol ?? fallback)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${base || 'van-ban'}.edxml`;
}

export class EdxmlFilesService {
  constructor(private readonly services: Services) {}

  private receiver(): InboxReceiver {
    return this.services.exchange.receiver;
  }

  /** Tải .edxml: the issued outgoing document with its issued files (bản chính, phụ lục). Văn thư or lãnh đạo. */
  async exportDocument(scope: Scope, documentId: string): Promise<EdxmlExportResult> {
    const actor = scope.requireActor();
    const { doc } = await loadVisibleDocumentWithAccess(scope, documentId);
    if (doc.agency.id !== actor.agencyId) throw documentNotFound();
    if (!mayManageIssued({ userId: actor.userId, agencyId: actor.agencyId, roles: actor.roles }, { agencyId: doc.agency.id })) {
      throw forbidden('Chỉ văn thư hoặc lãnh đạo cơ quan ban hành mới được tải gói edXML.');
    }
    if (doc.direction !== 'OUTGOING' || doc.state !== 'ISSUED') throw badInput('Chỉ văn bản đi đã phát hành mới xuất được gói edXML.', 'documentId');
    if (isSecret(doc.secrecy as Secrecy)) throw badInput('Văn bản mật không được gửi điện tử (QĐ 28/2018/QĐ-TTg).', 'documentId');
    const em = scope.em;
    const agency = await em.findOneOrFail(Agency, { id: doc.agency.id });
    const files = (await em.find(DocumentFile, { document: doc.id, kind: { $in: ['MAIN', 'ATTACHMENT'] } }, { orderBy: { createdAt: 'asc', id: 'asc' } })).sort(
      (a, b) => (a.kind === b.kind ? 0 : a.kind === 'MAIN' ? -1 : 1),
    );
    const recipients = await em.find(Recipient, { document: doc.id }, { populate: ['agency'], orderBy: { id: 'asc' } });
    const to = recipients.flatMap((r) => {
      const code = r.agency?.code ?? r.agencyCode ?? null;
      return code ? [{ organId: code, organName: r.name }] : [];
    });
    const now = this.services.clock.now();
    const pkg = documentPackage(
      { organId: agency.code, organName: agency.name },
      to,
      documentFactsOf(doc, agency.place ?? ''),
      files.map(fileFactsOf),
      now,
    );
    const storage = this.services.storage;
    // streaming: each attachment is read from the store while the package is written into the store
    const body = Readable.from(buildEdxml(pkg as Parameters<typeof buildEdxml>[0], (_att: BuildAttachment, i: number) => storage.get(files[i].storageKey)));
    const put = await storage.put(body, { contentType: 'application/xml' });
    const fileName = exportFileName(doc.symbol ?? null, doc.id);
    await scope.transaction(async (tx) => {
      tx.audit({ action: 'document.export_edxml', targetType: 'document', targetId: doc.id, agencyId: doc.agency.id, data: { sha256: put.sha256, size: put.size, files: files.length } });
    });
    const url = await storage.presignedGetUrl(put.key, { fileName, disposition: 'attachment', expiresSeconds: EXPORT_URL_SECONDS, contentType: 'application/xml' });
    return { url, fileName, size: put.size, sha256: put.sha256 };
  }

  /** May the caller import .edxml files? The văn thư of an agency. */
  importAllowed(scope: Scope): boolean {
    return scope.requireActor().roles.includes('VAN_THU');
  }

  /**
   * Nhập tệp .edxml: checked first (the codec and validateEdxml; the package must be a document addressed to the
   * caller's agency) — a bad file is BAD_USER_INPUT at field "file" with the codec's precise reason — then
   * handed to the inbox (via FILE), which stores it and applies it like any received message.
   */
  async importFile(scope: Scope, file: File): Promise<{ accepted: boolean; duplicate: boolean }> {
    const actor = scope.requireActor();
    if (!this.importAllowed(scope)) throw forbidden('Chỉ văn thư mới được nhập tệp edXML.');
    if (!file || typeof file.stream !== 'function') throw badInput('Chưa chọn tệp .edxml.', 'file');
    if (file.size > MAX_IMPORT_BYTES) throw badInput(`Tệp quá lớn (tối đa ${MAX_IMPORT_BYTES / 1024 / 1024} MB).`, 'file');
    let value;
    try {
      value = (await parseEdxml(Readable.fromWeb(file.stream() as never), new DigestSink())).value;
    } catch (e) {
      if (e instanceof EdxmlParseError) throw badInput(`Tệp edXML không hợp lệ: ${e.message}`, 'file');
      throw e;
    }
    if (value.kind !== 'document') throw badInput('Tệp là thông điệp trạng thái, không phải văn bản.', 'file');
    const problems = validateEdxml(value, { now: this.services.clock.now() });
    if (problems.length) throw badInput(`Tệp edXML không hợp lệ: ${rejectionReason(problems)}`, 'file');
    const agency = await scope.em.findOneOrFail(Agency, { id: actor.agencyId });
    if (!value.header.to.some((t) => t.organId === agency.code)) {
      throw badInput(`Văn bản trong tệp không gửi cho cơ quan của bạn (mã định danh ${agency.code}).`, 'file');
    }
    const r = await this.receiver().receive(Readable.fromWeb(file.stream() as never), { via: 'FILE', peerId: null });
    if (!r.ok) throw badInput(`Tệp edXML không hợp lệ: ${r.reason}`, 'file');
    await scope.transaction(async (tx) => {
      tx.audit({ action: 'exchange.import_edxml', targetType: 'exchange_inbox', targetId: r.ack, agencyId: actor.agencyId, data: { fileName: file.name, size: file.size, duplicate: r.duplicate, documentId: value.header.documentId ?? null } });
    });
    return { accepted: true, duplicate: r.duplicate };
  }
}
