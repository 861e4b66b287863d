/**
 * Vietnamese language-model post-correction (issue 14): syllable and syllable-bigram statistics from born-digital
 * Vietnamese text (a word list, and in production the deployment's own issued documents and register entries),
 * and diacritic-confusion costs learnt from OCR output aligned with its truth. Pure functions, no I/O.
 *
 * A word is only ever replaced by a word with the same letters once every diacritic is removed ("tứ" ↔ "tử",
 * "dến" ↔ "đến"): the marks are what OCR gets wrong on Vietnamese print, the base letters it mostly gets right.
 * Among those candidates the one with the best
 *     log P(word | previous) + log P(next | word) − cost(OCR word → word)
 * wins, where cost comes from how often each kind of mark (tone, vowel hat/horn/breve, đ) was misread in the
 * training data. No rule names a string: everything comes from the statistics given.
 */
import { foldVietnamese, stripTone, toneOf } from '../../../server/src/shared/vntext';

export type SyllableLm = {
  uni: Map<string, number>;
  bi: Map<string, number>;
  /** bigram count of each left syllable (for the conditional) */
  left: Map<string, number>;
  total: number;
  /** skeleton (no diacritics) → syllables of the vocabulary with that skeleton */
  bySkeleton: Map<string, string[]>;
};

/** Per kind of mark and confidence band: the probability that OCR got that kind of mark wrong. */
export type ConfusionCosts = {
  /** upper bounds of the word-confidence bands (the last band is open) */
  bands: number[];
  tone: number[];
  vowel: number[];
  d: number[];
};

const SYL = /\p{L}+/gu;

/** Lower-case NFC syllables (letter runs) of `s`, with null between phrases (punctuation, digits, line ends). */
export function syllables(s: string): Array<string | null> {
  const out: Array<string | null> = [];
  for (const chunk of s.normalize('NFC').toLowerCase().split(/[^\p{L}\s]+|\n/u)) {
    const ws = chunk.match(SYL) ?? [];
    if (ws.length) {
      out.push(...ws);
      out.push(null);
    }
  }
  return out;
}

export const skeleton = (w: string) => foldVietnamese(w).toLowerCase();

/**
 * Counts from born-digital `texts` (unigrams and bigrams within phrases) plus `wordList` (each syllable counted
 * once, so that a valid but unseen syllable is not treated as unknown).
 */
export function buildLm(texts: Iterable<string>, wordList: Iterable<string> = []): SyllableLm {
  const uni = new Map<string, number>();
  const bi = new Map<string, number>();
  const left = new Map<string, number>();
  let total = 0;
  const add = (w: string, n = 1) => {
    uni.set(w, (uni.get(w) ?? 0) + n);
    total += n;
  };
  for (const w of wordList) {
    const lw = w.normalize('NFC').toLowerCase();
    if (/^\p{L}+$/u.test(lw)) add(lw);
  }
  for (const t of texts) {
    const ss = syllables(t);
    for (let i = 0; i < ss.length; i++) {
      const w = ss[i];
      if (!w) continue;
      add(w);
      const n = ss[i + 1];
      if (n) {
        const k = `${w} ${n}`;
        bi.set(k, (bi.get(k) ?? 0) + 1);
        left.set(w, (left.get(w) ?? 0) + 1);
      }
    }
  }
  const bySkeleton = new Map<string, string[]>();
  for (const w of uni.keys()) {
    const k = skeleton(w);
    const a = bySkeleton.get(k);
    if (a) a.push(w);
    else bySkeleton.set(k, [w]);
  }
  return { uni, bi, left, total, bySkeleton };
}

/** log P(w), add-one smoothed over the vocabulary (+1 for unknown words). */
function logUni(lm: SyllableLm, w: string): number {
  return Math.log(((lm.uni.get(w) ?? 0) + 0.5) / (lm.total + 0.5 * (lm.uni.size + 1)));
}

