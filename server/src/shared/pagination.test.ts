/** Cursor checks (pagination.ts): anything we did not write is refused as BAD_USER_INPUT on `after`. */
import { AppError } from './errors';
import { decodeCursor, encodeCursor, isPgTimestampText } from './pagination';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('cursors', () => {
  it('round-trips what encodeCursor wrote', () => {
    expect(decodeCursor(encodeCursor(['000.00.00.H27', 3, null, true]), 4)).toEqual(['000.00.00.H27', 3, null, true]);
    expect(decodeCursor(null, 1)).toBeNull();
  });

  it.each([
    ['not base64url', '%%%'],
    ['not JSON', Buffer.from('{oops').toString('base64url')],
    ['an object', b64({ a: 1 })],
    ['the wrong arity', b64([1, 2])],
    ['an object value', b64([{ code: 'x' }])],
    ['a NUL character', b64(['a\u0000'])],
    ['a huge cursor', 'A'.repeat(2000)],
  ])('refuses %s', (_what, cursor) => {
    try {
      decodeCursor(cursor, 1);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect(e).toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'after' } });
    }
  });

  it('recognises real PostgreSQL timestamps only', () => {
    expect(isPgTimestampText('2026-12-05 08:00:00.123+00')).toBe(true);
    expect(isPgTimestampText('2026-12-05 08:00:00+07:00')).toBe(true);
    expect(isPgTimestampText('2026-99-99 99:99:99')).toBe(false);
    expect(isPgTimestampText('2026-02-30 08:00:00+00')).toBe(false);
    expect(isPgTimestampText(12)).toBe(false);
  });
});
