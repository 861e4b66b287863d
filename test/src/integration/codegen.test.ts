import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../../server/src/config/config';

/** schema/*.graphql is the single source of truth: the generated types in the repo must match it. */
describe('codegen output is up to date with schema/*.graphql', () => {
  it('graphql-codegen --check finds nothing to regenerate', () => {
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/.bin/graphql-codegen'), '--config', 'schema/codegen.ts', '--check'], { cwd: repoRoot, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`generated files are stale: run \`npm run codegen\`\n${r.stdout}\n${r.stderr}`);
  }, 60_000);
});
