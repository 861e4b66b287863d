/**
 * The registration form's values, its validation (react-hook-form resolver over zod) and the API input it
 * becomes. The rules the server enforces too (required fields, lengths, page count, dates dd/mm/yyyy within
 * 1900–2100, not in the future, ngày đến not before ngày ban hành) come from schema/validation/incoming.ts with
 * the server's messages; the form adds what only it knows (a scan or "văn bản giấy", the named readers of a
 * secret document).
 */
import { z } from 'zod';
import type { Resolver } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { formatVnDate } from '../../../../../schema/validation/dates';
import { INCOMING_MESSAGES, incomingFieldsSchema } from '../../../../../schema/validation/incoming';
import type { AgencyOption } from '../../../components/documents/pickers';
import { typeKey } from '../../../components/documents/pickers';
import type { CirculationMarking, DocumentDetailFragment, RegisterIncomingInput, Secrecy, Urgency } from '../../../graphql/generated';

/** Chỉ dẫn về phạm vi lưu hành, in form order. */
export const CIRCULATION_MARKINGS: readonly CirculationMarking[] = ['XEM_XONG_TRA_LAI', 'LUU_HANH_NOI_BO', 'TRA_LAI_SAU_KHI_HOP'];

export interface RegistrationValues {
  issuer: { name: string; agency: AgencyOption | null };
  symbol: string;
  /** dd/mm/yyyy as typed. */
  issuedDate: string;
  /** A type <select> value (typeKey). */
  type: string;
  subject: string;
  signerName: string;
  signerTitle: string;
  urgency: Urgency;
  secrecy: Secrecy;
  /** Chỉ dẫn về phạm vi lưu hành (XEM XONG TRẢ LẠI, LƯU HÀNH NỘI BỘ …). */
  circulation: CirculationMarking[];
  pageCount: string;
  readerIds: string[];
  /** More files (besides the scan uploaded first; or of an electronic arrival). */
  files: File[];
  /** "Văn bản giấy, không có bản quét": registered by hand, without any file. */
  paperOnly: boolean;
  /** Ngày đến, dd/mm/yyyy (default today). */
  receivedDate: string;
  /** Sổ văn bản đến (DocumentSettings.incomingRegisters key); '' = the first active (general) register. */
  registerKey: string;
}

export type FieldName = keyof RegistrationValues;

export function emptyValues(today: string): RegistrationValues {
  return {
    issuer: { name: '', agency: null },
    symbol: '',
    issuedDate: '',
    type: '',
    subject: '',
    signerName: '',
    signerTitle: '',
    urgency: 'THUONG',
    secrecy: 'THUONG',
    circulation: [],
    pageCount: '',
    readerIds: [],
    files: [],
    paperOnly: false,
    receivedDate: formatVnDate(today),
    registerKey: '',
  };
}

/** An electronically received document (chờ vào sổ): the form prefilled from its package. */
export function valuesFromDocument(d: DocumentDetailFragment, today: string): RegistrationValues {
  return {
    ...emptyValues(today),
    issuer: { name: d.issuer?.name ?? '', agency: d.issuer?.agency ? { ...d.issuer.agency, abbr: '' } : null },
    symbol: d.symbol ?? '',
    issuedDate: formatVnDate(d.issuedDate),
    type: d.typeCode ? `code:${d.typeCode}` : d.typeName ? `name:${d.typeName}` : '',
    subject: d.subject,
    signerName: d.signerName ?? '',
    signerTitle: d.signerTitle ?? '',
    urgency: d.urgency,
    secrecy: d.secrecy,
    pageCount: d.pageCount ? String(d.pageCount) : '',
  };
}

/** What the form's rules depend on besides its values (react-hook-form's resolver context). */
export interface RegistrationContext {
  /** Today in Vietnam, YYYY-MM-DD. */
  today: string;
  /** An electronic arrival: its files came with it. */
  received: boolean;
  /** A scan was uploaded (or is uploading) first. */
  withScan: boolean;
  /** The colleagues list could be read (else the readers of a secret document cannot be required). */
  peopleAvailable: boolean;
  /** Messages of the form's own rules, in the UI language. */
  messages: { files: string; readers: string };
}

export const isSecret = (s: Secrecy) => s !== 'THUONG';

/** The server's field names (extensions.field, e.g. "input.issuerName") → the form's field. */
export const FIELD_OF_INPUT: Readonly<Record<string, FieldName>> = {
  issuerName: 'issuer',
  issuerAgencyId: 'issuer',
  symbol: 'symbol',
  issuedDate: 'issuedDate',
  typeCode: 'type',
  typeName: 'type',
  subject: 'subject',
  signerName: 'signerName',
  signerTitle: 'signerTitle',
  urgency: 'urgency',
  secrecy: 'secrecy',
  circulation: 'circulation',
  pageCount: 'pageCount',
  readerIds: 'readerIds',
  files: 'files',
  fileIds: 'files',
  receivedAt: 'receivedDate',
  registerKey: 'registerKey',
};

/**
 * react-hook-form error type of a server error about the scan uploaded beforehand (input.fileIds, e.g. its
 * signature blocks registration): both fileIds and files map to the form's `files`, but this one is shown at
 * the scan only, not again under "Tệp đính kèm khác".
 */
export const SCAN_ERROR_TYPE = 'server-scan';
export function serverErrorType(field: string | undefined): string {
  return /(^|\.)fileIds(\.|$)/.test(field ?? '') ? SCAN_ERROR_TYPE : 'server';
}

