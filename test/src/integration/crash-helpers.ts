/**
 * Helpers of the crash tests (crash-*.test.ts): the real API and worker processes (`node --import tsx`)
 * spawned on a test database and data directory, killed with SIGKILL and restarted, plus the checks that
 * nothing was lost or half-made (numbers, files, stored objects, OCR).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import sharp from 'sharp';
import { repoRoot } from '../../../server/src/config/config';
import type { TestRuntime } from '../support/runtime';
import { scanPath } from '../../fixtures';
import { until } from '../support/until';

export const fixture = (name: string): Buffer => fs.readFileSync(scanPath(name));

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export interface Proc {
  child: ChildProcess;
  /** Everything the process printed on stdout so far. */
  out(): string;
  /** Resolves when stdout contains `marker`. */
  waitForOutput(marker: string, ms?: number): Promise<void>;
  kill9(): Promise<void>;
  /** SIGTERM and wait (graceful stop). */
  stop(): Promise<void>;
}

/** Environment of the child processes: the test runtime's database, data directory and secret. */
export function procEnv(t: TestRuntime, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: t.db.url,
    CONGVAN_DATA_DIR: t.dataDir,
    AUTH_SECRET: t.config.authSecret ?? '',
    DATABASE_POOL_MAX: '5',
    HOST: '127.0.0.1',
    SERVE_WEB: '0',
    GRAPHIQL: '0',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** Spawns `server/src/bin/api.ts` or `workers/src/main.ts` and waits for its 'ready' message. */
export async function startProc(kind: 'api' | 'worker', env: NodeJS.ProcessEnv): Promise<Proc> {
  const entry = kind === 'api' ? 'server/src/bin/api.ts' : 'workers/src/main.ts';
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, entry)], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} did not start: ${err.slice(-2000)} ${out.slice(-2000)}`)), 90_000);
    child.on('message', (m: { type?: string }) => {
      if (m?.type === 'ready') {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${kind} exited (${code}) before it was ready: ${err.slice(-2000)} ${out.slice(-2000)}`));
    });
  });
  return {
    child,
    out: () => out,
    waitForOutput: async (marker, ms = 60_000) => void (await until(`${kind} prints ${marker}`, () => out.includes(marker), ms)),
    kill9: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** registerIncoming with uploaded files (GraphQL multipart request). */
export async function registerWithFile(
  url: string,
  token: string,
  input: Record<string, unknown>,
  file: { bytes: Buffer; name: string; type: string },
): Promise<{ data?: { registerIncoming: { id: string; incomingNumber: number } } | null; errors?: { message: string; extensions?: { code?: string } }[] }> {
  const form = new FormData();
  const query = 'mutation($i: RegisterIncomingInput!){ registerIncoming(input: $i){ id incomingNumber } }';
  form.append('operations', JSON.stringify({ query, variables: { i: { ...input, files: [null] } } }));
  form.append('map', JSON.stringify({ 0: ['variables.i.files.0'] }));
  form.append('0', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, accept: 'application/graphql-response+json, application/json', 'x-congvan-csrf': '1' },
    body: form,
  });
  return (await res.json()) as never;
}

export interface Integrity {
  /** Test documents registered (committed). */
  documents: number;
  /** Số đến of the whole register, in order. */
  numbers: number[];
  gaps: number[];
  duplicates: number[];
  documentsWithoutFiles: number;
  filesWithoutObject: number;
  ocr: Record<string, number>;
}

/**
 * The state of an agency's incoming register after a crash: số đến of the register (this year) must be
 * 1..n with no gap and no duplicate; every test document (subject starting with `subjectPrefix`) has its
 * file, every such file's object exists in storage; OCR results of those files by status.
 */
export async function integrity(t: TestRuntime, agencyId: string, subjectPrefix: string): Promise<Integrity> {
  const em = t.system().em;
  // Every document of the register (the demo ones too): số đến must run 1..n.
  const all = await em.execute<{ incoming_number: number; register_key: string }[]>(
    `select d.incoming_number, d.register_key from document d where d.agency_id = ? and d.direction = 'INCOMING' and d.incoming_number is not null
      and d.register_key = (select register_key from document where subject like ? limit 1) and d.register_year = extract(year from now() at time zone 'Asia/Ho_Chi_Minh')
      order by d.incoming_number`,
    [agencyId, `${subjectPrefix}%`],
  );
  const docs = await em.execute<{ id: string; files: string }[]>(
    `select d.id, (select count(*) from document_file f where f.document_id = d.id)::text as files from document d where d.agency_id = ? and d.subject like ?`,
    [agencyId, `${subjectPrefix}%`],
  );
  const numbers = all.map((d) => d.incoming_number);
  const seen = new Set<number>();
  const duplicates: number[] = [];
  for (const n of numbers) {
    if (seen.has(n)) duplicates.push(n);
    seen.add(n);
  }
  const max = numbers.length ? Math.max(...numbers) : 0;
  const gaps: number[] = [];
  for (let n = 1; n <= max; n++) if (!seen.has(n)) gaps.push(n);
  const files = await em.execute<{ storage_key: string }[]>(`select f.storage_key from document_file f join document d on d.id = f.document_id where d.agency_id = ? and d.subject like ?`, [
    agencyId,
    `${subjectPrefix}%`,
  ]);
  let filesWithoutObject = 0;
  for (const f of files) if (!(await t.rt.services.storage.stat(f.storage_key))) filesWithoutObject++;
  const ocr = await em.execute<{ status: string; n: string }[]>(
    `select r.status, count(*)::text as n from ocr_result r
      where r.sha256 in (select f.sha256 from document_file f join document d on d.id = f.document_id where d.agency_id = ? and d.subject like ?) group by r.status`,
    [agencyId, `${subjectPrefix}%`],
  );
  return {
    documents: docs.length,
    numbers,
    gaps,
    duplicates,
    documentsWithoutFiles: docs.filter((d) => d.files === '0').length,
    filesWithoutObject,
    ocr: Object.fromEntries(ocr.map((r) => [r.status, Number(r.n)])),
  };
}

/** Stored objects that no row references (uploads of requests that died before their commit). */
export async function unreferencedObjects(t: TestRuntime): Promise<number> {
  const rows = await t.system().em.execute<{ k: string }[]>(
    `select storage_key as k from document_file union select storage_key from scan union select storage_key from ocr_result
     union select searchable_pdf_key from ocr_result union select thumbnail_key from ocr_result union select data_key from ocr_result
     union select data_key from ocr_page union select image_key from ocr_page`,
  );
  const referenced = new Set(rows.map((r) => r.k).filter(Boolean));
  let n = 0;
  for await (const o of t.rt.services.storage.list()) if (!referenced.has(o.key)) n++;
  return n;
}

/** A small distinct JPEG with text (the header band of a fixture scan, shifted by `i` pixels). */
export async function headerCrop(i: number): Promise<Buffer> {
  return sharp(fixture('dev03.p1.jpg'))
    .extract({ left: 40 + i, top: 60, width: 1500, height: 260 })
    .jpeg({ quality: 85 })
    .toBuffer();
}

/** The API and worker processes a crash test started on `t()`'s database; `killAll` kill -9s what is left. */
export function processes(t: () => TestRuntime) {
  const procs: Proc[] = [];
  return {
    start: async (kind: 'api' | 'worker', extra: Record<string, string> = {}): Promise<Proc> => {
      const p = await startProc(kind, procEnv(t(), extra));
      procs.push(p);
      return p;
    },
    killAll: async (): Promise<void> => {
      for (const p of procs.splice(0)) await p.kill9();
    },
  };
}
