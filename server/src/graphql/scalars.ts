/** Custom GraphQL scalars: Date (a calendar date, YYYY-MM-DD, 1900–2100) and Upload (multipart file). */
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

import { INVALID_DATE_MESSAGE as INVALID_DATE, isCalendarDate } from '../../../schema/validation/dates';

export { isCalendarDate };

function toCalendarDate(v: unknown): string {
  if (typeof v === 'string' && isCalendarDate(v)) return v;
  throw new GraphQLError(INVALID_DATE, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** `Date`: a calendar date in the agency's time zone, exchanged as YYYY-MM-DD strings. */
export const CalendarDateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD.',
  serialize: (v) => {
    if (v instanceof Date) return v.toISOString().slice(0, 10);
    return toCalendarDate(v);
  },
  parseValue: toCalendarDate,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError(INVALID_DATE, { extensions: { code: 'BAD_USER_INPUT' } });
    return toCalendarDate(ast.value);
  },
});

/** `Upload`: a file of a GraphQL multipart request (yoga hands resolvers a WHATWG File). */
export const UploadScalar = new GraphQLScalarType({
  name: 'Upload',
  description: 'A file sent with the GraphQL multipart request spec.',
  serialize: () => {
    throw new GraphQLError('Upload chỉ dùng làm dữ liệu vào.', { extensions: { code: 'BAD_USER_INPUT' } });
  },
  parseValue: (v) => {
    if (v && typeof v === 'object' && typeof (v as File).arrayBuffer === 'function' && typeof (v as File).name === 'string') return v;
    throw new GraphQLError('Tệp tải lên không hợp lệ (cần multipart/form-data).', { extensions: { code: 'BAD_USER_INPUT' } });
  },
  parseLiteral: () => {
    throw new GraphQLError('Tệp phải được gửi bằng multipart/form-data.', { extensions: { code: 'BAD_USER_INPUT' } });
  },
});
