/**
 * The shared read model of documents (incoming and outgoing): one document for a caller who may see it,
 * its history (audit trail), short-lived file URLs (signed only after the access check), document types.
 */
import type { Services } from '../../services';
import { AuditEvent } from '../audit/audit-event.entity';
import { notFound } from '../../shared/errors';
import type { Scope } from '../../shared/scope';
import { accessGrant, facetShowsFile, viewFacet, facetShowsHistory, type DocumentAccessInfo, type DocumentType, type ViewFacet } from './domain';
import { accessInfoFor, documentNotFound, loadVisibleDocument, loadVisibleDocumentWithAccess, viewerOf, type VisibleDocument } from './documents.policy';
import { Assignment } from './entities/assignment.entity';
import { Document } from './entities/document.entity';
import type { DocumentFile } from './entities/document-file.entity';

/** Signed file URLs live 10 minutes: enough to open or download, too short to pass around. */
export const FILE_URL_SECONDS = 600;

export type FileVariant = 'ORIGINAL' | 'SEARCHABLE_PDF' | 'THUMBNAIL';

/** "Công văn 12.jpg" → "Công văn 12.pdf" (name of the searchable PDF made from a scan). */
export function withExtension(fileName: string, ext: string): string {
  const dot = fileName.lastIndexOf('.');
  return `${dot > 0 ? fileName.slice(0, dot) : fileName}.${ext}`;
}

export class DocumentsService {
  constructor(private readonly services: Services) {}

  /** Query.document: the document if the caller may see it, NOT_FOUND otherwise. */
  document(scope: Scope, id: string): Promise<Document> {
    return loadVisibleDocument(scope, id);
  }

  /** `document` with the access facts it was checked against (the resolver primes the request's loaders with them). */
  documentWithAccess(scope: Scope, id: string): Promise<VisibleDocument> {
    return loadVisibleDocumentWithAccess(scope, id);
  }

  /** Active document types of the caller's agency (Decree 30 defaults + the agency's own). */
  documentTypes(scope: Scope): Promise<DocumentType[]> {
    return this.services.documentSettings.documentTypes(scope);
  }

  /** May the caller see a document with these access facts? */
  canSee(scope: Scope, info: DocumentAccessInfo | null | undefined): boolean {
    const actor = scope.requireActor();
    return !!info && accessGrant(viewerOf(actor), info) !== null;
  }

  /** What the caller sees of a document with these access facts (FULL, RECIPIENT), or null if nothing. */
  facet(scope: Scope, info: DocumentAccessInfo | null | undefined): ViewFacet | null {
    const actor = scope.requireActor();
    return info ? viewFacet(viewerOf(actor), info) : null;
  }

  private async assertVisible(scope: Scope, doc: Document, info?: DocumentAccessInfo | null): Promise<ViewFacet> {
    const facts = info ?? (await accessInfoFor(scope.em, doc));
    const facet = this.facet(scope, facts);
    if (!facet) throw documentNotFound();
    return facet;
  }

  /**
   * History of the document: its audit events (targetType 'document') and those of its assignments
   * (targetType 'assignment'), oldest first. NOT_FOUND for callers who may not see the document; a
   * recipient agency sees the delivery facts only (domain/access.ts facets).
   */
  async history(scope: Scope, doc: Document, info?: DocumentAccessInfo | null): Promise<AuditEvent[]> {
    const facet = await this.assertVisible(scope, doc, info);
    const assignments = await scope.em.find(Assignment, { document: doc.id });
    const or: object[] = [{ targetType: 'document', targetId: doc.id }];
    if (assignments.length) or.push({ targetType: 'assignment', targetId: { $in: assignments.map((a) => a.id) } });
    const events = await scope.em.find(AuditEvent, { $or: or } as never, { orderBy: { at: 'asc', id: 'asc' } });
    const agencyId = scope.requireActor().agencyId;
    return events.filter((e) => facetShowsHistory(facet, { action: e.action, targetType: e.targetType, data: e.data as Record<string, unknown> | null }, agencyId));
  }

  /**
   * A signed URL of a file variant, valid FILE_URL_SECONDS, or null if the variant does not exist (no OCR
   * yet). The caller must be able to see the file's document, and the file itself in their facet (a
   * recipient agency never gets a draft version): NOT_FOUND otherwise.
   */
  async fileUrl(scope: Scope, file: DocumentFile, variant: FileVariant, info?: DocumentAccessInfo | null, ocr?: { searchablePdfKey?: string | null; thumbnailKey?: string | null } | null): Promise<string | null> {
    const facts = info ?? (await accessInfoFor(scope.em, await scope.em.findOneOrFail(Document, { id: file.document.id })));
    const facet = this.facet(scope, facts);
    if (!facet || !facetShowsFile(facet, file.kind)) throw notFound('Tệp');
    const storage = this.services.storage;
    const opts = { expiresSeconds: FILE_URL_SECONDS, disposition: 'inline' as const };
    switch (variant) {
      case 'ORIGINAL':
        return storage.presignedGetUrl(file.storageKey, { ...opts, fileName: file.fileName, contentType: file.contentType });
      case 'SEARCHABLE_PDF':
        return ocr?.searchablePdfKey
          ? storage.presignedGetUrl(ocr.searchablePdfKey, { ...opts, fileName: withExtension(file.fileName, 'pdf'), contentType: 'application/pdf' })
          : null;
      case 'THUMBNAIL':
        return ocr?.thumbnailKey ? storage.presignedGetUrl(ocr.thumbnailKey, { ...opts }) : null;
    }
  }
}
