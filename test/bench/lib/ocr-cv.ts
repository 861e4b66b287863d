/**
 * Cross-validation for the OCR benchmark (issue 14): documents are split into k folds (stratified by difficulty);
 * everything learnt — the syllable language model's statistics from born-digital text (here the training
 * documents' ground truth stands for the deployment's own issued documents), the diacritic-confusion costs (from
 * the engine's own output on the training documents, aligned with their truth) and the directory of agencies and
 * people — comes from the other folds, and is scored on the held-out fold only.
 */
import { cer, extractFields, flexCer, normForCer } from '../../../workers/src/ocr/index';
import { postCorrectLine, knownSyllables, DEFAULT_POSTCORRECT } from '../../../workers/src/ocr/postcorrect';
import { alignedPairs, buildLm, learnConfusions, lmCorrectLine, type LmCorrector } from '../../../workers/src/ocr/lm';
import type { Directory } from '../../../workers/src/ocr/fields';
import type { OcrWord } from '../../../workers/src/ocr/engine';
import { restoreListDashes, type Segment } from '../../../workers/src/ocr/layout';

export type CvDoc = {
  id: string;
  difficulty: 'clean' | 'typical' | 'hard';
  pages: number;
  truth: string;
  meta: Record<string, unknown>;
  /** reading-order segments before post-correction, per page */
  raw: Array<Array<{ col: Segment['col']; words: OcrWord[] }>>;
};

export type Scored = { id: string; difficulty: string; pages: number; chars: number; edits: number; flexEdits: number; fieldsOk: Record<string, boolean>; misses: Record<string, { got: unknown; expected: unknown }> };

export const FIELDS = ['organ', 'superiorOrgan', 'symbol', 'number', 'typeName', 'typeCode', 'excerpt', 'place', 'issuedDate', 'signer', 'signerTitle', 'urgency', 'recipients'] as const;
/** The issue's six: số ký hiệu, ngày, cơ quan ban hành, loại, trích yếu, người ký. */
export const ISSUE_FIELDS = ['symbol', 'issuedDate', 'organ', 'typeName', 'excerpt', 'signer'] as const;
const URGENCY: Record<string, string> = { KHẨN: 'KHAN', 'THƯỢNG KHẨN': 'THUONG_KHAN', 'HỎA TỐC': 'HOA_TOC' };

/** Expected field values from the corpus JSON, in the API's conventions. */
export function expected(j: Record<string, unknown>): Record<string, unknown> {
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

export function scoreDoc(d: { id: string; difficulty: string; pages: number; truth: string; meta: Record<string, unknown> }, hyp: string, fields: Record<string, unknown>): Scored {
  const c = cer(hyp, d.truth);
  const f = flexCer(hyp, d.truth);
  const exp = expected(d.meta);
  const fieldsOk: Record<string, boolean> = {};
  for (const k of FIELDS) fieldsOk[k] = norm(fields[k] ?? null) === norm(exp[k] ?? null);
  const misses = Object.fromEntries(Object.entries(fieldsOk).filter(([, v]) => !v).map(([k]) => [k, { got: fields[k] ?? null, expected: exp[k] ?? null }]));
  return { id: d.id, difficulty: d.difficulty, pages: d.pages, chars: c.chars, edits: c.edits, flexEdits: f.edits, fieldsOk, misses };
}

export type Summary = {
  rows: Record<'clean' | 'typical' | 'hard' | 'all', { cer: number; flex: number; docs: number }>;
  fieldAcc: Record<string, number>;
  issueFields: number;
  allFields: number;
};

export function summarise(docs: Scored[]): Summary {
  const rows = {} as Summary['rows'];
  for (const lv of ['clean', 'typical', 'hard', 'all'] as const) {
    const ds = lv === 'all' ? docs : docs.filter((d) => d.difficulty === lv);
    const chars = ds.reduce((s, d) => s + d.chars, 0);
    rows[lv] = { cer: chars ? ds.reduce((s, d) => s + d.edits, 0) / chars : NaN, flex: chars ? ds.reduce((s, d) => s + d.flexEdits, 0) / chars : NaN, docs: ds.length };
  }
  const fieldAcc: Record<string, number> = {};
  for (const k of FIELDS) fieldAcc[k] = docs.filter((d) => d.fieldsOk[k]).length / Math.max(1, docs.length);
  const share = (ks: readonly string[]) => docs.reduce((s, d) => s + ks.filter((k) => d.fieldsOk[k]).length, 0) / Math.max(1, docs.length * ks.length);
  return { rows, fieldAcc, issueFields: share(ISSUE_FIELDS), allFields: share(FIELDS) };
}

/** Fold of each document: round-robin within each difficulty, so every fold has the mix. */
export function foldsOf(docs: Array<{ id: string; difficulty: string }>, k: number): Map<string, number> {
  const out = new Map<string, number>();
  const seen: Record<string, number> = {};
  for (const d of docs) {
    const n = (seen[d.difficulty] = (seen[d.difficulty] ?? -1) + 1);
    out.set(d.id, (n + ['clean', 'typical', 'hard'].indexOf(d.difficulty)) % k);
  }
  return out;
}

export type Variant = 'rules' | 'rules+lm';

/** Text and fields of a document's raw OCR with the rule steps, optionally the LM, and optionally a directory. */
export function correctDoc(d: CvDoc, lm: LmCorrector | null, directory?: Directory): { text: string; fields: Record<string, unknown> } {
  const pages = d.raw.map((segs) => ({
    lines: restoreListDashes(segs).map((seg) => {
      const r = postCorrectLine(seg.words, DEFAULT_POSTCORRECT);
      const ws = lm ? lmCorrectLine(r, lm) : r;
      return { text: ws.map((w) => w.text).join(' '), col: seg.col, words: ws };
    }),
  }));
  const text = pages.map((p) => p.lines.map((l) => l.text).join('\n')).join('\n');
  const f = extractFields(pages, directory);
  return { text, fields: Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v.value])) };
}

