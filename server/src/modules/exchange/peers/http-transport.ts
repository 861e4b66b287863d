/**
 * The HTTP transport to a peer deployment (issue 13): POSTs the built edXML package, streamed from the
 * object store, to `<baseUrl>/exchange/v1/messages`, signed with the peer's shared key (http-auth.ts), and
 * maps the answer to a TransportOutcome:
 *
 *   200 {"ack": id, "duplicate": bool}        → ACK (only an acknowledgement marks delivery)
 *   200 without an ack, 401, 408, 429, 5xx,
 *   network error, timeout                      → RETRY (401: clock skew or a key being rotated — re-signed next time)
 *   400 {"reason": …}, 413, other 4xx            → PERMANENT (the receiver's precise reason; never retried)
 */
import http from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream/promises';
import { signRequest, sha256Hex, AUTH_HEADERS, type PeerKey } from '../http-auth';
import type { OutboundMessage, Transport, TransportOutcome } from '../transport';

export const MESSAGES_PATH = '/exchange/v1/messages';
export const DIRECTORY_PATH = '/exchange/v1/directory';
/** Header carrying the sender's outbox row id (idempotency key, logs). */
export const MESSAGE_ID_HEADER = 'x-congvan-message-id';
/** The recipient agency code this message is for (one package may name several agencies of the peer). */
export const RECIPIENT_HEADER = 'x-congvan-recipient';
/** The sender's sequence number of the message (part of the receiver's dedup key for repeated statuses). */
export const SEQUENCE_HEADER = 'x-congvan-seq';

export interface HttpPeerTarget {
  /** The peer's code (for the transport name). */
  code: string;
  baseUrl: string;
  /** Our own id as the peer knows it (our operator agency's code). */
  ownCode: string;
  key: PeerKey;
}

const keepAlive = { http: new http.Agent({ keepAlive: true, maxSockets: 32 }), https: new https.Agent({ keepAlive: true, maxSockets: 32 }) };
const MAX_ANSWER_BYTES = 64 * 1024;

/** Joins the base URL (which may carry a path prefix) and an endpoint path. */
export function endpointUrl(baseUrl: string, path: string): URL {
  const u = new URL(baseUrl);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}${path}`;
  return u;
}

interface Answer {
  status: number;
  body: string;
  retryAfter?: string;
}

/** One signed request; `body` is piped (never buffered). Rejects on network errors and timeouts. */
export async function signedRequest(
  target: HttpPeerTarget,
  method: 'GET' | 'POST',
  path: string,
  opts: { body?: NodeJS.ReadableStream; size?: number; sha256?: string; headers?: Record<string, string>; timeoutMs?: number; now?: Date } = {},
): Promise<Answer> {
  const url = endpointUrl(target.baseUrl, path);
  const signedPath = url.pathname + url.search;
  const contentSha256 = opts.sha256 ?? sha256Hex('');
  const headers: Record<string, string> = {
    ...signRequest({ peerId: target.ownCode, key: target.key, method, path: signedPath, contentSha256, now: opts.now ?? new Date() }),
    ...opts.headers,
  };
  if (opts.body) {
    headers['content-type'] = 'application/xml';
    if (opts.size !== undefined) headers['content-length'] = String(opts.size);
  }
  const mod = url.protocol === 'https:' ? https : http;
  const agent = url.protocol === 'https:' ? keepAlive.https : keepAlive.http;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return new Promise<Answer>((resolve, reject) => {
    const req = mod.request(url, { method, headers, agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_ANSWER_BYTES) chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), retryAfter: res.headers['retry-after'] }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`hết thời gian chờ ${timeoutMs / 1000} giây (timeout)`)));
    req.on('error', reject);
    if (opts.body) {
      // A receiver that answers early (refusal) closes the request: the pipeline error is the answer's business.
      pipeline(opts.body, req).catch(() => undefined);
    } else {
      req.end();
    }
  });
}

function parseJson(s: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(s);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Maps an HTTP answer of the messages endpoint to a transport outcome (pure; unit-tested). */
export function outcomeOf(a: Answer): TransportOutcome {
  const json = parseJson(a.body);
  const reason = typeof json?.reason === 'string' ? json.reason : a.body.slice(0, 500) || `HTTP ${a.status}`;
  const retryAfterS = a.retryAfter !== undefined ? Number(a.retryAfter) : NaN;
  const retryAfterMs = Number.isFinite(retryAfterS) && retryAfterS >= 0 ? retryAfterS * 1000 : undefined;
  if (a.status === 200) {
    if (json && typeof json.ack === 'string' && json.ack) return { kind: 'ACK', ack: json.ack, duplicate: json.duplicate === true };
    return { kind: 'RETRY', error: 'Trả lời 200 không có xác nhận (no acknowledgement in the answer)' };
  }
  if (a.status === 401 || a.status === 408 || a.status === 429 || a.status >= 500 || a.status === 0) {
    return { kind: 'RETRY', error: `HTTP ${a.status}: ${reason}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  return { kind: 'PERMANENT', reason };
}

export class HttpTransport implements Transport {
  readonly name: string;
  constructor(
    private readonly target: HttpPeerTarget,
    private readonly opts: { timeoutMs?: number; now?: () => Date } = {},
  ) {
    this.name = `http:${target.code}`;
  }

  async send(msg: OutboundMessage): Promise<TransportOutcome> {
    let body: NodeJS.ReadableStream;
    try {
      body = await msg.body();
    } catch (e) {
      return { kind: 'RETRY', error: `Không đọc được gói tin từ kho lưu trữ: ${(e as Error).message}` };
    }
    try {
      const answer = await signedRequest(this.target, 'POST', MESSAGES_PATH, {
        body,
        size: msg.size,
        sha256: msg.sha256,
        headers: {
          [MESSAGE_ID_HEADER]: msg.id,
          [RECIPIENT_HEADER]: msg.recipientCode,
          ...(msg.sequence !== undefined && msg.sequence !== null ? { [SEQUENCE_HEADER]: String(msg.sequence) } : {}),
        },
        timeoutMs: this.opts.timeoutMs,
        now: this.opts.now?.(),
      });
      return outcomeOf(answer);
    } catch (e) {
      (body as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      return { kind: 'RETRY', error: `Không kết nối được ${this.target.baseUrl}: ${(e as Error).message}` };
    }
  }
}

export { AUTH_HEADERS };
