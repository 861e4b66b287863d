/**
 * Authentication of requests between peer deployments (the exchange endpoints: receive package, receive
 * status, directory). Pure: no I/O; the caller supplies the peer's keys, the clock and a replay cache.
 *
 * Scheme `CONGVAN-HMAC-SHA256`: each pair of peers shares a secret (≥ 32 random bytes, `generatePeerSecret`),
 * configured on both sides with a key id (several keys per peer are accepted at once, for rotation). The sender
 * signs, with HMAC-SHA256, the canonical string
 *
 *   CONGVAN-HMAC-SHA256 \n METHOD \n path?query \n timestamp \n nonce \n sha256(body) hex \n sender peer id
 *
 * and sends the parts in headers (AUTH_HEADERS). The receiver refuses a request whose timestamp is more than
 * `windowSeconds` (default 300) away from its clock — a replay after the window — and, inside the window, one
 * whose (peer, nonce) it has already seen (`ReplayCache`). The body hash in the header is signed; the receiver
 * checks the body against it while streaming it (`verifyBodyDigest`) and discards the request on a mismatch.
 *
 * Why HMAC-SHA256 rather than Ed25519: the issue configures each peer with "a base URL and a credential" — a
 * shared secret is that one credential on each side, needs no key-pair exchange or PKI, costs microseconds per
 * request (the benchmark targets ≥ 200 packages/s), and comes with Node's crypto (constant-time comparison via
 * timingSafeEqual). Ed25519 would let a receiver hold only a public key (a leaked receiver config could not
 * forge requests from the sender); with one secret per pair a leak compromises only that pair, and rotation is
 * built in (key ids). Document content is protected separately: the signed PDFs inside the package.
 */
import crypto from 'node:crypto';

export const AUTH_SCHEME = 'CONGVAN-HMAC-SHA256';

export const AUTH_HEADERS = {
  peer: 'x-congvan-peer',
  keyId: 'x-congvan-key-id',
  timestamp: 'x-congvan-timestamp',
  nonce: 'x-congvan-nonce',
  contentSha256: 'x-congvan-content-sha256',
  signature: 'x-congvan-signature',
} as const;

export interface PeerKey {
  keyId: string;
  /** The shared secret (≥ 32 bytes). */
  secret: Buffer;
}

export const DEFAULT_WINDOW_SECONDS = 300;
const MIN_SECRET_BYTES = 32;
const HEX64 = /^[0-9a-f]{64}$/;
const NONCE_RE = /^[A-Za-z0-9_-]{16,64}$/;
const ID_RE = /^[A-Za-z0-9._:-]{1,64}$/;

/** A new shared secret, base64 (43 characters) — what an administrator configures on both peers. */
export function generatePeerSecret(): string {
  return crypto.randomBytes(32).toString('base64');
}

/** Reads a configured secret (base64); throws when it is shorter than 32 bytes. */
export function decodePeerSecret(b64: string): Buffer {
  const buf = Buffer.from(b64, 'base64');
  if (buf.length < MIN_SECRET_BYTES) throw new Error(`Khóa chia sẻ phải dài ít nhất ${MIN_SECRET_BYTES} byte (a shared secret needs at least ${MIN_SECRET_BYTES} bytes)`);
  return buf;
}

export function sha256Hex(body: Uint8Array | string): string {
  return crypto.createHash('sha256').update(body).digest('hex');
}

export interface CanonicalParts {
  method: string;
  /** The request target as sent: path plus query string, e.g. `/exchange/v1/packages?x=1`. */
  path: string;
  /** Unix seconds. */
  timestamp: number;
  nonce: string;
  contentSha256: string;
  peerId: string;
}

export function canonicalString(p: CanonicalParts): string {
  return [AUTH_SCHEME, p.method.toUpperCase(), p.path, String(p.timestamp), p.nonce, p.contentSha256.toLowerCase(), p.peerId].join('\n');
}

function hmac(secret: Buffer, s: string): Buffer {
  return crypto.createHmac('sha256', secret).update(s, 'utf8').digest();
}

export interface SignInput {
  /** This deployment's id as the receiver knows it (e.g. its operator agency code). */
  peerId: string;
  key: PeerKey;
  method: string;
  path: string;
  /** sha256 hex of the exact body bytes that will be sent (empty body: sha256 of ''). */
  contentSha256: string;
  now: Date;
  /** Random when not given. */
  nonce?: string;
}

/** The headers to add to an outgoing request. */
export function signRequest(i: SignInput): Record<string, string> {
  if (i.key.secret.length < MIN_SECRET_BYTES) throw new Error('Khóa chia sẻ quá ngắn (shared secret too short)');
  const timestamp = Math.floor(i.now.getTime() / 1000);
  const nonce = i.nonce ?? crypto.randomBytes(16).toString('base64url');
  const parts: CanonicalParts = { method: i.method, path: i.path, timestamp, nonce, contentSha256: i.contentSha256, peerId: i.peerId };
  return {
    [AUTH_HEADERS.peer]: i.peerId,
    [AUTH_HEADERS.keyId]: i.key.keyId,
    [AUTH_HEADERS.timestamp]: String(timestamp),
    [AUTH_HEADERS.nonce]: nonce,
    [AUTH_HEADERS.contentSha256]: i.contentSha256.toLowerCase(),
    [AUTH_HEADERS.signature]: hmac(i.key.secret, canonicalString(parts)).toString('base64'),
  };
}

/** Remembers (peer, nonce) pairs until they expire; `checkAndRemember` is false for a pair already seen. */
export interface ReplayCache {
  checkAndRemember(peerId: string, nonce: string, expiresAtMs: number, nowMs: number): boolean | Promise<boolean>;
}

