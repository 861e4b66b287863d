/**
 * The worker process's OCR engine (one per process, created once): the pipeline pool, plus what the deployment's
 * own data teaches it — the language model built from its born-digital text and the directory of its agencies
 * and people (server/src/modules/ocr/ocr.knowledge.ts), loaded at start and refreshed every
 * OCR_KNOWLEDGE_REFRESH_MINUTES (default 60), held in memory.
 */
import type { Config } from '../../server/src/config/config';
import type { OcrKnowledgeStats } from '../../server/src/infra/ocr/ocr';
import { startOcrKnowledgeRefresh } from '../../server/src/modules/ocr/ocr.knowledge';
import type { Runtime } from '../../server/src/runtime';
import { createOcrEngine } from './ocr/engine-adapter';

export type WorkerOcrEngine = {
  engine: ReturnType<typeof createOcrEngine>;
  /** figures of the knowledge loaded at start (null if it could not be loaded: the engine runs without it) */
  knowledge: OcrKnowledgeStats | null;
  /** reloads the knowledge from the database now */
  refreshKnowledge: () => Promise<OcrKnowledgeStats | null>;
  close: () => Promise<void>;
};

export async function startWorkerOcrEngine(
  rt: Pick<Runtime, 'orm'>,
  config: Pick<Config, 'ocrConcurrency' | 'dataDir' | 'ocrKnowledgeRefreshMinutes'>,
): Promise<WorkerOcrEngine> {
  const engine = createOcrEngine({ concurrency: config.ocrConcurrency, dataDir: config.dataDir });
  const k = await startOcrKnowledgeRefresh(() => rt.orm.em.fork(), engine, { everyMs: Math.max(1, config.ocrKnowledgeRefreshMinutes) * 60_000 });
  return {
    engine,
    knowledge: k.first,
    refreshKnowledge: k.refresh,
    close: async () => {
      k.stop();
      await engine.close();
    },
  };
}
