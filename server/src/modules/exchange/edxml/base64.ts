/**
 * Incremental base64 (RFC 4648, standard alphabet) decoder and encoder for attachment bodies: memory stays
 * at one chunk whatever the attachment size. Whitespace (line breaks of MIME-style encoders) is ignored;
 * anything else outside the alphabet, padding in the middle, or a length that is not a multiple of 4 at the
 * end is an error (`Base64Error`, with the rule name).
 */

export class Base64Error extends Error {
  constructor(
    readonly rule: 'base64-char' | 'base64-padding' | 'base64-truncated',
    readonly vi: string,
    readonly en: string,
  ) {
    super(`${vi} (${en})`);
  }
}

const VALID = /^[A-Za-z0-9+/]*(={1,2})?$/;
const WS = /[\t\n\r ]+/g;

export class Base64Decoder {
  private carry = '';
  private padded = false;

  /** Decodes what can be decoded of `text` (a piece of the element's text); returns the bytes. */
  push(text: string): Buffer {
    const s = text.replace(WS, '');
    if (!s) return EMPTY;
    if (this.padded) throw new Base64Error('base64-padding', "Có dữ liệu sau ký tự đệm '='", "data after the '=' padding");
    const data = this.carry + s;
    const n = data.length - (data.length % 4);
    // Fast path (native): canonical base64 re-encodes to itself. Otherwise check character by character.
    if (n > 0 && data.indexOf('=') === -1) {
      const quads = data.slice(0, n);
      const bytes = Buffer.from(quads, 'base64');
      if (bytes.toString('base64') === quads && /^[A-Za-z0-9+/]*$/.test(data.slice(n))) {
        this.carry = data.slice(n);
        return bytes;
      }
    }
    if (!VALID.test(data)) {
      const bad = /[^A-Za-z0-9+/=]/.exec(data);
      if (bad) throw new Base64Error('base64-char', `Ký tự không hợp lệ trong base64: ${JSON.stringify(bad[0])}`, `invalid base64 character ${JSON.stringify(bad[0])}`);
      throw new Base64Error('base64-padding', "Ký tự đệm '=' ở giữa dữ liệu base64", "'=' padding inside base64 data");
    }
    this.carry = data.slice(n);
    if (n === 0) return EMPTY;
    const quads = data.slice(0, n);
    if (quads.endsWith('=')) {
      if (this.carry) throw new Base64Error('base64-padding', "Có dữ liệu sau ký tự đệm '='", "data after the '=' padding");
      this.padded = true;
    }
    return Buffer.from(quads, 'base64');
  }

  /** Ends the data: throws when it was cut in the middle of a 4-character group. */
  end(): void {
    if (this.carry) {
      throw new Base64Error(
        'base64-truncated',
        'Dữ liệu base64 bị cắt cụt (độ dài không là bội số của 4)',
        'truncated base64 data (length is not a multiple of 4)',
      );
    }
  }
}

const EMPTY = Buffer.alloc(0);

/** Incremental encoder: feed byte chunks, get base64 text without line breaks. */
export class Base64Encoder {
  private carry: Buffer = EMPTY;
  push(chunk: Uint8Array): string {
    const data = this.carry.length ? Buffer.concat([this.carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const n = data.length - (data.length % 3);
    this.carry = Buffer.from(data.subarray(n));
    return data.subarray(0, n).toString('base64');
  }
  end(): string {
    const s = this.carry.toString('base64');
    this.carry = EMPTY;
    return s;
  }
}
