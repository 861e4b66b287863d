/**
 * The large libraries of lazy-modules.ts stay out of a starting process, and load when asked for.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../config/config';
import { fontkit, pdfkit } from './lazy-modules';

test('starting the runtime (every service) loads neither fontkit nor pdfkit', () => {
  const script = `require(${JSON.stringify(path.join(repoRoot, 'server/src/runtime.ts'))});
    console.log(JSON.stringify(Object.keys(require.cache).filter((k) => /node_modules\\/(pdfkit|fontkit|@pdf-lib\\/fontkit|brotli)\\//.test(k))));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'test' } });
  expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual([]);
});

test('they load on first use', () => {
  expect(typeof fontkit().create).toBe('function');
  const Doc = pdfkit();
  expect(new Doc({ autoFirstPage: false })).toBeDefined();
  expect(pdfkit()).toBe(Doc);
});
