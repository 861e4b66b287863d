/**
 * Loại văn bản: the 29 administrative document types of NĐ 30/2020 Điều 7 with their Phụ lục III
 * abbreviations, plus the copy forms (bản sao y / trích sao / sao lục), and per-agency customisation.
 *
 * Codes are compared CASE- and DIACRITIC-SENSITIVELY first: CTr ≠ CT, ĐA ≠ DA, HD ≠ HĐ (vn-standards §1.1).
 * A case-insensitive (still diacritic-sensitive) fallback is used only when it is unambiguous, so the
 * common misprint "QYĐ" resolves to QyĐ and "ctr" to CTr, while "DA" never becomes ĐA.
 */
import { badInput } from '../../../shared/errors';
import { cleanText, fixDStroke, foldCase, foldVietnamese } from './text';

export type DocumentTypeCategory = 'ADMINISTRATIVE' | 'COPY' | 'CUSTOM';

export interface DocumentType {
  /** Stable ASCII identifier, stored in the database (e.g. 'QUYET_DINH', 'CONG_VAN'). Never changes. */
  key: string;
  /** Abbreviation used in the symbol (Phụ lục III), e.g. 'QĐ'. `null` for Công văn and Thư công. */
  code: string | null;
  /** Display name, NFC, e.g. 'Quyết định'. */
  name: string;
  /** Other names that identify the type (full legal name, old-style tone placement …). */
  aliases: readonly string[];
  category: DocumentTypeCategory;
  /** Display order (Điều 7 order for the defaults). */
  order: number;
  /** Inactive types are kept for old documents but not offered for new ones. */
  active: boolean;
}

/** Sequence token used for the code-less types (Công văn, Thư công) in per-type numbering. */
export const CODELESS_TYPE_TOKEN = 'CONG_VAN';

type Seed = [key: string, code: string | null, name: string, aliases?: string[]];

/** NĐ 30/2020 Điều 7 + Phụ lục III, in the decree's order. */
const DECREE_30_SEEDS: readonly Seed[] = [
  ['NGHI_QUYET', 'NQ', 'Nghị quyết', ['Nghị quyết (cá biệt)']],
  ['QUYET_DINH', 'QĐ', 'Quyết định', ['Quyết định (cá biệt)']],
  ['CHI_THI', 'CT', 'Chỉ thị'],
  ['QUY_CHE', 'QC', 'Quy chế'],
  ['QUY_DINH', 'QyĐ', 'Quy định'],
  ['THONG_CAO', 'TC', 'Thông cáo'],
  ['THONG_BAO', 'TB', 'Thông báo'],
  ['HUONG_DAN', 'HD', 'Hướng dẫn'],
  ['CHUONG_TRINH', 'CTr', 'Chương trình'],
  ['KE_HOACH', 'KH', 'Kế hoạch'],
  ['PHUONG_AN', 'PA', 'Phương án'],
  ['DE_AN', 'ĐA', 'Đề án'],
  ['DU_AN', 'DA', 'Dự án'],
  ['BAO_CAO', 'BC', 'Báo cáo'],
  ['BIEN_BAN', 'BB', 'Biên bản'],
  ['TO_TRINH', 'TTr', 'Tờ trình'],
  ['HOP_DONG', 'HĐ', 'Hợp đồng'],
  ['CONG_VAN', null, 'Công văn'],
  ['CONG_DIEN', 'CĐ', 'Công điện'],
  ['BAN_GHI_NHO', 'BGN', 'Bản ghi nhớ'],
  ['BAN_THOA_THUAN', 'BTT', 'Bản thỏa thuận', ['Bản thoả thuận']],
  ['GIAY_UY_QUYEN', 'GUQ', 'Giấy ủy quyền', ['Giấy uỷ quyền']],
  ['GIAY_MOI', 'GM', 'Giấy mời'],
  ['GIAY_GIOI_THIEU', 'GGT', 'Giấy giới thiệu'],
  ['GIAY_NGHI_PHEP', 'GNP', 'Giấy nghỉ phép'],
  ['PHIEU_GUI', 'PG', 'Phiếu gửi'],
  ['PHIEU_CHUYEN', 'PC', 'Phiếu chuyển'],
  ['PHIEU_BAO', 'PB', 'Phiếu báo'],
  ['THU_CONG', null, 'Thư công'],
];

