/**
 * Bút phê chain forms (issue 9), shared by the web dialogs and the server rules (domain/annotation.ts
 * planReassign enforces the same): giao xử lý trong đơn vị — a person, an optional deadline typed dd/mm/yyyy
 * (not before today, not after the leader's deadline), an optional instruction; hủy vào sổ — a reason.
 * Pure, zod only.
 */
import { z } from 'zod';
import { formatVnDate, optionalVnDate } from './dates';

export const MAX_ASSIGNMENT_TEXT = 2000;
export const MAX_ANNUL_REASON = 2000;

/** Is `deadline` (YYYY-MM-DD) acceptable under the parent's deadline and today? A Vietnamese message if not. */
export function childDeadlineProblem(deadline: string | null, parentDeadline: string | null, today: string): string | null {
  if (deadline == null) return null;
  if (deadline < today) return 'Thời hạn giải quyết không được trước ngày hôm nay.';
  if (parentDeadline && deadline > parentDeadline) return `Thời hạn giao trong đơn vị không được sau thời hạn lãnh đạo giao (${formatVnDate(parentDeadline)}).`;
  return null;
}

/** The reassign dialog: `deadline` is the dd/mm/yyyy text; the output has it as YYYY-MM-DD or null. */
export const reassignForm = (parentDeadline: string | null, today: string) =>
  z
    .object({
      userId: z.string().min(1, { message: 'Vui lòng chọn cán bộ được giao.' }),
      deadline: optionalVnDate(),
      instruction: z
        .string()
        .trim()
        .max(MAX_ASSIGNMENT_TEXT, { message: `Ý kiến giao việc không được dài quá ${MAX_ASSIGNMENT_TEXT} ký tự.` })
        .transform((s) => s.normalize('NFC') || null),
    })
    .superRefine((v, ctx) => {
      const problem = childDeadlineProblem(v.deadline, parentDeadline, today);
      if (problem) ctx.addIssue({ code: 'custom', path: ['deadline'], message: problem });
    });

export type ReassignFormInput = z.input<ReturnType<typeof reassignForm>>;
export type ReassignFormOutput = z.output<ReturnType<typeof reassignForm>>;

/** Hủy vào sổ: the reason is required (it is printed in the register's Ghi chú). */
export const annulForm = z.object({
  reason: z
    .string()
    .trim()
    .min(1, { message: 'Phải nêu lý do hủy vào sổ.' })
    .max(MAX_ANNUL_REASON, { message: `Lý do không được dài quá ${MAX_ANNUL_REASON} ký tự.` })
    .transform((s) => s.normalize('NFC')),
});
export type AnnulFormInput = z.input<typeof annulForm>;
export type AnnulFormOutput = z.output<typeof annulForm>;

/**
 * Adds `n` working days to `iso` (YYYY-MM-DD): Saturdays, Sundays and the given non-working days (the agency's
 * holidays: Vietnam's public holidays merged with its own edits, `documentSettings.holidaysOfYear`) are skipped.
 */
export function addWorkingDays(iso: string, n: number, holidays: ReadonlySet<string> = new Set()): string {
  const d = new Date(`${iso}T00:00:00Z`);
  let left = n;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6 && !holidays.has(d.toISOString().slice(0, 10))) left--;
  }
  return d.toISOString().slice(0, 10);
}
