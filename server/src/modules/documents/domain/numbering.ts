/**
 * Số và ký hiệu (number and symbol), number sequences (sổ), register years, Vietnamese dates and the
 * duplicate key of incoming documents. NĐ 30/2020 Điều 15, 22.2 and Phụ lục I (vn-standards §1.2).
 */
import { badInput } from '../../../shared/errors';
import { VN_TIME_ZONE, isPlainDate, localDateOf, plainDateParts, type PlainDate } from './calendar';
import { CODELESS_TYPE_TOKEN, DEFAULT_DOCUMENT_TYPES, findTypeByCode, normalizeTypeCode, type DocumentType } from './document-types';
import { isSecret, type Secrecy } from './markings';
import { cleanText, fixDStroke, foldVietnamese, unifyDashes } from './text';

/** Arabic digits, at least two: 5 → "05", 7 → "07", 123 → "123" (Phụ lục I: "số nhỏ hơn 10 ghi thêm số 0"). */
export function formatNumber(n: number): string {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`Document number must be a positive integer, got ${n}`);
  return String(n).padStart(2, '0');
}

export interface SymbolParts {
  number: number;
  /** Type abbreviation (QĐ, KH …); null/undefined for Công văn and Thư công. */
  typeCode?: string | null;
  /** Issuing agency abbreviation, e.g. UBND. */
  agencyAbbr: string;
  /** Drafting unit (or subject area) abbreviation, used only by code-less types: 07/UBND-VP. */
  unitAbbr?: string | null;
  /** Văn bản quy phạm pháp luật: the year group of `05/2026/QĐ-UBND` (Điều 15.1.a: own sequence per type and year). */
  year?: number | null;
}

function cleanAbbr(s: string, field: string): string {
  const v = fixDStroke(cleanText(s));
  if (!v || /[\s/]/u.test(v)) throw badInput(`Chữ viết tắt "${s}" không hợp lệ (không được trống, chứa dấu cách hoặc "/").`, field);
  return v;
}

/**
 * Số, ký hiệu as printed: `07/QĐ-UBND` (type code – agency), or for công văn (no type code)
 * `07/UBND-VP` (agency – drafting unit). Without a unit the công văn form is `07/UBND`
 * (small agencies such as UBND xã have no units). The unit is ignored for typed documents.
 */
export function formatSymbol(p: SymbolParts): string {
  const num = formatNumber(p.number);
  const agency = cleanAbbr(p.agencyAbbr, 'agencyAbbr');
  if (p.typeCode) {
    const code = normalizeTypeCode(p.typeCode);
    if (!/^\p{L}{1,10}$/u.test(code)) throw badInput(`Chữ viết tắt loại văn bản "${p.typeCode}" không hợp lệ.`, 'typeCode');
    if (p.year != null) {
      if (!Number.isInteger(p.year) || p.year < 1000 || p.year > 9999) throw new RangeError(`Invalid year: ${p.year}`);
      return `${num}/${p.year}/${code}-${agency}`;
    }
    return `${num}/${code}-${agency}`;
  }
  const unit = p.unitAbbr ? cleanAbbr(p.unitAbbr, 'unitAbbr') : '';
  return unit ? `${num}/${agency}-${unit}` : `${num}/${agency}`;
}

export interface ParsedSymbol {
  number: number;
  /** The digits as written ("05", "5", "0123"). */
  numberText: string;
  /** Year group of the VBQPPL form `05/2026/QĐ-UBND`, if present. */
  year?: number;
  /** Everything after the last "/", dash-unified, with the type code in its canonical casing: "KH-UBND". */
  notation: string;
  /** The canonical type code if the first group is a known type code. */
  typeCode?: string;
  /** Issuer abbreviation: the group(s) after the type code, or the first group of a công văn. */
  issuerAbbr?: string;
  /** For công văn (no type code): the drafting unit / subject group(s). */
  unitAbbr?: string;
  /** Canonical form: `${formatNumber(number)}/${year/}${notation}`. */
  canonical: string;
}

const PREFIX_RE = /^(?:s[ốo]\s*hi[ệe]u|s[ốo](?:\s*(?:,|và)?\s*k[ýy]\s*hi[ệe]u)?|no)\s*[:.]?\s*/iu;
const NOTATION_GROUP = '[\\p{L}\\p{N}&.]+';
const NOTATION_RE = new RegExp(`^${NOTATION_GROUP}(?:-${NOTATION_GROUP})*$`, 'u');

