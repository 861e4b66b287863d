/**
 * Sổ văn bản đến of an agency (Cấu hình văn bản → Sổ văn bản đến): besides the general register ("Sổ văn bản
 * đến", key INCOMING) an agency may keep others — "Sổ VB đến của Đảng", "Sổ đơn thư"… — each with its own số
 * đến sequence per year (key INCOMING:<MÃ>, e.g. INCOMING:DANG). The secret register (INCOMING_SECRET) is not
 * one of them: secret documents always go to it.
 *
 * Rules (shared by the settings form and settings.service): the general register is always there and active
 * (registerIncoming falls back to it), codes are 1–24 capital letters, digits or _, unique; names 1–100
 * characters, unique; at most 20 registers. Pure, zod only.
 */
import { z } from 'zod';

export const GENERAL_INCOMING_REGISTER = 'INCOMING';
export const DEFAULT_INCOMING_REGISTER_NAME = 'Sổ văn bản đến';
export const INCOMING_REGISTER_NAME_MAX = 100;
export const MAX_INCOMING_REGISTERS = 20;
const CODE = /^[A-Z0-9_]{1,24}$/;

export interface IncomingRegister {
  /** INCOMING (the general register) or INCOMING:<MÃ>. */
  key: string;
  name: string;
  active: boolean;
}

/** The code typed by the administrator for a register key ('' = the general register); null if not a key. */
export function incomingRegisterCode(key: string): string | null {
  if (key === GENERAL_INCOMING_REGISTER) return '';
  const m = /^INCOMING:(.+)$/.exec(key);
  return m && CODE.test(m[1]) ? m[1] : null;
}

/** The register key of a code ('' = the general register). */
export const incomingRegisterKey = (code: string): string => (code ? `${GENERAL_INCOMING_REGISTER}:${code}` : GENERAL_INCOMING_REGISTER);

/** Is `key` the key of a configurable incoming register (INCOMING or INCOMING:<MÃ>)? */
export const isIncomingRegisterKey = (key: string): boolean => incomingRegisterCode(key) !== null;

/** The registers when the agency configured none: only the general one. */
export const DEFAULT_INCOMING_REGISTERS: readonly IncomingRegister[] = [{ key: GENERAL_INCOMING_REGISTER, name: DEFAULT_INCOMING_REGISTER_NAME, active: true }];

/** One row of the settings form: the code as typed ('' for the general register). */
export const incomingRegisterRow = z.object({
  code: z
    .string()
    .trim()
    .transform((s) => s.toUpperCase())
    .refine((s) => s === '' || CODE.test(s), { message: 'Mã sổ gồm 1–24 chữ in hoa không dấu, chữ số hoặc dấu _.' }),
  name: z
    .string()
    .trim()
    .min(1, { message: 'Vui lòng nhập tên sổ.' })
    .max(INCOMING_REGISTER_NAME_MAX, { message: `Tên sổ không được dài quá ${INCOMING_REGISTER_NAME_MAX} ký tự.` })
    .transform((s) => s.normalize('NFC')),
  active: z.boolean(),
});

/** The whole list (form rows → registers). Issue paths: [index, 'code' | 'name' | 'active'] or [] for the list. */
export const incomingRegistersSchema = z
  .array(incomingRegisterRow)
  .max(MAX_INCOMING_REGISTERS, { message: `Tối đa ${MAX_INCOMING_REGISTERS} sổ văn bản đến.` })
  .superRefine((rows, ctx) => {
    const general = rows.findIndex((r) => r.code === '');
    if (general < 0) ctx.addIssue({ code: 'custom', path: [], message: 'Phải có sổ văn bản đến chung.' });
    else if (!rows[general].active) ctx.addIssue({ code: 'custom', path: [general, 'active'], message: 'Sổ văn bản đến chung không được ngừng sử dụng.' });
    const codes = new Set<string>();
    const names = new Set<string>();
    rows.forEach((r, i) => {
      if (codes.has(r.code)) ctx.addIssue({ code: 'custom', path: [i, 'code'], message: r.code ? `Mã sổ ${r.code} bị trùng.` : 'Chỉ có một sổ văn bản đến chung.' });
      codes.add(r.code);
      const folded = r.name.toLocaleLowerCase('vi');
      if (names.has(folded)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `Tên sổ "${r.name}" bị trùng.` });
      names.add(folded);
    });
  })
  .transform((rows): IncomingRegister[] => rows.map((r) => ({ key: incomingRegisterKey(r.code), name: r.name, active: r.active })));

export type IncomingRegisterRowInput = z.input<typeof incomingRegisterRow>;
export type IncomingRegistersInput = z.input<typeof incomingRegistersSchema>;

/** Form rows of stored registers. */
export const incomingRegisterRows = (registers: readonly IncomingRegister[]): IncomingRegisterRowInput[] =>
  registers.map((r) => ({ code: incomingRegisterCode(r.key) ?? '', name: r.name, active: r.active }));

/**
 * The register a registration goes to: `requested` (trimmed; empty = the first active register, the general
 * one unless reordered). Unknown or inactive → a Vietnamese message.
 */
export function pickIncomingRegister(
  registers: readonly IncomingRegister[],
  requested: string | null | undefined,
): { ok: true; register: IncomingRegister } | { ok: false; message: string } {
  const key = requested?.trim();
  if (!key) {
    const first = registers.find((r) => r.active) ?? DEFAULT_INCOMING_REGISTERS[0];
    return { ok: true, register: first };
  }
  const found = registers.find((r) => r.key === key);
  if (!found) return { ok: false, message: 'Sổ văn bản đến không tồn tại.' };
  if (!found.active) return { ok: false, message: `Sổ "${found.name}" đã ngừng sử dụng.` };
  return { ok: true, register: found };
}
