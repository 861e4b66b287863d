import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Validates a calendar date string YYYY-MM-DD (a real date: no 2026-02-30). */
export function isCalendarDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

function toCalendarDate(v: unknown): string {
  if (typeof v === 'string' && isCalendarDate(v)) return v;
  throw new GraphQLError(`Ngày không hợp lệ (định dạng YYYY-MM-DD): ${String(v)}`, { extensions: { code: 'BAD_USER_INPUT' } });
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
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Ngày phải là chuỗi YYYY-MM-DD.', { extensions: { code: 'BAD_USER_INPUT' } });
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
