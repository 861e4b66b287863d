/** Which errors yoga hands to our logger are an operator's alarm (error level) and which are the client's (debug). */
import { GraphQLError } from 'graphql';
import { AppError, badInput } from '../shared/errors';
import { isExpectedError } from './yoga';

describe('isExpectedError', () => {
  it('treats typed errors of ours as expected, wrapped by graphql-js or not', () => {
    expect(isExpectedError(badInput('Con trỏ phân trang không hợp lệ.', 'after'))).toBe(true);
    expect(isExpectedError(new GraphQLError('x', { originalError: new AppError('UNAUTHENTICATED', 'Bạn cần đăng nhập.') }))).toBe(true);
  });
  it('keeps INTERNAL and unknown errors at error level', () => {
    expect(isExpectedError(new AppError('INTERNAL', 'Lỗi hệ thống.'))).toBe(false);
    expect(isExpectedError(new GraphQLError('x', { originalError: new TypeError('boom') }))).toBe(false);
    expect(isExpectedError(new Error('boom'))).toBe(false);
    expect(isExpectedError(undefined)).toBe(false);
  });
});
