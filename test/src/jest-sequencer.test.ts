/**
 * The test order of a run without timings (a fresh clone, as CI runs): browser walks first, then the other
 * integration tests, then unit tests, by size within each group; a run with timings keeps jest's longest-first.
 */
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const LongPolesFirst = require('../jest.sequencer.js') as new () => { sort<T>(tests: T[]): T[] };

const root = path.resolve(__dirname, '../..');
type FakeTest = { path: string; duration?: number; context: { config: { cache: boolean; id: string; cacheDirectory: string }; hasteFS: { getSize(p: string): number } } };

function tests(files: Array<[string, number]>): FakeTest[] {
  const sizes = new Map(files.map(([f, s]) => [path.join(root, f), s]));
  const context = { config: { cache: false, id: 'sequencer-test', cacheDirectory: '/nonexistent' }, hasteFS: { getSize: (p: string) => sizes.get(p) ?? 0 } };
  return files.map(([f]) => ({ path: path.join(root, f), context }));
}

const rel = (ts: FakeTest[]) => ts.map((t) => path.relative(root, t.path));

test('without timings: browser walks, then integration tests, then unit tests; larger files first within each', () => {
  const order = new LongPolesFirst().sort(
    tests([
      ['server/src/modules/documents/domain/incoming-workflow.test.ts', 32_000],
      ['test/src/integration/documents-incoming.test.ts', 46_000],
      ['test/src/browser/exchange-agency-assignment.test.ts', 3_000],
      ['workers/src/ocr/pipeline.int.test.ts', 6_000],
      ['test/src/browser/documents-flow.test.ts', 22_000],
      ['web/src/components/DataTable.test.tsx', 9_000],
    ]),
  );
  expect(rel(order)).toEqual([
    'test/src/browser/documents-flow.test.ts',
    'test/src/browser/exchange-agency-assignment.test.ts',
    'test/src/integration/documents-incoming.test.ts',
    'workers/src/ocr/pipeline.int.test.ts',
    'server/src/modules/documents/domain/incoming-workflow.test.ts',
    'web/src/components/DataTable.test.tsx',
  ]);
});

test('with timings from a previous run: longest first, whatever the kind', () => {
  const ts = tests([
    ['test/src/browser/login.test.ts', 9_000],
    ['test/src/integration/exchange-faults.test.ts', 8_000],
    ['server/src/a.test.ts', 1_000],
  ]);
  const seq = new LongPolesFirst() as unknown as { sort(t: FakeTest[]): FakeTest[]; time(t: FakeTest): number | undefined };
  const durations = new Map([
    [ts[0].path, 20_000],
    [ts[1].path, 140_000],
    [ts[2].path, 500],
  ]);
  seq.time = (t) => durations.get(t.path);
  expect(rel(seq.sort(ts))).toEqual(['test/src/integration/exchange-faults.test.ts', 'test/src/browser/login.test.ts', 'server/src/a.test.ts']);
});
