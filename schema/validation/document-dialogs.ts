/**
 * The document page's dialogs (issue 8): trình (submit for bút phê), bút phê (annotate), cập nhật tiến độ
 * (progress) and hoàn thành (complete). The same rules as the server (domain/annotation.ts validateAnnotation:
 * instruction ≤ 2000 characters, exactly one chủ trì unless "để biết", deadlines real dates not before today,
 * chủ trì not also phối hợp, no phối hợp twice; incoming.service: a progress note is required, notes ≤ 2000).
 * Dates are typed dd/mm/yyyy; the output has them as YYYY-MM-DD or null. Pure, zod only.
 */
import { z } from 'zod';
import { optionalVnDate } from './dates';

export const MAX_DIALOG_TEXT = 2000;
export const PAST_DEADLINE_MESSAGE = 'Thời hạn giải quyết không được trước ngày hôm nay.';

const text = (message: string) =>
  z
    .string()
    .trim()
    .max(MAX_DIALOG_TEXT, { message })
    .transform((s) => s.normalize('NFC'));

/** Trình: the leader who will write the bút phê. */
export const submitForm = z.object({ leaderId: z.string().min(1, { message: 'Vui lòng chọn lãnh đạo để trình.' }) });
export type SubmitFormInput = z.input<typeof submitForm>;

/** Cập nhật tiến độ: a note (required) and at most one draft reply file. */
export const progressForm = z.object({
  text: text(`Nội dung tiến độ không được dài quá ${MAX_DIALOG_TEXT} ký tự.`).pipe(z.string().min(1, { message: 'Vui lòng nhập nội dung tiến độ.' })),
  files: z.array(z.custom<File>()).max(1, { message: 'Chỉ đính kèm một tệp dự thảo.' }),
});
export type ProgressFormInput = z.input<typeof progressForm>;
export type ProgressFormOutput = z.output<typeof progressForm>;

/** Hoàn thành: an optional closing note. */
export const completeForm = z.object({
  note: text(`Ghi chú không được dài quá ${MAX_DIALOG_TEXT} ký tự.`).transform((s) => s || null),
});
export type CompleteFormInput = z.input<typeof completeForm>;
export type CompleteFormOutput = z.output<typeof completeForm>;

/** One assignee row: "unit:<id>" or "user:<id>" ('' = none chosen) and a deadline typed dd/mm/yyyy. */
const assigneeRow = z.object({ target: z.string(), deadline: optionalVnDate() });

/**
 * Giao cơ quan khác (issue 13): another agency by its mã định danh ('' = none chosen), chủ trì or phối hợp, with a
 * deadline. Exactly one chủ trì in the whole bút phê: a unit / person of the agency or another agency
 * (server: documents/domain/annotation.ts normalizeAgencies).
 */
const agencyRow = z.object({ agencyCode: z.string(), role: z.enum(['LEAD', 'COORDINATOR']), deadline: optionalVnDate() });

/** Bút phê, with `today` (YYYY-MM-DD, Vietnam) for the deadline rule. */
export const annotateForm = (today: string) =>
  z
    .object({
      instruction: text(`Ý kiến chỉ đạo không được dài quá ${MAX_DIALOG_TEXT} ký tự.`).transform((s) => s || null),
      forInfo: z.boolean(),
      lead: assigneeRow,
      coordinators: z.array(assigneeRow),
      watcherIds: z.array(z.string()),
      agencies: z.array(agencyRow).optional(),
    })
    .superRefine((v, ctx) => {
      if (v.forInfo) return;
      const agencies = (v.agencies ?? []).map((a, i) => ({ ...a, i })).filter((a) => a.agencyCode);
      const agencyLeads = agencies.filter((a) => a.role === 'LEAD');
      const seenAgency = new Set<string>();
      for (const a of agencies) {
        if (a.deadline && a.deadline < today) ctx.addIssue({ code: 'custom', path: ['agencies', a.i, 'deadline'], message: PAST_DEADLINE_MESSAGE });
        if (seenAgency.has(a.agencyCode)) ctx.addIssue({ code: 'custom', path: ['agencies', a.i, 'agencyCode'], message: 'Cơ quan được giao bị trùng.' });
        seenAgency.add(a.agencyCode);
      }
      if (v.lead.target && agencyLeads[0]) ctx.addIssue({ code: 'custom', path: ['agencies', agencyLeads[0].i, 'role'], message: 'Đã có đơn vị, cá nhân chủ trì: cơ quan khác chỉ được giao phối hợp.' });
      else if (agencyLeads[1]) ctx.addIssue({ code: 'custom', path: ['agencies', agencyLeads[1].i, 'role'], message: 'Chỉ giao một cơ quan chủ trì.' });
      if (!v.lead.target && !agencyLeads.length) ctx.addIssue({ code: 'custom', path: ['lead', 'target'], message: 'Phải giao đúng một đơn vị hoặc cá nhân chủ trì (hoặc chọn "để biết").' });
      if (v.lead.deadline && v.lead.deadline < today) ctx.addIssue({ code: 'custom', path: ['lead', 'deadline'], message: PAST_DEADLINE_MESSAGE });
      const seen = new Set<string>(v.lead.target ? [v.lead.target] : []);
      v.coordinators.forEach((c, i) => {
        if (c.deadline && c.deadline < today) ctx.addIssue({ code: 'custom', path: ['coordinators', i, 'deadline'], message: PAST_DEADLINE_MESSAGE });
        if (!c.target) return;
        if (c.target === v.lead.target) ctx.addIssue({ code: 'custom', path: ['coordinators', i, 'target'], message: 'Đơn vị, cá nhân chủ trì không thể đồng thời là đơn vị, cá nhân phối hợp.' });
        else if (seen.has(c.target)) ctx.addIssue({ code: 'custom', path: ['coordinators', i, 'target'], message: 'Đơn vị, cá nhân phối hợp bị trùng.' });
        seen.add(c.target);
      });
    });
export type AnnotateFormInput = z.input<ReturnType<typeof annotateForm>>;
export type AnnotateFormOutput = z.output<ReturnType<typeof annotateForm>>;

/**
 * The form field a server error of annotate names: "lead.unitId" → "lead.target", "coordinators[1].deadline" →
 * "coordinators.1.deadline", "instruction" → "instruction"; null if it names none of the form's fields.
 */
export function annotateFieldOf(field: string | undefined | null): string | null {
  if (!field) return null;
  const f = field.replace(/^input\./, '').replace(/\[(\d+)\]/g, '.$1');
  const m = /^(lead|coordinators\.\d+)(?:\.(unitId|userId|target|deadline))?$/.exec(f);
  if (m) return `${m[1]}.${m[2] === 'deadline' ? 'deadline' : 'target'}`;
  const ag = /^agencies\.(\d+)\.(agencyCode|role|deadline)$/.exec(f);
  if (ag) return `agencies.${ag[1]}.${ag[2]}`;
  return f === 'instruction' || f === 'watcherIds' ? f : null;
}
