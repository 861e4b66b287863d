import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { unpackedModels } from './engine';

const ROOT = path.resolve(__dirname, '../../..');
const MODEL = '4.0.0_best_int';

describe('the OCR model is unpacked once, atomically, for every process', () => {
  it('several processes starting at once never see a partial vie.traineddata', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocr-models-'));
    try {
      const src = path.join(path.dirname(require.resolve('@tesseract.js-data/vie/package.json')), MODEL, 'vie.traineddata.gz');
      const fullSize = zlib.gunzipSync(fs.readFileSync(src)).length;
      const target = path.join(dir, 'tessdata', 'vie.traineddata');
      const sizes: number[] = [];
      let watching = true;
      const watch = (async () => {
        while (watching) {
          try {
            sizes.push(fs.statSync(target).size);
          } catch {
            // not there yet
          }
          await new Promise((r) => setImmediate(r));
        }
      })();
      const script = `require(${JSON.stringify(path.join(ROOT, 'workers/src/ocr/engine.ts'))}).unpackedModels(['vie'], ${JSON.stringify(MODEL)}, ${JSON.stringify(dir)})`;
      const runs = Array.from({ length: 3 }, () =>
        new Promise<number>((resolve) => spawn(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: ROOT, stdio: 'inherit' }).on('exit', (c) => resolve(c ?? 1))),
      );
      expect(await Promise.all(runs)).toEqual([0, 0, 0]);
      watching = false;
      await watch;
      expect(fs.statSync(target).size).toBe(fullSize);
      expect(sizes.every((s) => s === fullSize)).toBe(true);
      expect(fs.readdirSync(path.join(dir, 'tessdata'))).toEqual(['vie.traineddata']); // no temporary file left
      // and in this process: already there, returned as is
      expect(unpackedModels(['vie'], MODEL, dir)).toBe(path.join(dir, 'tessdata'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
