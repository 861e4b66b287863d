import DataLoader from 'dataloader';
import type { EntityClass, EntityManager } from '@mikro-orm/postgresql';
import { Agency } from '../modules/identity/entities/agency.entity';
import { Unit } from '../modules/identity/entities/unit.entity';
import { User } from '../modules/identity/entities/user.entity';
import { createDocumentLoaders } from '../modules/documents/documents.loaders';
import { OcrResult } from '../modules/ocr/ocr.entities';

/** A per-request loader of entities by id: one `where id in (…)` per tick instead of one query per row. */
export function byIdLoader<T extends { id: string }>(em: EntityManager, entity: EntityClass<T>): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = (await em.find(entity, { id: { $in: [...ids] } } as never)) as T[];
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

/** Per-request DataLoaders (api-conventions: every relation a list may touch). Modules add theirs. */
export function createLoaders(em: EntityManager) {
  return {
    agency: byIdLoader(em, Agency),
    unit: byIdLoader(em, Unit),
    user: byIdLoader(em, User),
    unitsByAgency: new DataLoader<string, Unit[]>(async (agencyIds) => {
      const rows = await em.find(Unit, { agency: { $in: [...agencyIds] } }, { orderBy: { name: 'asc' } });
      return agencyIds.map((id) => rows.filter((u) => u.agency.id === id));
    }),
    ...createDocumentLoaders(em),
    /** Digitisation results by file sha256. */
    ocrBySha: new DataLoader<string, OcrResult | null>(async (shas) => {
      const rows = await em.find(OcrResult, { sha256: { $in: [...shas] } });
      const map = new Map(rows.map((r) => [r.sha256, r]));
      return shas.map((s) => map.get(s) ?? null);
    }),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
