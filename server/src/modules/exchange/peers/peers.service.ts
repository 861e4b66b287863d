/**
 * Peers and the exchange directory (issue 13): the `PeerDirectory` of the outbox core (routes of agency codes,
 * the HTTP transport of each peer), the authentication of incoming peer requests (keys + PostgreSQL replay
 * cache), peer configuration (CLI, admin page, CONGVAN_PEERS, the two-deployment demo) and the directory sync
 * (our own `agency` rows + each peer's `GET /exchange/v1/directory`).
 */
import crypto from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { KeyStore } from '../../signing/keystore';
import { decodePeerSecret, verifyRequest, type PeerKey, type VerifyResult } from '../http-auth';
import type { ExchangeRoute, PeerDirectory, Transport } from '../transport';
import { DIRECTORY_PATH, HttpTransport, signedRequest } from './http-transport';
import { PgReplayCache } from './replay-cache';
import { ExchangeDirectoryEntry, ExchangePeer, type SealedPeerKey } from './peers.entities';
import { badInput, forbidden, notFound } from '../../../shared/errors';
import { Scope, type Tx } from '../../../shared/scope';
import { logger } from '../../../shared/logger';
import { hasRole } from '../../identity/identity.policy';
import { DEMO_PEER_OPERATOR_CODE } from '../../../seed/demo-peer-data';
import { checkPeerInput, parsePeersEnv, type PeerInput } from './peers-env';

export { checkPeerInput, type PeerInput } from './peers-env';

export interface PeerView {
  id: string;
  code: string;
  name: string;
  baseUrl: string;
  active: boolean;
  source: string;
  keyIds: string[];
  lastSyncAt: Date | null;
  lastSyncError: string | null;
  agencies: number;
}

export interface DirectoryEntryView {
  code: string;
  name: string;
  parentCode: string | null;
  /** Set for an agency of this deployment. */
  agencyId: string | null;
  peerCode: string | null;
  peerName: string | null;
}

/** The directory a deployment publishes (`GET /exchange/v1/directory`). */
export interface PublishedDirectory {
  deployment: string;
  agencies: { code: string; name: string; parentCode: string | null }[];
  /**
   * DEMO ONLY (not in production): the root certificate (PEM) of this demo deployment's demo CA, so that the
   * other demo deployment (peer source DEMO) trusts the signatures on the documents it receives from us. Real
   * deployments trust the national root CAs (CONGVAN_TRUST_ANCHORS) and never publish or take anchors here.
   */
  demoTrustAnchors?: string[];
}

const AGENCY_CODE_RE = /^[A-Za-z0-9.]{1,35}$/;

/** Shared secret of the two demo deployments (public: documented in README, refused in production). */
export const DEMO_PEER_SECRET = crypto.createHash('sha256').update('congvan-demo-peers (public, dev only)').digest('base64');

interface CachedPeer {
  id: string;
  code: string;
  baseUrl: string;
  active: boolean;
  keys: PeerKey[];
}

export class PeersService implements PeerDirectory {
  readonly replayCache: PgReplayCache;
  private readonly keystore: KeyStore;
  private cache: { at: number; byCode: Map<string, CachedPeer>; byId: Map<string, CachedPeer> } | null = null;
  private ownCodeCache: string | null = null;
  private envApplied: Promise<void> | null = null;

  constructor(
    private readonly deps: {
      orm: MikroORM;
      config: { dataDir: string; env: string; demo: boolean };
      clock: { now(): Date };
      env?: NodeJS.ProcessEnv;
    },
  ) {
    this.replayCache = new PgReplayCache(deps.orm);
    this.keystore = new KeyStore(deps.config.dataDir);
  }

  private em(): EntityManager {
    return this.deps.orm.em.fork() as EntityManager;
  }

  /** Our id towards peers: the mã định danh of the operator agency (đơn vị vận hành). */
  async ownCode(): Promise<string> {
    if (this.ownCodeCache) return this.ownCodeCache;
    const rows = await this.em().execute<{ code: string }[]>(`select code from agency where operator = true order by created_at limit 1`);
    if (!rows[0]) throw new Error('no operator agency: the deployment has no exchange identity yet');
    this.ownCodeCache = rows[0].code;
    return this.ownCodeCache;
  }

