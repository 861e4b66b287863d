/**
 * The business messages on top of the exchange core (services.exchange, DESIGN.md):
 * - `ExchangeBusinessPort` implemented with the core's outbox (queueDocument / queueStatus);
 * - the core's apply hooks for what it does not handle itself: STATUS 13 (at the receiver), 15 / 16 (at the
 *   sender), DOCUMENT BussinessDocType 1 / 2 / 3 (at the receiver). A message about a document whose own
 *   delivery has not been applied yet is HELD; the core re-tries it once that document is applied.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Services } from '../../../services';
import type { Tx } from '../../../shared/scope';
import { Agency } from '../../identity/entities/agency.entity';
import { Document } from '../../documents/entities/document.entity';
import { Recipient } from '../../documents/entities/misc.entities';
import { BUSINESS_DOC_TYPES, type EdxmlBusiness, type EdxmlDocumentPackage, type EdxmlPackage, type EdxmlStatusPackage } from '../edxml';
import { ExchangeInbox, ExchangeOutbox } from '../exchange.entities';
import type { ApplyOutcome } from '../exchange.service';
import { incomingFieldsOf } from '../inbox/mapping';
import { edxmlDocumentIdOf } from '../outbox/package';
import type { BusinessService } from './business.service';
import { DEFAULT_REASON } from './domain';
import type { ExchangeBusinessPort } from './port';

/** Our incoming record of a document received through the exchange (the applied "new" message). */
async function incomingOf(em: EntityManager, edxmlDocumentId: string, senderCode: string | null, recipientCode: string): Promise<Document | null> {
  const where: Record<string, unknown> = { kind: 'DOCUMENT', businessType: 0, edxmlDocumentId, recipientCode, appliedDocument: { $ne: null } };
  if (senderCode) where.senderCode = senderCode;
  const row = await em.findOne(ExchangeInbox, where, { orderBy: { receivedAt: 'asc' } });
  return row?.appliedDocument ? em.findOne(Document, { id: row.appliedDocument.id }, { populate: ['agency'] }) : null;
}

const heldFor = (id: string): ApplyOutcome => ({ state: 'HELD', reason: `Văn bản ${id} chưa đến: chờ văn bản trước khi áp dụng nghiệp vụ.` });

export class ExchangeBusinessAdapter implements ExchangeBusinessPort {
  constructor(private readonly services: Services) {}

  async queueRecipientStatus(tx: Tx, input: { recipientId: string; code: '13'; description: string }): Promise<void> {
    await this.services.exchange.queueStatus(tx, { recipientId: input.recipientId, code: input.code, note: input.description });
  }

  async queueIncomingStatus(tx: Tx, input: { incomingDocumentId: string; code: '15' | '16'; description?: string }): Promise<void> {
    // 15 / 16 are on the recall track: the core leaves the progress track's last code (01…06) alone
    await this.services.exchange.queueStatus(tx, { incomingDocumentId: input.incomingDocumentId, code: input.code, note: input.description ?? null });
  }

  async queueBusinessDocument(
    tx: Tx,
    input: { recipientId: string; businessType: 1 | 2 | 3; reason: string; replacementDocumentId: string | null; changes: readonly { field: string }[] },
  ): Promise<void> {
    const r = await tx.em.findOneOrFail(Recipient, { id: input.recipientId }, { populate: ['agency', 'document', 'document.agency'] });
    const original = r.document;
    const originalId = this.edxmlDocumentIdOf(original);
    const code = r.agency?.code ?? r.agencyCode ?? null;
    const business: EdxmlBusiness = { businessDocType: input.businessType, businessDocReason: input.reason, paper: 0 };
    if (input.businessType === BUSINESS_DOC_TYPES.REPLACE) {
      // the package is the replacing document; ReplacementInfo names the document it replaces (VNPT sample)
      business.replacements = [{ documentId: originalId ?? undefined, organIds: code ? [code] : [] }];
    } else {
      business.documentId = originalId ?? undefined;
      if (input.businessType === BUSINESS_DOC_TYPES.UPDATE) business.documentInfo = { documentInfo: 1, documentReceiver: 0, receivers: [] };
    }
    await this.services.exchange.queueDocument(tx, {
      recipientId: r.id,
      businessType: input.businessType,
      ...(input.replacementDocumentId ? { documentId: input.replacementDocumentId } : {}),
      business,
      data: { changes: input.changes.map((c) => c.field) },
    });
  }

