/**
 * Decree 30/2020/NĐ-CP field extraction from recognised text in reading order (pure functions).
 * Works on OCR lines (with column labels and word confidences) and on plain text (one line per
 * header line / paragraph, as in the corpus ground truth).
 */
import { foldVietnamese } from '../../../server/src/shared/vntext';
import { parseVietnameseDate } from './dates';

export type Urgency = 'THUONG' | 'KHAN' | 'THUONG_KHAN' | 'HOA_TOC';

export type Field<T> = { value: T | null; confidence: number };

export type ExtractedFields = {
  organ: Field<string>;
  superiorOrgan: Field<string>;
  symbol: Field<string>;
  number: Field<string>;
  typeName: Field<string>;
  typeCode: Field<string>;
  excerpt: Field<string>;
  place: Field<string>;
  issuedDate: Field<string>;
  signer: Field<string>;
  signerTitle: Field<string>;
  urgency: Field<Urgency>;
  recipients: Field<string[]>;
};

export type FieldLine = { text: string; col?: 'wide' | 'left' | 'right' | 'center'; words?: Array<{ confidence: number }>; page?: number };

/** The 29 Decree 30 types (Điều 7, Phụ lục III). Công văn has no code. */
export const DOC_TYPES: Array<{ name: string; code: string | null }> = [
  { name: 'Nghị quyết', code: 'NQ' },
  { name: 'Quyết định', code: 'QĐ' },
  { name: 'Chỉ thị', code: 'CT' },
  { name: 'Quy chế', code: 'QC' },
  { name: 'Quy định', code: 'QyĐ' },
  { name: 'Thông cáo', code: 'TC' },
  { name: 'Thông báo', code: 'TB' },
  { name: 'Hướng dẫn', code: 'HD' },
  { name: 'Chương trình', code: 'CTr' },
  { name: 'Kế hoạch', code: 'KH' },
  { name: 'Phương án', code: 'PA' },
  { name: 'Đề án', code: 'ĐA' },
  { name: 'Dự án', code: 'DA' },
  { name: 'Báo cáo', code: 'BC' },
  { name: 'Biên bản', code: 'BB' },
  { name: 'Tờ trình', code: 'TTr' },
  { name: 'Hợp đồng', code: 'HĐ' },
  { name: 'Công văn', code: null },
  { name: 'Công điện', code: 'CĐ' },
  { name: 'Bản ghi nhớ', code: 'BGN' },
  { name: 'Bản thỏa thuận', code: 'BTT' },
  { name: 'Giấy ủy quyền', code: 'GUQ' },
  { name: 'Giấy mời', code: 'GM' },
  { name: 'Giấy giới thiệu', code: 'GGT' },
  { name: 'Giấy nghỉ phép', code: 'GNP' },
  { name: 'Phiếu gửi', code: 'PG' },
  { name: 'Phiếu chuyển', code: 'PC' },
  { name: 'Phiếu báo', code: 'PB' },
  { name: 'Thư công', code: null },
];

