import { GraphQLError } from 'graphql';

/** The fixed set of error codes the API exposes in `extensions.code` (api-conventions.md). */
export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'INTERNAL';

/**
 * A domain error with a Vietnamese message for the user. Services throw these;
 * the GraphQL layer turns them into GraphQLErrors with `extensions.code`.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
  toGraphQL(): GraphQLError {
    return new GraphQLError(this.message, { extensions: { code: this.code, ...this.extra } });
  }
}

export const unauthenticated = (msg = 'Bạn cần đăng nhập để thực hiện thao tác này.', extra: Record<string, unknown> = {}) =>
  new AppError('UNAUTHENTICATED', msg, extra);
export const forbidden = (msg = 'Bạn không có quyền thực hiện thao tác này.') => new AppError('FORBIDDEN', msg);
export const notFound = (what = 'Đối tượng') => new AppError('NOT_FOUND', `${what} không tồn tại hoặc bạn không có quyền xem.`);
export const badInput = (message: string, field?: string) => new AppError('BAD_USER_INPUT', message, field ? { field } : {});
export const conflict = (message: string, extra: Record<string, unknown> = {}) => new AppError('CONFLICT', message, extra);
export const internal = () => new AppError('INTERNAL', 'Lỗi hệ thống. Vui lòng thử lại sau.');