  edxmlDocumentIdOf(doc: Document): string | null {
    return edxmlDocumentIdOf(doc.agency.code, { number: doc.number ?? null, symbol: doc.symbol ?? null, issuedDate: doc.issuedDate ?? null });
  }

  async findIncomingByEdxmlId(em: EntityManager, agencyId: string, edxmlDocumentId: string): Promise<Document | null> {
    const agency = await em.findOne(Agency, { id: agencyId });
    return agency ? incomingOf(em, edxmlDocumentId, null, agency.code) : null;
  }

  /** Registers the apply hooks with the exchange core. */
  register(business: BusinessService): void {
    const ex = this.services.exchange;
    const senderNameOf = (v: EdxmlPackage) => (v.kind === 'document' ? v.header.from.organName : v.from.organName) ?? null;

    // 13 at the receiver: a pending recall on our incoming record
    ex.onApply({ kind: 'STATUS', statusCode: '13' }, async (tx, row, value) => {
      const doc = await incomingOf(tx.em, row.edxmlDocumentId, row.senderCode, row.recipientCode);
      if (!doc) return heldFor(row.edxmlDocumentId);
      await business.applyStatus(tx, { code: '13', documentId: doc.id, senderCode: row.senderCode, senderName: senderNameOf(value), description: (value as EdxmlStatusPackage).description ?? null });
      return { state: 'APPLIED', documentId: doc.id };
    });

    // 15 / 16 at the sender: the recipient's answer to our recall
    for (const code of ['15', '16'] as const) {
      ex.onApply({ kind: 'STATUS', statusCode: code }, async (tx, row, value) => {
        const sent = await tx.em.findOne(
          ExchangeOutbox,
          { kind: 'DOCUMENT', businessType: 0, edxmlDocumentId: row.edxmlDocumentId, senderCode: row.recipientCode, recipientCode: row.senderCode, recipient: { $ne: null } },
          { orderBy: { createdAt: 'asc' } },
        );
        if (!sent?.recipient || !sent.document) return { state: 'REJECTED', reason: `Không có văn bản ${row.edxmlDocumentId} đã gửi tới ${row.senderCode}.` };
        await business.applyStatus(tx, {
          code,
          documentId: sent.document.id,
          recipientId: sent.recipient.id,
          senderCode: row.senderCode,
          senderName: senderNameOf(value),
          description: (value as EdxmlStatusPackage).description ?? null,
        });
        return { state: 'APPLIED', documentId: sent.document.id };
      });
    }

    // BussinessDocType 1 / 2 / 3 at the receiver
    for (const type of [1, 2, 3] as const) {
      ex.onApply({ kind: 'DOCUMENT', businessType: type }, async (tx, row, value) => {
        const v = value as EdxmlDocumentPackage;
        const b = v.business ?? {};
        const replacing = type === 3 ? (v.header.documentId ?? null) : null;
        const target = type === 3 ? (b.replacements?.find((x) => x.documentId)?.documentId ?? b.documentId ?? null) : (b.documentId ?? v.header.documentId ?? null);
        if (!target) return { state: 'REJECTED', reason: 'Thiếu DocumentId của văn bản bị thu hồi / cập nhật / thay thế (Bussiness/DocumentId).', status02: true };
        const doc = await incomingOf(tx.em, target, row.senderCode, row.recipientCode);
        if (!doc) return heldFor(target);
        const f = incomingFieldsOf(v);
        await business.applyDocument(tx, {
          businessType: type,
          documentId: doc.id,
          senderCode: row.senderCode,
          senderName: senderNameOf(value),
          reason: b.businessDocReason ?? DEFAULT_REASON[type === 1 ? 'REVOKE' : type === 2 ? 'UPDATE' : 'REPLACE'],
          fields: type === 2 ? { subject: v.header.subject ?? null, signerName: f.signerName, signerTitle: f.signerTitle, pageCount: f.pageCount, urgency: f.urgency } : null,
          replacingEdxmlId: replacing,
          replacingSymbol: type === 3 ? f.symbol : null,
        });
        return { state: 'APPLIED', documentId: doc.id };
      });
    }
  }
}
