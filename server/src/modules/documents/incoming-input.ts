/**
 * Validation and normalisation of the registration form of an incoming document (vào sổ văn bản đến),
 * pure (no I/O). Vietnamese messages, each with the offending `field`. Uses the domain rules for the
 * symbol (parseSymbol), the document types and the markings; the rules that need no data (required fields,
 * lengths, page count, dates) come from schema/validation/incoming.ts, which the web form uses too.
 */
import { badInput } from '../../shared/errors';
import {
  INCOMING_LABELS as L,
  INCOMING_MESSAGES as M,
  MAX_ISSUER_LENGTH,
  MAX_PAGE_COUNT,
  MAX_SIGNER_LENGTH,
  MAX_SUBJECT_LENGTH,
  MAX_SYMBOL_LENGTH,
  MAX_TYPE_NAME_LENGTH,
  issuedDateProblem,
  isValidPageCount,
  tooLongMessage,
} from '../../../../schema/validation/incoming';
import {
  SECRECIES,
  URGENCIES,
  cleanText,
  findTypeByCode,
  findTypeByName,
  localDateOf,
  parseSymbol,
  type DocumentType,
  type PlainDate,
  type Secrecy,
  type Urgency,
} from './domain';

export { MAX_ISSUER_LENGTH, MAX_PAGE_COUNT, MAX_SIGNER_LENGTH, MAX_SUBJECT_LENGTH, MAX_SYMBOL_LENGTH, MAX_TYPE_NAME_LENGTH };
export const MAX_IDEMPOTENCY_KEY_LENGTH = 100;

/** What the văn thư typed (all optional: an electronic arrival is prefilled). */
export interface RegistrationForm {
  issuerName?: string | null;
  symbol?: string | null;
  issuedDate?: string | null;
  typeCode?: string | null;
  typeName?: string | null;
  subject?: string | null;
  signerName?: string | null;
  signerTitle?: string | null;
  urgency?: string | null;
  secrecy?: string | null;
  pageCount?: number | null;
}

/** The fields as they will be stored. */
export interface RegistrationFields {
  issuerName: string;
  symbol: string | null;
  number: number | null;
  issuedDate: PlainDate | null;
  typeCode: string | null;
  typeName: string;
  subject: string;
  signerName: string | null;
  signerTitle: string | null;
  urgency: Urgency;
  secrecy: Secrecy;
  pageCount: number | null;
}

export interface RegistrationContext {
  /** The agency's document types (defaults + its own). */
  types: readonly DocumentType[];
  /** Today in the agency's zone. */
  today: PlainDate;
  /** Name of the issuing agency when chosen from the deployment (issuerAgencyId). */
  issuerAgencyName?: string | null;
  /** Values already on the record (electronic arrival): used where the form leaves a field empty. */
  prefill?: Partial<RegistrationFields> | null;
}

const opt = (s: string | null | undefined): string | null => {
  if (s === undefined || s === null) return null;
  const c = cleanText(s);
  return c ? c : null;
};

function limit(value: string | null, max: number, field: string, label: string): string | null {
  if (value !== null && value.length > max) throw badInput(tooLongMessage(label, max), field);
  return value;
}

