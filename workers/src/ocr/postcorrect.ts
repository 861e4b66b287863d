/**
 * Vietnamese post-correction of OCR words. Every step can be switched off; the benchmark measures
 * each one's effect on CER and only the helpful ones are on by default.
 *
 * Numbers and symbols (05/KH-UBND, 9-2-2017, 100%) are never touched: only tokens made of letters
 * (plus surrounding punctuation) are candidates.
 */
import { foldVietnamese, normaliseSyllableTone, stripTone, toneOf, wellFormedSyllables } from '../../../server/src/shared/vntext';
import type { OcrWord } from './engine';
import { levenshtein } from './cer';

export type PostCorrectOptions = {
  /** move tone marks to the old style ("hoà" → "hòa") as printed in Decree 30 documents */
  toneStyle: boolean;
  /** replace a non-syllable by a tesseract alternative that is a known syllable */
  choices: boolean;
  /** replace a non-syllable by the closest known syllable when it is a single, unambiguous confusion */
  dictionary: boolean;
  /** typographic fixes: "..." → "…" at word end */
  punctuation: boolean;
  /** split fused syllables ("UBNDXÃTRUNGKÊNH" → "UBND XÃ TRUNG KÊNH", "năm2021" → "năm 2021") */
  split: boolean;
  /** fixed administrative phrases that lose a hook ("Uy ban" → "Ủy ban", "Huyện uy" → "Huyện ủy") */
  phrases: boolean;
  /** drop dust punctuation stuck to the start of a line (".UBND", "..Long An") */
  lineEdges: boolean;
  /** a rare syllable with d whose đ-form is frequent takes the đ ("dại" → "đại", "dến" → "đến") */
  frequentD: boolean;
  /**
   * typography of separators (Vietnamese print puts a space after . : and none before; syllables are never
   * joined by a hyphen or a period): a stray mark standing alone before a lower-case word is dropped, a period
   * before a lower-case word is dropped, two syllables glued by . : - become two words
   */
  separators: boolean;
};

export const DEFAULT_POSTCORRECT: PostCorrectOptions = {
  toneStyle: false,
  choices: false,
  dictionary: false,
  punctuation: true,
  split: true,
  phrases: true,
  lineEdges: true,
  frequentD: true,
  separators: true,
};

let syllables: Set<string> | null = null;

/**
 * The well-formed Vietnamese syllables (generated from the orthography's onsets, rhymes and tone rules, both tone
 * placements; `wellFormedSyllables`) plus abbreviations every administrative text uses. Lower-case, NFC.
 */
export function knownSyllables(): Set<string> {
  if (syllables) return syllables;
  syllables = new Set(wellFormedSyllables());
  for (const w of ['ubnd', 'hđnd', 'tm', 'kt', 'tl', 'tuq', 'v/v']) syllables.add(w);
  return syllables;
}

export function isKnownSyllable(w: string): boolean {
  return knownSyllables().has(w.normalize('NFC').toLowerCase());
}

/** Keeps the upper/lower-case pattern of `model` on `word`. */
function withCase(word: string, model: string): string {
  if (model === model.toUpperCase() && model !== model.toLowerCase()) return word.toUpperCase();
  if (model[0] === model[0].toUpperCase() && model[0] !== model[0].toLowerCase()) return word[0].toUpperCase() + word.slice(1);
  return word;
}

// frequent OCR confusions on Vietnamese print: letter → alternatives
const CONFUSIONS: Record<string, string[]> = {
  d: ['đ'],
  đ: ['d'],
  ơ: ['ô', 'o'],
  ô: ['ơ', 'o'],
  o: ['ô', 'ơ'],
  ư: ['u'],
  u: ['ư'],
  ă: ['â', 'a'],
  â: ['ă', 'a'],
  a: ['ă', 'â'],
  ê: ['e'],
  e: ['ê'],
  i: ['í', 'ì', 'l'],
  l: ['i', 't'],
  t: ['l'],
  c: ['e'],
  n: ['u', 'h'],
  h: ['b', 'n'],
  b: ['h'],
};

/**
 * Very frequent syllables of Vietnamese (general and administrative prose): the prior that breaks ties
 * between dictionary candidates ("dươc" → "được", not "dược").
 */
