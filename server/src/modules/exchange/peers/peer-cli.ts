/**
 * `npm run -s cli -- peer …`: configure the peer deployments this one exchanges documents with (issue 13).
 *
 *   peer secret                                        print a new shared secret (base64, 32 bytes)
 *   peer add --code C --url URL --secret S [--name N] [--key-id K]
 *                                                      add a peer, or update it / add a key (rotation)
 *   peer list                                          peers, their keys, last directory sync and its error
 *   peer sync [--code C]                               fetch the peers' directories now
 *   peer disable --code C | peer enable --code C       stop / resume exchanging with a peer
 *
 * The same secret is configured on both sides, each side naming the OTHER deployment's code (the mã định danh
 * of the agency that runs it — printed by `peer list` as "this deployment").
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../../config/config';
import { initOrm } from '../../../db/orm';
import { Scope } from '../../../shared/scope';
import { generatePeerSecret } from '../http-auth';
import { ExchangePeer } from './peers.entities';
import { PeersService } from './peers.service';

export const PEER_USAGE = `Cách dùng / usage:
  npm run -s cli -- peer secret
  npm run -s cli -- peer add --code MÃ_HỆ_THỐNG --url https://… --secret KHÓA [--name "Tên"] [--key-id k1]
  npm run -s cli -- peer list
  npm run -s cli -- peer sync [--code MÃ_HỆ_THỐNG]
  npm run -s cli -- peer disable|enable --code MÃ_HỆ_THỐNG`;

export async function runPeerCli(argv: string[], databaseUrl: string): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'secret') {
    console.log(generatePeerSecret());
    return 0;
  }
  const config = loadConfig();
  const orm = await initOrm(databaseUrl, 2);
  try {
    const peers = new PeersService({ orm, config, clock: { now: () => new Date() } });
    const { values } = parseArgs({
      args: rest,
      options: { code: { type: 'string' }, url: { type: 'string' }, secret: { type: 'string' }, name: { type: 'string' }, 'key-id': { type: 'string' } },
    });
    switch (sub) {
      case 'add': {
        if (!values.code || !values.url || !values.secret) {
          console.error(PEER_USAGE);
          return 2;
        }
        const p = await peers.upsertPeer(null, { code: values.code, url: values.url, secret: values.secret, name: values.name, keyId: values['key-id'] });
        console.log(`Đã cấu hình hệ thống đối tác ${p.code} (${p.name}) tại ${p.baseUrl}, khóa ${p.keyIds.join(', ')}.`);
        const r = await peers.syncPeer(p.code);
        console.log(r.error ? `Chưa lấy được danh bạ của đối tác: ${r.error} (sẽ thử lại mỗi giờ; chạy \`peer sync\` để thử ngay).` : `Danh bạ: ${r.agencies} cơ quan.`);
        return 0;
      }
      case 'list': {
        console.log(`Hệ thống này (this deployment): ${await peers.ownCode().catch(() => '(chưa có cơ quan vận hành)')}`);
        const list = await peers.listPeers();
        if (!list.length) console.log('Chưa cấu hình hệ thống đối tác nào (no peers).');
        for (const p of list) {
          const sync = p.lastSyncAt ? `đồng bộ ${p.lastSyncAt.toISOString()}${p.lastSyncError ? ` — LỖI: ${p.lastSyncError}` : ''}` : 'chưa đồng bộ';
          console.log(`${p.active ? '●' : '○'} ${p.code.padEnd(16)} ${p.name} — ${p.baseUrl} — khóa ${p.keyIds.join(',')} — ${p.agencies} cơ quan — ${sync} [${p.source}]`);
        }
        return 0;
      }
      case 'sync': {
        const r = values.code ? { local: 0, peers: [{ code: values.code, ...(await peers.syncPeer(values.code)) }] } : await peers.syncAll();
        if (!values.code) console.log(`Cơ quan của hệ thống này: ${r.local}`);
        for (const p of r.peers) console.log(`${p.code}: ${p.error ? `LỖI ${p.error}` : `${p.agencies} cơ quan`}`);
        return r.peers.some((p) => p.error) ? 1 : 0;
      }
      case 'disable':
      case 'enable': {
        if (!values.code) {
          console.error(PEER_USAGE);
          return 2;
        }
        const scope = new Scope(orm.em.fork(), null);
        const n = await scope.transaction(async (tx) => {
          const p = await tx.em.findOne(ExchangePeer, { code: values.code });
          if (!p) return 0;
          p.active = sub === 'enable';
          tx.audit({ action: p.active ? 'exchange.peer.activate' : 'exchange.peer.deactivate', targetType: 'exchange_peer', targetId: p.id, data: { code: p.code } });
          return 1;
        });
        console.log(n ? `Đã ${sub === 'enable' ? 'bật' : 'tắt'} liên thông với ${values.code}.` : `Không có hệ thống đối tác ${values.code}.`);
        return n ? 0 : 2;
      }
      default:
        console.error(PEER_USAGE);
        return sub ? 2 : 0;
    }
  } finally {
    await orm.close();
  }
}