/** Signer titles (chức vụ), longest first so that "PHÓ CHỦ TỊCH" wins over "CHỦ TỊCH". */
const TITLES = [
  'PHÓ CHÁNH VĂN PHÒNG', 'CHÁNH VĂN PHÒNG', 'PHÓ TỔNG GIÁM ĐỐC', 'TỔNG GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC', 'GIÁM ĐỐC',
  'PHÓ CHỦ TỊCH', 'CHỦ TỊCH', 'PHÓ TRƯỞNG PHÒNG', 'TRƯỞNG PHÒNG', 'PHÓ TRƯỞNG BAN', 'TRƯỞNG BAN', 'PHÓ CHÁNH THANH TRA',
  'CHÁNH THANH TRA', 'BỘ TRƯỞNG', 'THỨ TRƯỞNG', 'PHÓ CỤC TRƯỞNG', 'CỤC TRƯỞNG', 'PHÓ VỤ TRƯỞNG', 'VỤ TRƯỞNG', 'PHÓ TỔNG CỤC TRƯỞNG',
  'TỔNG CỤC TRƯỞNG', 'PHÓ HIỆU TRƯỞNG', 'HIỆU TRƯỞNG', 'PHÓ VIỆN TRƯỞNG', 'VIỆN TRƯỞNG', 'PHÓ CHỦ NHIỆM', 'CHỦ NHIỆM', 'PHÓ BÍ THƯ', 'BÍ THƯ',
  'PHÓ TRƯỞNG ĐOÀN', 'TRƯỞNG ĐOÀN', 'PHÓ THỦ TRƯỞNG', 'THỦ TRƯỞNG', 'KẾ TOÁN TRƯỞNG', 'PHÓ CHÁNH ÁN', 'CHÁNH ÁN', 'PHÓ TRƯỞNG KHOA', 'TRƯỞNG KHOA',
  'TRƯỞNG TRẠM', 'PHÓ TRƯỞNG TRẠM', 'TRƯỞNG CÔNG AN', 'PHÓ TRƯỞNG CÔNG AN',
].sort((a, b) => b.length - a.length);

const key = (s: string) => foldVietnamese(s).replace(/[^a-z0-9]/g, '');
const fold = (s: string) => foldVietnamese(s).replace(/[^a-z0-9/ -]/g, ' ').replace(/\s+/g, ' ').trim();
const letters = (s: string) => (s.match(/\p{L}/gu) ?? []).length;
const isUpper = (s: string) => letters(s) > 0 && s === s.toUpperCase();

