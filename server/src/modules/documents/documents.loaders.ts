/**
 * Per-request DataLoaders of the documents capability: one query per relation per tick, whatever the number
 * of documents in a list (no N+1). Spread into the request's loaders by graphql/loaders.ts.
 * They load rows only; whether the caller may see a document is decided by `documentAccess` + the domain rule.
 */
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { User } from '../identity/entities/user.entity';
import type { DocumentAccessInfo } from './domain';
import { accessInfoForMany } from './documents.policy';
import { Assignment } from './entities/assignment.entity';
import { Document } from './entities/document.entity';
import { DocumentFile } from './entities/document-file.entity';
import { DocumentComment, DocumentMember, ProgressNote, Recipient } from './entities/misc.entities';

const FILE_KIND_ORDER: Record<string, number> = { MAIN: 0, ATTACHMENT: 1, DRAFT: 2, REPLY_DRAFT: 3 };

function groupBy<T>(keys: readonly string[], rows: readonly T[], keyOf: (r: T) => string): T[][] {
  const map = new Map<string, T[]>();
  for (const r of rows) {
    const k = keyOf(r);
    const list = map.get(k);
    if (list) list.push(r);
    else map.set(k, [r]);
  }
  return keys.map((k) => map.get(k) ?? []);
}

export function createDocumentLoaders(em: EntityManager) {
  return {
    document: new DataLoader<string, Document | null>(async (ids) => {
      const rows = await em.find(Document, { id: { $in: [...ids] } });
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }),
    documentFile: new DataLoader<string, DocumentFile | null>(async (ids) => {
      const rows = await em.find(DocumentFile, { id: { $in: [...ids] } });
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }),
    /** The access facts of a document (null if it does not exist); combine with `accessGrant(viewer, info)`. */
    documentAccess: new DataLoader<string, DocumentAccessInfo | null>(async (ids) => {
      const docs = await em.find(Document, { id: { $in: [...ids] } });
      const infos = await accessInfoForMany(em, docs);
      return ids.map((id) => infos.get(id) ?? null);
    }),
    filesByDocument: new DataLoader<string, DocumentFile[]>(async (ids) => {
      const rows = await em.find(DocumentFile, { document: { $in: [...ids] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
      return groupBy(ids, rows, (r) => r.document.id).map((list) =>
        [...list].sort((a, b) => (FILE_KIND_ORDER[a.kind] ?? 9) - (FILE_KIND_ORDER[b.kind] ?? 9) || a.version - b.version),
      );
    }),
    assignmentsByDocument: new DataLoader<string, Assignment[]>(async (ids) => {
      const rows = await em.find(Assignment, { document: { $in: [...ids] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
      return groupBy(ids, rows, (r) => r.document.id);
    }),
    recipientsByDocument: new DataLoader<string, Recipient[]>(async (ids) => {
      const rows = await em.find(Recipient, { document: { $in: [...ids] } }, { orderBy: { name: 'asc', id: 'asc' } });
      return groupBy(ids, rows, (r) => r.document.id);
    }),
    commentsByDocument: new DataLoader<string, DocumentComment[]>(async (ids) => {
      const rows = await em.find(DocumentComment, { document: { $in: [...ids] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
      return groupBy(ids, rows, (r) => r.document.id);
    }),
    watchersByDocument: new DataLoader<string, User[]>(async (ids) => {
      const rows = await em.find(DocumentMember, { document: { $in: [...ids] }, kind: 'WATCHER' }, { populate: ['user'], orderBy: { createdAt: 'asc', id: 'asc' } });
      return groupBy(ids, rows, (r) => r.document.id).map((list) => list.map((m) => m.user));
    }),
    progressByAssignment: new DataLoader<string, ProgressNote[]>(async (ids) => {
      const rows = await em.find(ProgressNote, { assignment: { $in: [...ids] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
      return groupBy(ids, rows, (r) => r.assignment.id);
    }),
  };
}

export type DocumentLoaders = ReturnType<typeof createDocumentLoaders>;
