import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { AppError, badInput, notFound } from '../../shared/errors';

/**
 * Object storage for file bodies (bản gốc văn bản, bản quét, tệp đính kèm).
 *
 * Keys are CONTENT-ADDRESSED: `sha256/<h0h1>/<h2h3>/<sha256 hex>`. The same bytes are stored once;
 * a second `put` of identical content returns `existed: true` and keeps the first write's
 * contentType / metadata. Because objects are shared by content, requests never call `delete`: only the
 * storage garbage collector (modules/storage-gc) does, for objects no row references and nobody claimed
 * within the grace period. Store objects that rows will reference with `putClaimed` (stored-objects.ts).
 *
 * Metadata keys are normalised to lower case (S3 semantics) and must match /^[a-z0-9][a-z0-9_-]*$/;
 * values are arbitrary Unicode strings (stored percent-encoded on S3, where headers are ASCII).
 */
export interface ObjectStorage {
  readonly kind: 'local' | 's3';
  /** Creates the bucket / directories. Idempotent; safe to call from several processes at once. */
  ensureReady(): Promise<void>;
  put(input: Buffer | Readable, opts?: PutOptions): Promise<PutResult>;
  /** Throws AppError NOT_FOUND when the object does not exist. */
  get(key: string): Promise<Readable>;
  /** Throws AppError NOT_FOUND when the object does not exist. */
  getBuffer(key: string): Promise<Buffer>;
  /** null when the object does not exist. */
  stat(key: string): Promise<ObjectStat | null>;
  /** Idempotent: deleting a missing object is not an error. */
  delete(key: string): Promise<void>;
  /** A time-limited URL a browser can GET without other credentials. */
  presignedGetUrl(key: string, opts?: PresignOptions): Promise<string>;
  /** Every content-addressed object with its last modification time (for the garbage collector). */
  list(): AsyncIterable<ListedObject>;
  /**
   * Removes leftovers of interrupted writes (temp `.part` files) last touched before `olderThan`.
   * Returns how many were removed.
   */
  removeStaleTemp(olderThan: Date): Promise<number>;
}

export type ListedObject = { key: string; lastModified: Date };

export type PutOptions = {
  contentType?: string;
  /** Expected size in bytes. When given, a body of another length is rejected (BAD_USER_INPUT). */
  size?: number;
  metadata?: Record<string, string>;
  /** Abort (BAD_USER_INPUT) as soon as the body exceeds this many bytes. */
  maxBytes?: number;
};

export type PutResult = { key: string; sha256: string; size: number; existed: boolean };

export type ObjectStat = { size: number; contentType?: string; metadata: Record<string, string> };

export type PresignOptions = {
  /** Default 900 s; at most 7 days (the S3 limit). */
  expiresSeconds?: number;
  /** Download name (Vietnamese allowed) → Content-Disposition with RFC 5987 filename*. */
  fileName?: string;
  /** Overrides the stored Content-Type of the response. */
  contentType?: string;
  /**
   * 'attachment' (default) downloads; 'inline' lets the browser display it. 'inline' is only honoured
   * for types that are safe to render on our origin (PDF, raster images, plain text) — see INLINE_SAFE_TYPES.
   */
  disposition?: 'inline' | 'attachment';
};

export const DEFAULT_PRESIGN_SECONDS = 900;
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

const KEY_RE = /^sha256\/([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{64})$/;
const HEX_RE = /^[0-9a-f]{64}$/;

/** `sha256/ab/cd/abcd…` for a lower-case sha256 hex digest. */
export function keyForSha256(hex: string): string {
  if (!HEX_RE.test(hex)) throw badInput('Mã băm SHA-256 không hợp lệ.');
  return `sha256/${hex.slice(0, 2)}/${hex.slice(2, 4)}/${hex}`;
}

/** True when `key` has the exact content-addressed form (so it cannot escape the storage root). */
export function isValidKey(key: unknown): key is string {
  if (typeof key !== 'string') return false;
  const m = KEY_RE.exec(key);
  return m !== null && m[3].startsWith(m[1] + m[2]);
}

/** Returns the sha256 hex of a valid key; throws BAD_USER_INPUT otherwise. */
export function assertValidKey(key: unknown): string {
  if (!isValidKey(key)) throw badInput('Khóa tệp không hợp lệ.', 'key');
  return key.slice(-64);
}

export const fileNotFound = () => notFound('Tệp');

export function isNotFoundError(err: unknown): boolean {
  return err instanceof AppError && err.code === 'NOT_FOUND';
}

/** Standard object headers: never user metadata (statObject reports them alongside it). */
export const RESERVED_META = new Set([
  'content-type',
  'content-length',
  'content-encoding',
  'content-disposition',
  'content-language',
  'cache-control',
  'expires',
  'etag',
  'last-modified',
]);
const META_KEY_RE = /^[a-z0-9][a-z0-9_-]*$/;

/** Lower-cases keys and NFC-normalises values; rejects keys that are not plain header tokens. */
export function normalizeMetadata(meta: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!meta) return out;
  for (const [k, v] of Object.entries(meta)) {
    const key = k.toLowerCase();
    if (!META_KEY_RE.test(key) || RESERVED_META.has(key) || key.startsWith('x-amz-')) {
      throw badInput(`Tên trường siêu dữ liệu không hợp lệ: ${k}`, 'metadata');
    }
    if (typeof v !== 'string') throw badInput(`Giá trị siêu dữ liệu phải là chuỗi: ${k}`, 'metadata');
    out[key] = v.normalize('NFC');
  }
  return out;
}

