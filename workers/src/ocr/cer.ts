/** Character error rate as the corpus scores it (pure functions). */

/** NFC + whitespace collapsed to single spaces, trimmed. */
export const normForCer = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();

/** Levenshtein distance in code points (two-row DP). */
export function levenshtein(a: string, b: string): number {
  const A = Array.from(a);
  const B = Array.from(b);
  if (A.length < B.length) return levenshtein(b, a);
  const m = B.length;
  let prev = new Int32Array(m + 1);
  let cur = new Int32Array(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= A.length; i++) {
    cur[0] = i;
    const ai = A[i - 1];
    for (let j = 1; j <= m; j++) {
      const sub = prev[j - 1] + (ai === B[j - 1] ? 0 : 1);
      const del = prev[j] + 1;
      const ins = cur[j - 1] + 1;
      cur[j] = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
    }
    [prev, cur] = [cur, prev];
  }
  return prev[m];
}

/** Strict CER: edits / truth length after NFC + whitespace collapsing. */
export function cer(hyp: string, truth: string): { edits: number; chars: number; cer: number } {
  const h = normForCer(hyp);
  const t = normForCer(truth);
  const edits = levenshtein(h, t);
  const chars = Array.from(t).length;
  return { edits, chars, cer: chars ? edits / chars : h.length ? 1 : 0 };
}

/**
 * Order-forgiving CER: each truth line (longest first) is aligned to its best-matching substring of
 * what is left of the output (semi-global edit distance); the span is cut out; non-space output left
 * over counts as insertions.
 */
export function flexCer(hyp: string, truth: string): { edits: number; chars: number; cer: number } {
  const lines = truth
    .split('\n')
    .map(normForCer)
    .filter(Boolean)
    .sort((a, b) => b.length - a.length);
  let rest = Array.from(normForCer(hyp));
  let edits = 0;
  let chars = 0;
  for (const line of lines) {
    const L = Array.from(line);
    chars += L.length;
    const n = rest.length;
    // D[i][j]: cost aligning L[0..i) ending at rest position j, free start
    let prev = new Int32Array(n + 1);
    const starts0 = new Int32Array(n + 1);
    for (let j = 0; j <= n; j++) starts0[j] = j;
    let prevStart = starts0;
    for (let i = 1; i <= L.length; i++) {
      const cur = new Int32Array(n + 1);
      const curStart = new Int32Array(n + 1);
      cur[0] = i;
      curStart[0] = 0;
      for (let j = 1; j <= n; j++) {
        const sub = prev[j - 1] + (L[i - 1] === rest[j - 1] ? 0 : 1);
        const del = prev[j] + 1;
        const ins = cur[j - 1] + 1;
        if (sub <= del && sub <= ins) {
          cur[j] = sub;
          curStart[j] = prevStart[j - 1];
        } else if (del <= ins) {
          cur[j] = del;
          curStart[j] = prevStart[j];
        } else {
          cur[j] = ins;
          curStart[j] = curStart[j - 1];
        }
      }
      prev = cur;
      prevStart = curStart;
    }
    let bestJ = 0;
    for (let j = 1; j <= n; j++) if (prev[j] < prev[bestJ]) bestJ = j;
    edits += prev[bestJ];
    const s = prevStart[bestJ];
    rest = rest.slice(0, s).concat([' '], rest.slice(bestJ));
  }
  edits += rest.filter((c) => !/\s/.test(c)).length;
  return { edits, chars, cer: chars ? edits / chars : 0 };
}
