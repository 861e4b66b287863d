/**
 * OCR benchmark on the dev corpus (shared/corpus/scans): our pipeline, with each of its engines (tesseract.js
 * and native Tesseract where installed), vs plain native `tesseract IMG - -l vie --psm 3` (OMP_THREAD_LIMIT=1,
 * one process per core), in the same run.
 *
 *   npm run bench -- ocr [--limit N] [--input pdf|jpg] [--concurrency N] [--no-native] [--engines wasm,native]
 *                             [--opts '{"preprocess":{...},"postCorrect":{...}}'] [--out FILE.json]
 *
 * Prints CER (strict and order-forgiving) per difficulty, field accuracy per field, pages per minute.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createOcrPool, cer, flexCer, extractFields, extractFieldsFromText, fieldValues, type OcrPoolOptions, type PageResult } from '../../workers/src/ocr/index';
import { postCorrectLine, DEFAULT_POSTCORRECT, type PostCorrectOptions } from '../../workers/src/ocr/postcorrect';
import { nativeTesseractAvailable } from '../../workers/src/ocr/native-engine';

interface OursRun {
  engine: 'wasm' | 'native';
  ours: DocScore[];
  rawPages: Map<string, PageResult[]>;
  hyps: Record<string, string>;
  peakRss: number;
  seconds: number;
  cpu: number;
  summary: ReturnType<typeof summarise>;
}

let childCpuSeen = 0;
/**
 * CPU seconds of the child processes waited for since the last call (native Tesseract's page processes): cutime +
 * cstime of /proc/self/stat, in clock ticks (USER_HZ, 100 on Linux). 0 where /proc is missing.
 */
function childCpuSeconds(): number {
  let total: number;
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd (state) on
    total = (Number(f[13]) + Number(f[14])) / 100; // 16th and 17th fields: cutime, cstime
  } catch {
    return 0;
  }
  const d = total - childCpuSeen;
  childCpuSeen = total;
  return d;
}

const CORPUS = path.resolve(__dirname, '../../../shared/corpus/scans');

type Truth = {
  id: string;
  difficulty: 'clean' | 'typical' | 'hard';
  images: string[];
  pdf: string;
  truth: string;
  [k: string]: unknown;
};

type DocScore = { id: string; difficulty: string; pages: number; chars: number; edits: number; flexEdits: number; fieldsOk: Record<string, boolean>; misses: Record<string, { got: unknown; expected: unknown }> };

const FIELDS = ['organ', 'superiorOrgan', 'symbol', 'number', 'typeName', 'typeCode', 'excerpt', 'place', 'issuedDate', 'signer', 'signerTitle', 'urgency', 'recipients'] as const;
const URGENCY: Record<string, string> = { KHẨN: 'KHAN', 'THƯỢNG KHẨN': 'THUONG_KHAN', 'HỎA TỐC': 'HOA_TOC' };

/** Expected field values from the corpus JSON, in the API's conventions. */
function expected(j: Truth): Record<string, unknown> {
  return {
    organ: j.organ,
    superiorOrgan: j.superiorOrgan,
    symbol: j.symbol,
    number: j.number,
    typeName: j.typeName,
    // Decree 30: công văn has no type code (the corpus labels it "CV")
    typeCode: j.typeCode === 'CV' ? null : j.typeCode,
    excerpt: j.excerpt,
    place: j.place,
    issuedDate: j.issuedDate,
    signer: j.signer,
    signerTitle: j.signerTitle,
    urgency: j.urgency ? (URGENCY[j.urgency as string] ?? j.urgency) : null,
    recipients: j.recipients,
  };
}

const norm = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === 'string' ? x.normalize('NFC').replace(/\s+/g, ' ').trim() : x));

function scoreFields(got: Record<string, unknown>, j: Truth): Record<string, boolean> {
  const exp = expected(j);
  const out: Record<string, boolean> = {};
  for (const k of FIELDS) out[k] = norm(got[k] ?? null) === norm(exp[k] ?? null);
  return out;
}

