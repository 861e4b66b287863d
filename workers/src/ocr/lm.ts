/**
 * Vietnamese language-model post-correction (issue 14): syllable and syllable-bigram statistics from born-digital
 * Vietnamese text (the well-formed syllables, and in production the deployment's own issued documents and register entries),
 * and diacritic-confusion costs learnt from OCR output aligned with its truth. Pure functions, no I/O.
 *
 * A word is only ever replaced by a word with the same letters once every diacritic is removed ("tứ" ↔ "tử",
 * "dến" ↔ "đến"): the marks are what OCR gets wrong on Vietnamese print, the base letters it mostly gets right.
 * Among those candidates the one with the best
 *     log P(word | previous) + log P(next | word) − cost(OCR word → word)
 * wins, where cost comes from how often each kind of mark (tone, vowel hat/horn/breve, đ) was misread in the
 * training data. No rule names a string: everything comes from the statistics given.
 */
import { levenshtein } from './cer';
import { foldVietnamese, isVietnameseSyllable, normaliseSyllableTone, stripTone, toneOf } from '../../../server/src/shared/vntext';

export type SyllableLm = {
  uni: Map<string, number>;
  bi: Map<string, number>;
  /** bigram count of each left syllable (for the conditional) */
  left: Map<string, number>;
  total: number;
  /** skeleton (no diacritics) → syllables of the vocabulary with that skeleton */
  bySkeleton: Map<string, string[]>;
  /** inside a sentence (not its first word): how often each syllable was seen, and how often capitalised */
  mid?: Map<string, number>;
  midCaps?: Map<string, number>;
  /** pairs of syllables seen with punctuation between them ("tế - xã", "xã, thị") */
  sep?: Map<string, number>;
};