const FREQUENT = new Set(
  (
    'của và các được có trong là cho những với không này đã người một để về theo năm thực hiện công tác hành chính cải cách đơn vị cơ quan ' +
    'thủ tục nhà nước việc tỉnh huyện xã ban dân nhân ủy quyết định kế hoạch báo cáo thông tin phát triển kinh tế hội quản lý chỉ đạo tổ chức ' +
    'cán bộ chất lượng nâng cao trên đến tại từ sau khi nghị đề án hồ sơ kết quả tiếp nhận trả đầu tư đẩy mạnh tăng cường phục vụ đội ngũ ' +
    'viên thị trấn phố thành phòng sở ngành điện tử mềm phần văn bản liên thông cửa đảm bảo yêu cầu nhiệm tình hình đánh giá giải pháp ' +
    'triển khai thời gian địa phương điều kiện thuận lợi dịch vụ trực tuyến ngày tháng kịp phản ánh xem xét đại biểu trình duyệt tuyên truyền ' +
    'giao trách thi chủ tịch phó giám đốc trưởng lưu nơi gửi kính căn cứ luật số quy chế độ sung bổ sửa đổi bãi bỏ niêm yết khai minh bạch ' +
    'đồng thời đó nay còn như đây tất cả mỗi cùng nhằm tiếp tục trọng tâm lĩnh vực chuyên môn nghiệp lãnh đẳng đúng nội dung biết'
  ).split(' '),
);

const FREQUENT_SKELETONS = new Set([...FREQUENT].map(foldVietnamese));

/** Candidates one confusion away (base letters or tone), that are known syllables. */
function candidates(lw: string): string[] {
  const set = knownSyllables();
  const out = new Set<string>();
  const chars = [...lw];
  const tone = toneOf(lw);
  const base = [...stripTone(lw)];
  // 1) a different tone on the same letters (tone marks are the commonest OCR slip)
  for (let t = 0; t <= 5; t++) {
    if (t === tone) continue;
    const c = normaliseSyllableTone(applyTone(base.join(''), t), 'old');
    if (set.has(c)) out.add(c);
  }
  // 2) one letter confused, tone kept
  for (let i = 0; i < base.length; i++) {
    for (const alt of CONFUSIONS[base[i]] ?? []) {
      const b2 = [...base];
      b2[i] = alt;
      const c = normaliseSyllableTone(applyTone(b2.join(''), tone), 'old');
      if (set.has(c)) out.add(c);
    }
  }
  void chars;
  return [...out];
}

const MARKS = ['', '\u0300', '\u0301', '\u0303', '\u0309', '\u0323'];

/** Puts tone `t` on the first vowel that can carry it (placement is fixed by normaliseSyllableTone). */
function applyTone(base: string, t: number): string {
  if (t === 0) return base;
  const m = base.match(/[aăâeêioôơuưy]/i);
  if (!m || m.index === undefined) return base;
  const i = m.index;
  return (base.slice(0, i) + (base[i] + MARKS[t]).normalize('NFC') + base.slice(i + 1)).normalize('NFC');
}

const LETTERS = /^[\p{L}]+$/u;

