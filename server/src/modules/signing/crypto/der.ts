/**
 * A minimal DER encoder (tag-length-value) for building CMS structures from parts we already hold as DER
 * (certificates, issuer names): asn1js/pkijs would parse and re-encode them, this just concatenates bytes.
 */

export function tlv(tag: number, content: Uint8Array): Buffer {
  const len = content.length;
  let header: number[];
  if (len < 0x80) header = [tag, len];
  else {
    const bytes: number[] = [];
    for (let n = len; n > 0; n >>= 8) bytes.unshift(n & 0xff);
    header = [tag, 0x80 | bytes.length, ...bytes];
  }
  return Buffer.concat([Buffer.from(header), content]);
}

export const seq = (...parts: Uint8Array[]): Buffer => tlv(0x30, Buffer.concat(parts));
/** SET OF, sorted as DER requires (X.690 §11.6). */
export const setOf = (...parts: Uint8Array[]): Buffer => tlv(0x31, Buffer.concat([...parts].map((p) => Buffer.from(p)).sort(Buffer.compare)));
export const octets = (b: Uint8Array): Buffer => tlv(0x04, b);
export const nullValue = (): Buffer => Buffer.from([0x05, 0x00]);
/** Context-specific tag: [n] constructed (EXPLICIT, or IMPLICIT of a constructed type). */
export const ctx = (n: number, ...parts: Uint8Array[]): Buffer => tlv(0xa0 | n, Buffer.concat(parts));

export function int(n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v >>= 8;
  } while (v > 0);
  if (bytes[0] & 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
}

export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [parts[0] * 40 + parts[1]];
  for (const p of parts.slice(2)) {
    const b: number[] = [];
    let v = p;
    b.unshift(v & 0x7f);
    v = Math.floor(v / 128);
    while (v > 0) {
      b.unshift((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(...b);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5). */
export function time(d: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, '0');
  const y = d.getUTCFullYear();
  const rest = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  if (y >= 1950 && y < 2050) return tlv(0x17, Buffer.from(`${String(y % 100).padStart(2, '0')}${rest}`, 'latin1'));
  return tlv(0x18, Buffer.from(`${y}${rest}`, 'latin1'));
}

export const algorithm = (o: string, withNull = true): Buffer => (withNull ? seq(oid(o), nullValue()) : seq(oid(o)));
