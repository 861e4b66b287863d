/**
 * Demo images for the demo province: a red seal (con dấu: double ring and a star, transparent background)
 * and a blue handwritten-looking signature, as RGBA PNGs drawn pixel by pixel (no image library installed).
 * Real deployments upload the scanned seal / signature PNGs.
 */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(b: Buffer): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** Encodes an RGBA raster as PNG. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function raster(w: number, h: number, inside: (x: number, y: number) => boolean, rgb: [number, number, number]): Buffer {
  const px = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      // 2×2 supersampling for soft edges.
      let hits = 0;
      for (const [dx, dy] of [[0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]]) if (inside(x + dx, y + dy)) hits++;
      if (!hits) continue;
      const o = (y * w + x) * 4;
      px[o] = rgb[0];
      px[o + 1] = rgb[1];
      px[o + 2] = rgb[2];
      px[o + 3] = Math.round((hits / 4) * 255);
    }
  return encodePng(w, h, px);
}

/** Red round seal: two rings, a dotted inner ring and a five-pointed star. */
export function demoSealPng(size = 240): Buffer {
  const c = size / 2;
  const star = (x: number, y: number) => {
    const dx = x - c;
    const dy = c - y;
    const r = Math.hypot(dx, dy);
    const a = Math.atan2(dy, dx) - Math.PI / 2;
    const k = ((a % ((2 * Math.PI) / 5)) + (2 * Math.PI) / 5) % ((2 * Math.PI) / 5);
    const edge = (size * 0.16) / (1 + 1.4 * Math.abs(k - Math.PI / 5) / (Math.PI / 5)) + size * 0.05;
    return r < edge * 1.25;
  };
  return raster(
    size,
    size,
    (x, y) => {
      const r = Math.hypot(x - c, y - c);
      const outer = r > c * 0.9 && r < c * 0.98;
      const inner = r > c * 0.62 && r < c * 0.66;
      const dots = r > c * 0.74 && r < c * 0.8 && Math.floor((Math.atan2(y - c, x - c) + Math.PI) / 0.12) % 2 === 0;
      return outer || inner || dots || star(x, y);
    },
    [218, 30, 40],
  );
}

/** Blue signature: a few overlapping sine strokes. */
export function demoSignaturePng(seed = 1, w = 300, h = 120): Buffer {
  const f1 = 2 + (seed % 3);
  const f2 = 5 + (seed % 4);
  const curve = (x: number) => h / 2 + (h / 4) * Math.sin((x / w) * Math.PI * f1 + seed) + (h / 10) * Math.sin((x / w) * Math.PI * f2);
  return raster(
    w,
    h,
    (x, y) => {
      if (x < w * 0.05 || x > w * 0.95) return false;
      const d1 = Math.abs(y - curve(x));
      const d2 = Math.abs(y - (h * 0.72 - (x / w) * h * 0.3));
      return d1 < 2.6 || (x > w * 0.3 && d2 < 1.8);
    },
    [20, 50, 170],
  );
}