/** Corrects one word's letter core; punctuation around it is kept. */
export function correctWord(w: OcrWord, o: PostCorrectOptions): OcrWord {
  // Icelandic eth (Ð ð) is what OCR often emits for Vietnamese đ (Đ đ); a round "c" read as € or © beside a letter or
  // slash ("(b/€);" for "(b/c);") — neither sign is written inside a word
  let text = w.text
    .normalize('NFC')
    .replace(/Ð/g, 'Đ')
    .replace(/ð/g, 'đ')
    .replace(/(?<=[\p{L}/])[€©]|[€©](?=[\p{L}/])/gu, 'c');
  const m = text.match(/^([^\p{L}\p{N}]*)([\p{L}\p{N}/.-]*?)([^\p{L}\p{N}]*)$/u);
  if (!m) return { ...w, text };
  const [, pre, core, post] = m;
  let c = core;
  if (LETTERS.test(c)) {
    if (o.toneStyle) c = normaliseSyllableTone(c, 'old');
    const lc = c.toLowerCase();
    if (!isKnownSyllable(lc) && c.length >= 2) {
      let fixed: string | null = null;
      if (o.choices && w.choices)
        for (const ch of w.choices) {
          const cc = ch.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
          if (cc && LETTERS.test(cc) && isKnownSyllable(cc)) {
            fixed = cc;
            break;
          }
        }
      if (!fixed && o.dictionary && c !== c.toUpperCase()) {
        const one = candidates(lc);
        // two slips (đ read as d and a tone) only count towards a frequent syllable
        const swapped = lc.startsWith('d') ? 'đ' + lc.slice(1) : lc.startsWith('đ') ? 'd' + lc.slice(1) : null;
        const two = swapped ? [swapped, ...candidates(swapped)] : [];
        const frequent = [...new Set([...one, ...two])].filter((x) => FREQUENT.has(x));
        const cands = frequent.length ? frequent : one;
        if (cands.length === 1) fixed = withCase(cands[0], c);
      }
      if (fixed) c = fixed;
    } else if (o.frequentD && /^d/i.test(c) && c !== c.toUpperCase() && !FREQUENT.has(lc) && FREQUENT.has('đ' + lc.slice(1))) {
      c = (c[0] === 'D' ? 'Đ' : 'đ') + c.slice(1);
    }
  }
  let p = post;
  // three periods at a word's end, before a closing quote or bracket too ("trường...”")
  if (o.punctuation && /^\.\.\.(?=[”"’)\]]*[,;:]?$)/.test(p)) p = '…' + p.slice(3);
  text = pre + c + p;
  return { ...w, text };
}

/**
 * Splits a token that is not a syllable into known syllables (fewest pieces, each ≥ 2 letters),
 * e.g. "UBNDXÃTRUNGKÊNH" → ["UBND", "XÃ", "TRUNG", "KÊNH"]; null when no full split exists.
 */
function longerFirst(a: number[], b: number[]): boolean {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k] > b[k];
  return false;
}

export function splitFused(token: string): string[] | null {
  const chars = [...token];
  const lower = chars.map((c) => c.toLowerCase());
  const n = chars.length;
  if (n < 4 || n > 40) return null;
  // per prefix: the cuts, and how many pieces have the letters of a frequent syllable
  const best: Array<{ cuts: number[]; frequent: number } | null> = new Array(n + 1).fill(null);
  best[0] = { cuts: [], frequent: 0 };
  for (let i = 0; i < n; i++) {
    const cur = best[i];
    if (!cur) continue;
    for (let j = i + 2; j <= Math.min(n, i + 7); j++) {
      const piece = lower.slice(i, j).join('');
      if (!isKnownSyllable(piece)) continue;
      const cand = { cuts: [...cur.cuts, j], frequent: cur.frequent + (FREQUENT_SKELETONS.has(foldVietnamese(piece)) ? 1 : 0) };
      const b = best[j];
      // fewest pieces; on a tie the most pieces with a frequent syllable's letters ("SỚTÀI" → SỚ TÀI, not SỚT ÀI:
      // OCR misreads marks, the letters hold), then the earlier pieces longest ("ĐÔNGANH" → ĐÔNG ANH, not ĐÔN GANH)
      const better =
        !b ||
        cand.cuts.length < b.cuts.length ||
        (cand.cuts.length === b.cuts.length && (cand.frequent > b.frequent || (cand.frequent === b.frequent && longerFirst(cand.cuts, b.cuts))));
      if (better) best[j] = cand;
    }
  }
  const cuts = best[n]?.cuts;
  if (!cuts || cuts.length < 2) return null;
  const out: string[] = [];
  let a = 0;
  for (const c of cuts) {
    out.push(chars.slice(a, c).join(''));
    a = c;
  }
  return out;
}

/**
 * Administrative phrases where OCR drops or swaps a mark and the slip is itself a word (generic phrases of
 * Decree 30 documents, none taken from the corpus; the rest is the language model's job, lm.ts):
 * [previous word, word, next word, replacement] (regexes on the letters only, case kept).
 */
const PHRASES: Array<[RegExp | null, RegExp, RegExp | null, string]> = [
  [/^(huyện|tỉnh|đảng|thành|xã|quận)$/i, /^uy$/i, null, 'ủy'], // Huyện ủy, Đảng ủy
  [null, /^uy$/i, /^ban$/i, 'ủy'], // Ủy ban
  [/^(ubnd|hđnd|nước|ngành|sở|ban|thành|huyện|trong|toàn|các|của|cấp|xã)$/i, /^tính$/i, null, 'tỉnh'], // UBND tỉnh
  [/^(thuộc|đốc|các|ban)$/i, /^sơ$/i, null, 'sở'], // phòng thuộc Sở, Ban Giám đốc Sở
  [null, /^sơ$/i, /^(nội|tài|y|giáo|tư|kế|xây|công|lao|văn|thông|khoa|ngoại|giao|nông)$/i, 'sở'], // Sở Nội vụ
  [/^(phòng|sở|ngành|các)$/i, /^bạn$/i, null, 'ban'], // phòng, ban, ngành
  [null, /^bạn$/i, /^(giám|chỉ|thường|quản|tổ|dân|ngành|chấp|thi|tuyên|kinh|văn|pháp|biên|tiếp)$/i, 'ban'], // Ban Giám đốc, Ban Chỉ đạo
];

/** Administrative abbreviations that OCR fuses when the space between them is narrow ("PCTUBND"). */
const ABBREVIATIONS = new Set(['UBND', 'HĐND', 'PCT', 'CT', 'TT', 'MTTQ', 'VP', 'BTV', 'BCH', 'TTĐT', 'LĐLĐ', 'HLHPN', 'HCCB', 'ĐTN', 'CA', 'QS']);

/** "PCTUBND" → ["PCT", "UBND"]; null unless the whole token splits into ≥ 2 known abbreviations. */
export function splitAbbreviations(token: string): string[] | null {
  if (ABBREVIATIONS.has(token) || token !== token.toUpperCase() || token.length < 4 || token.length > 16) return null;
  const chars = [...token];
  const best: Array<string[] | null> = new Array(chars.length + 1).fill(null);
  best[0] = [];
  for (let i = 0; i < chars.length; i++) {
    if (!best[i]) continue;
    for (let j = i + 2; j <= Math.min(chars.length, i + 5); j++) {
      const piece = chars.slice(i, j).join('');
      if (ABBREVIATIONS.has(piece) && (!best[j] || best[j]!.length > best[i]!.length + 1)) best[j] = [...best[i]!, piece];
    }
  }
  const out = best[chars.length];
  return out && out.length >= 2 ? out : null;
}

function splitWordBox(w: OcrWord, parts: string[]): OcrWord[] {
  const total = parts.reduce((s, p) => s + p.length, 0);
  const width = w.bbox.x1 - w.bbox.x0;
  let x = w.bbox.x0;
  return parts.map((p) => {
    const x1 = x + (width * p.length) / total;
    const nw = { ...w, text: p, choices: undefined, bbox: { ...w.bbox, x0: Math.round(x), x1: Math.round(x1) } };
    x = x1;
    return nw;
  });
}

const STRAY = /^[.:;,·•*^ˆ~_`'‘’“”"|]$/u;
const isUpperWord = (s: string) => s.length >= 2 && s === s.toUpperCase() && s !== s.toLowerCase();

/**
 * Separators that print typography rules out (see `PostCorrectOptions.separators`). A lone mark is only dropped
 * between a word and a word starting in lower case (a sentence never starts so, and a list item's dash stays),
 * before a lower-case word at a line's start, or at a line's end after a word;
 * a glued pair is split only when one side is a known syllable and they are not both capitals (symbols such as
 * "KT-XH", "TP.HCM" keep their hyphen or period; a Roman numeral gets its space: "I.MỤC" → "I. MỤC").
 */
export function fixSeparators(words: OcrWord[]): OcrWord[] {
  const out: OcrWord[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const next = words[i + 1]?.text ?? '';
    const nextLower = /^\p{Ll}/u.test(next);
    if (STRAY.test(w.text) && out.length && /\p{L}/u.test(out[out.length - 1].text) && nextLower) continue;
    // a lone mark ending a line after a word (Vietnamese does not hyphenate; a real period is glued to its word)
    if ((STRAY.test(w.text) || /^[-–]$/.test(w.text)) && i === words.length - 1 && out.length && /\p{L}$/u.test(out[out.length - 1].text)) continue;
    if (STRAY.test(w.text) && i === 0 && nextLower) continue;
    // "chức. và": a period before a lower-case word (not an abbreviation such as "v.v.", nor "./.")
    const dot = w.text.match(/^([^\p{L}\p{N}]*\p{L}{2,})\.$/u);
    if (dot && nextLower && !isUpperWord(dot[1].replace(/^[^\p{L}]+/u, ''))) {
      out.push({ ...w, text: dot[1] });
      continue;
    }
    const g = w.text.match(/^([^\p{L}\p{N}]*)(\p{L}+)([.:-])(\p{L}+)([^\p{L}\p{N}]*)$/u);
    if (g) {
      const [, pre, a, sep, b, post] = g;
      const known = isKnownSyllable(a) || isKnownSyllable(b);
      const capitals = isUpperWord(a) && isUpperWord(b);
      const lowerB = /^\p{Ll}/u.test(b);
      if (sep === '-' && known && !capitals && (a.length >= 2 || lowerB)) {
        out.push(...splitWordBox(w, [pre + a, b + post]));
        continue;
      }
      const roman = /^[IVX]+$/.test(a);
      if (sep !== '-' && (a.length >= 2 || roman) && b.length >= 2 && ((known && !capitals) || roman)) {
        // before a lower-case word the mark goes (a sentence does not continue after it); before a capital it stays
        out.push(...splitWordBox(w, lowerB ? [pre + a, b + post] : [pre + a + sep, b + post]));
        continue;
      }
    }
    out.push(w);
  }
  return out;
}

export function postCorrectLine(words: OcrWord[], o: PostCorrectOptions = DEFAULT_POSTCORRECT): OcrWord[] {
  let ws = words.map((w) => ({ ...w, text: w.text.normalize('NFC') }));
  if (o.lineEdges && ws.length) {
    const f = ws[0];
    const t = f.text.replace(/^[.,:;'`~_"]+(?=[\p{L}\p{N}])/u, '');
    // a list item's dash is followed by a space ("-Lưu:" → "- Lưu:")
    const dash = t.match(/^([-–])(\p{L}.*)$/u);
    ws.splice(0, 1, ...(dash ? splitWordBox({ ...f, text: t }, [dash[1], dash[2]]) : [{ ...f, text: t }]));
  }
  if (o.separators) ws = fixSeparators(ws);
  if (o.split) {
    ws = ws.flatMap((w) => {
      const m = w.text.match(/^(\p{L}+)(\d{4})([.,;:]?)$/u);
      if (m && isKnownSyllable(m[1])) return splitWordBox(w, [m[1], m[2] + m[3]]);
      const core = w.text.match(/^([^\p{L}]*)(\p{L}+)([^\p{L}]*)$/u);
      if (!core || isKnownSyllable(core[2]) || core[2].length < 4) return [w];
      const parts = splitAbbreviations(core[2]) ?? splitFused(core[2]);
      if (!parts) return [w];
      parts[0] = core[1] + parts[0];
      parts[parts.length - 1] += core[3];
      return splitWordBox(w, parts);
    });
  }
  ws = ws.map((w) => correctWord(w, o));
  if (o.phrases) {
    for (let i = 0; i < ws.length; i++) {
      const prev = i > 0 ? ws[i - 1].text.replace(/[^\p{L}]/gu, '') : '';
      const next = i + 1 < ws.length ? ws[i + 1].text.replace(/[^\p{L}]/gu, '') : '';
      const cur = ws[i].text;
      const core = cur.replace(/[^\p{L}]/gu, '');
      let fix: string | null = null;
      for (const [a, b, c, to] of PHRASES) if ((!a || a.test(prev)) && b.test(core) && (!c || c.test(next)) && (a || c)) fix = to;
      if (fix) ws[i] = { ...ws[i], text: cur.replace(core, withCase(fix, core)) };
      // the date formula of Decree 30 (appendix I) and of body text: "ngày 27 tháng 4 năm 2021" — a word one letter from
      // "tháng" between two day/month numbers, or from "năm" between a month and a year, is that word ("thúng", "nằm")
      const prevNum = i > 0 && /^\d{1,2}$/.test(ws[i - 1].text);
      const nextText = ws[i + 1]?.text ?? '';
      if (prevNum && core && !fix) {
        const sk = foldVietnamese(core);
        const formula = /^\d{1,2}[,.]?$/.test(nextText) ? 'tháng' : /^\d{4}[,.;]?$/.test(nextText) ? 'năm' : null;
        if (formula && core.toLowerCase() !== formula && levenshtein(sk, foldVietnamese(formula)) <= 1) ws[i] = { ...ws[i], text: cur.replace(core, withCase(formula, core)) };
      }
      // quarters are written in Roman numerals: "quý 1V" → "quý IV"
      if (/^quý$/i.test(prev)) {
        const roman = cur.replace(/^([1Il]{1,3}|[1Il]?V)(?=[^\p{L}\p{N}]*$)/u, (m) => m.replace(/[1l]/g, 'I'));
        if (roman !== cur) ws[i] = { ...ws[i], text: roman };
      }
    }
  }
  return ws;
}