function scoreDoc(id: string, j: Truth, hyp: string, fields: Record<string, unknown>): DocScore {
  const truth = fs.readFileSync(path.join(CORPUS, j.truth), 'utf8');
  const c = cer(hyp, truth);
  const f = flexCer(hyp, truth);
  const fieldsOk = scoreFields(fields, j);
  const exp = expected(j);
  const misses = Object.fromEntries(Object.entries(fieldsOk).filter(([, v]) => !v).map(([k]) => [k, { got: fields[k] ?? null, expected: exp[k] ?? null }]));
  return { id, difficulty: j.difficulty, pages: j.images.length, chars: c.chars, edits: c.edits, flexEdits: f.edits, fieldsOk, misses };
}

function summarise(name: string, docs: DocScore[], seconds: number) {
  const levels = ['clean', 'typical', 'hard', 'all'] as const;
  const rows: Record<string, { cer: number; flex: number; docs: number }> = {};
  for (const lv of levels) {
    const ds = lv === 'all' ? docs : docs.filter((d) => d.difficulty === lv);
    const chars = ds.reduce((s, d) => s + d.chars, 0);
    rows[lv] = { cer: chars ? ds.reduce((s, d) => s + d.edits, 0) / chars : NaN, flex: chars ? ds.reduce((s, d) => s + d.flexEdits, 0) / chars : NaN, docs: ds.length };
  }
  const fieldAcc: Record<string, number> = {};
  for (const k of FIELDS) fieldAcc[k] = docs.filter((d) => d.fieldsOk[k]).length / Math.max(1, docs.length);
  const allFields = docs.reduce((s, d) => s + Object.values(d.fieldsOk).filter(Boolean).length, 0) / Math.max(1, docs.length * FIELDS.length);
  const pages = docs.reduce((s, d) => s + d.pages, 0);
  return { name, rows, fieldAcc, allFields, pages, seconds, ppm: (pages / seconds) * 60 };
}

async function runNative(docs: Truth[], procs: number): Promise<{ texts: Map<string, string>; seconds: number; cpu: number } | null> {
  const ok = await new Promise<boolean>((res) => {
    const p = spawn('tesseract', ['--version']);
    p.on('error', () => res(false));
    p.on('exit', (c) => res(c === 0));
  });
  if (!ok) return null;
  const jobs = docs.flatMap((d) => d.images.map((img, i) => ({ id: d.id, i, img: path.join(CORPUS, img) })));
  const out = new Map<string, string[]>();
  let next = 0;
  let cpu = 0;
  const timeBin = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: procs }, async () => {
      while (next < jobs.length) {
        const j = jobs[next++];
        const text = await new Promise<string>((res, rej) => {
          // CPU time of each process via /usr/bin/time (load-independent, unlike wall clock)
          const cmd = ['tesseract', j.img, '-', '-l', 'vie', '--psm', '3'];
          const p = timeBin ? spawn(timeBin, ['-f', 'CPU %U %S', ...cmd], { env: { ...process.env, OMP_THREAD_LIMIT: '1' } }) : spawn(cmd[0], cmd.slice(1), { env: { ...process.env, OMP_THREAD_LIMIT: '1' } });
          let s = '';
          let err = '';
          p.stdout.on('data', (b) => (s += b));
          p.stderr.on('data', (b) => (err += b));
          p.on('error', rej);
          p.on('exit', () => {
            const m = err.match(/CPU ([\d.]+) ([\d.]+)/);
            if (m) cpu += Number(m[1]) + Number(m[2]);
            res(s);
          });
        });
        const arr = out.get(j.id) ?? [];
        arr[j.i] = text;
        out.set(j.id, arr);
      }
    }),
  );
  const seconds = (Date.now() - t0) / 1000;
  return { texts: new Map([...out].map(([k, v]) => [k, v.join('\n')])), seconds, cpu };
}

function pct(x: number) {
  return Number.isFinite(x) ? (x * 100).toFixed(2).padStart(6) + ' %' : '     —  ';
}

