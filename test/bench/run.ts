/**
 * npm run bench -- <name> [args]   runs test/bench/<name>.ts (its exported `run(args)`).
 * Benchmarks print their figures and a ratio against a peer measured side by side in the same run.
 */
import fs from 'node:fs';
import path from 'node:path';

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const available = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -3));
  if (!name || !available.includes(name)) {
    console.error(`usage: npm run bench -- <${available.join('|')}> [args]`);
    process.exit(name ? 2 : 0);
  }
  const mod = (await import(path.join(__dirname, `${name}.ts`))) as { run(args: string[]): Promise<void> };
  await mod.run(args);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
