/**
 * OCR benchmark on the dev corpus (shared/corpus/scans), issue 14: our pipeline with each engine (native Tesseract
 * and tesseract.js) against plain native `tesseract IMG - -l vie --psm 3` (OMP_THREAD_LIMIT=1, one process per
 * core), all in the same run.
 *
 *   npm run bench -- ocr [--quick] [--engines native,wasm] [--folds K] [--rss-pages N] [--rss-engines native]
 *                        [--limit N] [--input pdf|jpg] [--concurrency N] [--no-native] [--no-pdf]
 *                        [--opts '{"preprocess":{...}}'] [--verbose] [--out FILE.json]
 *
 * Prints, per engine: strict CER and flexCER per difficulty (hard scans apart) beside native's; field accuracy
 * (the issue's six fields and all thirteen) by k-fold cross-validation over documents — the language model, the
 * confusion costs and the directory are learnt on the other folds; pages per minute and CPU seconds per page
 * as a ratio to native measured around it in the same run; and the peak RSS of a worker process digitising a
 * generated --rss-pages page PDF, through the queue as the OCR worker does and in one `digitise` call. `--quick`: 6 documents, 3 folds, a 40-page RSS file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createOcrPool, fieldValues, extractFieldsFromText, type OcrPoolOptions, type PageResult } from '../../workers/src/ocr/index';
import { nativeTesseractAvailable } from '../../workers/src/ocr/native-engine';
import { manyPagePdf } from '../../workers/src/ocr/rss-probe';
import { FIELDS, ISSUE_FIELDS, crossValidate, scoreDoc, summarise, type CvDoc, type Scored, type Summary } from './lib/ocr-cv';

/** The scans with their truth (`manifest.json`, per document `NAME.json` / `.txt` / `.pdf` / page JPEGs); `--corpus DIR` or OCR_CORPUS for another set. */
let CORPUS = path.resolve(process.env.OCR_CORPUS ?? path.resolve(__dirname, '../../../shared/corpus/scans'));

type Truth = { id: string; difficulty: 'clean' | 'typical' | 'hard'; images: string[]; pdf: string; truth: string; [k: string]: unknown };

let childCpuSeen = 0;
/** CPU seconds of the child processes waited for since the last call (cutime + cstime of /proc/self/stat). */
function childCpuSeconds(): number {
  let total: number;
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total = (Number(f[13]) + Number(f[14])) / 100;
  } catch {
    return 0;
  }
  const d = total - childCpuSeen;
  childCpuSeen = total;
  return d;
}

/** Plain native Tesseract, one single-threaded process per core: texts, wall seconds, CPU seconds. */
async function runNative(docs: Truth[], procs: number): Promise<{ texts: Map<string, string>; seconds: number; cpu: number }> {
  const jobs = docs.flatMap((d) => d.images.map((img, i) => ({ id: d.id, i, img: path.join(CORPUS, img) })));
  const out = new Map<string, string[]>();
  let next = 0;
  childCpuSeconds();
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: procs }, async () => {
      while (next < jobs.length) {
        const j = jobs[next++];
        const text = await new Promise<string>((res, rej) => {
          const p = spawn('tesseract', [j.img, '-', '-l', 'vie', '--psm', '3'], { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, stdio: ['ignore', 'pipe', 'ignore'] });
          let s = '';
          p.stdout.on('data', (b) => (s += b));
          p.on('error', rej);
          p.on('close', () => res(s));
        });
        const arr = out.get(j.id) ?? [];
        arr[j.i] = text;
        out.set(j.id, arr);
      }
    }),
  );
  return { texts: new Map([...out].map(([k, v]) => [k, v.join('\n')])), seconds: (Date.now() - t0) / 1000, cpu: childCpuSeconds() };
}