/**
 * Parse a printed số/ký hiệu. Robust to a leading "Số:" / "Số" / "So:", spaces around "/" and "-",
 * en/em dashes, the Ð look-alike, a trailing full stop, and all-lower-case input.
 *
 * Casing: the type code is returned in its canonical casing when it can be identified unambiguously
 * (exact match, else a case-insensitive unique match: "qyđ" → QyĐ, "ctr" → CTr). Other groups keep the
 * casing as written (issuer abbreviations such as "TTg" are mixed-case), except when the whole notation
 * is lower-case, in which case they are upper-cased.
 *
 * Limitation: a công văn whose issuer abbreviation equals a type code (e.g. Cục Thuế "CT") is read as that
 * type; the parse is a best effort for registration forms and duplicate detection, not an authority.
 *
 * Returns null if the text is not a number/notation.
 */
export function parseSymbol(input: string, types: readonly DocumentType[] = DEFAULT_DOCUMENT_TYPES): ParsedSymbol | null {
  let s = unifyDashes(fixDStroke(cleanText(input))).replace(/\uFF0F/gu, '/');
  s = s.replace(PREFIX_RE, '');
  s = s.replace(/\s*([/-])\s*/gu, '$1').replace(/[.,;:]+$/u, '').trim();
  const m = /^(\d{1,9})(?:\/(\d{4}))?\/(\S+)$/u.exec(s);
  if (!m) return null;
  const [, numberText, yearText, rawNotation] = m;
  const number = Number(numberText);
  if (!Number.isSafeInteger(number) || number < 1) return null;
  if (!NOTATION_RE.test(rawNotation)) return null;
  const lowerOnly = rawNotation === rawNotation.toLowerCase();
  const groups = rawNotation.split('-');
  const type = findTypeByCode(groups[0], types.filter((t) => t.code !== null));
  const rest = (g: string[]) => (lowerOnly ? g.map((x) => x.toUpperCase()) : g);
  let notationGroups: string[];
  const out: Partial<ParsedSymbol> = {};
  if (type && type.code) {
    notationGroups = [type.code, ...rest(groups.slice(1))];
    out.typeCode = type.code;
    if (groups.length > 1) out.issuerAbbr = notationGroups.slice(1).join('-');
  } else {
    notationGroups = rest(groups);
    out.issuerAbbr = notationGroups[0];
    if (groups.length > 1) out.unitAbbr = notationGroups.slice(1).join('-');
  }
  const notation = notationGroups.join('-');
  const year = yearText ? Number(yearText) : undefined;
  return {
    number,
    numberText,
    ...(year !== undefined ? { year } : {}),
    notation,
    ...out,
    canonical: `${String(number).padStart(2, '0')}/${year !== undefined ? `${year}/` : ''}${notation}`,
  };
}

// ---------------------------------------------------------------------------------------------------
// Sequences (sổ đăng ký / hệ thống số)

export type Direction = 'INCOMING' | 'OUTGOING';

/**
 * How an agency numbers outgoing documents (NĐ 30 Điều 15.1.c leaves it to the head of the agency):
 * - SHARED: one sequence for all types, except the types listed in `ownSequenceTypes` (type codes, or
 *   CODELESS_TYPE_TOKEN for công văn) which get their own — e.g. many agencies number QĐ separately.
 * - PER_TYPE: one sequence per type code; công văn and thư công share `OUTGOING:CONG_VAN`.
 * Secret documents always use their own sequence (Điều 15.2).
 */
export interface NumberingPolicy {
  outgoing: 'SHARED' | 'PER_TYPE';
  ownSequenceTypes?: readonly string[];
}

export const DEFAULT_NUMBERING_POLICY: NumberingPolicy = Object.freeze({ outgoing: 'SHARED' });

/**
 * The numbering choice an administrator makes (Cấu hình văn bản), stored per agency:
 * - SHARED: one sequence for all types (the common default);
 * - PER_TYPE: one sequence per type;
 * - SHARED_EXCEPT_QD: "dùng chung, riêng Quyết định" — Quyết định (and any type the agency derives from it,
 *   i.e. whose key starts with QUYET_DINH) has its own sequence, everything else shares one.
 */