/**
 * In-memory replay cache for one process, bounded: entries expire after the window, and beyond `maxEntries`
 * a new request is refused (fail closed) rather than forgetting nonces still inside the window.
 */
export class MemoryReplayCache implements ReplayCache {
  private readonly seen = new Map<string, number>();
  constructor(private readonly maxEntries = 200_000) {}
  checkAndRemember(peerId: string, nonce: string, expiresAtMs: number, nowMs: number): boolean {
    const key = `${peerId}\n${nonce}`;
    const exp = this.seen.get(key);
    if (exp !== undefined && exp > nowMs) return false;
    if (this.seen.size >= this.maxEntries) this.prune(nowMs);
    if (this.seen.size >= this.maxEntries) return false;
    this.seen.set(key, expiresAtMs);
    return true;
  }
  private prune(nowMs: number): void {
    for (const [k, exp] of this.seen) if (exp <= nowMs) this.seen.delete(k);
  }
  get size(): number {
    return this.seen.size;
  }
}

export type AuthFailureCode = 'missing-header' | 'bad-header' | 'unknown-peer' | 'unknown-key' | 'stale' | 'replay' | 'bad-signature' | 'body-mismatch';

export type VerifyResult =
  | { ok: true; peerId: string; keyId: string; contentSha256: string }
  | { ok: false; code: AuthFailureCode; vi: string; en: string };

export interface VerifyInput {
  method: string;
  path: string;
  /** Header lookup (lower-case names); e.g. `(n) => req.get(n)`. */
  header: (name: string) => string | undefined;
  /** The configured keys of a peer; empty/undefined = unknown peer. */
  keysOf: (peerId: string) => PeerKey[] | undefined;
  now: Date;
  replayCache: ReplayCache;
  windowSeconds?: number;
}

const fail = (code: AuthFailureCode, vi: string, en: string): VerifyResult => ({ ok: false, code, vi, en });

/** Verifies the signature headers of an incoming request (before reading its body). */
export async function verifyRequest(i: VerifyInput): Promise<VerifyResult> {
  const h = (n: string) => i.header(n)?.trim();
  const peerId = h(AUTH_HEADERS.peer);
  const keyId = h(AUTH_HEADERS.keyId);
  const ts = h(AUTH_HEADERS.timestamp);
  const nonce = h(AUTH_HEADERS.nonce);
  const digest = h(AUTH_HEADERS.contentSha256)?.toLowerCase();
  const sig = h(AUTH_HEADERS.signature);
  const missing = Object.entries({ [AUTH_HEADERS.peer]: peerId, [AUTH_HEADERS.keyId]: keyId, [AUTH_HEADERS.timestamp]: ts, [AUTH_HEADERS.nonce]: nonce, [AUTH_HEADERS.contentSha256]: digest, [AUTH_HEADERS.signature]: sig })
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (missing.length) return fail('missing-header', `Thiếu tiêu đề xác thực: ${missing.join(', ')}`, `missing authentication headers: ${missing.join(', ')}`);
  if (!ID_RE.test(peerId!) || !ID_RE.test(keyId!) || !/^\d{1,12}$/.test(ts!) || !NONCE_RE.test(nonce!) || !HEX64.test(digest!) || !/^[A-Za-z0-9+/]{43}=$/.test(sig!)) {
    return fail('bad-header', 'Tiêu đề xác thực sai định dạng', 'malformed authentication headers');
  }
  const keys = i.keysOf(peerId!);
  if (!keys?.length) return fail('unknown-peer', `Hệ thống ${peerId} không có trong danh sách đối tác`, `peer ${peerId} is not configured`);
  const key = keys.find((k) => k.keyId === keyId);
  if (!key) return fail('unknown-key', `Khóa ${keyId} của ${peerId} không còn hiệu lực`, `key ${keyId} of ${peerId} is not configured`);
  const window = i.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
  const nowS = Math.floor(i.now.getTime() / 1000);
  const t = Number(ts);
  if (Math.abs(nowS - t) > window) {
    return fail('stale', `Yêu cầu lệch thời gian quá ${window} giây (phát lại hoặc đồng hồ sai)`, `request time is more than ${window} s away (replay or clock skew)`);
  }
  const expected = hmac(key.secret, canonicalString({ method: i.method, path: i.path, timestamp: t, nonce: nonce!, contentSha256: digest!, peerId: peerId! }));
  const given = Buffer.from(sig!, 'base64');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
    return fail('bad-signature', 'Chữ ký yêu cầu không đúng', 'wrong request signature');
  }
  // Only a correctly signed request may take a nonce, so that nobody can burn another peer's nonces.
  const fresh = await i.replayCache.checkAndRemember(peerId!, nonce!, (t + window + 1) * 1000, i.now.getTime());
  if (!fresh) return fail('replay', 'Yêu cầu đã được nhận trước đó (phát lại)', 'request already received (replay)');
  return { ok: true, peerId: peerId!, keyId: keyId!, contentSha256: digest! };
}

/** After reading the body: its sha256 must be the signed one. */
export function verifyBodyDigest(signedSha256: string, actualSha256: string): VerifyResult | { ok: true } {
  const a = Buffer.from(signedSha256.toLowerCase(), 'hex');
  const b = Buffer.from(actualSha256.toLowerCase(), 'hex');
  if (a.length === 32 && b.length === 32 && crypto.timingSafeEqual(a, b)) return { ok: true };
  return fail('body-mismatch', 'Nội dung yêu cầu khác với nội dung đã ký', 'the body differs from the signed body');
}