  // ---------- configuration ----------

  /**
   * Applies CONGVAN_PEERS (JSON array of {code, name?, url, secret, keyId?}) and, for the demo, the other demo
   * deployment (CONGVAN_DEMO_PEER_URL), once per process before the first use. Idempotent upserts.
   */
  ensureConfigured(): Promise<void> {
    this.envApplied ??= this.applyEnv().catch((e) => {
      this.envApplied = null;
      throw e;
    });
    return this.envApplied;
  }

  private async applyEnv(): Promise<void> {
    const env = this.deps.env ?? process.env;
    const list: (PeerInput & { source: 'ENV' | 'DEMO' })[] = [];
    // Checked at start by loadConfig already (parsePeersEnv); checked again here for a service built without it.
    let peers: PeerInput[];
    try {
      peers = parsePeersEnv(env.CONGVAN_PEERS);
    } catch (e) {
      throw new Error(`CONGVAN_PEERS: ${(e as Error).message}`, { cause: e });
    }
    for (const p of peers) list.push({ ...p, source: 'ENV' });
    const demoUrl = env.CONGVAN_DEMO_PEER_URL;
    if (demoUrl) {
      if (this.deps.config.env === 'production') throw new Error('CONGVAN_DEMO_PEER_URL is for the demo only: configure peers explicitly in production');
      const code = env.CONGVAN_DEMO_PEER_CODE ?? (await this.otherDemoCode());
      if (code) list.push({ code, name: 'Hệ thống dùng thử bên kia (demo peer)', url: demoUrl, secret: DEMO_PEER_SECRET, keyId: 'demo', source: 'DEMO' });
    }
    for (const p of list) await this.upsertPeer(null, p, p.source);
  }

  /** The operator code of the other demo deployment (the primary demo ↔ the `CONGVAN_DEMO=peer` one). */
  private async otherDemoCode(): Promise<string | null> {
    const own = await this.ownCode().catch(() => null);
    if (!own) return null;
    return own === DEMO_PEER_OPERATOR_CODE ? '000.00.00.H27' : DEMO_PEER_OPERATOR_CODE;
  }

  /** Adds a peer or updates its name/URL and adds (or replaces) the key `keyId`. Audited. */
  async upsertPeer(scope: Scope | null, input: PeerInput, source: 'CLI' | 'ENV' | 'DEMO' = 'CLI'): Promise<PeerView> {
    if (scope?.actor) await this.requireOperatorAdmin(scope);
    checkPeerInput(input);
    const keyId = input.keyId ?? 'k1';
    const sealed: SealedPeerKey = { keyId, secretEnc: this.keystore.seal(decodePeerSecret(input.secret)).toString('base64') };
    const run = async (tx: Tx) => {
      const em = tx.em as EntityManager;
      let peer = await em.findOne(ExchangePeer, { code: input.code });
      const created = !peer;
      if (!peer) {
        peer = em.create(ExchangePeer, { code: input.code, name: input.name ?? input.code, baseUrl: input.url, keys: [sealed], source, active: true, createdAt: new Date() });
      } else {
        peer.baseUrl = input.url;
        if (input.name) peer.name = input.name;
        peer.active = true;
        // The configured key first (used for sending); other key ids stay accepted (rotation).
        peer.keys = [sealed, ...peer.keys.filter((k) => k.keyId !== keyId)];
      }
      tx.audit({ action: created ? 'exchange.peer.add' : 'exchange.peer.update', targetType: 'exchange_peer', targetId: peer.id, data: { code: peer.code, baseUrl: peer.baseUrl, keyId, source } });
      await em.flush();
      return peer;
    };
    const peer = scope ? await scope.transaction(run) : await new Scope(this.em(), null).transaction(run);
    this.cache = null;
    if (this.routes) this.routes.at = 0;
    return this.view(peer, 0);
  }

