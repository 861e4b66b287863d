/**
 * The CLI commands that work on the database (see cli.ts for the list): loaded only for them, so that the
 * commands without a database (edxml, ocr) start without the server's modules.
 * Uses DATABASE_URL, or the embedded PostgreSQL under CONGVAN_DATA_DIR (as npm start does).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config';
import { startEmbeddedPg, type EmbeddedPg } from '../db/embedded';
import { migrateWithLock } from '../db/migrate-lock';
import { initOrm } from '../db/orm';
import { Agency } from '../modules/identity/entities/agency.entity';
import { createUserUnchecked } from '../modules/identity/identity.service';
import { seedDemoDocuments } from '../seed/demo-documents';
import { bootstrap } from '../runtime';
import { collectStorageGarbage } from '../modules/storage-gc/storage-gc.service';
import { importScans } from './import-scans';
import { seedDemoProvince } from '../seed/steps';
import { AppError } from '../shared/errors';
import { Scope } from '../shared/scope';

export const USAGE = `Cách dùng / usage: npm run cli -- <command>
  create-admin --username U --password P --full-name "Họ tên" [--agency-code C --agency-name N --agency-abbr A]
  seed-demo
  migrate
  import DIR --agency MÃ [--record HỒ_SƠ]  số hóa tài liệu lưu trữ giấy: mỗi tệp thành một văn bản lưu trữ, tìm được (tiếp tục được nếu bị ngắt)
  ocr FILE... [--json]
  gc [--grace-minutes N]      dọn các tệp không còn được tham chiếu (mặc định giữ tệp mới hơn 60 phút)
  reindex                     dựng lại chỉ mục tìm kiếm của mọi văn bản
  signing list [--agency MÃ] | signing revoke <mã|số hiệu> --reason "…"   chứng thư số: danh sách, thu hồi
  peer secret | peer add --code MÃ --url URL --secret KHÓA [--name N] | peer list | peer sync   liên thông với hệ thống khác
  edxml parse FILE [--extract DIR] [--strict] | edxml build [--base DIR]   gói tin edXML ↔ JSON`;

/** Runs `fn` on a migrated database: DATABASE_URL, or the embedded one (shared with a running npm start). */
async function withDb<T>(fn: (scope: Scope, url: string) => Promise<T>): Promise<T> {
  const config = loadConfig();
  let embedded: EmbeddedPg | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPg({ dataDir: config.dataDir, port: config.embeddedPgPort, database: 'congvan' });
    url = embedded.url;
  }
  const orm = await initOrm(url, 4);
  try {
    await migrateWithLock(orm);
    return await fn(new Scope(orm.em.fork(), null), url);
  } finally {
    await orm.close();
    await embedded?.stop();
  }
}

async function createAdmin(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      username: { type: 'string' },
      password: { type: 'string' },
      'full-name': { type: 'string' },
      'agency-code': { type: 'string' },
      'agency-name': { type: 'string' },
      'agency-abbr': { type: 'string' },
    },
  });
  if (!values.username || !values.password || !values['full-name']) {
    console.error(USAGE);
    return 2;
  }
  return withDb(async (scope) => {
    let agency = values['agency-code'] ? await scope.em.findOne(Agency, { code: values['agency-code'] }) : await scope.em.findOne(Agency, { operator: true });
    if (!agency) {
      if (!values['agency-code'] || !values['agency-name'] || !values['agency-abbr']) {
        console.error('Chưa có cơ quan vận hành: hãy cho --agency-code, --agency-name và --agency-abbr để tạo.');
        return 2;
      }
      agency = await scope.transaction(async (tx) => {
        const a = tx.em.create(Agency, {
          code: values['agency-code']!,
          name: values['agency-name']!.normalize('NFC'),
          abbr: values['agency-abbr']!.normalize('NFC'),
          operator: (await tx.em.count(Agency, { operator: true })) === 0,
          active: true,
          timeZone: 'Asia/Ho_Chi_Minh',
          createdAt: new Date(),
        });
        tx.audit({ action: 'agency.create', targetType: 'agency', targetId: a.id, agencyId: a.id, data: { code: a.code, via: 'cli' } });
        return a;
      });
    }
    const user = await createUserUnchecked(scope, {
      username: values.username!,
      password: values.password!,
      fullName: values['full-name']!,
      agencyId: agency.id,
      roles: ['QUAN_TRI'],
      title: 'Quản trị hệ thống',
    });
    console.log(`Đã tạo quản trị viên ${user.username} cho ${agency.name} (${agency.code}).`);
    return 0;
  });
}

