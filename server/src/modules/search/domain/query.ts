/**
 * The search box's query language (pure): words (AND), "phrases in quotes", prefixes `hoạch*`, symbols
 * typed as written (05/KH-UBND, 05/KH, KH-UBND; `05 / KH-UBND` is read as 05/KH-UBND). Everything else is
 * ignored as punctuation: `%`, `_`, `\`, stray quotes (an unbalanced quote is read as if it were absent).
 * Out come two `tsquery` literals (folded: matches with or without diacritics; exact: ranks the words typed
 * with diacritics above their folded look-alikes) and the folded plain text for the trigram fallback.
 */
import { MAX_SEARCH_QUERY_CHARS } from '../../../../../schema/validation/search';
import { exactForm, fold, lexemesOf, nfc, quoteLexeme, tokenize } from './text';

/** Above this the query is refused (BAD_USER_INPUT); nobody types 1,000 characters into a search box (shared with the web form). */
export const MAX_QUERY_CHARS = MAX_SEARCH_QUERY_CHARS;
/** Terms kept (the rest of a long pasted text is ignored: the query stays cheap). */
export const MAX_TERMS = 16;
/** Words kept in one phrase. */
export const MAX_PHRASE_WORDS = 12;

export interface QueryWord {
  exact: string;
  folded: string;
  prefix: boolean;
  compound: boolean;
}

export type QueryTerm = { kind: 'word'; word: QueryWord } | { kind: 'phrase'; words: QueryWord[] };

export interface ParsedQuery {
  terms: QueryTerm[];
  /** Folded tsquery literal (matching). Empty when there are no terms. */
  folded: string;
  /** Exact (diacritics kept) tsquery literal (ranking). */
  exact: string;
  /** The words, folded, space-separated (trigram fallback, snippets). */
  plainFolded: string;
  /** Terms were dropped beyond MAX_TERMS. */
  truncated: boolean;
}

export type ParseResult = { ok: true; query: ParsedQuery } | { ok: false; reason: string };

function wordsOf(text: string, allowPrefix: boolean): QueryWord[] {
  // A star right after a word marks a prefix: remember where they are before tokenising.
  const out: QueryWord[] = [];
  for (const t of tokenize(text)) {
    const after = text.charAt(t.start + t.text.length);
    out.push({ exact: exactForm(t.text), folded: fold(t.text), prefix: allowPrefix && after === '*', compound: t.compound });
  }
  return out;
}

/** Parses the search box text. Never throws; `ok: false` only for a query longer than MAX_QUERY_CHARS. */
export function parseQuery(input: string): ParseResult {
  if (input.length > MAX_QUERY_CHARS) return { ok: false, reason: `Từ khóa tìm kiếm quá dài (tối đa ${MAX_QUERY_CHARS.toLocaleString('vi-VN')} ký tự).` };
  // NFC; typographic quotes as ASCII; "05 / KH-UBND" and "05/ KH" as written without the spaces.
  const text = nfc(input)
    .replace(/[“”„«»]/g, '"')
    .replace(/(\p{N})\s*\/\s*(?=[\p{L}\p{N}])/gu, '$1/')
    .replace(/(\p{L})\s+-\s*(?=\p{Lu})/gu, '$1-');
  const terms: QueryTerm[] = [];
  const quotes = (text.match(/"/g) ?? []).length;
  // Balanced quotes split the text into plain / phrase segments; an odd count ignores the last quote.
  const segments = text.split('"');
  segments.forEach((seg, i) => {
    const isPhrase = i % 2 === 1 && (quotes % 2 === 0 || i < segments.length - 1);
    if (isPhrase) {
      const ws = wordsOf(seg, false).slice(0, MAX_PHRASE_WORDS);
      if (ws.length === 1) terms.push({ kind: 'word', word: ws[0] });
      else if (ws.length > 1) terms.push({ kind: 'phrase', words: ws });
    } else {
      for (const w of wordsOf(seg, true)) terms.push({ kind: 'word', word: w });
    }
  });
  // Same term twice adds nothing.
  const seen = new Set<string>();
  const unique = terms.filter((t) => {
    const k = JSON.stringify(t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const kept = unique.slice(0, MAX_TERMS);
  return {
    ok: true,
    query: {
      terms: kept,
      folded: tsqueryOf(kept, 'folded'),
      exact: tsqueryOf(kept, 'exact'),
      plainFolded: kept.flatMap((t) => (t.kind === 'word' ? [t.word.folded] : t.words.map((w) => w.folded))).join(' '),
      truncated: unique.length > MAX_TERMS,
    },
  };
}

function wordQuery(w: QueryWord, form: 'folded' | 'exact'): string {
  const l = form === 'folded' ? w.folded : w.exact;
  // A compound is indexed whole and by its parts (text.ts lexemesOf): match the whole as typed.
  const lex = w.compound ? lexemesOf(l)[0] : l;
  return quoteLexeme(lex) + (w.prefix ? ':*' : '');
}

/** The terms as a tsquery literal (cast with `?::tsquery`): words AND-ed, phrase words joined by <->. */
export function tsqueryOf(terms: readonly QueryTerm[], form: 'folded' | 'exact'): string {
  return terms
    .map((t) => (t.kind === 'word' ? wordQuery(t.word, form) : `(${t.words.map((w) => wordQuery(w, form)).join(' <-> ')})`))
    .join(' & ');
}

/** Does a folded word of a text match one of the query's words (snippets, hit page)? */
export function matcherOf(q: ParsedQuery): (foldedWord: string) => boolean {
  const words = q.terms.flatMap((t) => (t.kind === 'word' ? [t.word] : t.words));
  const exact = new Set(words.filter((w) => !w.prefix).map((w) => w.folded));
  const prefixes = words.filter((w) => w.prefix).map((w) => w.folded);
  return (fw) => exact.has(fw) || prefixes.some((p) => fw.startsWith(p)) || (/[/\-.]/.test(fw) && lexemesOf(fw).some((l) => exact.has(l)));
}