  /** Stops (or restarts) exchanging with a peer: its agencies leave the directory's routes. Audited. */
  async setPeerActive(scope: Scope, code: string, active: boolean): Promise<PeerView> {
    await this.requireOperatorAdmin(scope);
    const peer = await scope.transaction(async (tx) => {
      const p = await tx.em.findOne(ExchangePeer, { code });
      if (!p) throw notFound('Hệ thống đối tác');
      p.active = active;
      tx.audit({ action: active ? 'exchange.peer.activate' : 'exchange.peer.deactivate', targetType: 'exchange_peer', targetId: p.id, data: { code } });
      return p;
    });
    this.cache = null;
    if (this.routes) this.routes.at = 0;
    return this.view(peer, 0);
  }

  private view(p: ExchangePeer, agencies: number): PeerView {
    return {
      id: p.id,
      code: p.code,
      name: p.name,
      baseUrl: p.baseUrl,
      active: p.active,
      source: p.source,
      keyIds: p.keys.map((k) => k.keyId),
      lastSyncAt: p.lastSyncAt ?? null,
      lastSyncError: p.lastSyncError ?? null,
      agencies,
    };
  }

  async listPeers(): Promise<PeerView[]> {
    await this.ensureConfigured();
    const em = this.em();
    const peers = await em.find(ExchangePeer, {}, { orderBy: { code: 'asc' } });
    const counts = await em.execute<{ peer_id: string; n: string }[]>(`select peer_id, count(*) as n from exchange_directory where peer_id is not null and active group by peer_id`);
    const by = new Map(counts.map((c) => [c.peer_id, Number(c.n)]));
    return peers.map((p) => this.view(p, by.get(p.id) ?? 0));
  }

  requireAdmin(scope: Scope): void {
    const actor = scope.requireActor();
    if (!hasRole(actor, 'QUAN_TRI')) throw forbidden('Chỉ quản trị hệ thống được cấu hình liên thông với hệ thống khác.');
  }

  /** Peers are the deployment's business: QUAN_TRI of the operator agency (đơn vị vận hành) only. */
  async requireOperatorAdmin(scope: Scope): Promise<void> {
    this.requireAdmin(scope);
    const rows = await scope.em.execute<{ operator: boolean }[]>(`select operator from agency where id = ?`, [scope.requireActor().agencyId]);
    if (!rows[0]?.operator) throw forbidden('Chỉ quản trị của đơn vị vận hành được cấu hình liên thông với hệ thống khác.');
  }

  /** Admin page: add / update a peer, then fetch its directory at once (the error, if any, is on the peer row). */
  async savePeer(scope: Scope, input: PeerInput): Promise<PeerView> {
    await this.requireOperatorAdmin(scope);
    const p = await this.upsertPeer(scope, input);
    await this.syncPeer(p.code);
    return (await this.listPeers()).find((x) => x.code === p.code)!;
  }

  /**
   * Draft recipients chosen from the directory by code (recipientAgencyCodes): each must be an active agency of
   * an active peer. (Agencies of this deployment are chosen by id.)
   */
  async resolveRecipientCodes(em: EntityManager, codes: readonly string[]): Promise<{ code: string; name: string }[]> {
    const unique = [...new Set(codes.map((c) => c.trim()))];
    if (!unique.length) return [];
    if (unique.length > 500) throw badInput('Tối đa 500 nơi nhận.', 'recipientAgencyCodes');
    if (unique.some((c) => !AGENCY_CODE_RE.test(c))) throw badInput('Mã định danh cơ quan nhận không hợp lệ.', 'recipientAgencyCodes');
    await this.ensureConfigured();
    const rows = await em.execute<{ agency_code: string; name: string }[]>(
      `select d.agency_code, d.name from exchange_directory d join exchange_peer p on p.id = d.peer_id
        where d.agency_code in (select jsonb_array_elements_text(?::jsonb)) and d.active and p.active`,
      [JSON.stringify(unique)],
    );
    const by = new Map(rows.map((r) => [r.agency_code, r.name]));
    const missing = unique.filter((c) => !by.has(c));
    if (missing.length) throw badInput(`Không tìm thấy cơ quan ${missing.join(', ')} trong danh bạ liên thông.`, 'recipientAgencyCodes');
    return unique.map((code) => ({ code, name: by.get(code)! }));
  }

