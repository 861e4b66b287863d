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
    extensions: { ...e.extensions, code: 'BAD_USER_INPUT' },
  });
}

/** Vietnamese wording for the common protocol-level errors; the English original follows for developers. */
function translate(msg: string): string {
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
export function normaliseResultErrors<T extends { errors?: readonly GraphQLError[] | readonly unknown[] }>(result: T): T {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((e) => {
    if (!(e instanceof GraphQLError)) return e;
    const code = e.extensions?.code as string | undefined;
    return code && CODES.has(code as ErrorCode) ? e : asBadUserInput(e);
  });
  return { ...result, errors };
}