function lev(a: string, b: string): number {
  const A = [...a];
  const B = [...b];
  let prev = Array.from({ length: B.length + 1 }, (_, j) => j);
  for (let i = 1; i <= A.length; i++) {
    const cur = [i];
    for (let j = 1; j <= B.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (A[i - 1] === B[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[B.length];
}

function confOf(lines: FieldLine[], base = 1): number {
  const ws = lines.flatMap((l) => l.words ?? []);
  if (!ws.length) return Math.round(base * 100) / 100;
  const m = ws.reduce((s, w) => s + w.confidence, 0) / ws.length / 100;
  return Math.round(Math.max(0, Math.min(1, base * m)) * 100) / 100;
}

const none = <T>(): Field<T> => ({ value: null, confidence: 0 });

const isMotto = (s: string) => {
  const k = key(s);
  return /conghoa|xahoi|chunghia|vietnam|doclap|tudo|hanhphuc/.test(k) && !/^so/.test(k);
};
const isSoLine = (s: string) => /^s[oốồỗộơớờởỡợ0]\s*[:;.,]\s*\S/i.test(s.trim().normalize('NFC')) || /^so\s*[:.]?\s*\d+\s*\//.test(fold(s));
const DATE_RE = /ng[aà]y\s*\S{1,3}\s*th[aá]ng\s*\S{1,3}\s*n[aă]m\s*\S{4}/i;
const isDateLine = (s: string) => /ngay\s*\S{1,3}\s*th[a-z]{2,4}\s*\S{1,3}\s*n[a-z]{1,3}\s*\S{4}/.test(fold(s)) || DATE_RE.test(s);

const URGENCY: Array<[string, Urgency]> = [
  ['thuongkhan', 'THUONG_KHAN'],
  ['hoatoc', 'HOA_TOC'],
  ['khan', 'KHAN'],
];

function urgencyOf(s: string): Urgency | null {
  const k = key(s);
  if (k.length > 12) return null;
  for (const [u, v] of URGENCY) if (k === u || (k.length >= u.length && k.length <= u.length + 2 && k.includes(u))) return v;
  return null;
}

/** Administrative levels that continue a bare organ kind on the next line. */
const LEVEL = /^(tinh|huyen|thanh pho|quan|xa|phuong|thi xa|thi tran|tp)\b/;
const BARE_KIND = /^(uy ban nhan dan|hoi dong nhan dan|ubnd|hdnd|so|ban|phong|bo|cuc|tong cuc|vu|vien|truong)$/;

/** Words an organ name starts with (a header line starting otherwise continues the previous name). */
const ORGAN_START =
  /^(ubnd|hdnd|uy ban|hoi dong|so|ban|phong|bo|cuc|tong cuc|vu|vien|truong|trung tam|cong an|bo chi huy|chi cuc|van phong|thanh tra|kho bac|dai|benh vien|toa an|vien kiem sat|mat tran|doan|hoi|dang|chinh phu|quoc hoi|cong ty|tap doan|ngan hang|chi nhanh|tinh uy|huyen uy|thanh uy|dang uy)\b/;

/** Generic administrative words in upper-case organ names, keyed by their accent-free form. */
const ORGAN_WORDS = (() => {
  const words =
    // words whose other accent forms do not occur in place or organ names
    'TỈNH HUYỆN SỞ NHÂN DÂN PHÒNG NỘI VỤ CHÍNH CHỈ ĐẠO CẢI CÁCH HÀNH PHỐ QUẬN PHƯỜNG TRẤN NGHIỆP'.split(' ');
  const byKey = new Map<string, string[]>();
  for (const w of words) byKey.set(key(w), [...(byKey.get(key(w)) ?? []), w]);
  // only unambiguous keys ("tai" is TÀI or TẢI, "thanh" THÀNH or THANH: left alone)
  return new Map([...byKey].filter(([, ws]) => ws.length === 1).map(([k, ws]) => [k, ws[0]] as [string, string]));
})();

/** "UBND TÍNH LONG AN" → "UBND TỈNH LONG AN": only whole upper-case words that are generic organ words. */
function fixOrganWords(s: string): string {
  return s.replace(/[\p{L}]+/gu, (w) => {
    if (w !== w.toUpperCase()) return w;
    const k = key(w);
    const canon = ORGAN_WORDS.get(k);
    // keep printed variants of the same word (UỶ/ỦY are not in the list)
    return canon && canon !== w ? canon : w;
  });
}

/** Joins header lines that belong to one organ name ("ỦY BAN NHÂN DÂN" + "TỈNH BẮC NINH"). */
function organUnits(lines: FieldLine[]): FieldLine[][] {
  const units: FieldLine[][] = [];
  for (const l of lines) {
    const prev = units[units.length - 1];
    const pf = prev ? fold(prev.map((x) => x.text).join(' ')) : '';
    const lf = fold(l.text);
    if (prev && (BARE_KIND.test(pf) || LEVEL.test(lf) || /\b(va|cua)$/.test(pf) || !ORGAN_START.test(lf))) prev.push(l);
    else units.push([l]);
  }
  return units;
}

const cleanOrgan = (s: string) =>
  s
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N})]+$/gu, '')
    .replace(/\s+/g, ' ')
    .trim();

function findType(s: string): { name: string; code: string | null; dist: number } | null {
  const k = key(s);
  if (!k || k.length > 20) return null;
  let best: { name: string; code: string | null; dist: number } | null = null;
  for (const t of DOC_TYPES) {
    const tk = key(t.name);
    const d = lev(k, tk);
    const tol = tk.length >= 7 ? 2 : 1;
    if (d <= tol && (!best || d < best.dist)) best = { ...t, dist: d };
  }
  return best;
}

/** "Số: 96/1B-STC" → { number: "96", symbol: "96/TB-STC" } (type code repaired when it is one OCR slip away). */
export function parseSymbol(line: string, typeCode: string | null): { number: string; symbol: string; exact: boolean } | null {
  const cleaned = line
    .normalize('NFC')
    .replace(/[⁄∕|\\]/g, '/')
    .replace(/\/\s*\/+/g, '/');
  const m0 = cleaned.match(/^\s*\S{1,3}\s*[:;.]?\s*([0-9OoIl]{1,6})\s*\/\s*([\p{L}\p{N}][\p{L}\p{N}\-–.]*)/u);
  // "Số: 123UBND": the slash was lost
  const m1 = m0 ? null : cleaned.match(/^\s*\S{1,3}\s*[:;.]\s*(\d{1,6})\s*(\p{Lu}[\p{L}\p{N}\-–.]*)/u);
  const m = m0 ?? m1;
  if (!m) return null;
  const number = m[1].replace(/[Oo]/g, '0').replace(/[Il]/g, '1');
  let rest = m[2].replace(/–/g, '-').replace(/[.]+$/, '');
  let exact = !!m0;
  const parts = rest.split('-');
  if (typeCode && parts.length >= 2 && parts[0] !== typeCode && lev(parts[0].toUpperCase(), typeCode.toUpperCase()) <= 1) {
    parts[0] = typeCode;
    rest = parts.join('-');
    exact = false;
  }
  return { number, symbol: `${number}/${rest}`, exact };
}