  // ---------- keys and authentication ----------

  private async peers(): Promise<{ byCode: Map<string, CachedPeer>; byId: Map<string, CachedPeer> }> {
    const now = Date.now();
    if (this.cache && now - this.cache.at < 10_000) return this.cache;
    await this.ensureConfigured();
    const rows = await this.em().find(ExchangePeer, {});
    const byCode = new Map<string, CachedPeer>();
    const byId = new Map<string, CachedPeer>();
    for (const r of rows) {
      const keys: PeerKey[] = [];
      for (const k of r.keys) {
        if (k.notAfter && new Date(k.notAfter).getTime() < now) continue;
        try {
          keys.push({ keyId: k.keyId, secret: this.keystore.open(Buffer.from(k.secretEnc, 'base64')) });
        } catch (e) {
          logger.error({ err: e, peer: r.code, keyId: k.keyId }, 'cannot open a peer key (wrong CONGVAN_KEY_ENCRYPTION_KEY?)');
        }
      }
      const c: CachedPeer = { id: r.id, code: r.code, baseUrl: r.baseUrl, active: r.active, keys };
      byCode.set(r.code, c);
      byId.set(r.id, c);
    }
    this.cache = { at: now, byCode, byId };
    return this.cache;
  }

  /** Verifies a peer request's signature headers (before its body is read); the replay cache is PostgreSQL. */
  async authenticate(req: { method: string; path: string; header(name: string): string | undefined }): Promise<VerifyResult & { peerDbId?: string }> {
    const { byCode } = await this.peers();
    const claimed = req.header('x-congvan-peer')?.trim();
    const peer = claimed ? byCode.get(claimed) : undefined;
    const r = await verifyRequest({
      method: req.method,
      path: req.path,
      header: req.header,
      keysOf: (code) => (peer && peer.active && peer.code === code ? peer.keys : undefined),
      now: this.deps.clock.now(),
      replayCache: this.replayCache,
    });
    return r.ok ? { ...r, peerDbId: peer!.id } : r;
  }

  // ---------- PeerDirectory ----------

  private routes: { at: number; map: Map<string, ExchangeRoute> } | null = null;
  private routesLoading: Promise<Map<string, ExchangeRoute>> | null = null;

  /**
   * Called by the outbox INSIDE the issuing transaction: it must not wait for a second pooled connection (with
   * the pool full of such transactions, each would wait forever). So routes come from an in-memory snapshot of
   * the directory (our agencies + active peers' agencies), reloaded at most every 5 s — through the caller's
   * EntityManager when given (`em`, the transaction's), else a pooled connection — one load at a time.
   */
  async route(code: string, em?: EntityManager): Promise<ExchangeRoute | null> {
    const snap = this.routes;
    if (snap && (Date.now() - snap.at < 5_000 || snap.map.has(code))) {
      // Stale but knows the code: answer now, refresh in the background (never blocks the caller's transaction).
      if (Date.now() - snap.at >= 5_000) void this.loadRoutes().catch((e) => logger.warn({ err: e }, 'exchange routes reload failed'));
      return snap.map.get(code) ?? null;
    }
    // First use, or a code the snapshot does not know (a peer just synced): load now.
    return (await this.loadRoutes(em)).get(code) ?? null;
  }

  private loadRoutes(em?: EntityManager): Promise<Map<string, ExchangeRoute>> {
    this.routesLoading ??= (async () => {
      try {
        const rows = await (em ?? this.em()).execute<{ code: string; name: string; peer_id: string | null }[]>(
          `select d.agency_code as code, d.name, d.peer_id from exchange_directory d join exchange_peer p on p.id = d.peer_id
            where d.active and p.active and not exists (select 1 from agency a where a.code = d.agency_code)
           union all
           select code, name, null from agency where active`,
        );
        const map = new Map(rows.map((r) => [r.code, { code: r.code, name: r.name, peerId: r.peer_id }]));
        this.routes = { at: Date.now(), map };
        return map;
      } finally {
        this.routesLoading = null;
      }
    })();
    return this.routesLoading;
  }

