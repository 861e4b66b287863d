import crypto from 'node:crypto';
import { Base64Decoder, Base64Encoder, Base64Error } from './base64';

function decodeIn(pieces: string[]): Buffer {
  const d = new Base64Decoder();
  const out = pieces.map((p) => d.push(p));
  d.end();
  return Buffer.concat(out);
}

describe('incremental base64', () => {
  it('decodes across any split, with whitespace and padding split between pieces', () => {
    const bytes = crypto.randomBytes(1001);
    const b64 = bytes.toString('base64');
    expect(b64.endsWith('=')).toBe(true);
    for (const cut of [1, 2, 3, 5, b64.length - 2, b64.length - 1]) {
      expect(decodeIn([b64.slice(0, cut), '\r\n ', b64.slice(cut)]).equals(bytes)).toBe(true);
    }
  });

  it('refuses foreign characters, padding in the middle, data after padding and a truncated end', () => {
    const rule = (pieces: string[]) => {
      try {
        decodeIn(pieces);
        return 'accepted';
      } catch (e) {
        return (e as Base64Error).rule;
      }
    };
    expect(rule(['QUJD', 'R$=='])).toBe('base64-char');
    expect(rule(['QQ==QUJD'])).toBe('base64-padding');
    expect(rule(['QQ==', 'QUJD'])).toBe('base64-padding');
    expect(rule(['QUJDR'])).toBe('base64-truncated');
    expect(rule(['QUJD', 'RA=='])).toBe('accepted');
  });

  it('the encoder gives the same text as a one-shot encoding, whatever the chunking', () => {
    const bytes = crypto.randomBytes(5000);
    const e = new Base64Encoder();
    let s = '';
    for (let i = 0; i < bytes.length; i += 7 + (i % 13)) s += e.push(bytes.subarray(i, i + 7 + (i % 13)));
    s += e.end();
    expect(s).toBe(bytes.toString('base64'));
  });
});