/** log P(w | prev): interpolated bigram (λ grows with how often `prev` was seen on the left). */
function logBi(lm: SyllableLm, prev: string | null, w: string): number {
  const pu = Math.exp(logUni(lm, w));
  if (!prev) return Math.log(pu);
  const c = lm.left.get(prev) ?? 0;
  if (!c) return Math.log(pu);
  const lambda = c / (c + 3);
  return Math.log(lambda * ((lm.bi.get(`${prev} ${w}`) ?? 0) / c) + (1 - lambda) * pu);
}

/** Which kinds of mark differ between two syllables of the same skeleton. */
export function markDiff(a: string, b: string): { tone: boolean; vowel: boolean; d: boolean } {
  const ta = stripTone(a);
  const tb = stripTone(b);
  const dA = ta.replace(/đ/g, 'd');
  const dB = tb.replace(/đ/g, 'd');
  return { tone: toneOf(a) !== toneOf(b), vowel: dA !== dB, d: ta.replace(/[^dđ]/g, '') !== tb.replace(/[^dđ]/g, '') };
}

const band = (c: ConfusionCosts, conf: number) => {
  const i = c.bands.findIndex((b) => conf < b);
  return i < 0 ? c.bands.length : i;
};

/** −log P(OCR read `ocr` | the word is `cand`), from the learnt per-kind error rates. */
function channelCost(c: ConfusionCosts, ocr: string, cand: string, conf: number): number {
  const b = band(c, conf);
  const d = markDiff(ocr, cand);
  const term = (p: number, differs: boolean) => -Math.log(differs ? p : 1 - p);
  return term(c.tone[b], d.tone) + term(c.vowel[b], d.vowel) + term(c.d[b], d.d);
}

/** Costs before any learning: marks are rarely wrong (a weak prior; `learnConfusions` replaces it). */
export const PRIOR_COSTS: ConfusionCosts = { bands: [60, 85], tone: [0.1, 0.03, 0.01], vowel: [0.08, 0.02, 0.005], d: [0.08, 0.02, 0.005] };

/**
 * Error rates per kind of mark and confidence band, from OCR words aligned with the truth (same skeleton),
 * with add-one smoothing towards the prior.
 */
export function learnConfusions(pairs: Iterable<{ ocr: string; truth: string; confidence: number }>, bands = PRIOR_COSTS.bands): ConfusionCosts {
  const n = bands.length + 1;
  const cnt = { tone: new Array<number>(n).fill(0), vowel: new Array<number>(n).fill(0), d: new Array<number>(n).fill(0) };
  const tot = new Array<number>(n).fill(0);
  const withD = new Array<number>(n).fill(0);
  const c0: ConfusionCosts = { ...PRIOR_COSTS, bands };
  for (const p of pairs) {
    const o = p.ocr.normalize('NFC').toLowerCase();
    const t = p.truth.normalize('NFC').toLowerCase();
    if (skeleton(o) !== skeleton(t)) continue;
    const b = band(c0, p.confidence);
    const d = markDiff(o, t);
    tot[b]++;
    if (d.tone) cnt.tone[b]++;
    if (d.vowel) cnt.vowel[b]++;
    if (/[dđ]/.test(t)) {
      withD[b]++;
      if (d.d) cnt.d[b]++;
    }
  }
  const rate = (k: number, m: number, prior: number) => Math.min(0.5, (k + prior * 20) / (m + 20));
  return {
    bands,
    tone: cnt.tone.map((k, i) => rate(k, tot[i], PRIOR_COSTS.tone[Math.min(i, PRIOR_COSTS.tone.length - 1)])),
    vowel: cnt.vowel.map((k, i) => rate(k, tot[i], PRIOR_COSTS.vowel[Math.min(i, PRIOR_COSTS.vowel.length - 1)])),
    d: cnt.d.map((k, i) => rate(k, withD[i], PRIOR_COSTS.d[Math.min(i, PRIOR_COSTS.d.length - 1)])),
  };
}