type EngineRun = {
  engine: 'native' | 'wasm';
  docs: CvDoc[];
  plain: Scored[];
  seconds: number;
  cpu: number;
  peakRss: number;
  nativeAround: number[];
  /** CPU seconds of the engine's child processes (native Tesseract), included in `cpu` */
  childCpu: number;
};

/** Peak RSS of a fresh worker process digitising a generated `pages`-page PDF (workers/src/ocr/rss-probe.ts). */
async function rssProbe(file: string, engine: string, concurrency: number, mode: 'worker' | 'digitise'): Promise<{ pages: number; peakRssMb: number; inputMb: number; outputMb: number; seconds: number } | { error: string }> {
  const tsx = path.resolve(__dirname, '../../node_modules/.bin/tsx');
  const probe = path.resolve(__dirname, '../../workers/src/ocr/rss-probe.ts');
  return new Promise((resolve) => {
    const p = spawn(tsx, [probe, file, '--engine', engine, '--concurrency', String(concurrency), ...(mode === 'worker' ? ['--worker'] : [])], {
      // as the production worker runs (docker-compose.yml, npm start): glibc arenas limited
      env: { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (b) => (out += b));
    p.stderr.on('data', (b) => (err += b));
    p.on('close', (code) => {
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? ''));
      } catch {
        resolve({ error: `exit ${code}: ${err.trim().slice(-300)}` });
      }
    });
  });
}

const pct = (x: number) => (Number.isFinite(x) ? (x * 100).toFixed(2).padStart(6) + ' %' : '     —  ');
const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? (a / b).toFixed(2) + '×' : '—');

