/**
 * Libraries loaded on first use instead of at start-up. Each is a large bundle that only one kind of request needs,
 * and a static import loaded it into every API and worker process as it started (and into every jest test file):
 * - `@pdf-lib/fontkit` (1.5 MB; decodes a brotli dictionary as it loads): text stamps and signature appearances;
 * - `pdfkit` (with its own fontkit and brotli): the PDF reports.
 * Measured: requiring the runtime took 2.1 → 1.8 s in plain Node and 3.0 → 2.4 s in a jest test file (idle machine). (`await import()` would be
 * the ESM way; jest's CommonJS runtime refuses it without --experimental-vm-modules.)
 */
import type Fontkit from '@pdf-lib/fontkit';
import type PDFKitDocument from 'pdfkit';

let fontkitModule: typeof Fontkit | undefined;
let pdfkitModule: typeof PDFKitDocument | undefined;

/** `@pdf-lib/fontkit` (for `PDFDocument.registerFontkit`). */
export function fontkit(): typeof Fontkit {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (see above)
  return (fontkitModule ??= require('@pdf-lib/fontkit') as typeof Fontkit);
}

/** pdfkit's PDFDocument constructor. */
export function pdfkit(): typeof PDFKitDocument {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (see above)
  return (pdfkitModule ??= require('pdfkit') as typeof PDFKitDocument);
}
