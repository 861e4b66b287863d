/**
 * GraphQL error shaping: every error leaves with a code from the fixed set and a Vietnamese message; in
 * production no extension carries internals (originalError, stack traces).
 */
import { GraphQLError } from 'graphql';
import { AppError, type ErrorCode } from '../shared/errors';
import { logger } from '../shared/logger';

const CODES = new Set<ErrorCode>(['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'INTERNAL']);

function findAppError(e: unknown): AppError | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur; i++) {
    if (cur instanceof AppError) return cur;
    cur = (cur as { originalError?: unknown }).originalError;
  }
  return undefined;
}

/**
 * Every error leaves the API with `extensions.code` from the fixed set and a Vietnamese message;
 * unknown errors are logged and masked as INTERNAL (no stack traces, no SQL).
 */
export function maskError(error: unknown): Error {
  if (error instanceof GraphQLError) {
    const coercion = asCoercionError(error);
    if (coercion) return coercion;
  }
  const app = findAppError(error);
  if (app) {
    const ge = error instanceof GraphQLError ? error : undefined;
    return new GraphQLError(app.message, { nodes: ge?.nodes, path: ge?.path, extensions: { code: app.code, ...app.extra } });
  }
  if (error instanceof GraphQLError) {
    const code = error.extensions?.code as string | undefined;
    if (code && CODES.has(code as ErrorCode)) return error;
    // Errors raised by graphql-js itself (parse/validation/variable coercion) or by armor: the client's fault.
    if (!error.originalError || (error.originalError as Error).name === 'GraphQLError') return asBadUserInput(error);
    logger.error({ err: error.originalError, path: error.path }, 'resolver error');
    return new GraphQLError('Lỗi hệ thống. Vui lòng thử lại sau.', { path: error.path, extensions: { code: 'INTERNAL' } });
  }
  logger.error({ err: error }, 'unexpected error');
  return new GraphQLError('Lỗi hệ thống. Vui lòng thử lại sau.', { extensions: { code: 'INTERNAL' } });
}

/** The same error as BAD_USER_INPUT, in Vietnamese (the client's fault: parse, validation, limits). */
function asBadUserInput(e: GraphQLError): GraphQLError {
  return new GraphQLError(translate(e.message), {
    nodes: e.nodes,
    source: e.source,
    positions: e.positions,
    path: e.path,
    // A body cut off by the size limit inside the multipart parser is reported as 400 by yoga: it is a 413.
    extensions: { ...e.extensions, code: 'BAD_USER_INPUT', ...(/body too large/i.test(e.message) ? { http: { status: 413 } } : {}) },
  });
}

/** Vietnamese wording for the common protocol-level errors; the English original follows for developers. */
function translate(msg: string): string {
  if (/too large/i.test(msg)) return `Nội dung yêu cầu vượt quá giới hạn cho phép. (${msg})`;
  if (/Syntax Error/i.test(msg)) return `Truy vấn GraphQL sai cú pháp. (${msg})`;
  if (/depth|Depth/.test(msg)) return `Truy vấn lồng quá sâu. (${msg})`;
  if (/cost|Cost/.test(msg)) return `Truy vấn quá tốn kém. (${msg})`;
  if (/alias/i.test(msg)) return `Truy vấn dùng quá nhiều bí danh. (${msg})`;
  if (/token/i.test(msg)) return `Truy vấn quá dài. (${msg})`;
  if (/invalid JSON|JSON/i.test(msg)) return `Nội dung yêu cầu không phải JSON hợp lệ. (${msg})`;
  return `Yêu cầu GraphQL không hợp lệ. (${msg})`;
}

/**
 * Yoga reports parse/validation failures itself (code GRAPHQL_VALIDATION_FAILED / GRAPHQL_PARSE_FAILED,
 * not through maskError): rewrite every code outside the fixed set to BAD_USER_INPUT, in Vietnamese.
 */
