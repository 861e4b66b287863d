/**
 * npm run cli -- <command> [options]
 *   create-admin --username U --password P --full-name "…" [--agency-code 000.00.00.H27 --agency-name "…" --agency-abbr UBND]
 *   seed-demo                      seed the demo province into an empty database
 *   migrate                        apply pending migrations
 *   import DIR --agency CODE [--record CODE]  digitised paper archive: each file → an archived document (OCR'd, searchable; resumable)
 *   ocr FILE... [--json]           digitise scans and print text + fields (one JSON line per file)
 *   gc [--grace-minutes N]         storage garbage collection now (full pass: lists the storage too)
 *   reindex                        rebuild the search index of every document
 *   signing list | revoke ID|SERIAL --reason R   signing certificates of this deployment's CA: list, thu hồi
 *   edxml parse FILE | build       edXML codec (QCVN 102): package → JSON, JSON (stdin) → package (no database)
 * The database commands live in cli-db.ts and are loaded only for them: edxml and ocr start in a moment.
 */
import { AppError } from '../shared/errors';

async function main(): Promise<number> {
  const [cmd, ...rest] = process.argv.slice(2);
  switch (cmd) {
    case 'edxml': {
      const { runEdxmlCli } = await import('../modules/exchange/edxml/cli.js');
      return runEdxmlCli(rest);
    }
    case 'ocr': {
      const { runOcrCli } = await import('../../../workers/src/ocr/cli.js');
      return runOcrCli(rest);
    }
    default: {
      const { runDbCommand } = await import('./cli-db.js');
      return runDbCommand(cmd, rest);
    }
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof AppError) {
      console.error(`Lỗi (${e.code}): ${e.message}`);
      process.exit(2);
    }
    console.error(e);
    process.exit(1);
  },
);
