/**
 * Rules for the administration forms (accounts), shared by the web forms and meant for the server
 * (identity.service createUser, admin.service, admin/password-policy.ts enforce the same rules with the same
 * Vietnamese messages). Pure, zod only.
 */
import { z } from 'zod';

/** Login name: lower-case ASCII letters, digits and . _ - ; 2–100 characters, starting with a letter or digit. */
export const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{1,99}$/;
export const USERNAME_MESSAGE = 'Tên đăng nhập chỉ gồm chữ thường không dấu, số và . _ - (2–100 ký tự).';
export const ROLES = ['VAN_THU', 'CHUYEN_VIEN', 'TRUONG_PHONG', 'LANH_DAO', 'LUU_TRU', 'QUAN_TRI'] as const;
export type RoleName = (typeof ROLES)[number];

export const PASSWORD_MIN_LENGTH = 10;
/** A password chosen by an administrator when creating an account (replaced at the first login). */
export const INITIAL_PASSWORD_MIN_LENGTH = 8;

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, '');

/**
 * The first rule a new password breaks (Vietnamese message), or null. The same order and messages as the
 * server's checkPassword (which also refuses well-known passwords).
 */
export function newPasswordProblem(password: string, who: { username: string; fullName?: string | null }): string | null {
  const pw = password.normalize('NFC');
  const chars = [...pw];
  if (chars.length < PASSWORD_MIN_LENGTH) return `Mật khẩu phải có ít nhất ${PASSWORD_MIN_LENGTH} ký tự.`;
  if (chars.length > 200) return 'Mật khẩu không được dài quá 200 ký tự.';
  if (!/\p{L}/u.test(pw)) return 'Mật khẩu phải có ít nhất một chữ cái.';
  if (/^[\p{L}\s]+$/u.test(pw)) return 'Mật khẩu phải có ít nhất một chữ số hoặc ký tự đặc biệt.';
  if (new Set(chars).size <= 2) return 'Mật khẩu không được chỉ lặp lại một vài ký tự.';
  const u = fold(who.username);
  if (u.length >= 3 && fold(pw).includes(u)) return 'Mật khẩu không được chứa tên đăng nhập.';
  const name = who.fullName ? fold(who.fullName) : '';
  if (name.length >= 4 && fold(pw).includes(name)) return 'Mật khẩu không được chứa họ tên của bạn.';
  return null;
}

const fullName = z.string().trim().min(1, { message: 'Vui lòng nhập họ và tên.' }).max(200, { message: 'Họ và tên không được dài quá 200 ký tự.' });
const title = z.string().trim().max(200, { message: 'Chức vụ không được dài quá 200 ký tự.' });
const roles = z.array(z.enum(ROLES)).min(1, { message: 'Người dùng phải có ít nhất một vai trò.' });

/** Tạo người dùng. */
export const createUserSchema = z.object({
  username: z
    .string()
    .trim()
    .transform((s) => s.normalize('NFC').toLowerCase())
    .pipe(z.string().regex(USERNAME_RE, { message: USERNAME_MESSAGE })),
  fullName,
  title,
  unitId: z.string(),
  roles,
  password: z.string().min(INITIAL_PASSWORD_MIN_LENGTH, { message: `Mật khẩu phải có ít nhất ${INITIAL_PASSWORD_MIN_LENGTH} ký tự.` }),
});
export type CreateUserForm = z.input<typeof createUserSchema>;

/** Sửa người dùng: họ tên, chức vụ, đơn vị, vai trò. */
export const updateUserSchema = z.object({ fullName, title, unitId: z.string(), roles });
export type UpdateUserForm = z.input<typeof updateUserSchema>;

/**
 * A unit abbreviation that a secret document's symbol could be mistaken for: secret outgoing symbols end in "-M"
 * (`07/UBND-KT-M`), so a unit called "M" or "…-M" would make an ordinary công văn's symbol look secret.
 */
export function unitAbbrProblem(abbr: string): string | null {
  const v = abbr.trim().toUpperCase();
  return v === 'M' || v.endsWith('-M') ? 'Tên viết tắt của đơn vị không được là "M" hoặc kết thúc bằng "-M" (dành cho ký hiệu văn bản mật).' : null;
}

/** Đơn vị. */
export const unitSchema = z.object({
  name: z.string().trim().min(1, { message: 'Vui lòng nhập tên đơn vị.' }).max(200, { message: 'Tên đơn vị không được dài quá 200 ký tự.' }),
  abbr: z
    .string()
    .trim()
    .min(1, { message: 'Vui lòng nhập tên viết tắt.' })
    .max(20, { message: 'Tên viết tắt không được dài quá 20 ký tự.' })
    .regex(/^[^\s/]+$/u, { message: 'Tên viết tắt không được chứa dấu cách hoặc "/".' })
    .superRefine((v, ctx) => {
      const problem = unitAbbrProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
});
export type UnitForm = z.input<typeof unitSchema>;

/** Đổi mật khẩu (the user's own). */
export const changePasswordSchema = (who: { username: string; fullName?: string | null }) =>
  z
    .object({
      currentPassword: z.string().min(1, { message: 'Vui lòng nhập mật khẩu hiện tại.' }),
      newPassword: z.string(),
      confirm: z.string(),
    })
    .superRefine((v, ctx) => {
      const problem = newPasswordProblem(v.newPassword, who);
      if (problem) ctx.addIssue({ code: 'custom', path: ['newPassword'], message: problem });
      else if (v.newPassword === v.currentPassword) ctx.addIssue({ code: 'custom', path: ['newPassword'], message: 'Mật khẩu mới phải khác mật khẩu hiện tại.' });
      if (v.confirm !== v.newPassword) ctx.addIssue({ code: 'custom', path: ['confirm'], message: 'Mật khẩu nhập lại không khớp.' });
    });
export type ChangePasswordForm = z.input<ReturnType<typeof changePasswordSchema>>;