export function normaliseResultErrors<T extends { errors?: readonly GraphQLError[] | readonly unknown[] }>(result: T, opts: { production?: boolean } = {}): T {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((e) => {
    if (!(e instanceof GraphQLError)) return e;
    const code = e.extensions?.code as string | undefined;
    const typed = asCoercionError(e) ?? (code && CODES.has(code as ErrorCode) ? e : asBadUserInput(e));
    return opts.production ? withoutInternals(typed) : typed;
  });
  return { ...result, errors };
}

/** The message our own scalars (scalars.ts) give for a bad date: shown to the user as is. */
export const INVALID_DATE_MESSAGE = 'Ngày không hợp lệ, nhập theo dạng dd/mm/yyyy.';

const VARIABLE_INVALID = /^Variable "\$([^"]+)" got invalid value [\s\S]*?(?: at "([^"]+)")?; ([\s\S]*)$/;
const VARIABLE_MISSING = /^Variable "\$([^"]+)" of (?:required|non-null) type "([^"]+)" (?:was not provided|must not be null)\.$/;
const ARGUMENT_MISSING = /^Argument "([^"]+)" of required type "([^"]+)" was not provided\.$/;

/**
 * graphql-js variable/argument coercion errors ("Variable "$input" got invalid value … at "input.deadline"; …")
 * carry English internals: a user never sees them. They become BAD_USER_INPUT with `extensions.field` = the path
 * inside the variable (e.g. `lead.deadline` for `$input`) and a Vietnamese message; the English original stays in `extensions.detail` outside
 * production for developers. Undefined when the error is not a coercion error.
 */
export function asCoercionError(e: GraphQLError): GraphQLError | undefined {
  let field: string;
  let message: string;
  const inv = VARIABLE_INVALID.exec(e.message);
  const missing = inv ? null : VARIABLE_MISSING.exec(e.message) ?? ARGUMENT_MISSING.exec(e.message);
  if (inv) {
    // Relative to the variable's input object, like the services' own errors (`issuedDate`, `lead.deadline`), so
    // that a form maps it whatever the client named its variable; a scalar variable is named by itself.
    field = inv[2] ? inv[2].split('.').slice(1).join('.') || inv[1] : inv[1];
    const inner = inv[3];
    const own = e.originalError instanceof GraphQLError && /[À-ỹ]/.test(e.originalError.message) ? e.originalError.message : undefined;
    const sub = /^Field "([^"]+)" (?:is not defined by type|of required type)/.exec(inner);
    if (sub) field = `${field}.${sub[1]}`;
    if (own) message = own;
    else if (/is not defined by type/.test(inner)) message = 'Trường dữ liệu không được hỗ trợ.';
    else if (/was not provided|not to be null/.test(inner)) message = 'Thiếu dữ liệu bắt buộc.';
    else if (/does not exist in "[^"]+" enum/.test(inner)) message = 'Giá trị không nằm trong danh sách được chọn.';
    else if (/\bDate\b|date/i.test(inner)) message = INVALID_DATE_MESSAGE;
    else if (/^(Int|Float)\b/.test(inner)) message = 'Giá trị phải là số.';
    else if (/^Boolean\b/.test(inner)) message = 'Giá trị phải là đúng/sai.';
    else message = 'Giá trị không hợp lệ.';
  } else if (missing) {
    field = missing[1];
    message = 'Thiếu dữ liệu bắt buộc.';
  } else {
    return undefined;
  }
  return new GraphQLError(message, {
    nodes: e.nodes,
    source: e.source,
    positions: e.positions,
    path: e.path,
    extensions: { code: 'BAD_USER_INPUT', field, detail: e.message },
  });
}

/** Extensions that may carry stack traces or driver messages (SQL, parameters): never sent in production. */
const INTERNAL_EXTENSIONS = ['originalError', 'stacktrace', 'stack', 'exception', 'detail'];

function withoutInternals(e: GraphQLError): GraphQLError {
  if (!e.extensions || !INTERNAL_EXTENSIONS.some((k) => k in e.extensions)) return e;
  const extensions = { ...e.extensions };
  for (const k of INTERNAL_EXTENSIONS) delete extensions[k];
  return new GraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, path: e.path, extensions });
}
