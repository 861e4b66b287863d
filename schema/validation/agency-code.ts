/* Shared by the server (server/src/modules/admin/agency-code.ts re-exports it) and the web agency form. */
/**
 * Mã định danh điện tử of an agency (QĐ 20/2020/QĐ-TTg; structure of QCVN 102:2016/BTTTT, Sửa đổi 1:2022),
 * as a pure rule. Four groups separated by dots, most detailed first:
 *   [cấp 4: 3 digits].[cấp 3: 2 digits].[cấp 2: 2 digits].[cấp 1: a capital letter + 2 digits]
 * e.g. `000.00.00.H27` (UBND tỉnh, cấp 1), `000.00.01.H27` (a Sở, cấp 2), `000.10.00.H27` (a UBND cấp dưới,
 * cấp 3), `001.10.00.H27` (cấp 4). A group of zeros is "not used"; the level is that of the most detailed
 * group in use. A lower agency's code keeps every group its parent uses and adds detail
 * (000.10.00.H27 → 001.10.00.H27), which is how the scheme is built.
 */

export type AgencyCodeLevel = 1 | 2 | 3 | 4;

export interface AgencyCode {
  /** Normalised text (trimmed, upper-case), 13 characters. */
  code: string;
  /** Groups from cấp 1 to cấp 4: ['H27', '00', '00', '000']. */
  groups: [string, string, string, string];
  level: AgencyCodeLevel;
}

export type AgencyCodeResult = { ok: true; value: AgencyCode } | { ok: false; reason: 'EMPTY' | 'FORMAT' | 'NOT_UNDER_PARENT' | 'SAME_AS_PARENT'; message: string };

const CODE_RE = /^(\d{3})\.(\d{2})\.(\d{2})\.([A-Z]\d{2})$/;

const isZero = (g: string) => /^0+$/.test(g);

/** Parses and validates a code (any letter case, surrounding spaces ignored). */
export function parseAgencyCode(raw: string): AgencyCodeResult {
  const code = raw.normalize('NFC').trim().toUpperCase();
  if (!code) return { ok: false, reason: 'EMPTY', message: 'Vui lòng nhập mã định danh của cơ quan.' };
  const m = CODE_RE.exec(code);
  if (!m || isZero(m[4].slice(1)))
    return {
      ok: false,
      reason: 'FORMAT',
      message: 'Mã định danh phải có dạng 000.00.00.H27 (cấp 4: 3 chữ số, cấp 3 và cấp 2: 2 chữ số, cấp 1: một chữ cái in hoa và 2 chữ số khác 00).',
    };
  const groups: AgencyCode['groups'] = [m[4], m[3], m[2], m[1]];
  const level = (isZero(m[1]) ? (isZero(m[2]) ? (isZero(m[3]) ? 1 : 2) : 3) : 4) as AgencyCodeLevel;
  return { ok: true, value: { code, groups, level } };
}

/**
 * Validates a code for an agency under `parentCode` (null: a top-level agency): well-formed, and for a lower
 * agency, keeping each group its parent uses and using at least one group more.
 */
export function validateAgencyCode(raw: string, parentCode: string | null): AgencyCodeResult {
  const r = parseAgencyCode(raw);
  if (!r.ok || parentCode === null) return r;
  const p = parseAgencyCode(parentCode);
  // A parent created before this rule with a code outside the scheme: only the format is checked.
  if (!p.ok) return r;
  const child = r.value.groups;
  const parent = p.value.groups;
  const keeps = parent.every((g, i) => isZero(g) || g === child[i]) && child[0] === parent[0];
  if (!keeps)
    return {
      ok: false,
      reason: 'NOT_UNDER_PARENT',
      message: `Mã định danh của cơ quan cấp dưới phải giữ các nhóm mã của cơ quan chủ quản (${p.value.code}).`,
    };
  const adds = child.some((g, i) => !isZero(g) && isZero(parent[i]));
  if (!adds) return { ok: false, reason: 'SAME_AS_PARENT', message: `Mã định danh của cơ quan cấp dưới phải chi tiết hơn mã của cơ quan chủ quản (${p.value.code}).` };
  return r;
}
