/**
 * The server's snippets are HTML-escaped text where each hit is wrapped in <mark>…</mark> (schema/search.graphql).
 * They are never injected as HTML: `parseHighlight` splits them into plain-text parts (entities decoded) and
 * `Highlighted` renders those as text nodes and <mark> elements. Anything else that looks like markup stays text.
 */
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

const decode = (s: string): string => s.replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]);

export interface HighlightPart {
  text: string;
  mark: boolean;
}

/** `a <mark>b</mark> &amp; c` → [{a , false}, {b, true}, { & c, false}]. Unbalanced marks end at the end of the text. */
export function parseHighlight(html: string): HighlightPart[] {
  const parts: HighlightPart[] = [];
  let mark = false;
  for (const piece of html.split(/(<mark>|<\/mark>)/)) {
    if (piece === '<mark>') mark = true;
    else if (piece === '</mark>') mark = false;
    else if (piece) {
      const text = decode(piece);
      const last = parts[parts.length - 1];
      if (last && last.mark === mark) last.text += text;
      else parts.push({ text, mark });
    }
  }
  return parts;
}

export function Highlighted({ html }: { html: string }) {
  return (
    <>
      {parseHighlight(html).map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </>
  );
}
