import sharp from 'sharp';
import { flattenBackground, median3, withoutLightInk } from './preprocess';

test('median3 gives the same pixels as libvips median(3) inside the border, and keeps the border', async () => {
  const W = 97;
  const H = 61;
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 256);
  // noise, white paper and runs of the same value (ties)
  const data = Buffer.from(Array.from({ length: W * H }, (_, i) => (i % 7 === 0 ? 255 : i % 11 === 0 ? 0 : i % 5 === 0 ? 128 : rnd())));
  const ours = median3({ data, width: W, height: H });
  const vips = await sharp(data, { raw: { width: W, height: H, channels: 1 } }).median(3).toColourspace('b-w').raw().toBuffer();
  let inside = 0;
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      if (x === 0 || y === 0 || x === W - 1 || y === H - 1) expect(ours.data[i]).toBe(data[i]);
      else {
        expect(ours.data[i]).toBe(vips[i]);
        inside++;
      }
    }
  expect(inside).toBe((W - 2) * (H - 2));
  expect(ours.data.equals(data)).toBe(false);
});

test('flattenBackground: grey at or above whiteAbove becomes paper, ink stays dark', () => {
  const W = 200;
  const H = 120;
  const data = Buffer.alloc(W * H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const mottled = 236 + ((x * 7 + y * 13) % 14); // paper 236..249
      const ink = y % 20 < 4 && x % 10 < 6; // short dark strokes
      data[y * W + x] = ink ? 40 : mottled;
    }
  const mean = (b: Buffer, pick: (x: number, y: number) => boolean) => {
    let s = 0;
    let n = 0;
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++)
        if (pick(x, y)) {
          s += b[y * W + x];
          n++;
        }
    return s / n;
  };
  const paper = (x: number, y: number) => !(y % 20 < 4 && x % 10 < 6) && y % 20 > 6;
  const ink = (x: number, y: number) => y % 20 < 4 && x % 10 < 6 && y % 20 > 0 && x % 10 > 0 && x % 10 < 5;
  const dflt = flattenBackground({ data, width: W, height: H });
  const white = flattenBackground({ data, width: W, height: H }, 200);
  expect(mean(white.data, paper)).toBe(255);
  expect(mean(dflt.data, paper)).toBeLessThan(255);
  expect(mean(white.data, ink)).toBeLessThan(60);
});

test('withoutLightInk: the grey ring of a stamp over black text goes white, the text stays; text alone is left alone', () => {
  const W = 300;
  const H = 200;
  const page = (stamp: boolean) => {
    const data = Buffer.alloc(W * H, 255);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const text = y % 40 < 8 && x % 12 < 4 && x > 20 && x < 280; // rows of black strokes…
        const edge = y % 40 === 8 && x % 12 < 4 && x > 20 && x < 280; // …with a lighter, anti-aliased edge
        const r = Math.hypot(x - 150, y - 100);
        const ring = stamp && ((r > 70 && r < 82) || (r > 40 && r < 46)); // the stamp's rings, printed lighter
        data[y * W + x] = text ? 12 : edge ? 150 : ring ? 130 : 255;
      }
    return { data, width: W, height: H };
  };
  const rect = { left: 0, top: 0, width: W, height: H };
  const clean = withoutLightInk(page(true), rect);
  expect(clean).not.toBeNull();
  const at = (g: { data: Buffer }, x: number, y: number) => g.data[y * W + x];
  expect(at(clean!, 150 + 76, 100)).toBe(255); // on the ring, between text rows
  expect(at(clean!, 24, 5)).toBe(12); // text
  expect(at(page(true), 150 + 76, 100)).toBe(130); // the input is not changed
  expect(withoutLightInk(page(false), rect)).toBeNull();
  // the rectangle alone comes back, cut where cropPgm cuts it (floor of its corner, clipped to the page)
  const part = withoutLightInk(page(true), { left: 130.6, top: -10, width: 200, height: 150 });
  expect(part && [part.width, part.height]).toEqual([W - 130, 140]);
  expect(part && part.data[100 * part.width + (150 + 76 - 130)]).toBe(255); // the ring, at its place in the crop
  expect(part && part.data[5 * part.width + (132 - 130)]).toBe(12); // text
});
