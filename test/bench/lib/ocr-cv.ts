/**
 * Cross-validation for the OCR benchmark (issue 14): documents are split into k folds (stratified by difficulty);
 * everything learnt — the syllable language model's statistics from born-digital text (here the training
 * documents' ground truth stands for the deployment's own issued documents), the diacritic-confusion costs (from
 * the engine's own output on the training documents, aligned with their truth) and the directory of agencies and
 * people — comes from the other folds, and is scored on the held-out fold only.
 */
import { cer, extractFields, flexCer } from '../../../workers/src/ocr/index';
import { postCorrectLine, knownSyllables, DEFAULT_POSTCORRECT } from '../../../workers/src/ocr/postcorrect';
import { alignedPairs, buildLm, learnConfusions, lmCorrectLine, type LmCorrector } from '../../../workers/src/ocr/lm';
import type { Directory } from '../../../workers/src/ocr/fields';
import type { OcrWord } from '../../../workers/src/ocr/engine';
import type { Segment } from '../../../workers/src/ocr/layout';

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
    lines: segs.map((seg) => {
      const r = postCorrectLine(seg.words, DEFAULT_POSTCORRECT);
      const ws = lm ? lmCorrectLine(r, lm) : r;
      return { text: ws.map((w) => w.text).join(' '), col: seg.col, words: ws };
    }),
  }));
  const text = pages.map((p) => p.lines.map((l) => l.text).join('\n')).join('\n');
  const f = extractFields(pages, directory);
  return { text, fields: Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v.value])) };
}

/** What is learnt from the training documents of one fold. */
export function learn(train: CvDoc[]): { lm: LmCorrector; directory: Directory } {
  const lm = buildLm(
    train.map((d) => d.truth),
    knownSyllables(),
  );
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
};

export function crossValidate(docs: CvDoc[], k: number): CvResult {
  const folds = foldsOf(docs, k);
  const res: CvResult = { rules: [], lm: [], rulesDir: [], lmDir: [] };
  for (let f = 0; f < k; f++) {
    const test = docs.filter((d) => folds.get(d.id) === f);
    if (!test.length) continue;
    const { lm, directory } = learn(docs.filter((d) => folds.get(d.id) !== f));
    for (const d of test) {
      const a = correctDoc(d, null);
      const b = correctDoc(d, lm);
      res.rules.push(scoreDoc(d, a.text, a.fields));
      res.lm.push(scoreDoc(d, b.text, b.fields));
      res.rulesDir.push(scoreDoc(d, a.text, correctDoc(d, null, directory).fields));
      res.lmDir.push(scoreDoc(d, b.text, correctDoc(d, lm, directory).fields));
    }
  }
  const order = new Map(docs.map((d, i) => [d.id, i]));
  for (const v of Object.values(res) as Scored[][]) v.sort((x, y) => order.get(x.id)! - order.get(y.id)!);
  return res;
}
