/**
 * Password policy (pure): what a new password must satisfy, with Vietnamese messages for the form field.
 * Rules: 10–200 characters; letters and at least one digit or symbol; not the login name or the person's
 * name (nor containing the login name); not one repeated character; not a well-known password; not the
 * current one (the service checks that against the stored hash). Also the generator of one-time
 * temporary passwords given out by an administrator's reset.
 */
import crypto from 'node:crypto';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

export type PasswordProblem = 'TOO_SHORT' | 'TOO_LONG' | 'NO_LETTER' | 'ONLY_LETTERS' | 'CONTAINS_USERNAME' | 'CONTAINS_NAME' | 'REPEATED' | 'COMMON';

export type PasswordCheck = { ok: true } | { ok: false; problem: PasswordProblem; message: string };

/** Passwords guessed first (lower-case, compared after removing spaces). */
const COMMON = new Set([
  '1234567890',
  '12345678910',
  '0123456789',
  'qwertyuiop',
  'qwerty1234',
  'password123',
  'password1234',
  'matkhau123',
  'matkhau1234',
  'matkhau2026',
  'congvan2026',
  'congvan123',
  'abc1234567',
  'admin12345',
  'abcd123456',
  'a123456789',
  'vietnam123',
  'iloveyou12',
]);

/** Lower-case, without Vietnamese diacritics or spaces: "Nguyễn Văn A" → "nguyenvana". */
const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, '');

const fail = (problem: PasswordProblem, message: string): PasswordCheck => ({ ok: false, problem, message });

export function checkPassword(password: string, who: { username: string; fullName?: string | null }): PasswordCheck {
  const pw = password.normalize('NFC');
  const chars = [...pw];
  if (chars.length < PASSWORD_MIN_LENGTH) return fail('TOO_SHORT', `Mật khẩu phải có ít nhất ${PASSWORD_MIN_LENGTH} ký tự.`);
  if (chars.length > PASSWORD_MAX_LENGTH) return fail('TOO_LONG', `Mật khẩu không được dài quá ${PASSWORD_MAX_LENGTH} ký tự.`);
  if (!/\p{L}/u.test(pw)) return fail('NO_LETTER', 'Mật khẩu phải có ít nhất một chữ cái.');
  if (/^[\p{L}\s]+$/u.test(pw)) return fail('ONLY_LETTERS', 'Mật khẩu phải có ít nhất một chữ số hoặc ký tự đặc biệt.');
  if (new Set(chars).size <= 2) return fail('REPEATED', 'Mật khẩu không được chỉ lặp lại một vài ký tự.');
  const folded = fold(pw);
  const username = fold(who.username);
  if (username.length >= 3 && folded.includes(username)) return fail('CONTAINS_USERNAME', 'Mật khẩu không được chứa tên đăng nhập.');
  const name = who.fullName ? fold(who.fullName) : '';
  if (name.length >= 4 && folded.includes(name)) return fail('CONTAINS_NAME', 'Mật khẩu không được chứa họ tên của bạn.');
  if (COMMON.has(folded)) return fail('COMMON', 'Mật khẩu này quá phổ biến, dễ bị đoán. Vui lòng chọn mật khẩu khác.');
  return { ok: true };
}

/** Without look-alikes (0/O, 1/l/I): the temporary password is read out or copied by hand. */
const LETTERS = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';

/**
 * A one-time temporary password: 14 characters in groups (`Kx7p-Qm3a-Zt9w`), from the system CSPRNG, always
 * with letters and digits (so it passes checkPassword).
 */
export function generateTemporaryPassword(): string {
  const pick = (set: string) => set[crypto.randomInt(set.length)];
  const groups: string[] = [];
  for (let g = 0; g < 3; g++) groups.push(pick(LETTERS) + pick(LETTERS) + pick(DIGITS) + pick(LETTERS));
  return groups.join('-');
}
