/**
 * The replay cache of signed exchange requests in PostgreSQL (`exchange_nonce`), so that every API replica
 * agrees: a (peer, nonce) pair is taken once inside the time window; after it expires the pair may be taken
 * again (a request that old is refused by the timestamp check anyway). Expired rows are pruned now and then.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { ReplayCache } from '../http-auth';

export class PgReplayCache implements ReplayCache {
  private calls = 0;
  constructor(private readonly orm: MikroORM) {}

  async checkAndRemember(peerId: string, nonce: string, expiresAtMs: number, nowMs: number): Promise<boolean> {
    const em = this.orm.em.fork();
    const rows = await em.execute<{ ok: number }[]>(
      `insert into exchange_nonce (peer_code, nonce, expires_at) values (?, ?, ?)
       on conflict (peer_code, nonce) do update set expires_at = excluded.expires_at where exchange_nonce.expires_at <= ?
       returning 1 as ok`,
      [peerId, nonce, new Date(expiresAtMs), new Date(nowMs)],
    );
    if (++this.calls % 500 === 0) await this.prune(new Date(nowMs));
    return rows.length === 1;
  }

  /** Deletes the expired pairs (also run by the hourly directory sync job). */
  async prune(now: Date = new Date()): Promise<number> {
    const r = await this.orm.em.fork().getConnection().execute(`delete from exchange_nonce where expires_at <= ?`, [now], 'run');
    return (r as { affectedRows?: number }).affectedRows ?? 0;
  }
}