/** Keeps the upper/lower-case pattern of `model` on `word`. */
function withCase(word: string, model: string): string {
  if (model === model.toUpperCase() && model !== model.toLowerCase()) return word.toUpperCase();
  if (model[0] === model[0].toUpperCase() && model[0] !== model[0].toLowerCase()) return word[0].toUpperCase() + word.slice(1);
  return word;
}

export type LmCorrector = { lm: SyllableLm; costs: ConfusionCosts };

/**
 * Corrects the letter core of each word of one line (punctuation, digits and mixed tokens untouched) with the
 * language model; `confidence` is the OCR word confidence (0..100). Two passes so that a corrected neighbour
 * informs its neighbours.
 */
export function lmCorrectLine<W extends { text: string; confidence: number }>(words: W[], c: LmCorrector): W[] {
  const parts = words.map((w) => {
    const m = w.text.normalize('NFC').match(/^([^\p{L}\p{N}]*)(\p{L}+)([^\p{L}\p{N}]*)$/u);
    return m ? { pre: m[1], core: m[2], post: m[3] } : null;
  });
  const cur = parts.map((p) => (p ? p.core.toLowerCase() : null));
  // a phrase ends at punctuation between words
  const breakAfter = parts.map((p, i) => !p || !!p.post.trim() || !parts[i + 1] || !!parts[i + 1]!.pre.trim());
  for (let pass = 0; pass < 2; pass++)
    for (let i = 0; i < words.length; i++) {
      const p = parts[i];
      if (!p) continue;
      const ocr = p.core.toLowerCase();
      const cands = c.lm.bySkeleton.get(skeleton(ocr));
      if (!cands || (cands.length === 1 && cands[0] === ocr)) continue;
      const prev = i > 0 && !breakAfter[i - 1] ? cur[i - 1] : null;
      const next = !breakAfter[i] ? cur[i + 1] : null;
      const score = (w: string) => logBi(c.lm, prev, w) + (next ? logBi(c.lm, w, next) : 0) - channelCost(c.costs, ocr, w, words[i].confidence);
      let best = ocr;
      let bestScore = score(ocr);
      for (const w of cands) {
        if (w === ocr) continue;
        const s = score(w);
        if (s > bestScore) {
          best = w;
          bestScore = s;
        }
      }
      cur[i] = best;
    }
  return words.map((w, i) => {
    const p = parts[i];
    if (!p || cur[i] === p.core.toLowerCase()) return w;
    return { ...w, text: p.pre + withCase(cur[i]!, p.core) + p.post };
  });
}

/**
 * Pairs (OCR word, truth word) of the same skeleton from an OCR text and its truth: the syllable sequences are
 * aligned on their skeletons (longest common subsequence), so that a misread mark still pairs up.
 */
export function alignedPairs(ocr: Array<{ text: string; confidence: number }>, truth: string): Array<{ ocr: string; truth: string; confidence: number }> {
  const o: Array<{ w: string; conf: number }> = [];
  for (const w of ocr) for (const s of w.text.normalize('NFC').toLowerCase().match(SYL) ?? []) o.push({ w: s, conf: w.confidence });
  const t = syllables(truth).filter((x): x is string => !!x);
  const os = o.map((x) => skeleton(x.w));
  const ts = t.map(skeleton);
  const n = os.length;
  const m = ts.length;
  // LCS with a band-free DP on Uint16 rows (documents are a few thousand syllables)
  const dp = new Array<Uint16Array>(n + 1);
  for (let i = 0; i <= n; i++) dp[i] = new Uint16Array(m + 1);
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) dp[i][j] = os[i] === ts[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  const out: Array<{ ocr: string; truth: string; confidence: number }> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (os[i] === ts[j]) {
      out.push({ ocr: o[i].w, truth: t[j], confidence: o[i].conf });
      i++;
      j++;
    } else if (dp[i + 1][j] >= dp[i][j + 1]) i++;
    else j++;
  }
  return out;
}