/** The form's field the API error points at, if any. */
export function fieldOfApiError(field: string | undefined): FieldName | undefined {
  if (!field) return undefined;
  const parts = field.split('.').filter((p) => !/^\d+$/.test(p));
  return FIELD_OF_INPUT[parts[parts.length - 1]];
}

/** The form's field each shared rule's field stands for. */
const FORM_FIELD: Readonly<Record<string, FieldName>> = {
  issuerName: 'issuer',
  symbol: 'symbol',
  issuedDate: 'issuedDate',
  subject: 'subject',
  signerName: 'signerName',
  signerTitle: 'signerTitle',
  pageCount: 'pageCount',
  receivedDate: 'receivedDate',
};

export interface CheckedFields {
  issuerName: string;
  symbol: string | null;
  issuedDate: string | null;
  subject: string;
  signerName: string | null;
  signerTitle: string | null;
  pageCount: number | null;
  receivedDate: string | null;
}

/** Validates the values; the errors by form field (first message each), or the cleaned fields. */
export function checkRegistration(v: RegistrationValues, ctx: RegistrationContext): { ok: true; fields: CheckedFields } | { ok: false; errors: Partial<Record<FieldName, string>> } {
  const errors: Partial<Record<FieldName, string>> = {};
  const shared = incomingFieldsSchema(ctx.today).safeParse({
    issuerName: v.issuer.name,
    symbol: v.symbol,
    issuedDate: v.issuedDate,
    subject: v.subject,
    signerName: v.signerName,
    signerTitle: v.signerTitle,
    pageCount: v.pageCount,
    receivedDate: ctx.received ? '' : v.receivedDate,
  });
  if (!shared.success) {
    for (const issue of shared.error.issues) {
      const f = FORM_FIELD[String(issue.path[0])];
      if (f && !errors[f]) errors[f] = issue.message;
    }
  }
  if (!v.type) errors.type = INCOMING_MESSAGES.typeRequired;
  const secret = isSecret(v.secrecy);
  if (!ctx.received && !secret && !ctx.withScan && !v.paperOnly && v.files.length === 0) errors.files = ctx.messages.files;
  if (secret && ctx.peopleAvailable && v.readerIds.length === 0) errors.readerIds = ctx.messages.readers;
  if (Object.keys(errors).length || !shared.success) return { ok: false, errors };
  return { ok: true, fields: shared.data };
}

/** The form's zod schema in a context: the values stay as typed; each problem is an issue at its field. */
export const registrationSchema = (ctx: RegistrationContext) =>
  z.custom<RegistrationValues>((v) => typeof v === 'object' && v !== null).superRefine((v, zctx) => {
    const r = checkRegistration(v, ctx);
    if (r.ok) return;
    for (const [field, message] of Object.entries(r.errors) as [FieldName, string][]) zctx.addIssue({ code: 'custom', path: [field], message });
  });

/** react-hook-form resolver (zodResolver over registrationSchema), reading the context given to useForm. */
export const registrationResolver: Resolver<RegistrationValues, RegistrationContext> = (values, context, options) => {
  if (!context) throw new Error('registrationResolver needs its context');
  return zodResolver(registrationSchema(context))(values, context, options) as ReturnType<Resolver<RegistrationValues, RegistrationContext>>;
};

/**
 * The API input. A secret document carries no file (metadata only; the paper circulates by hand). An earlier
 * ngày đến is sent as the end of that working day in Vietnam; today's is "now" (omitted).
 */
export function toRegisterInput(
  v: RegistrationValues,
  fields: CheckedFields,
  opts: { today: string; receivedDocumentId: string | null; scanId: string | null; types: readonly { code?: string | null; name: string }[]; idempotencyKey: string; allowDuplicate: boolean },
): RegisterIncomingInput {
  const secret = isSecret(v.secrecy);
  const type = opts.types.find((x) => typeKey(x) === v.type);
  const [typeKind, typeText] = [v.type.slice(0, 5), v.type.slice(5)];
  const files = !secret && !v.paperOnly && v.files.length ? v.files : null;
  return {
    documentId: opts.receivedDocumentId,
    issuerAgencyId: v.issuer.agency?.id ?? null,
    issuerName: v.issuer.agency ? null : fields.issuerName,
    symbol: fields.symbol,
    issuedDate: fields.issuedDate,
    typeCode: type ? (type.code ?? null) : typeKind === 'code:' ? typeText : null,
    typeName: type ? type.name : typeKind === 'name:' ? typeText : null,
    subject: fields.subject,
    signerName: fields.signerName,
    signerTitle: fields.signerTitle,
    urgency: v.urgency,
    secrecy: v.secrecy,
    circulation: v.circulation.length ? v.circulation : null,
    pageCount: fields.pageCount,
    readerIds: secret ? v.readerIds : null,
    files,
    fileIds: !secret && !v.paperOnly && opts.scanId ? [opts.scanId] : null,
    idempotencyKey: opts.idempotencyKey,
    allowDuplicate: opts.allowDuplicate || null,
    receivedAt: !opts.receivedDocumentId && fields.receivedDate && fields.receivedDate < opts.today ? `${fields.receivedDate}T17:00:00+07:00` : null,
    // Secret documents always go to the secret register.
    registerKey: !secret && v.registerKey ? v.registerKey : null,
  };
}

/** Today in Vietnam (YYYY-MM-DD): the default and the upper bound of a ngày đến. */
export function todayInVietnam(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