/** Lines and sentences (split after . and ;) of a text, normalised; short ones (≤ 15 characters) left out. */
export function sentencesOf(text: string): string[] {
  return [...new Set(text.split(/\n|(?<=[.;])\s+/).map(normForCer).filter((x) => x.length > 15))];
}

/** `text` without its lines/sentences that are in `drop`. */
function withoutSentences(text: string, drop: Set<string>): string {
  return text
    .split('\n')
    .map((line) => (drop.has(normForCer(line)) ? '' : line.split(/(?<=[.;])\s+/).filter((x) => !drop.has(normForCer(x))).join(' ')))
    .join('\n');
}

/**
 * What is learnt from the training documents of one fold. With `unseen`, the language model's text leaves out every
 * sentence of those (test) documents, so that the figure predicts text the deployment never issued (the corpus
 * reuses body sentences across documents); sentences printed in at least half of all documents (the national motto)
 * stay, as every deployment's own documents have them.
 */
export function learn(train: CvDoc[], unseen?: { test: CvDoc[]; all: CvDoc[] }): { lm: LmCorrector; directory: Directory } {
  let texts = train.map((d) => d.truth);
  if (unseen) {
    const inDocs = new Map<string, number>();
    for (const d of unseen.all) for (const x of sentencesOf(d.truth)) inDocs.set(x, (inDocs.get(x) ?? 0) + 1);
    const drop = new Set(unseen.test.flatMap((d) => sentencesOf(d.truth)).filter((x) => (inDocs.get(x) ?? 0) < unseen.all.length / 2));
    texts = texts.map((t) => withoutSentences(t, drop));
  }
  const lm = buildLm(texts, knownSyllables());
  const pairs = train.flatMap((d) => alignedPairs(d.raw.flat().flatMap((seg) => postCorrectLine(seg.words, DEFAULT_POSTCORRECT)), d.truth));
  const costs = learnConfusions(pairs);
  const str = (x: unknown) => (typeof x === 'string' && x ? [x] : []);
  const directory: Directory = {
    agencies: [...new Set(train.flatMap((d) => [...str(d.meta.organ), ...str(d.meta.superiorOrgan)]))],
    people: [...new Set(train.flatMap((d) => str(d.meta.signer)))],
  };
  return { lm: { lm, costs }, directory };
}

export type CvResult = {
  /** rule steps only, no directory (nothing learnt: the pipeline's default output) */
  rules: Scored[];
  /** + the language model learnt on the training folds */
  lm: Scored[];
  /** rule steps + directory of the training folds */
  rulesDir: Scored[];
  /** + LM + directory */
  lmDir: Scored[];
  /** + the LM learnt without any sentence of the test documents (`learn`'s `unseen`), + directory */
  lmUnseen: Scored[];
};

export function crossValidate(docs: CvDoc[], k: number): CvResult {
  const folds = foldsOf(docs, k);
  const res: CvResult = { rules: [], lm: [], rulesDir: [], lmDir: [], lmUnseen: [] };
  for (let f = 0; f < k; f++) {
    const test = docs.filter((d) => folds.get(d.id) === f);
    if (!test.length) continue;
    const train = docs.filter((d) => folds.get(d.id) !== f);
    const { lm, directory } = learn(train);
    const unseenLm = learn(train, { test, all: docs }).lm;
    for (const d of test) {
      const a = correctDoc(d, null);
      const b = correctDoc(d, lm);
      res.rules.push(scoreDoc(d, a.text, a.fields));
      res.lm.push(scoreDoc(d, b.text, b.fields));
      res.rulesDir.push(scoreDoc(d, a.text, correctDoc(d, null, directory).fields));
      res.lmDir.push(scoreDoc(d, b.text, correctDoc(d, lm, directory).fields));
      const u = correctDoc(d, unseenLm, directory);
      res.lmUnseen.push(scoreDoc(d, u.text, u.fields));
    }
  }
  const order = new Map(docs.map((d, i) => [d.id, i]));
  for (const v of Object.values(res) as Scored[][]) v.sort((x, y) => order.get(x.id)! - order.get(y.id)!);
  return res;
}