/** "Nơi nhận:" heading, tolerating one OCR slip ("Nơi hhận", "Nơinhận"). */
export function isNoiNhan(s: string): boolean {
  const k = key(s);
  return k.startsWith('noinhan') || (k.length <= 12 && k.length >= 6 && lev(k.slice(0, 7), 'noinhan') <= 1 && /nh|hh|nn/.test(k));
}

const NAME_RE = /^(\p{Lu}[\p{Ll}]*)(\s+\p{Lu}[\p{Ll}]*){1,5}$/u;

/**
 * The deployment's directory (agencies and people), given to the extractor as data: an issuer or signer read
 * close enough to a directory entry takes the entry's spelling. Names as printed ("UBND HUYỆN ĐÔNG ANH",
 * "Nguyễn Văn A").
 */
export type Directory = { agencies: readonly string[]; people: readonly string[] };

/** Main entry: `pages` are the pages' reading-order lines. */
export function extractFields(pages: Array<{ lines: FieldLine[] }>, directory?: Directory): ExtractedFields {
  const all: FieldLine[] = pages.flatMap((p, i) => p.lines.map((l) => ({ ...l, text: l.text.normalize('NFC').trim(), page: i }))).filter((l) => l.text);
  const first = all.filter((l) => l.page === 0);
  return withDirectory(extractFromLines(first, all), directory);
}

/** Plain text (one line per header line / paragraph) → fields. */
export function extractFieldsFromText(text: string, directory?: Directory): ExtractedFields {
  const lines = text
    .split('\n')
    .map((t) => ({ text: t.trim() }))
    .filter((l) => l.text);
  return withDirectory(extractFromLines(lines, lines), directory);
}

/**
 * The directory entry closest to `value` (letters and digits compared without marks, then with them), when it
 * is within one edit in six characters; its confidence rises with the closeness. Null when none is that close.
 */
export function matchDirectory(value: string, entries: readonly string[]): { value: string; confidence: number } | null {
  const k = key(value);
  if (k.length < 4) return null;
  let best: { e: string; d: number; exact: number } | null = null;
  for (const e of entries) {
    const ek = key(e);
    if (Math.abs(ek.length - k.length) > Math.max(2, k.length / 6)) continue;
    const d = lev(k, ek);
    const exact = d === 0 ? lev(value.normalize('NFC').toLowerCase(), e.normalize('NFC').toLowerCase()) : Infinity;
    if (!best || d < best.d || (d === best.d && exact < best.exact)) best = { e, d, exact };
  }
  if (!best || best.d > Math.max(1, Math.floor(k.length / 6))) return null;
  return { value: best.e.normalize('NFC'), confidence: best.d === 0 ? 0.98 : Math.max(0.7, 0.95 - best.d * 0.08) };
}

function withDirectory(f: ExtractedFields, dir: Directory | undefined): ExtractedFields {
  if (!dir) return f;
  const fix = (field: Field<string>, entries: readonly string[]): Field<string> => {
    if (!field.value) return field;
    const m = matchDirectory(field.value, entries);
    return m ? { value: m.value, confidence: Math.max(field.confidence, m.confidence) } : field;
  };
  return { ...f, organ: fix(f.organ, dir.agencies), superiorOrgan: fix(f.superiorOrgan, dir.agencies), signer: fix(f.signer, dir.people) };
}

