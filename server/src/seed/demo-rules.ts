/**
 * Pure checks that keep the demo province believable (issue 9): identifier codes in the right groups, symbols
 * that fit the type and the issuer, trích yếu that do not repeat the type, no names of national leaders.
 * Used by the seed's unit tests; no I/O.
 */
import { parseAgencyCode } from '../modules/admin/agency-code';

export interface CodedAgency {
  key: string;
  code: string;
  parent?: string;
}

const isZero = (g: string) => /^0+$/.test(g);

/**
 * Checks every code against the format (QĐ 20/2020, QCVN 102:2016 SĐ1:2022: `[cấp 4: 3 digits].[cấp 3: 2].[cấp 2:
 * 2].[cấp 1: letter + 2 digits]`, 13 characters, upper case) and the levels: an agency at depth d of the tree
 * (the province = 1) fills exactly the groups cấp 1 … cấp d (no group skipped, none below), keeps its parent's
 * groups, and every code carries the province's cấp-1 group. Returns the problems (empty: all good).
 */
export function checkAgencyCodes(agencies: readonly CodedAgency[], provinceGroup: string): string[] {
  const problems: string[] = [];
  const byKey = new Map(agencies.map((a) => [a.key, a]));
  const seen = new Map<string, string>();
  const depthOf = (a: CodedAgency, guard = 0): number => (a.parent && guard < 10 ? 1 + depthOf(byKey.get(a.parent) ?? { key: '?', code: '' }, guard + 1) : 1);
  for (const a of agencies) {
    const r = parseAgencyCode(a.code);
    if (!r.ok || r.value.code !== a.code) {
      problems.push(`${a.key}: ${a.code} is not a 13-character code ddd.dd.dd.Xdd`);
      continue;
    }
    const [c1, c2, c3, c4] = r.value.groups;
    if (c1 !== provinceGroup) problems.push(`${a.key}: ${a.code} is not in the province's group ${provinceGroup}`);
    if (seen.has(a.code)) problems.push(`${a.key}: ${a.code} is also the code of ${seen.get(a.code)}`);
    seen.set(a.code, a.key);
    if (a.parent && !byKey.has(a.parent)) problems.push(`${a.key}: unknown parent ${a.parent}`);
    const depth = depthOf(a);
    const used = [true, !isZero(c2), !isZero(c3), !isZero(c4)];
    const want = [1, 2, 3, 4].map((level) => level <= depth);
    if (used.some((u, i) => u !== want[i])) problems.push(`${a.key}: ${a.code} must use the groups cấp 1…cấp ${depth} only (depth ${depth} in the tree)`);
    const parent = a.parent ? byKey.get(a.parent) : undefined;
    const p = parent ? parseAgencyCode(parent.code) : null;
    if (p?.ok && p.value.groups.some((g, i) => !isZero(g) && g !== r.value.groups[i])) problems.push(`${a.key}: ${a.code} does not keep the groups of its parent ${parent!.code}`);
  }
  return problems;
}

/** Abbreviations of the administrative document types (Decree 30, App. III). Công văn and thư công have none. */
export const TYPE_ABBREVIATIONS: Record<string, string> = {
  'Nghị quyết': 'NQ',
  'Quyết định': 'QĐ',
  'Chỉ thị': 'CT',
  'Quy chế': 'QC',
  'Quy định': 'QyĐ',
  'Thông cáo': 'TC',
  'Thông báo': 'TB',
  'Hướng dẫn': 'HD',
  'Chương trình': 'CTr',
  'Kế hoạch': 'KH',
  'Phương án': 'PA',
  'Đề án': 'ĐA',
  'Dự án': 'DA',
  'Báo cáo': 'BC',
  'Biên bản': 'BB',
  'Tờ trình': 'TTr',
  'Hợp đồng': 'HĐ',
  'Công điện': 'CĐ',
  'Bản ghi nhớ': 'BGN',
  'Bản thỏa thuận': 'BTT',
  'Giấy ủy quyền': 'GUQ',
  'Giấy mời': 'GM',
  'Giấy giới thiệu': 'GGT',
  'Giấy nghỉ phép': 'GNP',
  'Phiếu gửi': 'PG',
  'Phiếu chuyển': 'PC',
  'Phiếu báo': 'PB',
};
const ALL_ABBRS = new Set(Object.values(TYPE_ABBREVIATIONS));

/**
 * Checks a số, ký hiệu against the type and the issuer (Decree 30, App. I): `15/TTr-SYT` for a typed document
 * (type abbreviation, then the issuer's), `15/SYT-NVY` for a công văn (the issuer's, then the drafting unit's; no
 * type). The number has at least two digits (05); a draft has none yet (`/KH-UBND`). Returns the problem or null.
 */