  /**
   * Whether the peer (its `exchange_peer.id`, as in ReceivedMessageMeta.peerId) serves the agency `code` per its
   * synced directory: a message from a peer must come from one of ITS agencies (a peer can never speak for
   * our agencies or another peer's — sync does not let it take such codes).
   */
  async serves(peerId: string, code: string): Promise<boolean> {
    const listed = async () =>
      (await this.em().execute<{ ok: number }[]>(`select 1 as ok from exchange_directory where agency_code = ? and peer_id = ? and active`, [code, peerId])).length > 0;
    if (await listed()) return true;
    // Not (yet) in our copy of the peer's directory: a peer configured a moment ago whose directory was never
    // fetched, or an agency it added since the last sync. Refusing would fail the message for good at the
    // sender, so fetch the peer's directory now — at most once a minute per peer — and look again. (For a
    // DEMO peer this also brings its demo CA before the document's signatures are checked.)
    const due = await this.em().execute<{ code: string }[]>(
      `select code from exchange_peer where id = ? and active and (last_sync_at is null or last_sync_at < now() - interval '1 minute')`,
      [peerId],
    );
    if (!due[0]) return false;
    await this.syncOnce(due[0].code);
    return listed();
  }

  private syncing = new Map<string, Promise<unknown>>();

  /** syncPeer, shared by concurrent callers (one fetch per peer at a time in this process). */
  private syncOnce(peerCode: string): Promise<unknown> {
    let p = this.syncing.get(peerCode);
    if (!p) {
      p = this.syncPeer(peerCode)
        .catch((e) => logger.warn({ err: e, peer: peerCode }, 'exchange directory sync failed'))
        .finally(() => this.syncing.delete(peerCode));
      this.syncing.set(peerCode, p);
    }
    return p;
  }

  async transportFor(peerId: string): Promise<Transport> {
    const { byId } = await this.peers();
    const p = byId.get(peerId);
    if (!p) throw new Error(`unknown peer ${peerId}`);
    if (!p.keys[0]) throw new Error(`peer ${p.code} has no usable key`);
    return new HttpTransport({ code: p.code, baseUrl: p.baseUrl, ownCode: await this.ownCode(), key: p.keys[0] }, { now: () => this.deps.clock.now() });
  }

  // ---------- directory ----------

  /** What we publish: the active agencies of this deployment. */
  async publishedDirectory(): Promise<PublishedDirectory> {
    const rows = await this.em().execute<{ code: string; name: string; parent_code: string | null }[]>(
      `select a.code, a.name, p.code as parent_code from agency a left join agency p on p.id = a.parent_id where a.active order by a.code`,
    );
    const out: PublishedDirectory = { deployment: await this.ownCode(), agencies: rows.map((r) => ({ code: r.code, name: r.name, parentCode: r.parent_code })) };
    if (this.deps.config.demo && this.deps.config.env !== 'production') {
      const anchors = await this.em().execute<{ certificate_pem: string }[]>(`select certificate_pem from signing_trust_anchor where name like '%(demo)' order by created_at`);
      if (anchors.length) out.demoTrustAnchors = anchors.map((a) => a.certificate_pem);
    }
    return out;
  }

  /** Rewrites the local part of the directory from the `agency` table. */
  async syncLocal(): Promise<number> {
    const em = this.em();
    return em.transactional(async (tem) => {
      await tem.execute(`update exchange_directory set active = false where peer_id is null and agency_code not in (select code from agency where active)`);
      const r = await tem.execute<{ n: number }[]>(
        `insert into exchange_directory (agency_code, name, parent_code, peer_id, active, synced_at)
         select a.code, a.name, p.code, null, true, now() from agency a left join agency p on p.id = a.parent_id where a.active
         on conflict (agency_code) do update set name = excluded.name, parent_code = excluded.parent_code, peer_id = null, active = true, synced_at = now()
         returning 1 as n`,
      );
      return r.length;
    });
  }

