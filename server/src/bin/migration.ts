/**
 * npm run migration -- create <Name>   diff the entities against a migrated database and write a migration
 * npm run migration -- up              apply pending migrations
 * npm run migration -- check           exit 1 if the entities and the migrations disagree
 */
import { loadConfig } from '../config/config';
import { startEmbeddedPg, type EmbeddedPg } from '../db/embedded';
import { initOrm, migrate, migrator } from '../db/orm';

async function main(): Promise<void> {
  const [cmd, name] = process.argv.slice(2);
  const config = loadConfig();
  let embedded: EmbeddedPg | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPg({ dataDir: config.dataDir, port: config.embeddedPgPort, database: 'congvan_migrations' });
    url = embedded.url;
  }
  const orm = await initOrm(url, 2);
  try {
    await migrate(orm);
    if (cmd === 'create') {
      const r = await migrator(orm).createMigration(undefined, false, false, name);
      if (!r.fileName) console.log('No changes: the entities match the migrations.');
      else console.log(`Wrote ${r.fileName}: add it to server/src/db/migrations/index.ts`);
    } else if (cmd === 'check') {
      const sql = await orm.schema.getUpdateSchemaSQL({ wrap: false });
      if (sql.trim()) {
        console.error(`Entities and migrations disagree:\n${sql}`);
        process.exitCode = 1;
      } else console.log('Entities and migrations agree.');
    } else if (cmd !== 'up') {
      console.error('usage: migration create <Name> | up | check');
      process.exitCode = 2;
    }
  } finally {
    await orm.close();
    await embedded?.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
