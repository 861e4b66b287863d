import { uncoveredInk } from './coverage';
import type { Box } from './engine';

const W = 1200;
const H = 900;
const LH = 40;

/** A white page with "text lines": 30-px-tall rows of 6-px strokes every 14 px (letters), word gaps every 120 px. */
function page(draw: (set: (x: number, y: number, v?: number) => void) => void) {
  const data = Buffer.alloc(W * H, 255);
  draw((x, y, v = 20) => {
    if (x >= 0 && x < W && y >= 0 && y < H) data[y * W + x] = v;
  });
  return { data, width: W, height: H };
}
const textLine = (set: (x: number, y: number) => void, top: number, x0: number, x1: number) => {
  for (let y = top; y < top + 30; y++) for (let x = x0; x < x1; x++) if (x % 14 < 6 && (x - x0) % 120 < 100) set(x, y);
};
const wordsOf = (top: number, x0: number, x1: number): Box[] => {
  const out: Box[] = [];
  for (let x = x0; x < x1; x += 120) out.push({ x0: x, y0: top, x1: Math.min(x1, x + 100), y1: top + 30 });
  return out;
};

test('a text line no word covers comes back as a rectangle around it; covered lines do not', () => {
  const g = page((set) => {
    textLine(set, 100, 100, 1100);
    textLine(set, 200, 100, 1100); // the line the reading left out
    textLine(set, 300, 100, 700);
  });
  const words = [...wordsOf(100, 100, 1100), ...wordsOf(300, 100, 700)];
  const rects = uncoveredInk(g, words, LH);
  expect(rects).toHaveLength(1);
  const [r] = rects;
  expect(r.top).toBeLessThanOrEqual(200);
  expect(r.top + r.height).toBeGreaterThanOrEqual(230);
  expect(r.top).toBeGreaterThan(130); // not the neighbours
  expect(r.top + r.height).toBeLessThan(300);
  expect(r.left).toBeLessThanOrEqual(100);
  expect(r.left + r.width).toBeGreaterThanOrEqual(1090);
  // all covered: nothing to read again
  expect(uncoveredInk(g, [...words, ...wordsOf(200, 100, 1100)], LH)).toEqual([]);
  // inside a region read again anyway: nothing either
  expect(uncoveredInk(g, words, LH, [{ left: 0, top: 180, width: W, height: 80 }])).toEqual([]);
});

test('specks, a rule, a solid bar, a short word and a tall mark (stamp, signature) are not text lines', () => {
  const g = page((set) => {
    for (let i = 0; i < 400; i++) set((i * 7919) % W, (i * 104729) % H); // specks
    for (let x = 100; x < 1100; x++) for (let y = 400; y < 403; y++) set(x, y); // a rule, 3 px
    for (let x = 100; x < 600; x++) for (let y = 500; y < 530; y++) set(x, y); // a filled bar
    textLine(set, 600, 100, 180); // one short word, under 3 line heights
    for (let y = 650; y < 850; y++) for (let x = 700; x < 900; x++) if (Math.abs(Math.hypot(x - 800, y - 750) - 90) < 5) set(x, y, 60); // a ring, dark
  });
  expect(uncoveredInk(g, [], LH)).toEqual([]);
});

test('light ink is not ink; at most maxRects rectangles, the inkiest, in page order', () => {
  const light = page((set) => {
    for (let y = 100; y < 130; y++) for (let x = 100; x < 1100; x++) if (x % 14 < 6) set(x, y, 200); // show-through
  });
  expect(uncoveredInk(light, [], LH)).toEqual([]);
  const many = page((set) => {
    for (let i = 0; i < 8; i++) textLine(set, 20 + i * 100, 100, 300 + i * 100);
  });
  const rects = uncoveredInk(many, [], LH, [], { inkBelow: 110, maxRects: 3 });
  expect(rects).toHaveLength(3);
  expect(rects.map((r) => Math.round((r.top + LH / 3 - 20) / 100))).toEqual([5, 6, 7]); // the three longest lines
});

test('no line height, an empty page: nothing', () => {
  const g = page(() => undefined);
  expect(uncoveredInk(g, [], 0)).toEqual([]);
  expect(uncoveredInk(g, [], LH)).toEqual([]);
});
