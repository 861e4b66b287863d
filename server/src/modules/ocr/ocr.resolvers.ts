import type { GraphQLContext } from '../../graphql/context';
import type { Resolvers } from '../../graphql/generated/resolvers';
import { currentActor, sessionEnded, withCatchUp } from '../documents/realtime';
import { OCR_TYPES } from './ocr.service';

/** Thin resolvers of the digitisation module. */
export const ocrResolvers: Resolvers = {
  Query: {
    // Only for those who may see it: its uploader / the văn thư, or once registered, whoever may see the document.
    scan: (_p, { id }, { scope, services }) => services.ocr.scan(scope, id),
  },
  Mutation: {
    uploadScan: (_p, { file, secrecy }, { scope, services }) => services.ocr.uploadScan(scope, file as File, 'UPLOAD', undefined, secrecy),
    retryOcr: (_p, { fileId }, { scope, services }) => services.ocr.retry(scope, fileId),
  },
  Subscription: {
    ocrProgress: {
      // The current state first (a client may connect after the last event), then every change.
      subscribe: async function* (_p, { fileId }, { scope, services }) {
        const sha256 = await services.ocr.shaOf(scope, fileId);
        // null: this replica's LISTEN connection came back after a loss; the current state is read again.
        const events = withCatchUp<{ sha256: string; status: string; pagesDone: number; pagesTotal: number | null; error: string | null } | null>(
          services.pubsub.subscribe('ocrProgress', sha256),
          services,
          () => null,
        );
        const current = async () => {
          const [r] = await services.orm.em.fork().execute<{ status: string; pages_done: number; pages_total: number | null; error: string | null }[]>(
            `select status, pages_done, pages_total, error from ocr_result where sha256 = ?`,
            [sha256],
          );
          return r ? { sha256, status: r.status, pagesDone: r.pages_done, pagesTotal: r.pages_total, error: r.error } : null;
        };
        const first = await current();
        if (first) yield first;
        if (first && (first.status === 'DONE' || first.status === 'FAILED')) return;
        const actor = scope.requireActor();
        for await (const next of events) {
          // Logged out (or disabled) since: the stream ends with UNAUTHENTICATED (documents/realtime.ts).
          if (!(await currentActor(services.orm.em.fork(), actor))) throw sessionEnded();
          const ev = next ?? (await current());
          if (!ev) continue;
          yield ev;
          if (ev.status === 'DONE' || ev.status === 'FAILED') return;
        }
      },
      resolve: (p: { status: string; pagesDone: number; pagesTotal: number | null; error: string | null }) => ({
        status: p.status as 'PENDING' | 'RUNNING' | 'DONE' | 'FAILED',
        pagesDone: p.pagesDone,
        pagesTotal: p.pagesTotal,
        error: p.error,
      }),
    },
  },
  Scan: {
    size: (s) => Number(s.size),
    url: (s, _a, { services }) => services.storage.presignedGetUrl(s.storageKey, { fileName: s.fileName, contentType: s.contentType, disposition: 'inline', expiresSeconds: 600 }),
    // uploadScan / importFile create the result in the same transaction as the scan
    ocr: async (s, _a, { loaders }) => (await loaders.ocrBySha.load(s.sha256))!,
  },
  DocumentFile: {
    ocr: async (f, _a, { loaders }) => (OCR_TYPES.has(f.contentType) ? ((await loaders.ocrBySha.load(f.sha256)) ?? null) : null),
  },
  OcrInfo: {
    status: (r) => r.status,
    pagesDone: (r) => r.pagesDone ?? 0,
    searchablePdfUrl: (r, _a, { services }) => services.ocr.presign(r.searchablePdfKey, 'ban-so-hoa.pdf', 'application/pdf'),
    thumbnailUrl: (r, _a, { services }) => services.ocr.presign(r.thumbnailKey, 'trang-1.jpg', 'image/jpeg'),
    text: async (r, _a, { scope }: GraphQLContext) => {
      if (r.status !== 'DONE') return null;
      const rows = await scope.em.execute<{ text: string | null }[]>(`select text from ocr_result where sha256 = ?`, [r.sha256]);
      return rows[0]?.text ?? null;
    },
    fields: (r) => r.fields ?? null,
  },
};
