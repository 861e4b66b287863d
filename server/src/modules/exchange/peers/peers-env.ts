/**
 * Peer definitions (issue 13), pure: the rules of one peer (CLI, admin page, CONGVAN_PEERS) and the parsing of
 * the CONGVAN_PEERS environment variable. `loadConfig` calls `parsePeersEnv` so that a malformed value stops
 * every process at start (naming the variable, the peer and the field), not at the first exchange.
 */
import { z } from 'zod';
import { AppError, badInput } from '../../../shared/errors';
import { decodePeerSecret } from '../http-auth';

export interface PeerInput {
  code: string;
  name?: string;
  url: string;
  /** base64, ≥ 32 bytes (generatePeerSecret). */
  secret: string;
  keyId?: string;
}

export const PEER_CODE_RE = /^[A-Za-z0-9._:-]{1,64}$/;

/** Validates a peer definition (CLI, admin page, CONGVAN_PEERS). Throws BAD_USER_INPUT with the field. */
export function checkPeerInput(p: PeerInput): void {
  if (!PEER_CODE_RE.test(p.code)) throw badInput('Mã hệ thống đối tác chỉ gồm chữ, số và . _ : - (tối đa 64 ký tự).', 'code');
  let u: URL;
  try {
    u = new URL(p.url);
  } catch {
    throw badInput('Địa chỉ hệ thống đối tác không phải URL hợp lệ.', 'url');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw badInput('Địa chỉ hệ thống đối tác phải bắt đầu bằng http:// hoặc https://.', 'url');
  try {
    decodePeerSecret(p.secret);
  } catch {
    throw badInput('Khóa chia sẻ phải là base64 của ít nhất 32 byte (tạo bằng `npm run -s cli -- peer secret`).', 'secret');
  }
  if (p.keyId !== undefined && !PEER_CODE_RE.test(p.keyId)) throw badInput('Mã khóa chỉ gồm chữ, số và . _ : -.', 'keyId');
}

const PeersEnv = z.array(
  z.object({
    code: z.string().regex(PEER_CODE_RE, 'letters, digits and . _ : - only (at most 64)'),
    name: z.string().optional(),
    url: z.string(),
    secret: z.string(),
    keyId: z.string().regex(PEER_CODE_RE, 'letters, digits and . _ : - only (at most 64)').optional(),
  }),
  'a JSON array of {"code","name","url","secret","keyId"}',
);

/**
 * CONGVAN_PEERS: a JSON array of {code, name?, url, secret, keyId?}. Unset or blank = no peers. A malformed
 * value throws an Error whose message says what is wrong and where (peer index and code, field), in Vietnamese
 * and English; it never repeats a secret.
 */
export function parsePeersEnv(value: string | undefined): PeerInput[] {
  if (value === undefined || value.trim() === '') return [];
  let raw: unknown;
  try {
    raw = JSON.parse(value);
  } catch (e) {
    throw new Error(`không phải JSON hợp lệ (not valid JSON: ${(e as Error).message})`, { cause: e });
  }
  const parsed = PeersEnv.safeParse(raw);
  if (!parsed.success) {
    const at = (path: PropertyKey[]) => (path.length ? path.map(String).join('.') : 'value');
    throw new Error(parsed.error.issues.map((i) => `${at(i.path)}: ${i.message}`).join('; '));
  }
  const seen = new Set<string>();
  parsed.data.forEach((p, i) => {
    try {
      checkPeerInput(p);
    } catch (e) {
      const field = e instanceof AppError && typeof e.extra.field === 'string' ? e.extra.field : 'value';
      throw new Error(`${i}.${field} (${p.code}): ${(e as Error).message}`, { cause: e });
    }
    const key = `${p.code}\u0000${p.keyId ?? 'k1'}`;
    if (seen.has(key)) throw new Error(`${i} (${p.code}): mã hệ thống và mã khóa bị lặp (duplicate code and keyId)`);
    seen.add(key);
  });
  return parsed.data;
}

/**
 * CONGVAN_DEMO_PEER_URL (the two demo deployments pair with a public secret): an http(s) URL, never in
 * production. Unset or blank = no demo peer.
 */
export function checkDemoPeerUrl(value: string | undefined, nodeEnv: string): void {
  if (value === undefined || value.trim() === '') return;
  if (nodeEnv === 'production') throw new Error('chỉ dùng cho bản dùng thử, không dùng khi NODE_ENV=production (demo only: configure peers explicitly in production)');
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error(`không phải URL hợp lệ (not a valid URL: ${JSON.stringify(value)})`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('phải bắt đầu bằng http:// hoặc https:// (must be an http(s) URL)');
}