/** Copy forms (bản sao), [2ND] abbreviations several implementations agree on. */
const COPY_SEEDS: readonly Seed[] = [
  ['BAN_SAO_Y', 'SY', 'Bản sao y', ['Sao y', 'Sao y bản chính']],
  ['BAN_TRICH_SAO', 'TrS', 'Bản trích sao', ['Trích sao']],
  ['BAN_SAO_LUC', 'SL', 'Bản sao lục', ['Sao lục']],
];

function freezeType(t: DocumentType): DocumentType {
  return Object.freeze({ ...t, aliases: Object.freeze([...t.aliases]) });
}

/** The 29 administrative types of NĐ 30/2020 (Điều 7 order). */
export const DECREE_30_TYPES: readonly DocumentType[] = Object.freeze(
  DECREE_30_SEEDS.map(([key, code, name, aliases], i) =>
    freezeType({ key, code, name, aliases: aliases ?? [], category: 'ADMINISTRATIVE', order: i + 1, active: true }),
  ),
);

/** The copy forms SY / TrS / SL. */
export const COPY_TYPES: readonly DocumentType[] = Object.freeze(
  COPY_SEEDS.map(([key, code, name, aliases], i) =>
    freezeType({ key, code, name, aliases: aliases ?? [], category: 'COPY', order: 100 + i + 1, active: true }),
  ),
);

/** Defaults offered to every agency: the 29 types followed by the copy forms. */
export const DEFAULT_DOCUMENT_TYPES: readonly DocumentType[] = Object.freeze([...DECREE_30_TYPES, ...COPY_TYPES]);

/** Normalise a code as typed: NFC, trimmed, Ð→Đ. Case and diacritics are kept. */
export function normalizeTypeCode(code: string): string {
  return fixDStroke(cleanText(code)).replace(/\s+/gu, '');
}

/** Codes are letters only (Vietnamese letters included), 1–10 of them. */
const CODE_RE = /^\p{L}{1,10}$/u;
export function isValidTypeCode(code: string): boolean {
  return CODE_RE.test(normalizeTypeCode(code));
}

/**
 * Find a type by its code. Exact (case-sensitive) match first; then a case-insensitive,
 * diacritic-SENSITIVE match if exactly one type matches. Inactive types are found too (old documents).
 */
export function findTypeByCode(code: string, types: readonly DocumentType[] = DEFAULT_DOCUMENT_TYPES): DocumentType | undefined {
  const c = normalizeTypeCode(code);
  if (!c) return undefined;
  const exact = types.filter((t) => t.code === c);
  if (exact.length === 1) return exact[0];
  if (exact.length > 1) return exact.find((t) => t.active) ?? exact[0];
  const lc = c.toLowerCase();
  const ci = types.filter((t) => t.code !== null && t.code.toLowerCase() === lc);
  return ci.length === 1 ? ci[0] : undefined;
}

/**
 * Find a type by its name or an alias: exact NFC match, then case-insensitive, then case- and
 * diacritic-insensitive ("quyet dinh"). Each fallback is used only if it is unambiguous.
 */
export function findTypeByName(name: string, types: readonly DocumentType[] = DEFAULT_DOCUMENT_TYPES): DocumentType | undefined {
  const n = cleanText(fixDStroke(name));
  if (!n) return undefined;
  const names = (t: DocumentType) => [t.name, ...t.aliases];
  const stages: Array<(s: string) => string> = [(s) => cleanText(s), foldCase, foldVietnamese];
  for (const norm of stages) {
    const target = norm(n);
    const hits = types.filter((t) => names(t).some((x) => norm(x) === target));
    if (hits.length === 1) return hits[0];
    if (hits.length > 1) return undefined; // ambiguous at this strictness: do not guess further
  }
  return undefined;
}

/** Find by key (exact). */
export function findTypeByKey(key: string, types: readonly DocumentType[] = DEFAULT_DOCUMENT_TYPES): DocumentType | undefined {
  return types.find((t) => t.key === key);
}

