/** File type by magic bytes — never by name. */
export type InputKind = 'pdf' | 'jpeg' | 'png' | 'tiff' | 'webp' | 'unknown';

export const MIME: Record<Exclude<InputKind, 'unknown'>, string> = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
  tiff: 'image/tiff',
  webp: 'image/webp',
};

export function detectKind(buf: Uint8Array): InputKind {
  const b = buf;
  if (b.length >= 5) {
    // "%PDF-" may be preceded by up to 1 KB of junk (the PDF spec tolerates it)
    const head = Buffer.from(b.subarray(0, Math.min(1024, b.length))).toString('latin1');
    if (head.startsWith('%PDF-') || (head.indexOf('%PDF-') > 0 && head.indexOf('%PDF-') < 1024)) return 'pdf';
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a) return 'png';
  if (b.length >= 4 && ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0x00) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0x00 && b[3] === 0x2a)))
    return 'tiff';
  if (b.length >= 12 && Buffer.from(b.subarray(0, 4)).toString('latin1') === 'RIFF' && Buffer.from(b.subarray(8, 12)).toString('latin1') === 'WEBP')
    return 'webp';
  return 'unknown';
}
