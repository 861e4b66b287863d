/**
 * Libraries loaded on first use instead of at start-up. Each is a large bundle that only one kind of request needs,
 * and a static import loaded it into every API and worker process as it started (and into every jest test file):
 * - `@pdf-lib/fontkit` (1.5 MB; decodes a brotli dictionary as it loads): text stamps and signature appearances;
 * - `pdfkit` (with its own fontkit and brotli): the PDF reports;
 * - `@graphql-yoga/render-graphiql` (a 9 MB bundle): the GraphiQL page, only for a browser asking for it;
 * - `exceljs` (with jszip, saxes, bluebird, async and more: ≈ 250 modules): the XLSX reports and the audit export;
 * - `minio` (with its XML parsers and lodash): only where object storage is MinIO/S3, not the local store;
 * - `@mikro-orm/migrations` (umzug, with its command line: ≈ 300 modules): only when migrating (orm.ts);
 * - `pkijs` and `node-forge` (≈ 1.7 MB): certificates, CMS signatures and CRLs, i.e. signing and verifying.
 * Measured (idle machine): requiring the runtime took 2.1 → 1.8 s in plain Node and 3.0 → 2.4 s in a jest test file
 * with the first two; with the rest, 3,108 → 2,065 modules and 2.0–2.3 → 1.5 s in plain Node, and the test servers'
 * support module 2.8–3.9 → 1.9–2.2 s in a jest test file (each of the ≈ 95 integration and browser files pays it).
 * (`await import()` would be the ESM way; jest's CommonJS runtime refuses it without --experimental-vm-modules.)
 */
import type Fontkit from '@pdf-lib/fontkit';
import type PDFKitDocument from 'pdfkit';
import type { renderGraphiQL as RenderGraphiQL } from '@graphql-yoga/render-graphiql';
import type ExcelJSModule from 'exceljs';
import type * as MinioModule from 'minio';
import type * as MigrationsModule from '@mikro-orm/migrations';
import type * as PkijsModule from 'pkijs';
import type ForgeModule from 'node-forge';

/** A getter that requires the module `id` on its first call and returns the same module from then on. */
function onFirstUse<T>(id: string): () => T {
  let loaded: T | undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (see above)
  return () => (loaded ??= require(id) as T);
}

/** `@pdf-lib/fontkit` (for `PDFDocument.registerFontkit`). */
export const fontkit = onFirstUse<typeof Fontkit>('@pdf-lib/fontkit');
/** pdfkit's PDFDocument constructor. */
export const pdfkit = onFirstUse<typeof PDFKitDocument>('pdfkit');
/** exceljs (its default export: `Workbook` and the rest). */
export const excelJS = onFirstUse<typeof ExcelJSModule>('exceljs');
/** The minio client library. */
export const minio = onFirstUse<typeof MinioModule>('minio');
/** MikroORM's migrations extension. */
export const migrations = onFirstUse<typeof MigrationsModule>('@mikro-orm/migrations');
/** pkijs (X.509, CMS, CRL structures). */
export const pkijs = onFirstUse<typeof PkijsModule>('pkijs');
/** node-forge (certificate building, PKCS#12). */
export const nodeForge = onFirstUse<typeof ForgeModule>('node-forge');

const graphiql = onFirstUse<{ renderGraphiQL: typeof RenderGraphiQL }>('@graphql-yoga/render-graphiql');
/** yoga's GraphiQL page renderer. */
export function renderGraphiQL(...args: Parameters<typeof RenderGraphiQL>): ReturnType<typeof RenderGraphiQL> {
  return graphiql().renderGraphiQL(...args);
}