  /**
   * Fetches a peer's directory (signed GET) and stores it: new and renamed agencies upserted, agencies no
   * longer listed deactivated. A code served by this deployment, or already by another peer, is not taken over.
   * The result (or the error) is recorded on the peer row and audited.
   */
  async syncPeer(peerCode: string): Promise<{ agencies: number; error: string | null }> {
    const { byCode } = await this.peers();
    const p = byCode.get(peerCode);
    if (!p) throw notFound('Hệ thống đối tác');
    let error: string | null = null;
    let list: PublishedDirectory['agencies'] = [];
    let demoAnchors: string[] = [];
    try {
      if (!p.keys[0]) throw new Error('không có khóa dùng được (no usable key)');
      const a = await signedRequest({ code: p.code, baseUrl: p.baseUrl, ownCode: await this.ownCode(), key: p.keys[0] }, 'GET', DIRECTORY_PATH, { timeoutMs: 30_000, now: this.deps.clock.now() });
      if (a.status !== 200) throw new Error(`HTTP ${a.status}: ${a.body.slice(0, 300)}`);
      const body = PublishedDirectorySchema.parse(JSON.parse(a.body));
      list = body.agencies.filter((x) => AGENCY_CODE_RE.test(x.code)).map((x) => ({ code: x.code, name: x.name, parentCode: x.parentCode ?? null }));
      const demoPeer = (await this.em().findOne(ExchangePeer, { id: p.id }))?.source === 'DEMO';
      if (demoPeer && this.deps.config.env !== 'production') demoAnchors = (body.demoTrustAnchors ?? []).filter((pem) => /^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/.test(pem));
    } catch (e) {
      error = e instanceof z.ZodError ? 'danh bạ trả về sai định dạng (malformed directory)' : (e as Error).message;
    }
    await new Scope(this.em(), null).transaction(async (tx) => {
      const em = tx.em as EntityManager;
      if (!error) {
        const codes = list.map((x) => x.code);
        await em.execute(`update exchange_directory set active = false, synced_at = now() where peer_id = ? and agency_code not in (select jsonb_array_elements_text(?::jsonb))`, [p.id, JSON.stringify(codes)]);
        for (const x of list) {
          await em.execute(
            `insert into exchange_directory (agency_code, name, parent_code, peer_id, active, synced_at)
             select ?, ?, ?, ?, true, now() where not exists (select 1 from agency where code = ?)
             on conflict (agency_code) do update set name = excluded.name, parent_code = excluded.parent_code, active = true, synced_at = now()
               where exchange_directory.peer_id = excluded.peer_id`,
            [x.code, x.name, x.parentCode ?? null, p.id, x.code],
          );
        }
      }
      for (const pem of demoAnchors) {
        const added = await em.execute<{ id: string }[]>(
          `insert into signing_trust_anchor (id, name, certificate_pem, created_at) select gen_random_uuid(), ?, ?, now()
            where not exists (select 1 from signing_trust_anchor where certificate_pem = ?) returning id`,
          [`Demo CA của hệ thống ${p.code} (demo peer)`, pem, pem],
        );
        if (added.length) tx.audit({ action: 'signing.trust_anchor_add', targetType: 'signing_trust_anchor', targetId: added[0].id, data: { from: p.code, demo: true } });
      }
      await em.execute(`update exchange_peer set last_sync_at = now(), last_sync_error = ? where id = ?`, [error, p.id]);
      tx.audit({ action: 'exchange.directory.sync', targetType: 'exchange_peer', targetId: p.id, data: { code: p.code, agencies: list.length, error } });
    });
    if (this.routes) this.routes.at = 0;
    if (error) logger.warn({ peer: p.code, error }, 'exchange directory sync failed');
    return { agencies: list.length, error };
  }

