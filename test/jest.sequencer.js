/* eslint-disable @typescript-eslint/no-require-imports -- jest loads this file as CommonJS */
/**
 * jest's order of test files, with one change for a run without timings (a fresh clone: CI): the long poles first.
 * jest orders files by their last duration when it has one (kept under /tmp, keyed by the checkout's path, so a
 * fresh clone has none) and otherwise by file size — which started the longest browser walks (small files, several
 * minutes each) near the end, with one worker busy alone for minutes while the other had nothing left. Without
 * timings: browser walks first, then the other integration tests (real PostgreSQL, spawned processes), then the
 * unit tests; by size within each group. With timings, jest's own order (failed first, then longest first).
 */
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const group = (file) => {
  const p = file.split(path.sep).join('/');
  if (p.includes('/test/src/browser/')) return 0;
  if (p.includes('/test/src/integration/') || p.endsWith('.int.test.ts')) return 1;
  return 2;
};

class LongPolesFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const untimed = sorted.filter((t) => t.duration == null);
    if (!untimed.length) return sorted;
    const timed = sorted.filter((t) => t.duration != null);
    // stable: jest's size order within each group
    const byGroup = untimed.map((t, i) => ({ t, i, g: group(t.path) })).sort((a, b) => a.g - b.g || a.i - b.i);
    return [...byGroup.map((x) => x.t), ...timed];
  }
}

module.exports = LongPolesFirst;
