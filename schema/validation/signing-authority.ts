/**
 * Thẩm quyền ký (NĐ 30/2020 Điều 13) as chosen on a dự thảo, and a recorded giao ký (TL. / TUQ.): the rules the
 * web form checks at the field and the server enforces (server/src/modules/documents/issuing/authority.ts,
 * issuing.service.ts recordDelegation) with the same messages. Pure, zod only.
 */
import { z } from 'zod';

export const SIGNING_AUTHORITY_MODES = ['DIRECT', 'TM', 'KT', 'Q', 'TL', 'TUQ'] as const;
export type AuthorityMode = (typeof SIGNING_AUTHORITY_MODES)[number];
export const AUTHORITY_MAX = 200;

/** The problem with an authority as typed (before upper-casing), with its field, or null. */
export function authorityProblem(a: { mode: string; collective?: string | null; principal?: string | null }): { field: 'mode' | 'collective' | 'principal' | null; message: string } | null {
  const collective = (a.collective ?? '').trim();
  const principal = (a.principal ?? '').trim();
  if (!(SIGNING_AUTHORITY_MODES as readonly string[]).includes(a.mode)) return { field: 'mode', message: 'Thẩm quyền ký không hợp lệ (TM., KT., Q., TL., TUQ. hoặc ký trực tiếp).' };
  if (collective.length > AUTHORITY_MAX || principal.length > AUTHORITY_MAX) return { field: null, message: `Dòng thẩm quyền ký không được dài quá ${AUTHORITY_MAX} ký tự.` };
  if (a.mode === 'TM' && !collective) return { field: 'collective', message: 'Ký thay mặt (TM.) phải ghi tên tập thể, ví dụ "ỦY BAN NHÂN DÂN".' };
  if (a.mode !== 'TM' && a.mode !== 'DIRECT' && !principal) return { field: 'principal', message: `Ký ${a.mode}. phải ghi chức vụ của người đứng đầu, ví dụ "CHỦ TỊCH".` };
  if (a.mode === 'DIRECT' && (collective || principal)) return { field: 'mode', message: 'Người đứng đầu ký trực tiếp: không ghi thêm dòng thẩm quyền.' };
  if ((a.mode === 'Q' || a.mode === 'TL' || a.mode === 'TUQ') && collective) return { field: 'collective', message: `Ký ${a.mode}. không kèm dòng TM.` };
  return null;
}

/**
 * The draft form's authority: mode '' = the default (TM. for a UBND, KT. for a deputy, fixed at signing).
 * Collective / principal are only kept where the mode prints them.
 */
export const draftAuthority = () =>
  z
    .object({ mode: z.enum(['', ...SIGNING_AUTHORITY_MODES]), collective: z.string(), principal: z.string() })
    .superRefine((v, ctx) => {
      if (v.mode === '') return;
      const p = authorityProblem({ mode: v.mode, collective: v.mode === 'TM' || v.mode === 'KT' ? v.collective : '', principal: v.mode === 'TM' || v.mode === 'DIRECT' ? '' : v.principal });
      if (p) ctx.addIssue({ code: 'custom', path: [p.field ?? 'mode'], message: p.message });
    });

/** The API input of a draft authority form value (null = the default). */
export function authorityInput(v: { mode: string; collective: string; principal: string }): { mode: AuthorityMode; collective: string | null; principal: string | null } | null {
  if (!v.mode) return null;
  const mode = v.mode as AuthorityMode;
  return {
    mode,
    collective: (mode === 'TM' || mode === 'KT') && v.collective.trim() ? v.collective.trim() : null,
    principal: mode !== 'TM' && mode !== 'DIRECT' && v.principal.trim() ? v.principal.trim() : null,
  };
}

export const DELEGATION_MESSAGES = {
  delegate: 'Chưa chọn người được giao ký.',
  mode: 'Chỉ giao ký thừa lệnh (TL.) hoặc thừa ủy quyền (TUQ.).',
  principal: 'Ghi chức vụ của người giao quyền, ví dụ "CHỦ TỊCH".',
  decisionRef: 'Ghi số, ngày của văn bản giao quyền.',
  range: 'Ngày kết thúc phải sau ngày bắt đầu.',
  tooLong: 'Nội dung quá dài (tối đa 500 ký tự).',
  refTooLong: 'Số, ngày văn bản giao quyền tối đa 300 ký tự.',
} as const;

/** Rule of a giao ký with dates already as YYYY-MM-DD (validTo null = until revoked): the problem and its field, or null. */
export function delegationProblemOf(d: { delegateId: string; mode: string; principal: string; decisionRef: string; scope?: string | null; validFrom: string; validTo?: string | null }): { field: string; message: string } | null {
  if (!d.delegateId) return { field: 'delegateId', message: DELEGATION_MESSAGES.delegate };
  if (d.mode !== 'TL' && d.mode !== 'TUQ') return { field: 'mode', message: DELEGATION_MESSAGES.mode };
  if (!d.principal.trim()) return { field: 'principal', message: DELEGATION_MESSAGES.principal };
  if (d.principal.trim().length > AUTHORITY_MAX) return { field: 'principal', message: DELEGATION_MESSAGES.tooLong };
  if (!d.decisionRef.trim()) return { field: 'decisionRef', message: DELEGATION_MESSAGES.decisionRef };
  if (d.decisionRef.trim().length > 300) return { field: 'decisionRef', message: DELEGATION_MESSAGES.refTooLong };
  if ((d.scope ?? '').trim().length > 500) return { field: 'scope', message: DELEGATION_MESSAGES.tooLong };
  if (d.validTo && d.validTo < d.validFrom) return { field: 'validTo', message: DELEGATION_MESSAGES.range };
  return null;
}
