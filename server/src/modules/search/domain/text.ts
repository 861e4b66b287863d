/**
 * Vietnamese text for search (pure): NFC normalisation, diacritic folding (quyết định → quyet dinh, đ → d),
 * tokenisation that keeps số ký hiệu whole (05/KH-UBND) and also indexes its parts (05/KH, KH-UBND, KH …),
 * and the PostgreSQL `tsvector` literal built from the tokens. Index and query use these SAME functions, so
 * a word is folded and cut identically on both sides (no dependence on the database's parser or locale).
 */

/** Unicode NFC (a decomposed NFD query becomes the composed text that is indexed). */
export const nfc = (s: string): string => s.normalize('NFC');

/** Lower case, no diacritics, đ → d: the folded form used to match queries typed without accents. */
export function fold(s: string): string {
  // ASCII needs no decomposition (most symbols, numbers, folded queries)
  if (/^[ -~\t\n\r]*$/.test(s)) return s.toLowerCase();
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .normalize('NFC');
}

/** Folded form of one word, memoised (the vocabulary is small; snippets fold the same words again and again). */
const wordCache = new Map<string, string>();
export function foldWord(w: string): string {
  let f = wordCache.get(w);
  if (f === undefined) {
    if (wordCache.size > 100_000) wordCache.clear();
    f = fold(w);
    wordCache.set(w, f);
  }
  return f;
}

/** Lower case NFC (keeps diacritics): the "exact" form. */
export const exactForm = (s: string): string => nfc(s).toLowerCase();

/** Longest token kept (a lexeme must stay far below PostgreSQL's 2 KB; longer "words" are noise). */
export const MAX_TOKEN_CHARS = 60;
/** Parts of a compound token (05/KH-UBND has 3); beyond this only the whole and single parts are indexed. */
const MAX_SEGMENTS = 8;

export interface Token {
  /** The token as written (NFC), e.g. "05/KH-UBND", "Quyết". */
  text: string;
  /** Offset of the token in the (NFC) input. */
  start: number;
  /** Compound (contains / - . between letters or digits): a symbol such as 05/KH-UBND or NĐ-CP. */
  compound: boolean;
}

// A word: letters/digits (with their combining marks), optionally joined by / - . between word parts.
const TOKEN_RE = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:[/\-.][\p{L}\p{N}][\p{L}\p{M}\p{N}]*)*/gu;

/** The words of an NFC text, in order. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(TOKEN_RE)) {
    const t = m[0];
    if (t.length > MAX_TOKEN_CHARS) continue;
    out.push({ text: t, start: m.index ?? 0, compound: /[/\-.]/.test(t) });
  }
  return out;
}

/**
 * The lexemes a (folded or exact) token is indexed under: the whole token, and for a compound every run of
 * consecutive parts with their separators: 05/kh-ubnd → 05/kh-ubnd, 05/kh, kh-ubnd, 05, kh, ubnd.
 */
export function lexemesOf(form: string): string[] {
  if (!/[/\-.]/.test(form)) return [form];
  const parts = form.split(/([/\-.])/); // [seg, sep, seg, sep, seg]
  const segs: string[] = [];
  const seps: string[] = [];
  parts.forEach((p, i) => (i % 2 === 0 ? segs.push(p) : seps.push(p)));
  const out = new Set<string>([form]);
  if (segs.length > MAX_SEGMENTS) {
    for (const s of segs) if (s) out.add(s);
    return [...out];
  }
  for (let i = 0; i < segs.length; i++) {
    let acc = segs[i];
    if (acc) out.add(acc);
    for (let j = i + 1; j < segs.length; j++) {
      acc += seps[j - 1] + segs[j];
      out.add(acc);
    }
  }
  return [...out].filter(Boolean);
}

export type Weight = 'A' | 'B' | 'C' | 'D';

/** A field of a document for the index: its text and its weight (A symbol / trích yếu, B issuer / signer, C body). */
export interface WeightedField {
  text: string | null | undefined;
  weight: Weight;
}

/** PostgreSQL keeps positions up to 16383 and 256 positions per lexeme. */
const MAX_POS = 16383;
const MAX_POSITIONS_PER_LEXEME = 255;
/** Gap between fields: a phrase never spans the end of the trích yếu and the start of the issuer. */
const FIELD_GAP = 8;

const quoteLexeme = (l: string) => `'${l.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/**
 * A `tsvector` literal (cast with `?::tsvector`) of the fields, each word under its folded or exact form.
 * Sub-lexemes of a compound share its position, so phrases around a symbol still work.
 */
export function tsvectorLiteral(fields: readonly WeightedField[], form: 'folded' | 'exact'): string {
  const toForm = form === 'folded' ? foldWord : exactForm;
  const lex = new Map<string, string[]>();
  let pos = 1;
  for (const f of fields) {
    if (!f.text) continue;
    for (const t of tokenize(nfc(f.text))) {
      const p = Math.min(pos, MAX_POS);
      for (const l of lexemesOf(toForm(t.text))) {
        const e = lex.get(l);
        const at = `${p}${f.weight}`;
        if (!e) lex.set(l, [at]);
        else if (e.length < MAX_POSITIONS_PER_LEXEME && e[e.length - 1] !== at) e.push(at);
      }
      pos++;
    }
    pos += FIELD_GAP;
  }
  const parts: string[] = [];
  for (const [l, e] of lex) parts.push(`${quoteLexeme(l)}:${e.join(',')}`);
  return parts.join(' ');
}

export { quoteLexeme };

/** Escape `%`, `_` and `\` for a LIKE / ILIKE pattern (with the default escape character `\`). */
export const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);