function extractFromLines(first: FieldLine[], all: FieldLine[]): ExtractedFields {
  const f: ExtractedFields = {
    organ: none(),
    superiorOrgan: none(),
    symbol: none(),
    number: none(),
    typeName: none(),
    typeCode: none(),
    excerpt: none(),
    place: none(),
    issuedDate: none(),
    signer: none(),
    signerTitle: none(),
    urgency: none(),
    recipients: none(),
  };
  const hasCols = first.some((l) => l.col);
  const head = first.slice(0, 40);

  // --- header landmarks
  const soIdx = head.findIndex((l) => isSoLine(l.text));
  const mottoIdx = head.findIndex((l) => isMotto(l.text));
  // the place-and-date line is in the header: before the body ("Căn cứ …" lines also carry dates)
  const dateIdx = head.slice(0, 14).findIndex((l) => isDateLine(l.text) && !/^can cu/.test(fold(l.text)));

  // --- type name: an upper-case line matching a Decree 30 type after the header
  const after = Math.max(soIdx, mottoIdx, dateIdx);
  let typeIdx = -1;
  let type: { name: string; code: string | null; dist: number } | null = null;
  for (let i = Math.max(0, after + 1); i < Math.min(head.length, after + 6); i++) {
    const t = findType(head[i].text);
    if (t && isUpper(head[i].text.replace(/[^\p{L}]/gu, ''))) {
      typeIdx = i;
      type = t;
      break;
    }
  }
  const vvIdx = head.findIndex((l, i) => i > soIdx && soIdx >= 0 && /^v\s*\/\s*v\b/.test(fold(l.text)));
  if (type) {
    f.typeName = { value: type.name, confidence: confOf([head[typeIdx]], type.dist === 0 ? 1 : 0.8) };
    f.typeCode = { value: type.code, confidence: f.typeName.confidence };
  } else if (vvIdx >= 0 || soIdx >= 0) {
    // no printed type name: a công văn (it carries "V/v …" under the number)
    f.typeName = { value: 'Công văn', confidence: vvIdx >= 0 ? 0.9 : 0.6 };
    f.typeCode = { value: null, confidence: f.typeName.confidence };
  }

  // --- number and symbol
  if (soIdx >= 0) {
    const s = parseSymbol(head[soIdx].text, type?.code ?? null);
    if (s) {
      const c = confOf([head[soIdx]], s.exact ? 1 : 0.8);
      f.symbol = { value: s.symbol, confidence: c };
      f.number = { value: s.number, confidence: c };
    }
  }

  // --- place and date
  if (dateIdx >= 0) {
    const line = head[dateIdx].text;
    const d = parseVietnameseDate(line);
    if (d) f.issuedDate = { value: d.iso, confidence: confOf([head[dateIdx]], d.exact ? 1 : 0.8) };
    const comma = line.indexOf(',');
    const m = line.match(/^(.*?)[,.]?\s*ng[aà]y/i);
    const place = comma > 0 ? line.slice(0, comma) : m?.[1];
    if (place && letters(place) >= 2) f.place = { value: cleanOrgan(place), confidence: confOf([head[dateIdx]], comma > 0 ? 1 : 0.7) };
  }

  // --- organ / superior: left header lines before "Số"
  const leftHead = (soIdx >= 0 ? head.slice(0, soIdx) : head.slice(0, Math.max(0, mottoIdx)))
    .filter((l) => !isMotto(l.text) && !isDateLine(l.text) && letters(l.text) >= 2 && (!hasCols || l.col === 'left' || l.col === 'center'))
    .filter((l) => !/^\d+$/.test(l.text));
  const units = organUnits(leftHead);
  if (units.length >= 1) {
    const organ = units[units.length - 1];
    f.organ = { value: fixOrganWords(cleanOrgan(organ.map((l) => l.text).join(' '))), confidence: confOf(organ) };
    if (units.length >= 2) {
      const sup = units.slice(0, -1).flat();
      f.superiorOrgan = { value: fixOrganWords(cleanOrgan(sup.map((l) => l.text).join(' '))), confidence: confOf(sup) };
    } else f.superiorOrgan = { value: null, confidence: confOf(organ, 0.9) };
  }

  // --- the place is usually named in the organ ("UBND XÃ TRUNG KÊNH" → "Trung Kênh"): repair OCR slips from it
  if (f.place.value) {
    const names = [f.organ.value, f.superiorOrgan.value].filter((x): x is string => !!x);
    const cands: string[] = [];
    for (const n of names) {
      const m = n.match(/(?:TỈNH|HUYỆN|XÃ|THÀNH PHỐ|QUẬN|PHƯỜNG|THỊ XÃ|THỊ TRẤN)\s+(.+)$/u);
      if (m) cands.push(m[1].toLowerCase().replace(/(^|\s)(\p{L})/gu, (_x, a: string, b: string) => a + b.toUpperCase()));
    }
    const pk = key(f.place.value);
    for (const c of cands) {
      const d = lev(pk, key(c));
      if (d > 0 && d <= 2 && pk.length >= 4) {
        f.place = { value: c, confidence: Math.min(f.place.confidence, 0.7) };
        break;
      }
    }
  }

  // --- urgency: a short upper-case mark in the left header (after "Số"/"V/v")
  for (let i = 0; i < Math.min(head.length, Math.max(typeIdx, after) + 1); i++) {
    const u = urgencyOf(head[i].text);
    if (u) {
      f.urgency = { value: u, confidence: confOf([head[i]]) };
      break;
    }
  }
  if (!f.urgency.value) f.urgency = { value: null, confidence: 0.9 };

  // --- excerpt (trích yếu)
  if (f.typeName.value === 'Công văn' && vvIdx < 0 && soIdx >= 0 && hasCols) {
    // the "V/v" token was lost (stamp, dust): the left-column lines under "Số" are still the excerpt
    const ex: FieldLine[] = [];
    for (let i = soIdx + 1; i < head.length && head[i].col === 'left' && !urgencyOf(head[i].text) && !isMotto(head[i].text); i++) ex.push(head[i]);
    if (ex.length) f.excerpt = { value: ('V/v ' + ex.map((l) => l.text).join(' ')).replace(/\s+/g, ' ').trim(), confidence: confOf(ex, 0.5) };
  } else if (f.typeName.value === 'Công văn' && vvIdx >= 0) {
    const ex: FieldLine[] = [head[vvIdx]];
    for (let i = vvIdx + 1; i < head.length; i++) {
      const l = head[i];
      if (isMotto(l.text) || isDateLine(l.text) || urgencyOf(l.text) || (hasCols && l.col !== 'left') || /^kinh gui/.test(fold(l.text))) break;
      if (!hasCols) break;
      ex.push(l);
    }
    f.excerpt = { value: ex.map((l) => l.text).join(' ').replace(/\s+/g, ' ').trim(), confidence: confOf(ex) };
  } else if (typeIdx >= 0 && typeIdx + 1 < head.length) {
    // trích yếu: the whole block under the type title, up to "Kính gửi" or the body, joined across lines. A line
    // continues the block when it is centred like it, or when it starts in lower case or with a digit (an
    // excerpt wraps mid-phrase; a body paragraph starts a sentence). A short wrapped tail (one to three words) is
    // narrow enough for layout to file it under a column, left or right of the centre: it still continues.
    const ex: FieldLine[] = [];
    for (let i = typeIdx + 1; i < head.length && ex.length < 5; i++) {
      const l = head[i];
      const lf = fold(l.text);
      if (/^(kinh gui|can cu)/.test(lf) || (ex.length && /^thuc hien/.test(lf)) || /^(dieu|chuong|phan|muc)\s+\d/.test(lf) || /^[ivx]+\s*[.]\s/i.test(l.text)) break;
      if (!/[\p{L}\p{N}]/u.test(l.text) || isNoiNhan(l.text) || isMotto(l.text)) break; // a rule under the excerpt
      if (ex.length) {
        const wrapsLower = /^[\p{Ll}\p{N}(]/u.test(l.text);
        const shortTail = wrapsLower && l.text.trim().split(/\s+/).length <= 3;
        if (!hasCols || ((l.col === 'left' || l.col === 'right') && !shortTail)) break;
        if (/[.:;]$/.test(ex[ex.length - 1].text)) break;
        if (isUpper(l.text) && !isUpper(ex[0].text)) break;
        const continues = wrapsLower || l.col === 'center';
        if (!continues) break;
      }
      ex.push(l);
      if (!hasCols) break;
    }
    if (ex.length) f.excerpt = { value: ex.map((l) => l.text).join(' ').replace(/\s+/g, ' ').trim(), confidence: confOf(ex) };
  }

  // --- recipients (Nơi nhận) and signer block, from the end of the document
  let nnIdx = -1;
  for (let i = all.length - 1; i >= 0; i--)
    if (isNoiNhan(all[i].text)) {
      nnIdx = i;
      break;
    }
  if (nnIdx >= 0) {
    const items: string[] = [];
    const used: FieldLine[] = [all[nnIdx]];
    let i = nnIdx + 1;
    // "Nơi nhận: - Như trên;" on one line
    const inline = all[nnIdx].text.replace(/^.*?nh[aâậ]n\s*[:;.]?\s*/i, '');
    const pushItem = (t: string) => {
      const c = t
        .replace(/^[\s\-–—~•*.,+_=:;'"]+/, '')
        .replace(/[\s;,.:\-–]+$/, '')
        .trim();
      if (c) items.push(c);
    };
    if (letters(inline) >= 2) pushItem(inline);
    for (; i < all.length; i++) {
      const l = all[i];
      if (hasCols && l.col && l.col !== 'left') {
        if (l.col === 'wide' || i - nnIdx > 25) break;
        continue; // signer block and stamp junk interleaved with the list
      }
      const t = l.text;
      const isItem = /^[\s:;.'"]*[-–—~•*+]/.test(t) || /^[\s:;.'"-]*[lI1][uư]u\s*[:;]/i.test(t);
      // a wrapped item continues in lower case; a capitalised line is a new item whose dash was lost
      if (!isItem && items.length && !/^\p{Lu}/u.test(t) && !/[;.]$/.test(items[items.length - 1] + (all[i - 1]?.text.trim().slice(-1) ?? ''))) {
        items[items.length - 1] += ' ' + t.replace(/[\s;,.]+$/, '');
        used.push(l);
        continue;
      }
      if (!isItem && !hasCols && !/^\p{Lu}/u.test(t)) break;
      if (!isItem && !hasCols && /^\p{Lu}/u.test(t) && isUpper(t)) break; // the signer block
      pushItem(t);
      used.push(l);
      if (/^[lI1][uư]u\b/i.test(t.replace(/^[\s\-–—~•*+:;.'"]+/, ''))) break;
    }
    if (items.length)
      f.recipients = {
        value: items.map((s) =>
          s
            .replace(/^[LlI1][uư]u\s*[:;.]\s*/, 'Lưu: ')
            // Decree 30: the file copy is always "Lưu: VT[, unit]"
            .replace(/^.{0,3}?[LlI1][uư]u\s*[:;]\s*/, 'Lưu: ')
            .replace(/^Lưu: V[ITỊlI1|]{0,2}(?=$|[,.\s])/, 'Lưu: VT')
            .replace(/^Lưu: VT[.,;]\s*(?=\p{Lu})/u, 'Lưu: VT, ')
            .replace(/\(\s*b(\s*[/ ]?\s*[cCoO0(]\s*[)}\]]?)?$/, '(b/c)')
            .replace(/,(?=\S)/g, ', ')
            .replace(/\s+/g, ' '),
        ),
        confidence: confOf(used),
      };

    // signer block: lines after the recipients (plain text) or right-column lines after "Nơi nhận"
    const block = hasCols ? all.slice(nnIdx).filter((l) => l.col === 'right' || l.col === 'center') : all.slice(i + 1);
    signerFrom(block, f);
  } else {
    signerFrom(all.slice(-8), f);
  }
  return f;
}

/** A known title at the end of `k` within one edit per 5 letters (stamp ink over the letters). */
function fuzzyTitle(k: string): string | undefined {
  if (/nhandan|uyban|bannhan|chidao/.test(k)) return undefined;
  let best: { t: string; d: number } | undefined;
  for (const t of TITLES) {
    const tk = key(t);
    if (k.length < tk.length - 2) continue;
    const tail = k.slice(Math.max(0, k.length - tk.length - 1));
    const d = Math.min(lev(tail, tk), lev(k.slice(Math.max(0, k.length - tk.length)), tk));
    if (d <= Math.max(1, Math.floor(tk.length / 4)) && (!best || d < best.d || (d === best.d && tk.length > key(best.t).length))) best = { t, d };
  }
  if (best) return best.t;
  // only the end of the title was read ("VĂN PHÒNG", "ĐỐC"): the shortest title with that word-aligned tail
  const words = k.length >= 3 ? TITLES.filter((t) => key(t).endsWith(k) && (key(t) === k || t.split(' ').some((_w, i, a) => key(a.slice(i).join(' ')) === k))) : [];
  return words.sort((a, b) => a.length - b.length)[0];
}

function signerFrom(block: FieldLine[], f: ExtractedFields) {
  const cand = block.filter((l) => letters(l.text) >= 2);
  // name: the last line that looks like a person's name
  let nameIdx = -1;
  for (let i = cand.length - 1; i >= 0; i--) {
    const t = cand[i].text
      .replace(/[^\p{L}\s]/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      // a lone consonant before the name is a stroke of the signature or the stamp read as a letter: no
      // Vietnamese syllable is a consonant alone ("Y" in "Y Ngông Niê Kdăm" is a syllable and stays)
      .replace(/^[BCDĐFGHJKLMNPQRSTVWXZ] (?=\p{Lu}\p{Ll}* \p{Lu})/u, '');
    if (NAME_RE.test(t) && !isUpper(t)) {
      nameIdx = i;
      f.signer = { value: t, confidence: confOf([cand[i]]) };
      break;
    }
  }
  // title: the last authority line (before the name). "KT. X" = signed on behalf by the deputy → "PHÓ X";
  // "TM. <body>" alone → the head of that body.
  const upto = nameIdx >= 0 ? cand.slice(0, nameIdx) : cand;
  let ktTitle: string | null = null;
  let tmBody: string | null = null;
  let found: { t: string; i: number; conf: number } | null = null;
  for (let i = 0; i < upto.length; i++) {
    const k = key(upto[i].text);
    if (/(uybannhan|bannhandan|nhandan|ubnd|hoidong)/.test(k)) tmBody = 'CHỦ TỊCH';
    else if (/^(tm|km|im)/.test(k) && /ban/.test(k)) tmBody = 'TRƯỞNG BAN';
    const exact = TITLES.find((title) => k.endsWith(key(title)) || k.includes(key(title)));
    const t = exact ?? fuzzyTitle(k);
    if (!t) continue;
    if (/^k[t1l]/.test(k)) {
      ktTitle = t;
      continue;
    }
    if (/^(tm|tl|tuq)/.test(k)) continue;
    found = { t, i, conf: confOf([upto[i]], exact && k === key(t) ? 1 : 0.8) };
  }
  if (found && ktTitle && !found.t.startsWith('PHÓ') && key(found.t) === key(ktTitle)) found = { ...found, t: 'PHÓ ' + ktTitle, conf: found.conf * 0.8 };
  if (found) f.signerTitle = { value: found.t, confidence: found.conf };
  else if (ktTitle) f.signerTitle = { value: ktTitle.startsWith('PHÓ') ? ktTitle : 'PHÓ ' + ktTitle, confidence: 0.6 };
  else if (tmBody) f.signerTitle = { value: tmBody, confidence: 0.4 };
}