export async function runDbCommand(cmd: string | undefined, rest: string[]): Promise<number> {
  switch (cmd) {
    case 'create-admin':
      return createAdmin(rest);
    case 'seed-demo':
      return withDb(async (scope, url) => {
        const logins = await seedDemoProvince(scope);
        if (!logins.length) {
          console.log('Cơ sở dữ liệu đã có dữ liệu: bỏ qua.');
          return 0;
        }
        const rt = await bootstrap({ ...loadConfig(), databaseUrl: url }, { queue: { supervise: false, schedule: false } });
        try {
          const docs = await seedDemoDocuments(rt.services);
          console.log(`Đã tạo dữ liệu dùng thử: ${logins.length} tài khoản (mật khẩu congvan2026), ${docs} văn bản.`);
        } finally {
          await rt.close();
        }
        return 0;
      });
    case 'migrate':
      return withDb(async () => {
        console.log('Cơ sở dữ liệu đã được cập nhật (migrations applied).');
        return 0;
      });
    case 'import':
      return withDb((_scope, url) => importScans(loadConfig(), url, rest));
    case 'reindex':
      return withDb(async (_scope, url) => {
        // Rebuilds the search index from the documents (their files' PDF / OCR text), resumable in id order.
        const rt = await bootstrap({ ...loadConfig(), databaseUrl: url }, { queue: { supervise: false, schedule: false } });
        try {
          const t0 = Date.now();
          const r = await rt.services.search.reindexAll(new Scope(rt.orm.em.fork(), null), {
            onProgress: (done, total) => process.stderr.write(`\rĐánh chỉ mục tìm kiếm: ${done}/${total}`),
          });
          process.stderr.write('\n');
          console.log(`Đã đánh chỉ mục ${r.indexed} văn bản (bỏ qua ${r.removed} dự thảo) trong ${((Date.now() - t0) / 1000).toFixed(1)} giây.`);
          return 0;
        } finally {
          await rt.close();
        }
      });
    case 'signing':
      // Chứng thư số: list / revoke (thu hồi) certificates issued by this deployment's CA; modules/signing/signing-cli.ts.
      return withDb(async (_scope, url) => (await import('../modules/signing/signing-cli.js')).runSigningCli(rest, url));
    case 'peer':
      // Liên thông: peer deployments (add / list / sync / secret); see modules/exchange/peers/peer-cli.ts.
      return withDb(async (_scope, url) => (await import('../modules/exchange/peers/peer-cli.js')).runPeerCli(rest, url));
    case 'gc':
      return withDb(async (_scope, url) => {
        const { values } = parseArgs({ args: rest, options: { 'grace-minutes': { type: 'string' } } });
        const minutes = values['grace-minutes'] === undefined ? 60 : Number(values['grace-minutes']);
        if (!Number.isFinite(minutes) || minutes < 0) throw new AppError('BAD_USER_INPUT', 'Số phút phải là số không âm.');
        const rt = await bootstrap({ ...loadConfig(), databaseUrl: url }, { queue: { supervise: false, schedule: false } });
        try {
          const r = await collectStorageGarbage(rt.services, { graceMs: minutes * 60_000, listing: true });
          console.log(`Đã dọn ${r.deleted} tệp không còn được tham chiếu, ${r.tempFiles} tệp tạm; tiếp nhận ${r.adopted} tệp cũ vào danh mục.`);
          return r.failedBatches ? 1 : 0;
        } finally {
          await rt.close();
        }
      });
    default:
      console.error(USAGE);
      return cmd ? 2 : 0;
  }
}
