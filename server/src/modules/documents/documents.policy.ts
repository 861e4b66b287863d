/**
 * Who may see a document, applied to stored rows: builds the domain `DocumentAccessInfo` (domain/access.ts)
 * from a document and its assignments, members (watchers / named readers) and recipients, and loads a
 * document for a caller — NOT_FOUND when they may not see it (never revealing that it exists).
 * Every read and every write of a document goes through `loadVisibleDocument` (or `canViewDocuments`).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '../../shared/errors';
import { isUuid } from '../../shared/ids';
import type { Actor, Scope } from '../../shared/scope';
import { accessGrant, type AccessGrant, type AccessViewer, type DocumentAccessInfo, type Secrecy } from './domain';
import { Assignment } from './entities/assignment.entity';
import { Document } from './entities/document.entity';
import { DocumentMember, Recipient } from './entities/misc.entities';

/** Recipient statuses after which the recipient agency no longer sees the sender's record (also access-sql.ts). */
export const NOT_DELIVERED_STATUSES: readonly string[] = ['RECALL_ACCEPTED'];
const NOT_DELIVERED = new Set(NOT_DELIVERED_STATUSES);

export const documentNotFound = () => notFound('Văn bản');

/** The viewer of the domain rule for an actor. */
export const viewerOf = (a: Actor): AccessViewer => ({ userId: a.userId, agencyId: a.agencyId, unitId: a.unitId, roles: a.roles });

/** Users named on an outgoing approval chain (USER steps). */
function chainUserIds(doc: Document): string[] {
  const chain = (doc.approvalChain ?? []) as { kind?: string; userId?: string }[];
  return chain.filter((s) => s && s.kind === 'USER' && typeof s.userId === 'string').map((s) => s.userId as string);
}

/** Everyone in the document's chain (submitted to, annotating leader, drafter, signer …). */
function participantsOf(doc: Document): string[] {
  const ids = [doc.submittedTo, doc.annotatedBy, doc.returnedTo, doc.drafter, doc.signer, doc.signedBy, doc.issuedBy].map((u) => u?.id);
  return [...ids.filter((x): x is string => !!x), ...chainUserIds(doc)];
}

/** Builds the access info of many documents with three queries (assignments, members, recipients). */
export async function accessInfoForMany(em: EntityManager, docs: readonly Document[]): Promise<Map<string, DocumentAccessInfo>> {
  const ids = docs.map((d) => d.id);
  const out = new Map<string, DocumentAccessInfo>();
  if (!ids.length) return out;
  // Sequential: inside a transaction the three queries share one connection.
  const assignments = await em.find(Assignment, { document: { $in: ids } });
  const members = await em.find(DocumentMember, { document: { $in: ids } });
  const recipients = await em.find(Recipient, { document: { $in: ids }, agency: { $ne: null }, deliveredDocument: { $ne: null } });
  for (const d of docs) {
    const as = assignments.filter((a) => a.document.id === d.id);
    const ms = members.filter((m) => m.document.id === d.id);
    out.set(d.id, {
      agencyId: d.agency.id,
      secrecy: d.secrecy as Secrecy,
      assigneeUserIds: [...new Set(as.map((a) => a.user?.id).filter((x): x is string => !!x))],
      assigneeUnitIds: [...new Set(as.map((a) => a.unit?.id).filter((x): x is string => !!x))],
      watcherIds: ms.filter((m) => m.kind === 'WATCHER').map((m) => m.user.id),
      participantUserIds: participantsOf(d),
      namedReaderIds: ms.filter((m) => m.kind === 'READER').map((m) => m.user.id),
      deliveredToAgencyIds: recipients
        .filter((r) => r.document.id === d.id && r.agency && !NOT_DELIVERED.has(r.status ?? ''))
        .map((r) => r.agency!.id),
      archived: d.archivedAt != null,
    });
  }
  return out;
}

export async function accessInfoFor(em: EntityManager, doc: Document): Promise<DocumentAccessInfo> {
  return (await accessInfoForMany(em, [doc])).get(doc.id)!;
}

/** Why the actor may see the document, or null. */
export async function grantFor(em: EntityManager, actor: Actor, doc: Document): Promise<AccessGrant | null> {
  return accessGrant(viewerOf(actor), await accessInfoFor(em, doc));
}

/** The ids (of `docs`) the actor may see. */
export async function visibleDocumentIds(em: EntityManager, actor: Actor, docs: readonly Document[]): Promise<Set<string>> {
  const infos = await accessInfoForMany(em, docs);
  const viewer = viewerOf(actor);
  return new Set(docs.filter((d) => accessGrant(viewer, infos.get(d.id)!) !== null).map((d) => d.id));
}

export interface VisibleDocument {
  doc: Document;
  info: DocumentAccessInfo;
  grant: AccessGrant;
}

/**
 * The document `id` if the caller may see it; NOT_FOUND otherwise (malformed id, no such document,
 * another agency's document, a secret document the caller is not named on). Uses `em` (default the
 * scope's); pass the transaction's EntityManager to read inside a transaction.
 */
export async function loadVisibleDocumentWithAccess(scope: Scope, id: string, em: EntityManager = scope.em): Promise<VisibleDocument> {
  const actor = scope.requireActor();
  if (typeof id !== 'string' || !isUuid(id)) throw documentNotFound();
  const doc = await em.findOne(Document, { id });
  if (!doc) throw documentNotFound();
  const info = await accessInfoFor(em, doc);
  const grant = accessGrant(viewerOf(actor), info);
  if (!grant) throw documentNotFound();
  return { doc, info, grant };
}

/** `loadVisibleDocumentWithAccess` returning only the document. */
export async function loadVisibleDocument(scope: Scope, id: string, em: EntityManager = scope.em): Promise<Document> {
  return (await loadVisibleDocumentWithAccess(scope, id, em)).doc;
}
