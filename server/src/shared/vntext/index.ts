/**
 * Vietnamese text normalisation — pure functions, no I/O.
 *
 * - `nfc()` Unicode NFC (every stored text is NFC).
 * - `normaliseToneMarks()` moves the tone mark (dấu thanh) to the position of the chosen style:
 *   'old' (kiểu cũ: "hòa", "khỏe", "thủy" — what Decree 30 documents in our corpus print, e.g. "CỘNG HÒA")
 *   or 'new' (kiểu mới: "hoà", "khoẻ", "thuỷ"). Only open syllables with oa / oe / uy differ.
 * - `foldVietnamese()` accent-insensitive search key: lower case, no diacritics, đ → d, whitespace collapsed.
 * - `isVietnameseSyllable()` structural validity check of one syllable (onset + rhyme + tone rule).
 */

export type ToneStyle = 'old' | 'new';

/** Combining tone marks: huyền, sắc, ngã, hỏi, nặng. */
const TONE_MARKS = ['\u0300', '\u0301', '\u0303', '\u0309', '\u0323'] as const;
const TONE_RE = /[\u0300\u0301\u0303\u0309\u0323]/g;

export function nfc(s: string): string {
  return s.normalize('NFC');
}

/** Lower-case key without diacritics for accent-insensitive search ("Hòa Bình" → "hoa binh"). */
export function foldVietnamese(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Removes only the tone mark, keeping ă â ê ô ơ ư đ ("Nguyễn" → "Nguyên"). */
export function stripTone(s: string): string {
  return s.normalize('NFD').replace(TONE_RE, '').normalize('NFC');
}

/** Tone of a syllable: 0 ngang, 1 huyền, 2 sắc, 3 ngã, 4 hỏi, 5 nặng. */
export function toneOf(s: string): number {
  const m = s.normalize('NFD').match(TONE_RE);
  if (!m) return 0;
  return TONE_MARKS.indexOf(m[0] as (typeof TONE_MARKS)[number]) + 1;
}

const VOWELS = 'aăâeêioôơuưy';
const isVowel = (c: string) => VOWELS.includes(c.toLowerCase());
const HAS_HAT = 'ăâêôơư';

const ONSETS = ['ngh', 'ng', 'nh', 'ch', 'gh', 'gi', 'kh', 'ph', 'qu', 'th', 'tr', 'b', 'c', 'd', 'đ', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'x'];

/** Valid rhymes (vần) without tone. */
const RHYMES = new Set(
  (
    'a ac ach ai am an ang anh ao ap at au ay ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây ' +
    'e ec em en eng eo ep et ê êch êm ên ênh êp êt êu ' +
    'i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu ' +
    'o oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt oc oe oen oeo oet oi om on ong ooc oong op ot ' +
    'ô ôc ôi ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt ' +
    'u ua uân uâng uât uây uc uê uêch uênh ui um un ung uôc uôi uôm uôn uông uôt up ut uy uya uych uyên uyêt uynh uyt uyu uơ ' +
    'ư ưa ưc ưi ưm ưn ưng ươc ươi ươm ươn ương ươp ươt ươu ưt ưu ' +
    'y yêm yên yêng yêt yêu'
  ).split(' '),
);

function splitOnset(base: string): { onset: string; rhyme: string } {
  for (const o of ONSETS) {
    if (base.startsWith(o) && base.length > o.length) {
      // "gi" / "qu" count as onset only when a vowel follows ("gì" = gi + i, "quý" = qu + y)
      return { onset: o, rhyme: base.slice(o.length) };
    }
    if (base === o && o === 'gi') return { onset: 'gi', rhyme: '' };
  }
  return { onset: '', rhyme: base };
}

/**
 * Structural check: is `s` a well-formed Vietnamese syllable (e.g. "nghiêng", "quyết", "gì")?
 * Checks onset + rhyme against the phonotactic inventory, the stop-final tone rule
 * (rhymes ending in p/t/c/ch only take sắc or nặng) and c/k/gh/ngh spelling.
 */
export function isVietnameseSyllable(s: string): boolean {
  const w = s.normalize('NFC').toLowerCase();
  if (!/^[a-zăâđêôơư\u00C0-\u1EF9]+$/.test(w)) return false;
  if ((w.normalize('NFD').match(TONE_RE) ?? []).length > 1) return false;
  const tone = toneOf(w);
  const base = stripTone(w);
  const { onset, rhyme } = splitOnset(base);
  let ok = RHYMES.has(rhyme);
  if (!ok && onset === 'gi') ok = rhyme === '' || RHYMES.has('i' + rhyme);
  // "qu" holds the medial u: "quýt", "quỳnh" are q + uyt / uynh
  if (!ok && onset === 'qu') ok = RHYMES.has('u' + rhyme);
  if (!ok) return false;
  const r = onset === 'gi' && !RHYMES.has(rhyme) ? 'i' + rhyme : rhyme;
  if (/(p|t|c|ch)$/.test(r) && tone !== 2 && tone !== 5) return false;
  const front = /^[ieêy]/.test(r);
  if (onset === 'k' && !front) return false;
  if (onset === 'c' && front) return false;
  if ((onset === 'gh' || onset === 'ngh') && !front) return false;
  if ((onset === 'g' || onset === 'ng') && /^[eê]/.test(r)) return false;
  return true;
}

let wellFormed: string[] | null = null;

/**
 * Every well-formed Vietnamese syllable (lower case, NFC), generated from the same inventory `isVietnameseSyllable`
 * checks: each onset (or none) with each rhyme and each of the six tones, kept when the syllable passes the check;
 * open oa / oe / uy syllables in both tone placements ("hòa" and "hoà"). About 13,000 forms — every syllable of the
 * language and some that are well formed but unused — built from rules, so no word list (and no word list's
 * licence) is needed. "gi" before a rhyme that starts with i writes the i once ("gì", "giếng").
 */
export function wellFormedSyllables(): readonly string[] {
  if (wellFormed) return wellFormed;
  const out = new Set<string>();
  for (const onset of ['', ...ONSETS]) {
    for (const rhyme of RHYMES) {
      const joined = onset === 'gi' && rhyme.startsWith('i') ? 'g' + rhyme : onset === 'qu' && rhyme.startsWith('u') ? 'q' + rhyme : null;
      const base = joined ?? onset + rhyme;
      for (let tone = 0; tone <= TONE_MARKS.length; tone++) {
        // the tone goes on a vowel of the rhyme (normaliseSyllableTone then moves it where it belongs)
        const first = [...base].findIndex((c, i) => isVowel(c) && i >= (joined ? 1 : onset.length));
        if (first < 0) continue;
        const chars = [...base];
        chars[first] = COMPOSE_TONE(chars[first], tone);
        const w = chars.join('').normalize('NFC');
        if (!isVietnameseSyllable(w)) continue;
        out.add(normaliseSyllableTone(w, 'old'));
        out.add(normaliseSyllableTone(w, 'new'));
      }
    }
  }
  wellFormed = [...out];
  return wellFormed;
}

/** Index in `chars` (lower-case, tone stripped, onset removed) where the tone mark goes. */
function tonePosition(nucleusStart: number, chars: string[], style: ToneStyle): number {
  let end = nucleusStart;
  while (end < chars.length && isVowel(chars[end])) end++;
  const nucleus = chars.slice(nucleusStart, end);
  const hasCoda = end < chars.length;
  if (nucleus.length === 0) return -1;
  // ươ → ơ; otherwise the last vowel with a hat (ê in "uyên", â in "uân")
  for (let i = nucleus.length - 1; i >= 0; i--) if (HAS_HAT.includes(nucleus[i])) return nucleusStart + i;
  if (nucleus.length === 1) return nucleusStart;
  if (hasCoda) return nucleusStart + nucleus.length - 1;
  const pair = nucleus.join('');
  if (nucleus.length === 2) {
    if (pair === 'oa' || pair === 'oe' || pair === 'uy') return nucleusStart + (style === 'old' ? 0 : 1);
    return nucleusStart;
  }
  return nucleusStart + 1; // oai, uya, uyu, oeo: middle vowel
}

const COMPOSE_TONE = (ch: string, tone: number) => (tone === 0 ? ch : (ch + TONE_MARKS[tone - 1]).normalize('NFC'));

/** Places the tone mark of one syllable according to `style`; other tokens are returned unchanged. */
export function normaliseSyllableTone(word: string, style: ToneStyle = 'old'): string {
  const w = word.normalize('NFC');
  const tone = toneOf(w);
  if (tone === 0 || !/^[A-Za-zĂÂĐÊÔƠƯăâđêôơư\u00C0-\u1EF9]+$/.test(w)) return w;
  const base = stripTone(w);
  const lower = base.toLowerCase();
  const chars = [...lower];
  let start = 0;
  if (lower.startsWith('qu') && chars.length > 2 && isVowel(chars[2])) start = 2;
  else if (lower.startsWith('gi') && chars.length > 2 && isVowel(chars[2])) start = 2;
  else while (start < chars.length && !isVowel(chars[start])) start++;
  if (lower === 'gi') start = 1;
  const pos = tonePosition(start, chars, style);
  if (pos < 0) return w;
  const orig = [...base];
  orig[pos] = COMPOSE_TONE(orig[pos], tone);
  return orig.join('');
}

/** Applies `normaliseSyllableTone` to every letter run in `s`. */
export function normaliseToneMarks(s: string, style: ToneStyle = 'old'): string {
  return s.normalize('NFC').replace(/[A-Za-zĂÂĐÊÔƠƯăâđêôơư\u00C0-\u1EF9]+/g, (m) => normaliseSyllableTone(m, style));
}

/** NFC + tone marks in the given style + collapsed spaces: the canonical form for comparison. */
export function normaliseVietnamese(s: string, style: ToneStyle = 'old'): string {
  return normaliseToneMarks(s, style).replace(/[ \t\u00a0]+/g, ' ').trim();
}
