/**
 * The large libraries of lazy-modules.ts stay out of a starting process, and load when asked for.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../config/config';
import { excelJS, fontkit, migrations, minio, nodeForge, pdfkit, pkijs, renderGraphiQL } from './lazy-modules';

test('loading the runtime (every service) loads none of them', () => {
  const script = `require(${JSON.stringify(path.join(repoRoot, 'server/src/runtime.ts'))});
    console.log(JSON.stringify(Object.keys(require.cache).filter((k) => /node_modules\\/(pdfkit|fontkit|@pdf-lib\\/fontkit|brotli|@graphql-yoga\\/render-graphiql|exceljs|minio|@mikro-orm\\/migrations|umzug|pkijs|node-forge)\\//.test(k))));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'test' } });
  expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual([]);
});

test('they load on first use', () => {
  expect(typeof fontkit().create).toBe('function');
  const Doc = pdfkit();
  expect(new Doc({ autoFirstPage: false })).toBeDefined();
  expect(pdfkit()).toBe(Doc);
});

test('the others load on first use too', () => {
  expect(renderGraphiQL({ title: 'Công Văn' })).toContain('Công Văn');
  expect(new (excelJS().Workbook)().worksheets).toEqual([]);
  expect(typeof minio().Client).toBe('function');
  expect(typeof migrations().Migrator.register).toBe('function');
  expect(pkijs().Certificate.fromBER).toBeDefined();
  expect(nodeForge().pki.oids.certBag).toBe('1.2.840.113549.1.12.10.1.3');
});