export function normalizeContentType(ct: string | undefined): string | undefined {
  if (ct === undefined) return undefined;
  const t = ct.trim();
  // A media type is ASCII: type/subtype[; params]. Anything else would be a header-injection vector.
  if (!/^[\x21-\x7e]+\/[\x21-\x7e]+( *;[\x20-\x7e]*)?$/.test(t) || /[\r\n]/.test(t)) {
    throw badInput('Kiểu nội dung (Content-Type) không hợp lệ.', 'contentType');
  }
  return t;
}

export function clampExpiry(seconds: number | undefined): number {
  const s = seconds ?? DEFAULT_PRESIGN_SECONDS;
  if (!Number.isFinite(s) || s < 1) throw badInput('Thời hạn liên kết không hợp lệ.', 'expiresSeconds');
  return Math.min(Math.floor(s), MAX_PRESIGN_SECONDS);
}

/** Types a browser may render inline from our own origin without running scripts. */
export const INLINE_SAFE_TYPES = new Set([
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/tiff',
  'text/plain',
]);

export function effectiveDisposition(
  requested: 'inline' | 'attachment' | undefined,
  contentType: string | undefined,
): 'inline' | 'attachment' {
  if (requested !== 'inline') return 'attachment';
  const base = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return INLINE_SAFE_TYPES.has(base) ? 'inline' : 'attachment';
}

/** "Công văn số 12/UBND.pdf" → "Cong van so 12_UBND.pdf" (ASCII fallback for old clients). */
export function asciiFileName(name: string): string {
  const s = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\/;]/g, '_')
    .trim();
  return s || 'download';
}

/** RFC 5987 ext-value: UTF-8 percent-encoding of everything outside attr-char. */
export function rfc5987Encode(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/**
 * `attachment; filename="Cong van.pdf"; filename*=UTF-8''C%C3%B4ng%20v%C4%83n.pdf` (RFC 6266 / 5987).
 * Path separators are replaced so a name can never be taken as a path by the client.
 */
export function contentDisposition(disposition: 'inline' | 'attachment', fileName: string | undefined): string {
  if (!fileName) return disposition;
  const name = Array.from(fileName.normalize('NFC').replace(/[/\\]/g, '_'))
    .filter((c) => c.charCodeAt(0) >= 0x20 && c !== '\x7f') // drop control characters
    .join('');
  if (!name) return disposition;
  return `${disposition}; filename="${asciiFileName(name)}"; filename*=UTF-8''${rfc5987Encode(name)}`;
}

export async function streamToBuffer(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

export function sha256Hex(buf: Buffer): string {
  return crypto.createHash('sha256').update(buf).digest('hex');
}

export function tooLarge(maxBytes: number): AppError {
  return badInput(`Tệp vượt quá dung lượng cho phép (${Math.floor(maxBytes / (1024 * 1024))} MB).`, 'file');
}

export function sizeMismatch(expected: number, actual: number): AppError {
  return badInput(`Kích thước tệp không khớp: khai báo ${expected} byte, nhận được ${actual} byte.`, 'file');
}

/* ------------------------------------------------------------------ signed URLs served by the API */

/** Canonical string covered by the HMAC: key, expiry and the response overrides. */
function signedPayload(key: string, exp: number, fileName: string, contentType: string, disposition: string): string {
  return ['v1', key, String(exp), fileName, contentType, disposition].join('\n');
}

export type SignedUrlParams = { fileName?: string; contentType?: string; disposition?: 'inline' | 'attachment' };

export function signLocalUrl(key: string, exp: number, secret: string, p: SignedUrlParams = {}): string {
  return crypto
    .createHmac('sha256', secret)
    .update(signedPayload(key, exp, p.fileName ?? '', p.contentType ?? '', p.disposition ?? ''))
    .digest('base64url');
}

/**
 * Verifies a URL produced by `presignedGetUrl` of the local driver (or `buildSignedFileUrl`).
 * `exp` is the unix time in seconds (string from the query or number); `now` is for tests.
 */
export function verifyLocalSignedUrl(
  key: string,
  exp: string | number,
  sig: string,
  secret: string,
  params: SignedUrlParams = {},
  now: number = Date.now(),
): boolean {
  if (!isValidKey(key) || typeof sig !== 'string' || !secret) return false;
  const expNum = typeof exp === 'number' ? exp : /^\d{1,12}$/.test(exp) ? Number(exp) : NaN;
  if (!Number.isSafeInteger(expNum) || expNum * 1000 < now) return false;
  const expected = Buffer.from(signLocalUrl(key, expNum, secret, params));
  const given = Buffer.from(sig);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/** `${publicUrl}/files/<key>?exp=…&sig=…[&name=…][&type=…][&disp=inline]` */
export function buildSignedFileUrl(
  publicUrl: string,
  key: string,
  secret: string,
  opts: PresignOptions = {},
  now: number = Date.now(),
): string {
  assertValidKey(key);
  const exp = Math.floor(now / 1000) + clampExpiry(opts.expiresSeconds);
  const params: SignedUrlParams = {
    fileName: opts.fileName ? opts.fileName.normalize('NFC') : undefined,
    contentType: normalizeContentType(opts.contentType),
    disposition: opts.disposition === 'inline' ? 'inline' : undefined,
  };
  const q = new URLSearchParams({ exp: String(exp), sig: signLocalUrl(key, exp, secret, params) });
  if (params.fileName) q.set('name', params.fileName);
  if (params.contentType) q.set('type', params.contentType);
  if (params.disposition) q.set('disp', params.disposition);
  return `${publicUrl.replace(/\/+$/, '')}/files/${key}?${q.toString()}`;
}

export function assertSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length < 16) {
    throw new Error('Storage URL-signing secret must be at least 16 characters');
  }
}