export const OUTGOING_NUMBERING_MODES = ['SHARED', 'PER_TYPE', 'SHARED_EXCEPT_QD'] as const;
export type OutgoingNumberingMode = (typeof OUTGOING_NUMBERING_MODES)[number];

export const isOutgoingNumberingMode = (v: unknown): v is OutgoingNumberingMode => (OUTGOING_NUMBERING_MODES as readonly unknown[]).includes(v);

/** Key prefix of the Quyết định types (Decree 30 key QUYET_DINH; agency variants keep the prefix). */
const DECISION_KEY_PREFIX = 'QUYET_DINH';

/**
 * The sequence policy of a numbering mode. `types` are the agency's document types (Decree 30 merged with its
 * overrides), so that a renamed Quyết định code still gets its own sequence under SHARED_EXCEPT_QD.
 */
export function numberingPolicyFor(mode: OutgoingNumberingMode, types: readonly DocumentType[] = DEFAULT_DOCUMENT_TYPES): NumberingPolicy {
  if (mode === 'PER_TYPE') return { outgoing: 'PER_TYPE' };
  if (mode === 'SHARED') return DEFAULT_NUMBERING_POLICY;
  if (mode !== 'SHARED_EXCEPT_QD') throw new RangeError(`Unknown numbering mode: ${String(mode)}`);
  const codes = types.filter((t) => t.key.startsWith(DECISION_KEY_PREFIX) && t.code).map((t) => t.code as string);
  return { outgoing: 'SHARED', ownSequenceTypes: [...new Set(codes.length ? codes : ['QĐ'])] };
}

export interface SequenceKeyInput {
  direction: Direction;
  secrecy: Secrecy;
  /** Type code of the document; null/undefined for code-less types (công văn, thư công). */
  typeCode?: string | null;
  policy?: NumberingPolicy;
  /** Văn bản quy phạm pháp luật: its own sequence per type and year whatever the policy (Điều 15.1.a). */
  legalNormative?: boolean;
}

/**
 * The copy forms (Điều 25–27: bản sao y, sao lục, trích sao). They share ONE sequence of their own
 * (`COPY`), never the outgoing one: a copy is numbered in the sổ of bản sao, not as a new văn bản đi.
 */
export const COPY_FORM_CODES = ['SY', 'SL', 'TrS'] as const;
export type CopyFormCode = (typeof COPY_FORM_CODES)[number];
export const isCopyFormCode = (v: unknown): v is CopyFormCode => typeof v === 'string' && (COPY_FORM_CODES as readonly string[]).includes(normalizeTypeCode(v));
/** The shared sequence of the copy forms. */
export const COPY_SEQUENCE_KEY = 'OUTGOING:BAN_SAO';

/**
 * Types that may be issued as a văn bản quy phạm pháp luật by an agency of this system (Luật Ban hành
 * VBQPPL: HĐND nghị quyết, UBND quyết định; ministers' thông tư …). Others are administrative only.
 */
export const LEGAL_NORMATIVE_TYPE_CODES: readonly string[] = Object.freeze(['NQ', 'QĐ', 'TT', 'TTLT', 'NĐ']);
export const canBeLegalNormative = (typeCode: string | null | undefined): boolean => !!typeCode && LEGAL_NORMATIVE_TYPE_CODES.includes(normalizeTypeCode(typeCode));

/**
 * The register/sequence a document is numbered in, within (agency, register year):
 * 'INCOMING' (paper and electronic share it, Điều 22.2), 'INCOMING_SECRET', 'OUTGOING', 'OUTGOING:QĐ',
 * 'OUTGOING:CONG_VAN', 'OUTGOING_SECRET', 'OUTGOING:QPPL:QĐ' (legal normative, per type), 'OUTGOING:BAN_SAO' (SY, SL, TrS share it;
 * type codes have no "_" or ":", so neither can collide with a per-type key).
 * Type codes keep their casing (CTr ≠ CT).
 */
