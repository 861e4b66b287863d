/**
 * The exchange endpoint of this deployment (issue 13), mounted at `/exchange/v1`:
 *
 *   POST /exchange/v1/messages   body = an edXML package or status message, STREAMED into the inbox
 *                                (services.exchange.receiver) — never buffered whole. Answers:
 *                                200 {ack, duplicate} · 400 {reason} (refused for good) · 401 {reason}
 *                                (signature, unknown peer, replay, stale) · 413 {reason} (too large) ·
 *                                503 {reason} (cannot store now: retry)
 *   GET  /exchange/v1/directory  the agencies this deployment serves, with their codes
 *
 * Every request is authenticated (http-auth.ts: per-peer shared key; signature over method, path, timestamp,
 * nonce, body hash; replays outside the window refused by the timestamp, inside it by the nonce table in
 * PostgreSQL). The body's sha256 is computed while it streams; a body that differs from the signed hash, or
 * grows past the limit, makes the stream fail before its end, so the inbox never commits it.
 */
import crypto from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import express, { type Request, type Response } from 'express';
import { sha256Hex, verifyBodyDigest } from '../http-auth';
import type { InboxReceiver } from '../transport';
import type { PeersService } from '../peers/peers.service';
import { MESSAGE_ID_HEADER, RECIPIENT_HEADER, SEQUENCE_HEADER } from '../peers/http-transport';
import { logger } from '../../../shared/logger';

/** Default size limit of one message (a package with its attachments, base64). */
export const DEFAULT_MAX_MESSAGE_BYTES = 200 * 1024 * 1024;

/** Why a streamed body was cut off (set by the guard, read by the handler). */
export class BodyRefused extends Error {
  constructor(
    readonly status: 400 | 413,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * Passes the body through, hashing it and counting its bytes. Past `maxBytes` it fails at once; at the end it
 * fails (instead of ending) when the hash is not the signed one — the consumer sees an error, never a clean end.
 */
export class BodyGuard extends Transform {
  private readonly hash = crypto.createHash('sha256');
  bytes = 0;
  refused: BodyRefused | null = null;
  constructor(
    private readonly signedSha256: string,
    private readonly maxBytes: number,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      this.refused = new BodyRefused(413, `Gói tin vượt quá giới hạn ${Math.round(this.maxBytes / 1048576)} MB (message too large)`);
      cb(this.refused);
      return;
    }
    this.hash.update(chunk);
    cb(null, chunk);
  }
  override _flush(cb: TransformCallback): void {
    const v = verifyBodyDigest(this.signedSha256, this.hash.digest('hex'));
    if (!v.ok) {
      this.refused = new BodyRefused(400, 'vi' in v ? `${v.vi} (${v.en})` : 'body mismatch');
      cb(this.refused);
      return;
    }
    cb();
  }
}

export interface ExchangeRouterDeps {
  peers: PeersService;
  /** The inbox (services.exchange.receiver); null while it is not available → 503. */
  receiver: () => InboxReceiver | null;
  maxMessageBytes?: number;
  /** True while the API is shutting down: messages get 503 (the sender retries elsewhere / later). */
  draining?: () => boolean;
}

const refuse = (res: Response, status: number, reason: string): void => {
  if (res.headersSent) return;
  res.status(status).setHeader('Connection', 'close');
  res.json({ reason });
};

/** The request target as the sender signed it: the mount path plus the path and query string. */
const signedPath = (req: Request): string => req.originalUrl;

export function exchangeRouter(deps: ExchangeRouterDeps): express.Router {
  const maxBytes = deps.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const r = express.Router();

  r.post('/exchange/v1/messages', async (req, res) => {
    if (deps.draining?.()) {
      req.resume();
      res.setHeader('Retry-After', '5');
      return refuse(res, 503, 'Hệ thống đang dừng, hãy gửi lại sau (shutting down)');
    }
    const auth = await deps.peers.authenticate({ method: req.method, path: signedPath(req), header: (n) => req.get(n) }).catch((e: unknown) => {
      logger.error({ err: e }, 'exchange: authentication failed to run');
      return null;
    });
    if (!auth) return refuse(res, 503, 'Tạm thời không xác thực được yêu cầu, hãy gửi lại sau (try again later)');
    if (!auth.ok) {
      logger.warn({ code: auth.code, peer: req.get('x-congvan-peer') }, 'exchange: request refused');
      req.resume();
      return refuse(res, 401, `${auth.vi} (${auth.en})`);
    }
    const declared = Number(req.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      req.resume();
      return refuse(res, 413, `Gói tin vượt quá giới hạn ${Math.round(maxBytes / 1048576)} MB (message too large)`);
    }
    const receiver = deps.receiver();
    if (!receiver) {
      req.resume();
      res.setHeader('Retry-After', '30');
      return refuse(res, 503, 'Hộp thư liên thông chưa sẵn sàng (inbox not available)');
    }
    const guard = new BodyGuard(auth.contentSha256, maxBytes);
    req.on('error', (e) => guard.destroy(e));
    req.pipe(guard);
    try {
      const seq = req.get(SEQUENCE_HEADER);
      const result = await receiver.receive(guard, {
        via: 'HTTP',
        peerId: auth.peerDbId ?? null,
        messageId: req.get(MESSAGE_ID_HEADER) ?? null,
        recipientCode: req.get(RECIPIENT_HEADER) ?? null,
        sequence: seq !== undefined && /^\d{1,15}$/.test(seq) ? Number(seq) : null,
      });
      if (guard.refused) return refuse(res, guard.refused.status, guard.refused.reason);
      if (result.ok) {
        res.json({ ack: result.ack, duplicate: result.duplicate });
        return;
      }
      return refuse(res, 400, result.reason);
    } catch (e) {
      if (guard.refused) return refuse(res, guard.refused.status, guard.refused.reason);
      logger.error({ err: e }, 'exchange: could not store a received message');
      res.setHeader('Retry-After', '5');
      return refuse(res, 503, 'Tạm thời không lưu được gói tin, hãy gửi lại sau (could not store now)');
    } finally {
      if (!req.readableEnded) req.resume();
    }
  });

  r.get('/exchange/v1/directory', async (req, res) => {
    const auth = await deps.peers.authenticate({ method: req.method, path: signedPath(req), header: (n) => req.get(n) });
    if (!auth.ok) return refuse(res, 401, `${auth.vi} (${auth.en})`);
    if (auth.contentSha256 !== sha256Hex('')) return refuse(res, 400, 'Yêu cầu GET không có nội dung (a GET has no body)');
    res.json(await deps.peers.publishedDirectory());
  });

  return r;
}
