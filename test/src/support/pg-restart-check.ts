/**
 * Starts embedded PostgreSQL on a temp data dir, writes a row, stops, starts again and prints what it reads.
 * The data dir first holds what a killed or failed first start used to leave (a `pg/` without PG_VERSION,
 * a temporary init folder): the start must clear them and work. Any failure goes to stderr.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPg } from '../../../server/src/db/embedded';

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvan-pg-'));
  fs.chmodSync(dataDir, 0o755);
  fs.mkdirSync(path.join(dataDir, 'pg'));
  fs.writeFileSync(path.join(dataDir, 'pg', 'postgresql.conf'), '# half-made\n');
  fs.mkdirSync(path.join(dataDir, 'pg.init-0badf00d', 'data'), { recursive: true });
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const query = async (url: string, sql: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query(sql)).rows;
    } finally {
      await c.end();
    }
  };
  const first = await startEmbeddedPg({ dataDir, port, database: 'congvan' });
  const left = fs.readdirSync(dataDir).filter((f) => f !== 'pg');
  if (left.length) throw new Error(`leftovers of a failed start were kept: ${left.join(', ')}`);
  await query(first.url, `create table keep_me (v text); insert into keep_me values ('Lương Tài')`);
  await first.stop();
  const second = await startEmbeddedPg({ dataDir, port, database: 'congvan' });
  const rows = await query(second.url, 'select v from keep_me');
  const enc = await query(second.url, 'show server_encoding');
  await second.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  console.log(JSON.stringify({ rows, encoding: enc[0].server_encoding }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