/** Validates and normalises the form; throws AppError BAD_USER_INPUT (with `field`) on the first problem. */
export function normalizeRegistration(form: RegistrationForm, ctx: RegistrationContext): RegistrationFields {
  const pre = ctx.prefill ?? {};

  const subject = limit(opt(form.subject) ?? pre.subject ?? null, MAX_SUBJECT_LENGTH, 'subject', L.subject);
  if (!subject) throw badInput(M.subjectRequired, 'subject');

  const issuerName = limit(opt(form.issuerName) ?? opt(ctx.issuerAgencyName) ?? pre.issuerName ?? null, MAX_ISSUER_LENGTH, 'issuerName', L.issuerName);
  if (!issuerName) throw badInput(M.issuerRequired, 'issuerName');

  // Số, ký hiệu
  const symbolText = opt(form.symbol) ?? pre.symbol ?? null;
  let symbol: string | null = null;
  let number: number | null = null;
  let parsedTypeCode: string | undefined;
  let parsedIsCodeless = false;
  if (symbolText) {
    const parsed = parseSymbol(symbolText, ctx.types);
    if (!parsed) throw badInput(`Số, ký hiệu "${symbolText}" không đúng dạng (ví dụ: 05/KH-UBND hoặc 12/UBND-VP).`, 'symbol');
    symbol = limit(parsed.canonical, MAX_SYMBOL_LENGTH, 'symbol', L.symbol);
    number = parsed.number;
    parsedTypeCode = parsed.typeCode;
    parsedIsCodeless = !parsed.typeCode;
  }

  // Loại văn bản
  let typeCode: string | null;
  let typeName: string;
  const codeIn = opt(form.typeCode);
  const nameIn = opt(form.typeName);
  if (codeIn) {
    const t = findTypeByCode(codeIn, ctx.types.filter((x) => x.code !== null));
    if (!t) throw badInput(`Không có loại văn bản viết tắt "${codeIn}".`, 'typeCode');
    if (parsedTypeCode !== undefined && parsedTypeCode !== t.code) {
      throw badInput(`Loại văn bản (${t.code}) không khớp với ký hiệu (${parsedTypeCode}).`, 'typeCode');
    }
    typeCode = t.code;
    typeName = t.name;
  } else if (nameIn) {
    const t = findTypeByName(nameIn, ctx.types);
    if (t) {
      if (parsedTypeCode !== undefined && t.code !== null && parsedTypeCode !== t.code) {
        throw badInput(`Loại văn bản "${t.name}" không khớp với ký hiệu (${parsedTypeCode}).`, 'typeName');
      }
      typeCode = t.code;
      typeName = t.name;
    } else {
      typeCode = parsedTypeCode ?? null;
      typeName = limit(nameIn, MAX_TYPE_NAME_LENGTH, 'typeName', L.typeName)!;
    }
  } else if (parsedTypeCode !== undefined) {
    const t = findTypeByCode(parsedTypeCode, ctx.types);
    typeCode = parsedTypeCode;
    typeName = t?.name ?? parsedTypeCode;
  } else if (pre.typeName) {
    typeCode = pre.typeCode ?? null;
    typeName = pre.typeName;
  } else if (parsedIsCodeless) {
    // 12/UBND-VP: no type code → công văn.
    typeCode = null;
    typeName = ctx.types.find((t) => t.key === 'CONG_VAN')?.name ?? 'Công văn';
  } else {
    throw badInput(M.typeRequired, 'typeName');
  }

  const issuedDate = opt(form.issuedDate) ?? pre.issuedDate ?? null;
  const issuedProblem = issuedDate === null ? null : issuedDateProblem(issuedDate, ctx.today);
  if (issuedProblem) throw badInput(issuedProblem, 'issuedDate');

  const urgency = (form.urgency ?? pre.urgency ?? 'THUONG') as Urgency;
  if (!URGENCIES.includes(urgency)) throw badInput('Mức độ khẩn không hợp lệ.', 'urgency');
  const secrecy = (form.secrecy ?? pre.secrecy ?? 'THUONG') as Secrecy;
  if (!SECRECIES.includes(secrecy)) throw badInput('Độ mật không hợp lệ.', 'secrecy');

  const pageCount = form.pageCount ?? pre.pageCount ?? null;
  if (pageCount !== null && !isValidPageCount(pageCount)) throw badInput(M.pageCount, 'pageCount');

  return {
    issuerName,
    symbol,
    number,
    issuedDate,
    typeCode,
    typeName,
    subject,
    signerName: limit(opt(form.signerName) ?? pre.signerName ?? null, MAX_SIGNER_LENGTH, 'signerName', L.signerName),
    signerTitle: limit(opt(form.signerTitle) ?? pre.signerTitle ?? null, MAX_SIGNER_LENGTH, 'signerTitle', L.signerTitle),
    urgency,
    secrecy,
    pageCount,
  };
}

/**
 * Ngày đến of a paper document received earlier (the văn thư registers it later): an instant not in the
 * future and, in the agency's zone, not before the ngày ban hành. Null when absent (then: now). The số đến
 * is still drawn in registration order — an earlier ngày đến does not renumber the register.
 */
export function normalizeReceivedAt(
  value: Date | string | null | undefined,
  ctx: { now: Date; timeZone: string; issuedDate: PlainDate | null },
): Date | null {
  if (value === undefined || value === null || value === '') return null;
  const at = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(at.getTime())) throw badInput('Ngày đến không hợp lệ.', 'receivedAt');
  if (at.getTime() > ctx.now.getTime()) throw badInput(M.receivedFuture, 'receivedAt');
  if (ctx.issuedDate && localDateOf(at, ctx.timeZone) < ctx.issuedDate) throw badInput(M.receivedBeforeIssued, 'receivedAt');
  return at;
}

/** A client idempotency key: trimmed, 1–100 printable characters; null if absent. */
export function cleanIdempotencyKey(key: string | null | undefined): string | null {
  if (key === undefined || key === null) return null;
  const k = key.trim();
  if (!k) return null;
  if (k.length > MAX_IDEMPOTENCY_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(k)) {
    throw badInput(`Mã chống gửi trùng phải gồm 1–${MAX_IDEMPOTENCY_KEY_LENGTH} ký tự ASCII in được.`, 'idempotencyKey');
  }
  return k;
}