/** Code if the input looks like one, else name: convenient for imports ("QĐ", "Quyết định", "quyet dinh"). */
export function findType(codeOrName: string, types: readonly DocumentType[] = DEFAULT_DOCUMENT_TYPES): DocumentType | undefined {
  return findTypeByCode(codeOrName, types) ?? findTypeByName(codeOrName, types);
}

/** An agency's override of a default type (by key) or a new custom type. */
export interface DocumentTypeOverride {
  key: string;
  /** For a new type: required (may be null for a code-less type). For an existing one: omitted = unchanged. */
  code?: string | null;
  name?: string;
  aliases?: readonly string[];
  order?: number;
  active?: boolean;
}

/** Problems that make a type list unusable (Vietnamese messages). Empty = valid. */
export function validateDocumentTypes(types: readonly DocumentType[]): string[] {
  const problems: string[] = [];
  const keys = new Set<string>();
  const codes = new Map<string, string>();
  for (const t of types) {
    if (!/^[A-Z][A-Z0-9_]{0,49}$/.test(t.key)) problems.push(`Mã định danh loại văn bản "${t.key}" không hợp lệ (chỉ gồm A–Z, 0–9, _).`);
    if (keys.has(t.key)) problems.push(`Loại văn bản "${t.key}" bị trùng.`);
    keys.add(t.key);
    if (!cleanText(t.name)) problems.push(`Loại văn bản "${t.key}" chưa có tên.`);
    if (t.code !== null) {
      if (!isValidTypeCode(t.code)) problems.push(`Chữ viết tắt "${t.code}" của loại "${t.name}" không hợp lệ (chỉ gồm chữ cái).`);
      if (t.active) {
        const other = codes.get(t.code);
        if (other) problems.push(`Chữ viết tắt "${t.code}" bị dùng cho cả "${other}" và "${t.name}".`);
        codes.set(t.code, t.name);
      }
    }
  }
  return problems;
}

/**
 * Merge an agency's customisation over the defaults: an override with an existing key changes that type
 * (rename, re-code, deactivate, reorder, add aliases); an unknown key adds a CUSTOM type. The result is
 * sorted by `order` then key, NFC-normalised and validated; throws AppError BAD_USER_INPUT when invalid
 * (duplicate active codes, bad keys/codes, a new type without name or code field).
 */
export function mergeDocumentTypes(
  overrides: readonly DocumentTypeOverride[],
  defaults: readonly DocumentType[] = DEFAULT_DOCUMENT_TYPES,
): DocumentType[] {
  const byKey = new Map<string, DocumentType>(defaults.map((t) => [t.key, { ...t, aliases: [...t.aliases] }]));
  const problems: string[] = [];
  let nextOrder = Math.max(0, ...defaults.map((t) => t.order)) + 1;
  for (const o of overrides) {
    const base = byKey.get(o.key);
    const code = o.code === undefined ? undefined : o.code === null ? null : normalizeTypeCode(o.code);
    const name = o.name === undefined ? undefined : cleanText(o.name);
    const aliases = o.aliases?.map((a) => cleanText(a)).filter(Boolean);
    if (base) {
      byKey.set(o.key, {
        ...base,
        code: code === undefined ? base.code : code,
        name: name ?? base.name,
        aliases: aliases ?? base.aliases,
        order: o.order ?? base.order,
        active: o.active ?? base.active,
      });
    } else {
      if (name === undefined || code === undefined) {
        problems.push(`Loại văn bản mới "${o.key}" phải có tên và chữ viết tắt (có thể để trống chữ viết tắt bằng null).`);
        continue;
      }
      byKey.set(o.key, {
        key: o.key,
        code,
        name,
        aliases: aliases ?? [],
        category: 'CUSTOM',
        order: o.order ?? nextOrder++,
        active: o.active ?? true,
      });
    }
  }
  const merged = [...byKey.values()].sort((a, b) => a.order - b.order || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  problems.push(...validateDocumentTypes(merged));
  if (problems.length) throw badInput(problems.join(' '), 'documentTypes');
  return merged.map(freezeType);
}
