import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../../server/src/config/config';
import { createTestDatabase } from '../support/db';
import { initOrm } from '../../../server/src/db/orm';
import { seedDemo } from '../../../server/src/seed/demo';
import { Scope } from '../../../server/src/shared/scope';
import { SCANS_DIR } from '../../fixtures';

const SCANS = SCANS_DIR;

describe('npm run cli -- import DIR: bulk digitisation for the archive (OCR, failures, resume)', () => {
  it('digitises a folder (nested), reports bad files, and a second run resumes without redoing anything', async () => {
    const db = await createTestDatabase({ demo: false });
    const orm = await initOrm(db.url, 2);
    await seedDemo(new Scope(orm.em.fork(), null));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvan-import-'));
    fs.mkdirSync(path.join(dir, 'hop-01'));
    fs.copyFileSync(path.join(SCANS, 'dev03.p1.jpg'), path.join(dir, 'hop-01', 'van-ban-03.jpg'));
    fs.copyFileSync(path.join(SCANS, 'dev05.pdf'), path.join(dir, 'van-ban-05.pdf'));
    fs.writeFileSync(path.join(dir, 'hong.pdf'), Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog'));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvan-import-data-'));
    const run = () =>
      spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server/src/bin/cli.ts'), 'import', dir, '--agency', '000.00.00.H27', '--quiet'], {
        encoding: 'utf8',
        cwd: repoRoot,
        env: { ...process.env, DATABASE_URL: db.url, CONGVAN_DATA_DIR: dataDir, LOG_LEVEL: 'silent', OCR_CONCURRENCY: '2' },
        timeout: 400_000,
      });
    try {
      const first = run();
      expect(first.stderr).not.toMatch(/Error\b|\n\s+at /); // pdf.js may warn about the corrupt file
      expect(first.stdout).toMatch(/Đã số hóa 3 tệp/);
      expect(first.stdout).toMatch(/Lỗi: hong\.pdf: .*PDF/);
      expect(first.status).toBe(1);
      const em = orm.em.fork();
      const results = await em.getConnection().execute<{ status: string; n: string }[]>(`select status, count(*)::text as n from ocr_result group by status order by status`);
      expect(results).toEqual([
        { status: 'DONE', n: '2' },
        { status: 'FAILED', n: '1' },
      ]);
      // each file is an archived document of the agency (issue 10: see import-archive.test.ts), the broken one too
      const imported = await em.getConnection().execute<{ file_name: string }[]>(
        `select f.file_name from document d join document_file f on f.document_id = d.id where d.direction = 'ARCHIVE' order by f.file_name`,
      );
      expect(imported.map((r) => r.file_name)).toEqual(['hong.pdf', 'van-ban-03.jpg', 'van-ban-05.pdf']);

      const second = run();
      expect(second.stdout).toMatch(/Đã số hóa 3 tệp/);
      const after = await em.getConnection().execute<{ n: string }[]>(`select count(*)::text as n from audit_event where action = 'ocr.done'`);
      expect(after[0].n).toBe('2'); // nothing digitised twice
      const docs = await em.getConnection().execute<{ n: string }[]>(`select count(*)::text as n from document where direction = 'ARCHIVE'`);
      expect(docs[0].n).toBe('3'); // same bytes → same documents
    } finally {
      await orm.close(true);
      await db.drop();
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 600_000);
});