export async function run(args: string[]): Promise<void> {
  const arg = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const limit = Number(arg('--limit') ?? 0);
  const input = (arg('--input') ?? 'pdf') as 'pdf' | 'jpg';
  const cores = Math.max(1, os.availableParallelism());
  const concurrency = Number(arg('--concurrency') ?? process.env.OCR_CONCURRENCY ?? cores);
  const extra = JSON.parse(arg('--opts') ?? '{}') as OcrPoolOptions;
  const manifest = JSON.parse(fs.readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')) as { documents: Array<{ id: string }> };
  let docs: Truth[] = manifest.documents.map((d) => JSON.parse(fs.readFileSync(path.join(CORPUS, `${d.id}.json`), 'utf8')) as Truth);
  if (limit > 0) {
    // a subset that keeps the difficulty mix: round-robin over levels
    const by = ['clean', 'typical', 'hard'].map((lv) => docs.filter((d) => d.difficulty === lv));
    const pick: Truth[] = [];
    for (let i = 0; pick.length < Math.min(limit, docs.length); i++) for (const b of by) if (b[i] && pick.length < limit) pick.push(b[i]);
    docs = pick;
  }

  // --- native before and after ours (the machine may be shared: averaging both runs cancels drift)
  const withNative = !args.includes('--no-native');
  const nativeBefore = withNative ? await runNative(docs, cores) : null;

  // --- ours, with each engine asked for (default: tesseract.js, and native Tesseract where installed)
  const dataDir = process.env.CONGVAN_DATA_DIR ?? path.resolve(__dirname, '../../.data');
  const ablate = args.includes('--ablate');
  const engines = (arg('--engines') ?? (nativeTesseractAvailable(['vie']) ? 'wasm,native' : 'wasm')).split(',') as Array<'wasm' | 'native'>;
  const runs: OursRun[] = [];
  for (const engine of engines) runs.push(await runOurs(engine));
  async function runOurs(engine: 'wasm' | 'native'): Promise<OursRun> {
    if (engine === 'native') childCpuSeconds(); // from here on: this run's page processes only
    const pool = createOcrPool({ concurrency, dataDir, ...extra, engine, ...(ablate ? { keepRaw: true } : {}) });
    const rawPages = new Map<string, PageResult[]>();
    await pool.warm();
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
    const ours: DocScore[] = [];
    const hyps: Record<string, string> = {};
    const cpu0 = process.cpuUsage();
    const t0 = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < docs.length) {
          const d = docs[next++];
          let buf: Buffer;
          if (input === 'pdf') buf = fs.readFileSync(path.join(CORPUS, d.pdf));
          else buf = fs.readFileSync(path.join(CORPUS, d.images[0]));
          let text: string;
          let fields: Record<string, unknown>;
          if (input === 'pdf' || d.images.length === 1) {
            const r = await pool.digitise(buf, { fileName: d.pdf, searchablePdf: args.includes('--no-pdf') ? false : undefined });
            rawPages.set(d.id, r.pages);
            text = r.text;
            fields = fieldValues(r.fields);
          } else {
            const pages = await Promise.all(d.images.map((img, i) => pool.recognisePage(fs.readFileSync(path.join(CORPUS, img)), { index: i })));
            const a = await pool.assemble(pages, { searchablePdf: false });
            text = a.text;
            fields = fieldValues(a.fields);
          }
          hyps[d.id] = text;
          ours.push(scoreDoc(d.id, d, text, fields));
        }
      }),
    );
    const seconds = (Date.now() - t0) / 1000;
    const cpuD = process.cpuUsage(cpu0);
    clearInterval(sampler);
    await pool.close();
    // CPU: the whole process (main thread + tesseract.js worker threads); native Tesseract runs in child
    // processes, whose CPU time the OS reports once they have been waited for.
    const children = engine === 'native' ? childCpuSeconds() : 0;
    return { engine, ours, rawPages, hyps, peakRss, seconds, cpu: (cpuD.user + cpuD.system) / 1e6 + children, summary: summarise(`ours (${engine === 'native' ? 'native Tesseract' : 'tesseract.js'})`, ours, seconds) };
  }
  const first = runs[0];
  const { ours, rawPages, hyps, peakRss } = first;
  const oursCpu = first.cpu;
  const A = first.summary;

  // --- post-correction ablation: every step off in turn, and all off, on the same OCR output
  const ablation: string[] = [];
  if (ablate) {
    const variants: Array<[string, PostCorrectOptions]> = [
      ['all steps (default)', DEFAULT_POSTCORRECT],
      ['none', Object.fromEntries(Object.keys(DEFAULT_POSTCORRECT).map((k) => [k, false])) as unknown as PostCorrectOptions],
      ...(Object.keys(DEFAULT_POSTCORRECT) as Array<keyof PostCorrectOptions>).map(
        (k) => [`${DEFAULT_POSTCORRECT[k] ? 'without' : 'with'} ${k}`, { ...DEFAULT_POSTCORRECT, [k]: !DEFAULT_POSTCORRECT[k] }] as [string, PostCorrectOptions],
      ),
    ];
    for (const [name, opts] of variants) {
      const scores = docs.map((d) => {
        const pages = (rawPages.get(d.id) ?? []).map((p) => ({
          lines: (p.raw ?? []).map((seg) => {
            const ws = postCorrectLine(seg.words, opts);
            return { text: ws.map((w) => w.text).join(' '), col: seg.col, words: ws };
          }),
        }));
        const text = pages.map((p) => p.lines.map((l) => l.text).join('\n')).join('\n');
        return scoreDoc(d.id, d, text, fieldValues(extractFields(pages)));
      });
      const sm = summarise(name, scores, 1);
      ablation.push(`  ${name.padEnd(24)} CER clean ${pct(sm.rows.clean.cer)} typical ${pct(sm.rows.typical.cer)} hard ${pct(sm.rows.hard.cer)} all ${pct(sm.rows.all.cer)}  fields ${pct(sm.allFields)}`);
    }
  }

  // --- native
  let B: ReturnType<typeof summarise> | null = null;
  let nativeDocs: DocScore[] = [];
  let nativeRuns: number[] = [];
  let nativeCpu = 0;
  if (withNative && nativeBefore) {
    const after = await runNative(docs, cores);
    const seconds = (nativeBefore.seconds + (after?.seconds ?? nativeBefore.seconds)) / 2;
    nativeDocs = docs.map((d) => {
      const text = nativeBefore.texts.get(d.id) ?? '';
      return scoreDoc(d.id, d, text, fieldValues(extractFieldsFromText(text)));
    });
    B = summarise(`native tesseract --psm 3 ×${cores}`, nativeDocs, seconds);
    nativeRuns = [nativeBefore.seconds, after?.seconds ?? NaN];
    nativeCpu = (nativeBefore.cpu + (after?.cpu ?? nativeBefore.cpu)) / 2;
  }

  // --- report
  const lines: string[] = [];
  lines.push(`OCR benchmark — ${docs.length} documents, ${A.pages} pages, input ${input}, ${cores} cores, pool ${concurrency}`);
  lines.push('');
  lines.push('CER (pooled; strict | order-forgiving flexCER)');
  lines.push(`  level     ${'ours'.padEnd(22)}${B ? 'native'.padEnd(22) + 'ours/native (strict)' : ''}`);
  for (const lv of ['clean', 'typical', 'hard', 'all']) {
    const a = A.rows[lv];
    const b = B?.rows[lv];
    lines.push(`  ${lv.padEnd(8)}  ${pct(a.cer)} | ${pct(a.flex)}  ${b ? `${pct(b.cer)} | ${pct(b.flex)}  ${(a.cer / b.cer).toFixed(2)}×` : ''}`);
  }
  lines.push('');
  lines.push('Fields right (exact after NFC/whitespace)');
  for (const k of FIELDS) lines.push(`  ${k.padEnd(14)} ${pct(A.fieldAcc[k])}${B ? `   native+our extractor ${pct(B.fieldAcc[k])}` : ''}`);
  lines.push(`  ${'ALL'.padEnd(14)} ${pct(A.allFields)}${B ? `   native+our extractor ${pct(B.allFields)}` : ''}`);
  lines.push('');
  lines.push(
    `Throughput: ours ${A.ppm.toFixed(1)} pages/min (${A.seconds.toFixed(1)} s)${B ? `, native ${B.ppm.toFixed(1)} pages/min (mean of runs before/after: ${nativeRuns.map((s) => s.toFixed(1) + ' s').join(', ')}), ratio ${(A.ppm / B.ppm).toFixed(2)}×` : ''}`,
  );
  lines.push(
    `CPU time per page: ours ${(oursCpu / A.pages).toFixed(2)} s${nativeCpu ? `, native ${(nativeCpu / A.pages).toFixed(2)} s → CPU-bound throughput ratio ${(nativeCpu / oursCpu).toFixed(2)}× (what the wall-clock ratio is on an idle machine)` : ''}`,
  );
  lines.push(`Load average at the end: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (other processes on this machine distort throughput)`);
  lines.push(`Peak RSS (whole process, ${concurrency} OCR workers): ${(peakRss / 1e6).toFixed(0)} MB ≈ ${(peakRss / 1e6 / concurrency).toFixed(0)} MB per worker`);
  for (const r of runs.slice(1)) {
    const S = r.summary;
    lines.push('');
    lines.push(`${S.name ?? r.engine}, the same documents:`);
    for (const lv of ['clean', 'typical', 'hard', 'all']) {
      const a = S.rows[lv];
      const b = B?.rows[lv];
      lines.push(`  ${lv.padEnd(8)}  ${pct(a.cer)} | ${pct(a.flex)}  ${b ? `flexCER ratio to native ${(a.flex / b.flex).toFixed(2)}×, strict ${(a.cer / b.cer).toFixed(2)}×` : ''}`);
    }
    lines.push(`  fields right ${pct(S.allFields)}`);
    lines.push(`  throughput ${S.ppm.toFixed(1)} pages/min (${S.seconds.toFixed(1)} s)${B ? `, ratio to native ${(S.ppm / B.ppm).toFixed(2)}×` : ''}; CPU per page ${(r.cpu / S.pages).toFixed(2)} s${nativeCpu ? ` (native ${(nativeCpu / S.pages).toFixed(2)} s → ${(nativeCpu / r.cpu).toFixed(2)}×)` : ''}`);
    lines.push(`  peak RSS ${(r.peakRss / 1e6).toFixed(0)} MB`);
  }
  if (args.includes('--verbose'))
    for (const d of ours) for (const [k, v] of Object.entries(d.misses)) lines.push(`  ${d.id} ${k}: got ${JSON.stringify(v.got)} expected ${JSON.stringify(v.expected)}`);
  if (ablation.length) lines.push('', 'Post-correction steps (same OCR output):', ...ablation);
  const bad = ours.filter((d) => Object.values(d.fieldsOk).some((v) => !v));
  if (bad.length) {
    lines.push('');
    lines.push('Field misses: ' + bad.map((d) => `${d.id}:${Object.entries(d.fieldsOk).filter(([, v]) => !v).map(([k]) => k).join(',')}`).join('  '));
  }
  lines.push('Per document CER (ours / native): ' + ours.map((d) => {
    const n = nativeDocs.find((x) => x.id === d.id);
    return `${d.id}(${d.difficulty[0]}) ${((d.edits / d.chars) * 100).toFixed(1)}${n ? '/' + ((n.edits / n.chars) * 100).toFixed(1) : ''}`;
  }).join('  '));
  process.stdout.write(lines.join('\n') + '\n');
  const out = arg('--out');
  if (out) fs.writeFileSync(out, JSON.stringify({ ours: A, native: B, oursDocs: ours, nativeDocs, peakRss, hyps }, null, 2));
}

if (require.main === module) {
  run(process.argv.slice(2)).catch((e) => {
    process.stderr.write(String(e?.stack ?? e) + '\n');
    process.exit(1);
  });
}
