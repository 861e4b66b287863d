/**
 * Cấu hình văn bản forms (issue 8): the approval-chain template and the agency's document types. The same
 * rules as the server (domain/outgoing-workflow.ts validateApprovalChain: at most 20 steps, a ROLE step has a
 * role and a scope AGENCY/DRAFTING_UNIT, a USER step names a person — settings.service also checks the person
 * belongs to the agency; domain/document-types.ts mergeDocumentTypes: a new type has a name, codes unique).
 * Pure, zod only.
 */
import { z } from 'zod';

export const MAX_APPROVAL_STEPS = 20;
export const APPROVAL_ROLES = ['TRUONG_PHONG', 'LANH_DAO', 'VAN_THU', 'CHUYEN_VIEN', 'LUU_TRU', 'QUAN_TRI'] as const;
export const STEP_LABEL_MAX = 100;
export const TYPE_NAME_MAX = 100;
export const TYPE_CODE_MAX = 10;

const label = z
  .string()
  .trim()
  .max(STEP_LABEL_MAX, { message: `Tên bước không được dài quá ${STEP_LABEL_MAX} ký tự.` })
  .transform((s) => s.normalize('NFC') || null);

/** One step as edited: kind, and either role + scope or a person. */
export const approvalStepRow = z
  .object({
    kind: z.enum(['ROLE', 'USER']),
    role: z.string(),
    scope: z.enum(['AGENCY', 'DRAFTING_UNIT']),
    userId: z.string(),
    label,
  })
  .superRefine((s, ctx) => {
    if (s.kind === 'ROLE' && !(APPROVAL_ROLES as readonly string[]).includes(s.role)) ctx.addIssue({ code: 'custom', path: ['role'], message: 'Vui lòng chọn vai trò duyệt.' });
    if (s.kind === 'USER' && !s.userId) ctx.addIssue({ code: 'custom', path: ['userId'], message: 'Vui lòng chọn người duyệt.' });
  });

/** The whole chain → the API input (ApprovalStepInput). An empty chain = straight to signing. */
export const approvalChainSchema = z.object({
  steps: z
    .array(approvalStepRow)
    .max(MAX_APPROVAL_STEPS, { message: `Quy trình duyệt có quá nhiều bước (tối đa ${MAX_APPROVAL_STEPS}).` })
    .transform((steps) =>
      steps.map((s) =>
        s.kind === 'USER' ? { kind: 'USER' as const, userId: s.userId, label: s.label } : { kind: 'ROLE' as const, role: s.role, scope: s.scope, label: s.label },
      ),
    ),
});
export type ApprovalChainFormInput = z.input<typeof approvalChainSchema>;
export type ApprovalChainFormOutput = z.output<typeof approvalChainSchema>;

/** One type as edited: `custom` rows may change name and code; every row may be switched off. */
export const documentTypeRow = z.object({
  key: z.string(),
  custom: z.boolean(),
  code: z
    .string()
    .trim()
    .max(TYPE_CODE_MAX, { message: `Chữ viết tắt không được dài quá ${TYPE_CODE_MAX} ký tự.` })
    .transform((s) => s.normalize('NFC')),
  name: z
    .string()
    .trim()
    .min(1, { message: 'Vui lòng nhập tên loại văn bản.' })
    .max(TYPE_NAME_MAX, { message: `Tên loại văn bản không được dài quá ${TYPE_NAME_MAX} ký tự.` })
    .transform((s) => s.normalize('NFC')),
  active: z.boolean(),
});

/** A stable key for a new type from its code or name (ASCII, upper case), prefixed CUSTOM_. */
export function customTypeKey(code: string, name: string): string {
  const base = (code || name)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'D')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 30);
  return `CUSTOM_${base || 'LOAI'}`;
}

/** The type list → the API input (DocumentTypeOverrideInput): every row, the custom ones with name and code. */
export const documentTypesSchema = z.object({
  types: z
    .array(documentTypeRow)
    .superRefine((rows, ctx) => {
      const codes = new Map<string, number>();
      const names = new Map<string, number>();
      rows.forEach((r, i) => {
        if (r.code) {
          if (codes.has(r.code)) ctx.addIssue({ code: 'custom', path: [i, 'code'], message: `Chữ viết tắt ${r.code} đã dùng cho loại khác.` });
          codes.set(r.code, i);
        }
        const n = r.name.toLocaleLowerCase('vi');
        if (names.has(n)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `Tên loại "${r.name}" bị trùng.` });
        names.set(n, i);
      });
    })
    .transform((rows) => rows.map((r) => (r.custom ? { key: r.key, code: r.code || null, name: r.name, active: r.active } : { key: r.key, active: r.active }))),
});
export type DocumentTypesFormInput = z.input<typeof documentTypesSchema>;
export type DocumentTypesFormOutput = z.output<typeof documentTypesSchema>;
