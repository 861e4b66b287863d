/**
 * Every MikroORM entity of the application. Listed explicitly (no folder scanning) so that
 * discovery is identical under tsx, ts-jest and compiled JS. Add new modules' entities here.
 */
import { AuditEvent } from '../modules/audit/audit-event.entity';
import { Agency } from '../modules/identity/entities/agency.entity';
import { LoginThrottle } from '../modules/identity/entities/login-throttle.entity';
import { Session } from '../modules/identity/entities/session.entity';
import { Unit } from '../modules/identity/entities/unit.entity';
import { User } from '../modules/identity/entities/user.entity';
import { Assignment } from '../modules/documents/entities/assignment.entity';
import { DocumentFile } from '../modules/documents/entities/document-file.entity';
import { Document } from '../modules/documents/entities/document.entity';
import { OcrPage, OcrResult, Scan } from '../modules/ocr/ocr.entities';
import { StoredObject } from '../modules/storage-gc/stored-object.entity';
import { AgencySettings, DocumentComment, DocumentMember, Notification, NumberSequence, ProgressNote, Recipient } from '../modules/documents/entities/misc.entities';
import { SearchDocument } from '../modules/search/search-document.entity';
import { ArchiveRecord, RecordDisposal, RecordTransfer, RetentionItem } from '../modules/records/records.entities';
import { meetingEntities } from '../modules/meetings/meetings.entities';
import { DocumentIssuing, NumberReservation, SigningDelegation } from '../modules/documents/issuing/issuing.entities';
import { signingEntities } from '../modules/signing/signing.entities';
import { peerEntities } from '../modules/exchange/peers/peers.entities';
import { exchangeEntities } from '../modules/exchange/exchange.entities';
import { businessEntities } from '../modules/exchange/business/business.entities';

export const entities = [
  Agency,
  Unit,
  User,
  Session,
  LoginThrottle,
  AuditEvent,
  Document,
  DocumentFile,
  Assignment,
  ProgressNote,
  DocumentComment,
  Recipient,
  DocumentMember,
  NumberSequence,
  AgencySettings,
  Notification,
  OcrResult,
  OcrPage,
  Scan,
  StoredObject,
  SearchDocument,
  ArchiveRecord,
  RecordTransfer,
  RecordDisposal,
  RetentionItem,
  ...meetingEntities,
  DocumentIssuing,
  NumberReservation,
  SigningDelegation,
  ...signingEntities,
  ...peerEntities,
  ...exchangeEntities,
  ...businessEntities,
];
