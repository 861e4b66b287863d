/**
 * Per-request batching of the issuing rows (document_issuing): a register page or a list that selects
 * `issuing { … }` on many documents reads them in one query per tick. Keyed by the request's EntityManager
 * (one fork per request), so nothing outlives the request.
 */
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DocumentIssuing } from './issuing.entities';

const loaders = new WeakMap<EntityManager, DataLoader<string, DocumentIssuing | null>>();

export function issuingRowLoader(em: EntityManager): DataLoader<string, DocumentIssuing | null> {
  let l = loaders.get(em);
  if (!l) {
    l = new DataLoader<string, DocumentIssuing | null>(async (ids) => {
      const rows = await em.find(DocumentIssuing, { document: { $in: [...ids] } });
      const map = new Map(rows.map((r) => [r.document.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    });
    loaders.set(em, l);
  }
  return l;
}