  /** The whole sync (the hourly job, `peer sync`, the admin page's button): local agencies, then each active peer. */
  async syncAll(): Promise<{ local: number; peers: { code: string; agencies: number; error: string | null }[] }> {
    await this.ensureConfigured();
    const local = await this.syncLocal();
    const { byCode } = await this.peers();
    const peers: { code: string; agencies: number; error: string | null }[] = [];
    for (const p of byCode.values()) if (p.active) peers.push({ code: p.code, ...(await this.syncPeer(p.code)) });
    await this.replayCache.prune(this.deps.clock.now());
    return { local, peers };
  }

  private refreshing: Promise<void> | null = null;

  /**
   * Syncs (callers may or may not wait) the peers whose directory was never fetched, is older than an hour, or failed more
   * than 5 minutes ago — so that a newly configured peer (CLI, CONGVAN_PEERS, the demo pair) shows up in the
   * picker without waiting for the hourly job. One refresh at a time per process.
   */
  private refreshStale(): Promise<void> {
    if (this.refreshing) return this.refreshing;
    const run = (async () => {
      try {
        const rows = await this.em().execute<{ code: string }[]>(
          `select code from exchange_peer where active and (last_sync_at is null
             or (last_sync_error is null and last_sync_at < now() - interval '1 hour')
             or (last_sync_error is not null and last_sync_at < now() - interval '5 minutes'))`,
        );
        for (const r of rows) await this.syncOnce(r.code);
      } catch (e) {
        logger.warn({ err: e }, 'exchange directory refresh failed');
      } finally {
        this.refreshing = null;
      }
    })();
    this.refreshing = run;
    return run;
  }

  /** The recipient picker's directory: agencies of this deployment and of active peers, searched by name or code. */
  async directory(scope: Scope, search?: string | null, limit = 50): Promise<DirectoryEntryView[]> {
    scope.requireActor();
    await this.ensureConfigured();
    const refresh = this.refreshStale();
    // A peer whose directory was never fetched (just configured): wait for it a little, so that the first
    // search already lists its agencies; otherwise (stale) the refresh goes on in the background.
    const neverSynced = await scope.em.execute<{ n: number }[]>(`select 1 as n from exchange_peer where active and last_sync_at is null limit 1`);
    if (neverSynced.length) await Promise.race([refresh, new Promise((r) => setTimeout(r, 8_000).unref())]);
    const q = (search ?? '').trim();
    const like = `%${q.toLowerCase()}%`;
    const rows = await scope.em.execute<{ code: string; name: string; parent_code: string | null; agency_id: string | null; peer_code: string | null; peer_name: string | null }[]>(
      `select * from (
         select a.code, a.name, p.code as parent_code, a.id as agency_id, null as peer_code, null as peer_name
           from agency a left join agency p on p.id = a.parent_id where a.active
         union all
         select d.agency_code, d.name, d.parent_code, null, pe.code, pe.name
           from exchange_directory d join exchange_peer pe on pe.id = d.peer_id
          where d.active and pe.active and not exists (select 1 from agency x where x.code = d.agency_code)
       ) t
       where ? = '' or f_unaccent(lower(t.name)) like f_unaccent(?) or lower(t.code) like ?
       order by (t.peer_code is not null), t.code
       limit ?`,
      [q, like, like, limit],
    );
    return rows.map((r) => ({ code: r.code, name: r.name, parentCode: r.parent_code, agencyId: r.agency_id, peerCode: r.peer_code, peerName: r.peer_name }));
  }

  /** A directory entry by code (draft recipients chosen from the directory). */
  async entry(em: EntityManager, code: string): Promise<ExchangeDirectoryEntry | null> {
    return em.findOne(ExchangeDirectoryEntry, { agencyCode: code, active: true, peer: { active: true } });
  }
}

const PublishedDirectorySchema = z.object({
  deployment: z.string(),
  agencies: z.array(z.object({ code: z.string().max(35), name: z.string().max(500), parentCode: z.string().max(35).nullable().optional() })).max(100_000),
  demoTrustAnchors: z.array(z.string().max(20_000)).max(5).optional(),
});