export async function run(args: string[]): Promise<void> {
  const arg = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (arg('--corpus')) CORPUS = path.resolve(arg('--corpus')!);
  if (!fs.existsSync(path.join(CORPUS, 'manifest.json'))) throw new Error(`no manifest.json in ${CORPUS} (--corpus DIR or OCR_CORPUS)`);
  const quick = args.includes('--quick');
  const limit = Number(arg('--limit') ?? (quick ? 6 : 0));
  const folds = Number(arg('--folds') ?? (quick ? 3 : 4));
  const rssPages = Number(arg('--rss-pages') ?? (quick ? 40 : 500));
  const input = (arg('--input') ?? 'pdf') as 'pdf' | 'jpg';
  const cores = Math.max(1, os.availableParallelism());
  const concurrency = Number(arg('--concurrency') ?? process.env.OCR_CONCURRENCY ?? cores);
  const extra = JSON.parse(arg('--opts') ?? '{}') as OcrPoolOptions;
  const haveNative = nativeTesseractAvailable(['vie']);
  const withNative = haveNative && !args.includes('--no-native');
  const engines = (arg('--engines') ?? (haveNative ? 'native,wasm' : 'wasm')).split(',') as Array<'wasm' | 'native'>;
  const rssEngines = (arg('--rss-engines') ?? (haveNative ? 'native' : 'wasm')).split(',').filter(Boolean);
  const log = (m: string) => process.stderr.write(`[bench ocr] ${m}\n`);

  const manifest = JSON.parse(fs.readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')) as { documents: Array<{ id: string }> };
  let docs: Truth[] = manifest.documents.map((d) => JSON.parse(fs.readFileSync(path.join(CORPUS, `${d.id}.json`), 'utf8')) as Truth);
  if (limit > 0) {
    const by = ['clean', 'typical', 'hard'].map((lv) => docs.filter((d) => d.difficulty === lv));
    const pick: Truth[] = [];
    for (let i = 0; pick.length < Math.min(limit, docs.length); i++) for (const b of by) if (b[i] && pick.length < limit) pick.push(b[i]);
    docs = pick;
  }
  const truthOf = (d: Truth) => fs.readFileSync(path.join(CORPUS, d.truth), 'utf8');
  const totalPages = docs.reduce((s, d) => s + d.images.length, 0);

  // --- plain native before each engine and after the last (the machine is shared: a ratio uses the runs around it)
  const nativeRuns: Array<{ texts: Map<string, string>; seconds: number; cpu: number }> = [];
  const runs: EngineRun[] = [];
  const dataDir = process.env.CONGVAN_DATA_DIR ?? path.resolve(__dirname, '../../.data');
  for (const engine of engines) {
    if (withNative) {
      log(`native peer (${totalPages} pages)…`);
      nativeRuns.push(await runNative(docs, cores));
    }
    log(`ours with ${engine} (${docs.length} documents)…`);
    runs.push(await runOurs(engine));
  }
  if (withNative) {
    log('native peer…');
    nativeRuns.push(await runNative(docs, cores));
  }
  runs.forEach((r, i) => (r.nativeAround = withNative ? [nativeRuns[i].seconds, nativeRuns[i + 1].seconds] : []));

  async function runOurs(engine: 'wasm' | 'native'): Promise<EngineRun> {
    const pool = createOcrPool({ concurrency, dataDir, ...extra, engine, keepRaw: true });
    await pool.warm();
    if (engine === 'native') childCpuSeconds();
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
    const out: CvDoc[] = [];
    const plain: Scored[] = [];
    const read: Array<{ cv: CvDoc; text: string; fields: Record<string, unknown> }> = [];
    const cpu0 = process.cpuUsage();
    const t0 = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < docs.length) {
          const d = docs[next++];
          let pages: PageResult[];
          let text: string;
          let fields: Record<string, unknown>;
          if (input === 'pdf') {
            const r = await pool.digitise(fs.readFileSync(path.join(CORPUS, d.pdf)), { fileName: d.pdf, searchablePdf: args.includes('--no-pdf') ? false : undefined });
            pages = r.pages;
            text = r.text;
            fields = fieldValues(r.fields);
          } else {
            pages = await Promise.all(d.images.map((img, i) => pool.recognisePage(fs.readFileSync(path.join(CORPUS, img)), { index: i })));
            const a = await pool.assemble(pages, { searchablePdf: !args.includes('--no-pdf') });
            text = a.text;
            fields = fieldValues(a.fields);
          }
          const cv: CvDoc = { id: d.id, difficulty: d.difficulty, pages: d.images.length, truth: truthOf(d), meta: d, raw: pages.map((p) => p.raw ?? []) };
          out.push(cv);
          read.push({ cv, text, fields });
        }
      }),
    );
    const seconds = (Date.now() - t0) / 1000;
    const c = process.cpuUsage(cpu0);
    clearInterval(sampler);
    await pool.close();
    const children = engine === 'native' ? childCpuSeconds() : 0;
    // scored after the clock stops, as the peer's texts are: the edit distances are the benchmark's work, not the pipeline's
    for (const r of read) plain.push(scoreDoc(r.cv, r.text, r.fields));
    const order = new Map(docs.map((d, i) => [d.id, i]));
    out.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    return { engine, docs: out, plain, seconds, cpu: (c.user + c.system) / 1e6 + children, childCpu: children, peakRss, nativeAround: [] };
  }

  // --- native peer scores (its text through our field extractor, no directory)
  const nativeScores: Scored[] = withNative
    ? docs.map((d) => {
        const text = nativeRuns[0].texts.get(d.id) ?? '';
        return scoreDoc({ id: d.id, difficulty: d.difficulty, pages: d.images.length, truth: truthOf(d), meta: d }, text, fieldValues(extractFieldsFromText(text)));
      })
    : [];
  const N: Summary | null = withNative ? summarise(nativeScores) : null;
  const nativeSeconds = withNative ? nativeRuns.reduce((s, r) => s + r.seconds, 0) / nativeRuns.length : NaN;
  const nativeCpu = withNative ? nativeRuns.reduce((s, r) => s + r.cpu, 0) / nativeRuns.length : NaN;

  // --- RSS of a worker on a many-page file
  const rss: Record<string, string> = {};
  if (rssPages > 0) {
    const jpegs = [...new Set(docs.flatMap((d) => d.images))].map((f) => fs.readFileSync(path.join(CORPUS, f)));
    const file = path.join(os.tmpdir(), `congvan-ocr-bench-${process.pid}-${rssPages}p.pdf`);
    fs.writeFileSync(file, await manyPagePdf(jpegs, rssPages));
    try {
      for (const e of rssEngines)
        for (const mode of ['worker', 'digitise'] as const) {
          log(`${mode} RSS: ${rssPages}-page PDF with ${e}…`);
          const r = await rssProbe(file, e, concurrency, mode);
          const k = mode === 'worker' ? e : `${e}/digitise`;
          rss[k] = 'error' in r ? `failed: ${r.error}` : `${r.peakRssMb} MB peak RSS (${r.pages} pages, input ${r.inputMb} MB, searchable PDF ${r.outputMb} MB, ${((r.pages / r.seconds) * 60).toFixed(1)} pages/min)`;
        }
    } finally {
      fs.rmSync(file, { force: true });
    }
  }

  // --- report
  const L: string[] = [];
  L.push(`OCR benchmark — ${docs.length} documents, ${totalPages} pages (${['clean', 'typical', 'hard'].map((lv) => `${docs.filter((d) => d.difficulty === lv).length} ${lv}`).join(', ')}), input ${input}, ${cores} cores, pool ${concurrency}, ${folds}-fold cross-validation over documents`);
  const results = runs.map((r) => {
    const cv = crossValidate(r.docs, folds);
    const S = {
      plain: summarise(r.plain),
      rules: summarise(cv.rules),
      lm: summarise(cv.lm),
      rulesDir: summarise(cv.rulesDir),
      lmDir: summarise(cv.lmDir),
      lmUnseen: summarise(cv.lmUnseen),
    };
    const keepLm = S.lm.rows.all.flex < S.rules.rows.all.flex;
    const best = keepLm ? S.lmDir : S.rulesDir;
    const bestDocs = keepLm ? cv.lmDir : cv.rulesDir;
    return { r, cv, S, keepLm, best, bestDocs };
  });
  for (const { r, S, keepLm, best, bestDocs } of results) {
    const name = r.engine === 'native' ? 'native Tesseract' : 'tesseract.js (wasm)';
    const nSec = r.nativeAround.length ? (r.nativeAround[0] + r.nativeAround[1]) / 2 : NaN;
    const ppm = (totalPages / r.seconds) * 60;
    const nPpm = (totalPages / nSec) * 60;
    L.push('');
    L.push(`=== ours, engine ${name} ===`);
    L.push(`CER (pooled)        strict CER          flexCER            native strict | flex    ratio flexCER (strict)`);
    for (const lv of ['clean', 'typical', 'hard', 'all'] as const) {
      const a = best.rows[lv];
      const b = N?.rows[lv];
      L.push(`  ${lv.padEnd(8)} (${String(a.docs).padStart(2)})  ${pct(a.cer)}          ${pct(a.flex)}          ${b ? `${pct(b.cer)} | ${pct(b.flex)}    ${ratio(a.flex, b.flex)} (${ratio(a.cer, b.cer)})` : ''}`);
    }
    L.push(`  language model (learnt on training folds): flexCER ${pct(S.rules.rows.all.flex)} → ${pct(S.lm.rows.all.flex)} without/with, hard ${pct(S.rules.rows.hard.flex)} → ${pct(S.lm.rows.hard.flex)} → ${keepLm ? 'KEPT (lower flexCER under cross-validation)' : 'NOT kept (no lower flexCER under cross-validation)'}`);
    const U = S.lmUnseen;
    L.push(
      `  … learnt without the test documents' sentences (text the deployment never issued): flexCER ${pct(U.rows.all.flex)}${N ? ` ${ratio(U.rows.all.flex, N.rows.all.flex)}` : ''}, hard ${pct(U.rows.hard.flex)}${N ? ` ${ratio(U.rows.hard.flex, N.rows.hard.flex)}` : ''}, strict ${pct(U.rows.all.cer)}, issue's six ${pct(U.issueFields)}`,
    );
    L.push(`Fields right, cross-validated (exact after NFC/whitespace)       no directory | directory of the training folds${N ? ' | native text + our extractor' : ''}`);
    const noDir = keepLm ? S.lm : S.rules;
    for (const k of FIELDS) L.push(`  ${(ISSUE_FIELDS.includes(k as (typeof ISSUE_FIELDS)[number]) ? '* ' : '  ') + k.padEnd(14)} ${pct(noDir.fieldAcc[k])} | ${pct(best.fieldAcc[k])}${N ? ` | ${pct(N.fieldAcc[k])}` : ''}`);
    L.push(`  issue's six (*)    ${pct(noDir.issueFields)} | ${pct(best.issueFields)}${N ? ` | ${pct(N.issueFields)}` : ''}`);
    L.push(`  all thirteen       ${pct(noDir.allFields)} | ${pct(best.allFields)}${N ? ` | ${pct(N.allFields)}` : ''}`);
    L.push(`Speed: ${ppm.toFixed(1)} pages/min (${r.seconds.toFixed(1)} s)${Number.isFinite(nPpm) ? `, native ${nPpm.toFixed(1)} pages/min (runs around it: ${r.nativeAround.map((s) => s.toFixed(1) + ' s').join(', ')}) → ratio ${ratio(ppm, nPpm)}` : ''}`);
    L.push(`  CPU per page ${(r.cpu / totalPages).toFixed(2)} s${r.childCpu ? ` (Tesseract processes ${(r.childCpu / totalPages).toFixed(2)} s, the worker ${((r.cpu - r.childCpu) / totalPages).toFixed(2)} s)` : ''}${withNative ? `, native ${(nativeCpu / totalPages).toFixed(2)} s → CPU-bound ratio ${ratio(nativeCpu, r.cpu)}` : ''}; bench process peak RSS ${(r.peakRss / 1e6).toFixed(0)} MB`);
    if (rss[r.engine]) L.push(`Worker RSS (the OCR worker through the queue: page jobs, then assembly): ${rss[r.engine]}`);
    if (rss[`${r.engine}/digitise`]) L.push(`Digitise RSS (CLI and archive import: one call, the PDF to a file): ${rss[`${r.engine}/digitise`]}`);
    if (args.includes('--verbose')) for (const d of bestDocs) for (const [k, v] of Object.entries(d.misses)) L.push(`    ${d.id} ${k}: got ${JSON.stringify(v.got)} expected ${JSON.stringify(v.expected)}`);
    const bad = bestDocs.filter((d) => ISSUE_FIELDS.some((k) => !d.fieldsOk[k]));
    if (bad.length) L.push(`  misses among the six: ${bad.map((d) => `${d.id}:${ISSUE_FIELDS.filter((k) => !d.fieldsOk[k]).join(',')}`).join('  ')}`);
    L.push(`  per document flexCER ours/native: ${bestDocs.map((d) => { const n = nativeScores.find((x) => x.id === d.id); return `${d.id}(${d.difficulty[0]}) ${((d.flexEdits / d.chars) * 100).toFixed(1)}${n ? '/' + ((n.flexEdits / n.chars) * 100).toFixed(1) : ''}`; }).join(' ')}`);
  }
  if (withNative) L.push('', `native peer: ${((totalPages / nativeSeconds) * 60).toFixed(1)} pages/min mean of ${nativeRuns.length} runs (${nativeRuns.map((r) => r.seconds.toFixed(1) + ' s').join(', ')}), ${(nativeCpu / totalPages).toFixed(2)} CPU-s/page`);
  L.push(`Load average at the end: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (other processes on this machine slow every run alike; ratios are taken against native runs around each)`);

  // --- the issue's summary table
  L.push('', 'Issue 14 summary (targets: flexCER ≤ 0.5× native overall and hard; strict CER ≤ 3 %; fields ≥ 95 % CV; speed ≥ 0.9× native (native engine), ≥ 0.3× (wasm); worker RSS < 500 MB on 500 pages)');
  L.push(`  ${''.padEnd(34)}${results.map((x) => (x.r.engine === 'native' ? 'ours/native eng.' : 'ours/tesseract.js').padEnd(20)).join('')}${N ? 'native' : ''}`);
  const row = (label: string, f: (x: (typeof results)[number]) => string, n: string) => L.push(`  ${label.padEnd(34)}${results.map((x) => f(x).padEnd(20)).join('')}${N ? n : ''}`);
  row('strict CER', (x) => pct(x.best.rows.all.cer), N ? pct(N.rows.all.cer) : '');
  row('flexCER', (x) => `${pct(x.best.rows.all.flex)} ${N ? ratio(x.best.rows.all.flex, N.rows.all.flex) : ''}`, N ? pct(N.rows.all.flex) : '');
  row('flexCER hard', (x) => `${pct(x.best.rows.hard.flex)} ${N ? ratio(x.best.rows.hard.flex, N.rows.hard.flex) : ''}`, N ? pct(N.rows.hard.flex) : '');
  row('  LM without test sentences', (x) => `${pct(x.S.lmUnseen.rows.all.flex)} ${N ? ratio(x.S.lmUnseen.rows.all.flex, N.rows.all.flex) : ''}`, '');
  row('  … hard', (x) => `${pct(x.S.lmUnseen.rows.hard.flex)} ${N ? ratio(x.S.lmUnseen.rows.hard.flex, N.rows.hard.flex) : ''}`, '');
  row("fields (issue's six, CV)", (x) => pct(x.best.issueFields), N ? pct(N.issueFields) : '');
  row('  LM without test sentences', (x) => pct(x.S.lmUnseen.issueFields), '');
  row('pages/min (ratio to native)', (x) => {
    const nSec = x.r.nativeAround.length ? (x.r.nativeAround[0] + x.r.nativeAround[1]) / 2 : NaN;
    return `${((totalPages / x.r.seconds) * 60).toFixed(1)} ${ratio(nSec, x.r.seconds)}`;
  }, withNative ? ((totalPages / nativeSeconds) * 60).toFixed(1) : '');
  row('CPU-s/page', (x) => `${(x.r.cpu / totalPages).toFixed(2)} ${withNative ? ratio(nativeCpu, x.r.cpu) : ''}`, withNative ? (nativeCpu / totalPages).toFixed(2) : '');
  row(`worker peak RSS, ${rssPages}-page PDF`, (x) => (rss[x.r.engine] ? rss[x.r.engine].split(' (')[0] : 'not measured'), '');
  row(`  (digitise in one call)`, (x) => (rss[`${x.r.engine}/digitise`] ? rss[`${x.r.engine}/digitise`].split(' (')[0] : 'not measured'), '');
  process.stdout.write(L.join('\n') + '\n');
  const outFile = arg('--out');
  if (outFile) fs.writeFileSync(outFile, JSON.stringify({ results: results.map((x) => ({ engine: x.r.engine, summaries: x.S, keepLm: x.keepLm, seconds: x.r.seconds, cpu: x.r.cpu, nativeAround: x.r.nativeAround })), native: N, nativeRuns: nativeRuns.map((r) => ({ seconds: r.seconds, cpu: r.cpu })), rss }, null, 2));
}

if (require.main === module) {
  run(process.argv.slice(2)).catch((e) => {
    process.stderr.write(String(e?.stack ?? e) + '\n');
    process.exit(1);
  });
}
