/**
 * Claims on stored objects (issue "Trust", finding 1). Object storage is content-addressed, so identical bytes
 * sent by several requests share ONE object. A request therefore never deletes an object itself: it claims the
 * key (stored_object.last_claimed_at = now(), committed on its own) BEFORE it puts the bytes and BEFORE its
 * transaction attaches them; the garbage collector (storage-gc.service.ts) only removes objects that no row
 * references and that nobody claimed within the grace period.
 *
 *   const r = await putClaimed(services, bytes, { contentType, maxBytes });   // instead of storage.put
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Services } from '../../services';
import { keyForSha256, sha256Hex, type PutOptions, type PutResult } from '../../infra/storage/storage';

export interface ObjectClaim {
  key: string;
  sha256: string;
  size?: number | null;
}

/**
 * Records (or refreshes) claims on objects, in its own short transaction (never the caller's: the claim must be
 * visible to the garbage collector before the bytes are written and while the caller's transaction runs).
 */
export async function claimObjects(orm: MikroORM, claims: readonly ObjectClaim[]): Promise<void> {
  const unique = [...new Map(claims.map((c) => [c.key, c])).values()].sort((a, b) => a.key.localeCompare(b.key));
  if (!unique.length) return;
  await orm.em.fork().execute(
    `insert into stored_object (key, sha256, size)
       select key, sha256, size from json_to_recordset(?::json) as x(key text, sha256 varchar, size bigint)
     on conflict (key) do update set last_claimed_at = now(), size = coalesce(stored_object.size, excluded.size)`,
    [JSON.stringify(unique.map((c) => ({ key: c.key, sha256: c.sha256, size: c.size ?? null })))],
  );
}

/**
 * `storage.put` with a claim taken first: the key is computed from the bytes, claimed, then the bytes are stored.
 * Use it for every object the application stores and later references from a row.
 */
export async function putClaimed(services: Pick<Services, 'storage' | 'orm'>, bytes: Buffer, opts: PutOptions = {}): Promise<PutResult> {
  // Too large: let the driver refuse it with its own error, without recording anything.
  if (opts.maxBytes !== undefined && bytes.length > opts.maxBytes) return services.storage.put(bytes, opts);
  const sha256 = sha256Hex(bytes);
  await claimObjects(services.orm, [{ key: keyForSha256(sha256), sha256, size: bytes.length }]);
  return services.storage.put(bytes, opts);
}

/**
 * `putClaimed` for a file on disk (a large generated file, e.g. a 500-page searchable PDF): hashed and stored as
 * streams, never read whole into memory.
 */
export async function putClaimedFile(services: Pick<Services, 'storage' | 'orm'>, file: string, opts: PutOptions = {}): Promise<PutResult> {
  const size = (await fs.promises.stat(file)).size;
  const hash = crypto.createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  const sha256 = hash.digest('hex');
  if (opts.maxBytes === undefined || size <= opts.maxBytes) await claimObjects(services.orm, [{ key: keyForSha256(sha256), sha256, size }]);
  return services.storage.put(fs.createReadStream(file), { ...opts, size });
}