/** Per kind of mark and confidence band: the probability that OCR got that kind of mark wrong. */
export type ConfusionCosts = {
  /** upper bounds of the word-confidence bands (the last band is open) */
  bands: number[];
  tone: number[];
  vowel: number[];
  d: number[];
  /** a base letter slip in an out-of-vocabulary word (optional; prior otherwise) */
  letter?: number[];
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
 * The key of a syllable in the model: lower case, tone mark placed in one style. "hòa" and "hoà", "thủy" and
 * "thuỷ" are both right (the old and the new placement); the model counts them as one syllable and never turns one
 * into the other: the document keeps the placement it was printed with.
 */
export const lmKey = (w: string) => normaliseSyllableTone(w.normalize('NFC').toLowerCase(), 'old');

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
    const lw = lmKey(w);
    if (/^\p{L}+$/u.test(lw)) add(lw);
  }
  const mid = new Map<string, number>();
  const midCaps = new Map<string, number>();
  const sep = new Map<string, number>();
  for (const t of texts) {
    // syllable pairs with only punctuation between them, within a line
    for (const m of t.normalize('NFC').toLowerCase().matchAll(/(\p{L}+)[^\p{L}\p{N}\n]*?[^\p{L}\p{N}\s]+[^\p{L}\p{N}\n]*?(?=(\p{L}+))/gu)) {
      const k = `${lmKey(m[1])} ${lmKey(m[2])}`;
      sep.set(k, (sep.get(k) ?? 0) + 1);
    }
    // case inside sentences: a word after another word of the same sentence (not after . ! ? : or a line start)
    for (const line of t.normalize('NFC').split('\n')) {
      const toks = line.split(/\s+/).filter(Boolean);
      for (let i = 1; i < toks.length; i++) {
        const core = toks[i].match(/^[^\p{L}\p{N}]*(\p{L}+)[^\p{L}\p{N}]*$/u)?.[1];
        // after a word or a comma/semicolon only (not after . ! ? : …, a list dash or "a)")
        if (!core || !/[\p{L},;]["”’]?$/u.test(toks[i - 1]) || /^[^\p{L}\p{N}]/u.test(toks[i])) continue;
        const lw = lmKey(core);
        mid.set(lw, (mid.get(lw) ?? 0) + 1);
        if (core[0] !== core[0].toLowerCase()) midCaps.set(lw, (midCaps.get(lw) ?? 0) + 1);
      }
    }
    const ss = syllables(t).map((x) => (x ? lmKey(x) : x));
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
  return { uni, bi, left, total, bySkeleton, mid, midCaps, sep };
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

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

/** Vocabulary syllables whose skeleton is one letter (substituted, dropped or added) from `w`'s. */
function oneLetterOff(lm: SyllableLm, w: string): string[] {
  const k = skeleton(w);
  const keys = new Set<string>();
  for (let i = 0; i <= k.length; i++) {
    for (const ch of ALPHABET) {
      keys.add(k.slice(0, i) + ch + k.slice(i)); // added
      if (i < k.length) keys.add(k.slice(0, i) + ch + k.slice(i + 1)); // substituted
    }
    if (i < k.length) keys.add(k.slice(0, i) + k.slice(i + 1)); // dropped
  }
  keys.delete(k);
  const out: string[] = [];
  for (const key of keys) if (key.length >= 1) for (const x of lm.bySkeleton.get(key) ?? []) out.push(x);
  return out;
}

/**
 * Acronyms the text uses often (seen ≥ 3 times; letter runs that are not Vietnamese syllables, "cchc", "tthc") within
 * one letter of the OCR capitals, or two for five letters or more ("CCHOG" → "CCHC": a capital C read as O, G): an
 * acronym is not a word, so the language model has only the text's own acronyms to go by.
 */
function acronymsNear(lm: SyllableLm, w: string): string[] {
  let acronyms = acronymsOf.get(lm);
  if (!acronyms) acronymsOf.set(lm, (acronyms = [...lm.uni].filter(([x, n]) => n >= 3 && !isVietnameseSyllable(x)).map(([x]) => x)));
  const k = skeleton(w);
  const max = [...k].length >= 5 ? 2 : 1;
  return acronyms.filter((x) => x !== k && Math.abs([...x].length - [...k].length) <= max && levenshtein(k, skeleton(x)) <= max);
}
const acronymsOf = new WeakMap<SyllableLm, string[]>();

/** −log P(OCR read `ocr` | `cand`) when a base letter differs: a letter slip (by confidence band) + the tone. */
function letterCost(c: ConfusionCosts, ocr: string, cand: string, conf: number): number {
  const b = band(c, conf);
  const p = c.letter?.[b] ?? PRIOR_LETTER[Math.min(b, PRIOR_LETTER.length - 1)];
  return -Math.log(p) + (toneOf(ocr) !== toneOf(cand) ? -Math.log(c.tone[b]) : 0);
}

/** Probability of a letter slip in an out-of-vocabulary word, per confidence band (prior). */
const PRIOR_LETTER = [0.3, 0.1, 0.03];

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
export function lmCorrectLine<W extends { text: string; confidence: number }>(input: W[], c: LmCorrector): W[] {
  const words = lowerCaseInSentence(mergeFragments(dropStrayMarks(input, c.lm), c.lm), c.lm);
  const parts = words.map((w) => {
    const m = w.text.normalize('NFC').match(/^([^\p{L}\p{N}]*)(\p{L}+)([^\p{L}\p{N}]*)$/u);
    return m ? { pre: m[1], core: m[2], post: m[3] } : null;
  });
  const cur = parts.map((p) => (p ? lmKey(p.core) : null));
  // a phrase ends at punctuation between words
  const breakAfter = parts.map((p, i) => !p || !!p.post.trim() || !parts[i + 1] || !!parts[i + 1]!.pre.trim());
  for (let pass = 0; pass < 2; pass++)
    for (let i = 0; i < words.length; i++) {
      const p = parts[i];
      if (!p) continue;
      const ocr = lmKey(p.core);
      const same = c.lm.bySkeleton.get(skeleton(ocr)) ?? [];
      // a word outside the vocabulary (not a capitalised acronym) may also be one letter off
      // (capitals: an acronym one letter off one the text uses often, "CCHOC" → "CCHC")
      const caps = p.core.length >= 2 && p.core === p.core.toUpperCase();
      const oov = !c.lm.uni.has(ocr) && ocr.length >= (caps ? 3 : 2) && ocr.length <= 7;
      const near = !oov ? [] : caps ? [...new Set([...oneLetterOff(c.lm, ocr).filter((x) => (c.lm.uni.get(x) ?? 0) >= 3), ...acronymsNear(c.lm, ocr)])] : oneLetterOff(c.lm, ocr);
      const cands = [...same, ...near];
      if (!cands.length || (cands.length === 1 && cands[0] === ocr)) continue;
      const prev = i > 0 && !breakAfter[i - 1] ? cur[i - 1] : null;
      const next = !breakAfter[i] ? cur[i + 1] : null;
      const nearSet = new Set(near);
      const channel = (w: string) =>
        nearSet.has(w) ? letterCost(c.costs, ocr, w, words[i].confidence) * levenshtein(skeleton(ocr), skeleton(w)) : channelCost(c.costs, ocr, w, words[i].confidence);
      const score = (w: string) => logBi(c.lm, prev, w) + (next ? logBi(c.lm, w, next) : 0) - channel(w);
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
    if (!p || cur[i] === lmKey(p.core)) return w;
    // a corrected word takes the placement style the OCR word had
    const lower = p.core.normalize('NFC').toLowerCase();
    const style = lower !== normaliseSyllableTone(lower, 'old') && lower === normaliseSyllableTone(lower, 'new') ? 'new' : 'old';
    return { ...w, text: p.pre + withCase(normaliseSyllableTone(cur[i]!, style), p.core) + p.post };
  });
}

type Boxed = { bbox?: { x0: number; y0: number; x1: number; y1: number } };

/**
 * A syllable that OCR cut in two or three ("nguy ên", "Kế hoạc h"): adjacent letter-only words, at least one of
 * them not in the vocabulary, whose concatenation has the skeleton of a vocabulary word, become one word (the
 * marks are then chosen by the language model). Parts that are all words ("chu ấn") join only when the text never
 * has them side by side but has a word of the joined skeleton often (≥ 3: "chuẩn"). Nothing is joined across
 * punctuation.
 */
export function mergeFragments<W extends { text: string; confidence: number }>(words: W[], lm: SyllableLm): W[] {
  const out: W[] = [];
  const core = (w: W | undefined) => w?.text.match(/^([^\p{L}\p{N}]*)(\p{L}+)([^\p{L}\p{N}]*)$/u);
  const known = (x: string) => lm.uni.has(lmKey(x));
  for (let i = 0; i < words.length; i++) {
    const a = core(words[i]);
    let merged: W | null = null;
    let used = 0;
    for (let n = 3; n >= 2 && a && !merged; n--) {
      const ms = words.slice(i, i + n).map(core);
      if (ms.length < n || ms.some((m) => !m)) continue;
      // only the first may carry leading, only the last trailing punctuation
      if (ms.some((m, k) => (k > 0 && m![1]) || (k < n - 1 && m![3]))) continue;
      const cores = ms.map((m) => m![2]);
      const joined = cores.join('');
      // all parts are words: still one word when the text never has them side by side but has the whole often
      const often = Math.max(0, ...(lm.bySkeleton.get(skeleton(joined)) ?? []).map((x) => lm.uni.get(x) ?? 0));
      if (cores.every(known) && !(cores.every((x, k) => k === 0 || !lm.bi.has(`${lmKey(cores[k - 1])} ${lmKey(x)}`)) && often >= 3)) continue;
      if (!lm.bySkeleton.has(skeleton(joined))) continue;
      // case must agree (all capitals, or no capital after the first letter)
      const upper = cores.map((x) => x === x.toUpperCase());
      if (!(upper.every(Boolean) || cores.slice(1).every((x) => x === x.toLowerCase()))) continue;
      const ws = words.slice(i, i + n);
      const bs = ws.map((w) => (w as Boxed).bbox).filter((b): b is NonNullable<Boxed['bbox']> => !!b);
      const bbox = bs.length ? { x0: Math.min(...bs.map((b) => b.x0)), y0: Math.min(...bs.map((b) => b.y0)), x1: Math.max(...bs.map((b) => b.x1)), y1: Math.max(...bs.map((b) => b.y1)) } : undefined;
      merged = { ...words[i], text: ms[0]![1] + joined + ms[n - 1]![3], confidence: Math.min(...ws.map((w) => w.confidence)), ...(bbox ? { bbox } : {}) };
      used = n;
    }
    if (merged) {
      out.push(merged);
      i += used - 1;
    } else out.push(words[i]);
  }
  return out;
}

/**
 * A mark between two syllables that the text writes side by side (seen ≥ 2 times) and never with punctuation
 * between them is a speck read as punctuation: a lone "-" / "," / ";" / ":" token, a hyphen glued to the next word
 * ("ngày -làm"), or a comma, semicolon or colon glued to the previous one ("hạn, chế") is dropped. The next word
 * must start in lower case (a sentence or a list item does not).
 */
export function dropStrayMarks<W extends { text: string }>(words: W[], lm: SyllableLm): W[] {
  if (!lm.sep) return words;
  const lastSyl = (t: string) => {
    const m = t.match(/(\p{L}+)[^\p{L}\p{N}]*$/u)?.[1];
    return m ? lmKey(m) : undefined;
  };
  const firstSyl = (t: string) => {
    const m = t.match(/^[^\p{L}\p{N}]*(\p{Ll}+)/u)?.[1];
    return m ? lmKey(m) : undefined;
  };
  const glued = (a: string | undefined, b: string | undefined) => !!a && !!b && (lm.bi.get(`${a} ${b}`) ?? 0) >= 2 && !lm.sep!.has(`${a} ${b}`);
  const out: W[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const prev = out[out.length - 1];
    const next = words[i + 1];
    const a = prev && /\p{L}$/u.test(prev.text) ? lastSyl(prev.text) : undefined;
    if (/^[-–,;:]$/.test(w.text) && next && glued(a, firstSyl(next.text)) && /^\p{Ll}/u.test(next.text)) continue;
    const m = w.text.match(/^[-–](\p{Ll}\p{L}*.*)$/u);
    if (m && glued(a, firstSyl(m[1]))) {
      out.push({ ...w, text: m[1] });
      continue;
    }
    const e = w.text.match(/^(.*\p{L})[,;:]$/u);
    if (e && next && /^\p{Ll}/u.test(next.text) && glued(lastSyl(e[1]), firstSyl(next.text))) {
      out.push({ ...w, text: e[1] });
      continue;
    }
    out.push(w);
  }
  return out;
}

/**
 * A capitalised word inside a sentence ("một SỐ nơi", "lĩnh Vực") whose syllable the born-digital text always
 * writes in lower case there (seen ≥ 3 times, capitalised < 5 %) is put in lower case. Only between two lower-case
 * words of the same line (names, titles and headings have capitalised neighbours), not after punctuation.
 */
export function lowerCaseInSentence<W extends { text: string }>(words: W[], lm: SyllableLm): W[] {
  if (!lm.mid || !lm.midCaps) return words;
    return words.map((w, i) => {
    if (i === 0) return w;
    const m = w.text.match(/^(\p{L}+)([^\p{L}\p{N}]*)$/u);
    if (!m || m[1] === m[1].toLowerCase()) return w;
    const prev = words[i - 1].text;
    const next = words[i + 1]?.text;
    // both neighbours lower-case words (a name, "Sở Nội vụ", a heading has a capitalised neighbour)
    if (next === undefined || !/^[^\p{L}\p{N}]*\p{Ll}[\p{L}]*$/u.test(prev) || !/^\p{Ll}/u.test(next)) return w;
    const lw = lmKey(m[1]);
    const seen = lm.mid!.get(lw) ?? 0;
    if (seen < 3 || (lm.midCaps!.get(lw) ?? 0) / seen >= 0.05) return w;
    return { ...w, text: m[1].toLowerCase() + m[2] };
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