export function sequenceKeyFor(input: SequenceKeyInput): string {
  const secret = isSecret(input.secrecy);
  if (input.direction === 'INCOMING') return secret ? 'INCOMING_SECRET' : 'INCOMING';
  if (input.direction !== 'OUTGOING') throw new RangeError(`Unknown direction: ${String(input.direction)}`);
  if (secret) return 'OUTGOING_SECRET';
  if (input.typeCode && isCopyFormCode(input.typeCode)) return COPY_SEQUENCE_KEY;
  if (input.legalNormative) {
    if (!canBeLegalNormative(input.typeCode)) throw badInput(`Loại văn bản "${input.typeCode ?? 'Công văn'}" không phải văn bản quy phạm pháp luật.`, 'legalNormative');
    return `OUTGOING:QPPL:${normalizeTypeCode(input.typeCode!)}`;
  }
  const policy = input.policy ?? DEFAULT_NUMBERING_POLICY;
  const token = input.typeCode ? normalizeTypeCode(input.typeCode) : CODELESS_TYPE_TOKEN;
  if (policy.outgoing === 'PER_TYPE') return `OUTGOING:${token}`;
  const own = (policy.ownSequenceTypes ?? []).map((c) => (c === CODELESS_TYPE_TOKEN ? c : normalizeTypeCode(c)));
  return own.includes(token) ? `OUTGOING:${token}` : 'OUTGOING';
}

/** Identifies one number sequence: numbers restart at 1 every register year (01/01 … 31/12). */
export interface SequenceRef {
  agencyId: string;
  year: number;
  key: string;
}

/** A stable string id for a sequence, e.g. for a unique index or an advisory-lock name. */
export function sequenceId(ref: SequenceRef): string {
  return `${ref.agencyId}:${ref.year}:${ref.key}`;
}

/**
 * The register year of an instant: the calendar year in the agency's zone (Vietnam, UTC+7).
 * 2026-12-31T17:30:00Z is 00:30 on 1 January 2027 in Hà Nội → 2027.
 */
export function registerYear(instant: Date, timeZone: string = VN_TIME_ZONE): number {
  return Number(localDateOf(instant, timeZone).slice(0, 4));
}

// ---------------------------------------------------------------------------------------------------
// Dates as written on documents

function toPlainDate(date: PlainDate | Date, timeZone: string): PlainDate {
  if (date instanceof Date) return localDateOf(date, timeZone);
  if (!isPlainDate(date)) throw new RangeError(`Invalid date: ${JSON.stringify(date)}`);
  return date;
}

/**
 * "ngày 05 tháng 02 năm 2026": days below 10 and months 1–2 get a leading zero, other months do not
 * ("ngày 15 tháng 3 năm 2026") — Phụ lục I NĐ 30. A Date is read in `timeZone` (default Vietnam).
 */
export function formatVnDate(date: PlainDate | Date, timeZone: string = VN_TIME_ZONE): string {
  const { year, month, day } = plainDateParts(toPlainDate(date, timeZone));
  const dd = String(day).padStart(2, '0');
  const mm = month <= 2 ? String(month).padStart(2, '0') : String(month);
  return `ngày ${dd} tháng ${mm} năm ${year}`;
}

/** "Bắc Ninh, ngày 05 tháng 02 năm 2026" (địa danh và thời gian ban hành). */
export function formatPlaceAndDate(place: string, date: PlainDate | Date, timeZone: string = VN_TIME_ZONE): string {
  const p = cleanText(place);
  return p ? `${p}, ${formatVnDate(date, timeZone)}` : formatVnDate(date, timeZone);
}

// ---------------------------------------------------------------------------------------------------
// Duplicate detection (incoming)

function normalizeSymbolForKey(symbol: string): string {
  const parsed = parseSymbol(symbol);
  if (parsed) return parsed.canonical.toUpperCase();
  return unifyDashes(fixDStroke(cleanText(symbol)))
    .replace(/\s*([/-])\s*/gu, '$1')
    .replace(/[.,;:]+$/u, '')
    .toUpperCase();
}

/**
 * Key under which two incoming registrations count as the same document: same issuer, same number and
 * notation, same document date. Issuer: case/diacritic/space-insensitive ("UBND huyện  Lương Tài" =
 * "ubnd huyen luong tai"). Symbol: leading zeros, "Số:" prefix, spaces, dashes and case do not matter,
 * but diacritics do (HD ≠ HĐ). Date: the calendar date (a Date is read in Vietnam time).
 * The key only FLAGS a possible duplicate; the văn thư decides.
 */
export function duplicateKey(issuer: string, symbol: string, date: PlainDate | Date, timeZone: string = VN_TIME_ZONE): string {
  return `${foldVietnamese(issuer)}|${normalizeSymbolForKey(symbol)}|${toPlainDate(date, timeZone)}`;
}