export function checkSymbol(symbol: string, typeName: string, issuerAbbr: string): string | null {
  const m = /^(\d*)\/([^/\s]+)$/.exec(symbol);
  if (!m) return `${symbol}: expected <number>/<notation> without spaces`;
  if (m[1] && m[1].length < 2) return `${symbol}: numbers below 10 are written with a leading 0`;
  const parts = m[2].split('-');
  const abbr = TYPE_ABBREVIATIONS[typeName];
  if (typeName === 'Công văn') {
    if (parts.length < 2 || parts[0] !== issuerAbbr) return `${symbol}: a công văn is <issuer>-<unit>, e.g. 15/${issuerAbbr}-VP`;
    if (ALL_ABBRS.has(parts[0]) || parts.slice(1).some((p) => ALL_ABBRS.has(p) && p !== 'TC')) return `${symbol}: a công văn carries no type abbreviation`;
    return null;
  }
  if (!abbr) return `${symbol}: unknown type ${typeName}`;
  if (parts[0] !== abbr || parts[1] !== issuerAbbr) return `${symbol}: a ${typeName} is <number>/${abbr}-${issuerAbbr}`;
  return null;
}

const fold = (s: string) => s.normalize('NFC').toLocaleLowerCase('vi');

/**
 * A trích yếu that does not repeat the type: a công văn's begins with "V/v "; a typed document's is printed under
 * its type name, so it must not begin with that name again ("KẾ HOẠCH / Kế hoạch tổ chức…"). Returns the problem or null.
 */
export function checkSubject(typeName: string, subject: string): string | null {
  const s = subject.normalize('NFC').trim();
  if (!s) return 'empty trích yếu';
  if (typeName === 'Công văn') return s.startsWith('V/v ') ? null : `"${s}": a công văn's trích yếu begins with "V/v "`;
  if (/^v\/v\b/i.test(s)) return `"${s}": "V/v" is for công văn only`;
  if (fold(s).startsWith(fold(typeName))) return `"${s}": repeats the type ${typeName}`;
  return null;
}

/**
 * Names a demo must not use: living national leaders (Party, State, Government, National Assembly, ministers in
 * office since 2021), real officials an earlier demo named as signers, and national heroes whose names are
 * street names. Not exhaustive: the names a clerk would recognise at once.
 */
export const FORBIDDEN_NAMES = [
  'Tô Lâm',
  'Lương Cường',
  'Phạm Minh Chính',
  'Trần Thanh Mẫn',
  'Nguyễn Xuân Phúc',
  'Võ Văn Thưởng',
  'Vương Đình Huệ',
  'Trần Cẩm Tú',
  'Võ Thị Ánh Xuân',
  'Nguyễn Hòa Bình',
  'Trần Hồng Hà',
  'Lê Thành Long',
  'Hồ Đức Phớc',
  'Bùi Thanh Sơn',
  'Nguyễn Chí Dũng',
  'Mai Văn Chính',
  'Phan Văn Giang',
  'Lương Tam Quang',
  'Phạm Thị Thanh Trà',
  'Nguyễn Văn Thắng',
  'Nguyễn Mạnh Hùng',
  'Nguyễn Kim Sơn',
  'Đào Hồng Lan',
  'Đỗ Văn Chiến',
  'Nguyễn Văn Bình',
  'Trần Quốc Vượng',
  'Nguyễn Trọng Nghĩa',
  'Lê Minh Hưng',
  'Nguyễn Duy Ngọc',
  'Trần Đức Thắng',
  'Đỗ Đức Duy',
  'Nguyễn Đình Khang',
  'Đinh Tiến Dũng',
  'Phan Đình Trạc',
  'Lê Hoài Trung',
  'Nguyễn Thanh Nghị',
  'Trần Lưu Quang',
  'Bùi Thị Minh Hoài',
  'Nguyễn Duy Thăng',
  'Mai Thị Thu Vân',
  'Bùi Quang Huy',
  'Hoàng Văn Thụ',
  'Đinh Công Tráng',
];

/** The names among `names` that are on FORBIDDEN_NAMES (compared in NFC, case-insensitive). */
export function forbiddenNames(names: readonly string[]): string[] {
  const bad = new Set(FORBIDDEN_NAMES.map(fold));
  return names.filter((n) => bad.has(fold(n)));
}

/**
 * Địa danh, ngày tháng năm as printed (Decree 30, App. I): days below 10 and the months 01, 02 get a leading 0
 * ("Bắc Ninh, ngày 05 tháng 02 năm 2026", "…, ngày 15 tháng 3 năm 2026").
 */
export function placeDateLine(place: string, isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  const day = d < 10 ? `0${d}` : String(d);
  const month = m <= 2 ? `0${m}` : String(m);
  return `${place}, ngày ${day} tháng ${month} năm ${y}`;
}