/** Kinds of character error, as `classifyErrors` counts them. */
export type ErrorClass = 'diacritic' | 'case' | 'letter' | 'digit' | 'punctuation' | 'space' | 'lostRun' | 'leftover';

const baseOf = (c: string) => c.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();

/**
 * The edits of `flexCer` (same alignment: truth lines longest first, each against its best substring of what is
 * left), each put in a class: a mark wrong on the right letter (diacritic), upper/lower case, another letter, a
 * digit, punctuation, a space added or lost (segmentation), a run of ≥ 4 truth characters lost together (lostRun:
 * lines or words missing), and output left over (leftover: junk, duplicated lines). With `examples`, the
 * truth/output snippets around the first edits of each class.
 */
export function classifyErrors(
  hyp: string,
  truth: string,
  examples = 0,
): { counts: Record<ErrorClass, number>; examples: Partial<Record<ErrorClass, string[]>>; pairs: Map<string, number> } {
  const pairs = new Map<string, number>();
  const counts: Record<ErrorClass, number> = { diacritic: 0, case: 0, letter: 0, digit: 0, punctuation: 0, space: 0, lostRun: 0, leftover: 0 };
  const ex: Partial<Record<ErrorClass, string[]>> = {};
  const note = (k: ErrorClass, s: string, n = 1) => {
    counts[k] += n;
    if (examples && (ex[k] ??= []).length < examples) ex[k]!.push(s);
  };
  const N = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();
  const lines = truth.split('\n').map(N).filter(Boolean).sort((a, b) => b.length - a.length);
  let rest = Array.from(N(hyp));
  for (const line of lines) {
    const L = Array.from(line);
    const n = rest.length;
    const m = L.length;
    const D = new Array<Int32Array>(m + 1);
    D[0] = new Int32Array(n + 1); // free start
    for (let i = 1; i <= m; i++) {
      const cur = (D[i] = new Int32Array(n + 1));
      const prev = D[i - 1];
      cur[0] = i;
      for (let j = 1; j <= n; j++) cur[j] = Math.min(prev[j - 1] + (L[i - 1] === rest[j - 1] ? 0 : 1), prev[j] + 1, cur[j - 1] + 1);
    }
    let bestJ = 0;
    for (let j = 1; j <= n; j++) if (D[m][j] < D[m][bestJ]) bestJ = j;
    // backtrace
    const ops: Array<{ t?: string; o?: string; i: number }> = [];
    let i = m;
    let j = bestJ;
    while (i > 0) {
      if (j > 0 && D[i][j] === D[i - 1][j - 1] + (L[i - 1] === rest[j - 1] ? 0 : 1)) {
        if (L[i - 1] !== rest[j - 1]) ops.push({ t: L[i - 1], o: rest[j - 1], i: i - 1 });
        i--;
        j--;
      } else if (D[i][j] === D[i - 1][j] + 1) {
        ops.push({ t: L[i - 1], i: i - 1 });
        i--;
      } else {
        ops.push({ o: rest[j - 1], i });
        j--;
      }
    }
    const start = j;
    ops.reverse();
    const ctx = (k: number) => `«${L.slice(Math.max(0, k - 12), k + 12).join('')}» → «${rest.slice(start + Math.max(0, k - 12), start + k + 12).join('')}»`;
    // runs of deletions
    for (let a = 0; a < ops.length; ) {
      let b = a;
      while (b < ops.length && ops[b].o === undefined && ops[b].i === ops[a].i + (b - a)) b++;
      if (b - a >= 4) {
        note('lostRun', ctx(ops[a].i), b - a);
        a = b;
        continue;
      }
      const op = ops[a++];
      const c = op.t ?? op.o ?? '';
      const pk = `${op.t ?? '∅'}→${op.o ?? '∅'}`;
      pairs.set(pk, (pairs.get(pk) ?? 0) + 1);
      if (op.t !== undefined && op.o !== undefined && baseOf(op.t) === baseOf(op.o) && /\p{L}/u.test(op.t)) {
        if (op.t.toLowerCase() === op.o.toLowerCase()) note('case', ctx(op.i));
        else note('diacritic', ctx(op.i));
      } else if (/\s/.test(c) || (op.t !== undefined && op.o !== undefined && (/\s/.test(op.t) || /\s/.test(op.o)))) note('space', ctx(op.i));
      else if (/\p{N}/u.test(c) || /\p{N}/u.test(op.o ?? '')) note('digit', ctx(op.i));
      else if (/\p{L}/u.test(c) && (op.o === undefined || /\p{L}/u.test(op.o))) note('letter', ctx(op.i));
      else note('punctuation', ctx(op.i));
    }
    rest = rest.slice(0, start).concat([' '], rest.slice(bestJ));
  }
  const left = rest.join('').replace(/\s+/g, ' ').trim();
  const k = left.replace(/\s/g, '').length;
  if (k) note('leftover', left.slice(0, 80), k);
  return { counts, examples: ex, pairs };
}
