/**
 * What the deployment's own data teaches the OCR (issue 14), loaded by each worker process and held in memory:
 *
 *  - born-digital Vietnamese text for the language model: the text of the deployment's own documents that were
 *    not scanned (search_document.body of outgoing documents without a scan) and the trích yếu of every register
 *    entry (typed by people), newest first, bounded;
 *  - the directory for issuer and signer: the agencies of the deployment, the exchange directory, issuers
 *    written on registered documents; the people (active users) and the signers written on documents.
 *
 * Documents with a secrecy level other than THUONG are left out. Read-only: no state changes, no audit.
 * `startOcrKnowledgeRefresh` loads it at start and again every `everyMs` (default hourly), and hands it to
 * `engine.learn`; a failed refresh keeps the knowledge already in use.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { OcrEngine, OcrKnowledgeSources, OcrKnowledgeStats } from '../../infra/ocr/ocr';
import { logger } from '../../shared/logger';

export type OcrKnowledgeLimits = {
  /** outgoing documents' texts (newest first) */
  bodies: number;
  /** characters kept of each text */
  bodyChars: number;
  /** register entries' trích yếu (newest first) */
  subjects: number;
  /** issuers / signers written on documents (most frequent first) */
  names: number;
};

export const DEFAULT_KNOWLEDGE_LIMITS: OcrKnowledgeLimits = { bodies: 2000, bodyChars: 20_000, subjects: 50_000, names: 5000 };

export async function loadOcrKnowledgeSources(em: EntityManager, limits: Partial<OcrKnowledgeLimits> = {}): Promise<OcrKnowledgeSources> {
  const l = { ...DEFAULT_KNOWLEDGE_LIMITS, ...limits };
  const col = async (sql: string, params: unknown[] = []) => (await em.execute<{ v: string | null }[]>(sql, params)).map((r) => r.v).filter((v): v is string => !!v && !!v.trim());
  const bodies = await col(
    `select left(s.body, ?) as v from search_document s
      where s.direction = 'OUTGOING' and not s.has_scan and s.secrecy = 'THUONG' and s.body is not null
      order by s.indexed_at desc limit ?`,
    [l.bodyChars, l.bodies],
  );
  const subjects = await col(`select subject as v from document where secrecy = 'THUONG' order by created_at desc limit ?`, [l.subjects]);
  const agencies = [
    ...(await col(`select name as v from agency where active`)),
    ...(await col(`select name as v from exchange_directory where active`)),
    ...(await col(`select issuer_name as v from document where issuer_name is not null group by issuer_name order by count(*) desc limit ?`, [l.names])),
  ];
  const people = [
    ...(await col(`select full_name as v from app_user where active`)),
    ...(await col(`select signer_name as v from document where signer_name is not null group by signer_name order by count(*) desc limit ?`, [l.names])),
  ];
  return { texts: [...bodies, ...subjects], agencies, people };
}

/**
 * Loads the knowledge now and every `everyMs`, giving it to the engine (when it can learn). Returns the first
 * load's figures (null when the engine cannot learn or the first load failed), `refresh` (for tests and on
 * demand) and `stop`.
 */
export async function startOcrKnowledgeRefresh(
  newEm: () => EntityManager,
  engine: Pick<OcrEngine, 'learn'>,
  opts: { everyMs?: number; limits?: Partial<OcrKnowledgeLimits> } = {},
): Promise<{ first: OcrKnowledgeStats | null; refresh: () => Promise<OcrKnowledgeStats | null>; stop: () => void }> {
  const refresh = async (): Promise<OcrKnowledgeStats | null> => {
    if (!engine.learn) return null;
    try {
      const t0 = Date.now();
      const stats = engine.learn(await loadOcrKnowledgeSources(newEm(), opts.limits));
      logger.info({ ...stats, ms: Date.now() - t0 }, 'OCR knowledge (language model, directory) loaded from the database');
      return stats;
    } catch (err) {
      logger.error({ err }, 'OCR knowledge refresh failed: the previous one stays in use');
      return null;
    }
  };
  const first = await refresh();
  const timer = setInterval(() => void refresh(), opts.everyMs ?? 3_600_000);
  timer.unref();
  return { first, refresh, stop: () => clearInterval(timer) };
}
