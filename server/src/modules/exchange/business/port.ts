/**
 * What the business messages need from the exchange core (outbox / inbox, helper A's services.exchange) and
 * what the core hands to them when a message of theirs is applied. The adapter over services.exchange is in
 * exchange-adapter.ts; business.service.ts only sees this port.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Tx } from '../../../shared/scope';
import type { Document } from '../../documents/entities/document.entity';
import type { FieldChange, FieldValues } from './domain';

export interface ExchangeBusinessPort {
  /** A status from the SENDER about its document to one recipient (13 lấy lại), in the transaction. */
  queueRecipientStatus(tx: Tx, input: { recipientId: string; code: '13'; description: string }): Promise<void>;
  /** A status from the RECEIVER about its incoming record back to the sender (15 / 16). */
  queueIncomingStatus(tx: Tx, input: { incomingDocumentId: string; code: '15' | '16'; description?: string }): Promise<void>;
  /** A DOCUMENT message of BussinessDocType 1 / 2 / 3 for the original document to one recipient. */
  queueBusinessDocument(
    tx: Tx,
    input: { recipientId: string; businessType: 1 | 2 | 3; reason: string; replacementDocumentId: string | null; changes: readonly FieldChange[] },
  ): Promise<void>;
  /** The edXML DocumentId of one of our issued documents (OrganId,yyyy/MM/dd,Number/Notation), or null. */
  edxmlDocumentIdOf(doc: Document): string | null;
  /** Our agency's incoming record of a document received through the exchange, by its edXML DocumentId. */
  findIncomingByEdxmlId(em: EntityManager, agencyId: string, edxmlDocumentId: string): Promise<Document | null>;
}

/** A status message of the business track (13 / 15 / 16), resolved to our records by the core. */
export interface ReceivedBusinessStatus {
  code: string;
  /** 13: our incoming record of the document; 15 / 16: our outgoing record. */
  documentId: string;
  /** 15 / 16: our Recipient row of the agency that answered. */
  recipientId?: string | null;
  senderCode: string;
  senderName?: string | null;
  description?: string | null;
}

/** A DOCUMENT message of BussinessDocType 1 / 2 / 3, resolved to our incoming record of the original. */
export interface ReceivedBusinessDocument {
  businessType: number;
  /** Our incoming record of the ORIGINAL document (Bussiness/DocumentId). */
  documentId: string;
  senderCode: string;
  senderName?: string | null;
  reason?: string | null;
  /** UPDATE: the document's fields as the message carries them now. */
  fields?: FieldValues | null;
  /** REPLACE: the replacing document's edXML DocumentId and số ký hiệu. */
  replacingEdxmlId?: string | null;
  replacingSymbol?: string | null;
}
