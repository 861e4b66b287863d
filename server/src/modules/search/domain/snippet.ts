/**
 * Highlighted snippets and the page of a hit (pure). The matched words are found on the ORIGINAL text (with
 * its diacritics) by folding each word, so a query typed without accents still highlights "quyết định".
 * Output is HTML-escaped text where each hit is wrapped in <mark>…</mark> (the only markup).
 */
import { foldWord, tokenize, type Token } from './text';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface SnippetOptions {
  /** Words of context on each side of the first hit of a snippet. */
  context?: number;
  /** Snippets from this text. */
  max?: number;
}

/** The tokens of the text that match. */
export function hitsIn(text: string, matches: (foldedWord: string) => boolean): Token[] {
  return tokenize(text).filter((t) => matches(foldWord(t.text)));
}

/**
 * Up to `max` snippets of `text`, hits marked; [] when nothing matches. The windows holding the most distinct
 * query words come first ("vướng mắc phản ánh" shows that passage, not the first "Anh" of the letterhead).
 */
export function snippetsOf(text: string | null | undefined, matches: (foldedWord: string) => boolean, o: SnippetOptions = {}): string[] {
  if (!text) return [];
  const context = o.context ?? 12;
  const max = o.max ?? 2;
  const tokens = tokenize(text);
  const folded = tokens.map((t) => foldWord(t.text));
  const hit = folded.map((f) => matches(f));
  const windows: { from: number; to: number; score: number }[] = [];
  for (let h = 0; h < tokens.length; h++) {
    if (!hit[h]) continue;
    const from = Math.max(0, h - Math.floor(context / 2));
    const to = Math.min(tokens.length - 1, h + context + Math.ceil(context / 2));
    const distinct = new Set<string>();
    for (let k = from; k <= to; k++) if (hit[k]) distinct.add(folded[k]);
    windows.push({ from, to, score: distinct.size });
  }
  windows.sort((a, b) => b.score - a.score || a.from - b.from);
  const chosen: { from: number; to: number }[] = [];
  for (const w of windows) {
    if (chosen.length >= max) break;
    if (chosen.some((c) => w.from <= c.to && c.from <= w.to)) continue;
    chosen.push(w);
  }
  return chosen.map(({ from, to }) => {
    const startChar = tokens[from].start;
    const endChar = tokens[to].start + tokens[to].text.length;
    let html = '';
    let pos = startChar;
    for (let k = from; k <= to; k++) {
      const t = tokens[k];
      html += escapeHtml(text.slice(pos, t.start));
      html += hit[k] ? `<mark>${escapeHtml(t.text)}</mark>` : escapeHtml(t.text);
      pos = t.start + t.text.length;
    }
    html = html.replace(/\s+/g, ' ').trim();
    return (startChar > 0 ? '… ' : '') + html + (endChar < text.length ? ' …' : '');
  });
}

/**
 * The 1-based page of the hit in the paged part of a body: the page where the most distinct query words occur
 * (the earliest on a tie), so that "vướng mắc phản ánh" points at the page with the passage, not at the first
 * "Anh" of the letterhead. `pageStarts` holds where each page starts in the body, then where the paged text
 * ends (n pages → n + 1 offsets; text after the end — other files — has no page). Null when no page has a hit.
 */
export function pageOfHit(body: string | null | undefined, pageStarts: readonly number[] | null | undefined, matches: (foldedWord: string) => boolean): number | null {
  if (!body || !pageStarts || pageStarts.length < 2) return null;
  const end = pageStarts[pageStarts.length - 1];
  const words = new Map<number, Set<string>>();
  let page = 0;
  for (const t of hitsIn(body.slice(0, end), matches)) {
    while (page + 1 < pageStarts.length - 1 && pageStarts[page + 1] <= t.start) page++;
    const set = words.get(page) ?? new Set<string>();
    set.add(foldWord(t.text));
    words.set(page, set);
  }
  let best: number | null = null;
  for (const [p, set] of words) if (best === null || set.size > words.get(best)!.size || (set.size === words.get(best)!.size && p < best)) best = p;
  return best === null ? null : best + 1;
}
