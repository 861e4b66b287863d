/**
 * Thẩm quyền ký (signing authority), NĐ 30/2020 Điều 13 and Phụ lục I (pure, no I/O).
 *
 *   DIRECT  the head signs in their own name                     GIÁM ĐỐC
 *   TM.     on behalf of a collective body (chế độ tập thể)         TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH
 *   KT.     a deputy signs for the head (ký thay)                  [TM. ỦY BAN NHÂN DÂN] / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH
 *   Q.      the acting head (quyền)                                Q. GIÁM ĐỐC
 *   TL.     the head of a unit signs by order (thừa lệnh)          TL. GIÁM ĐỐC / CHÁNH VĂN PHÒNG
 *   TUQ.    a person authorised in writing (thừa ủy quyền)          TUQ. CHỦ TỊCH / GIÁM ĐỐC SỞ NỘI VỤ
 *
 * TL. and TUQ. need a recorded delegation (the head's written decision): `delegationProblem` checks one.
 * The lines are printed on the page (issuing/stamp-layout.ts) and kept on the document for the registers.
 */
import { cleanText } from '../domain/text';
import { conflictWith, invalid, type TransitionFailure } from '../domain/transition';
import { authorityProblem } from '../../../../../schema/validation/signing-authority';

export const SIGNING_AUTHORITY_MODES = ['DIRECT', 'TM', 'KT', 'Q', 'TL', 'TUQ'] as const;
export type SigningAuthorityMode = (typeof SIGNING_AUTHORITY_MODES)[number];
export const isSigningAuthorityMode = (v: unknown): v is SigningAuthorityMode => (SIGNING_AUTHORITY_MODES as readonly unknown[]).includes(v);

/** Modes that need a recorded delegation (giấy ủy quyền / quyết định giao ký thừa lệnh). */
export const DELEGATED_MODES: readonly SigningAuthorityMode[] = ['TL', 'TUQ'];

export interface SigningAuthority {
  mode: SigningAuthorityMode;
  /** The collective body of a TM. line ("ỦY BAN NHÂN DÂN"): required for TM, optional above a KT. line. */
  collective?: string | null;
  /** The head's title after KT. / Q. / TL. / TUQ. ("CHỦ TỊCH", "GIÁM ĐỐC"). */
  principal?: string | null;
}

const upper = (s: string) => cleanText(s).toLocaleUpperCase('vi-VN');

/** Validates and normalises (NFC, upper case as printed). `{ok:false}` with the field on bad input. */
export function normalizeAuthority(input: SigningAuthority): { ok: true; value: SigningAuthority } | TransitionFailure {
  // The rules shared with the draft form (schema/validation/signing-authority.ts), same messages and fields.
  const problem = authorityProblem(input);
  if (problem) return invalid(problem.message, problem.field ? `signingAuthority.${problem.field}` : 'signingAuthority');
  if (!isSigningAuthorityMode(input.mode)) return invalid('Thẩm quyền ký không hợp lệ.', 'signingAuthority.mode');
  const collective = input.collective ? upper(input.collective) : '';
  const principal = input.principal ? upper(input.principal) : '';
  return {
    ok: true,
    value: { mode: input.mode, collective: collective || null, principal: input.mode === 'TM' || input.mode === 'DIRECT' ? null : principal },
  };
}

/**
 * The signer block above the signature as printed (upper case): authority lines, then the signer's title
 * (except for Q., whose line already names the function).
 */
export function authorityLines(a: SigningAuthority, signerTitle: string | null | undefined): string[] {
  const lines: string[] = [];
  if (a.collective) lines.push(`TM. ${upper(a.collective)}`);
  if (a.mode !== 'TM' && a.mode !== 'DIRECT' && a.principal) lines.push(`${a.mode}. ${upper(a.principal)}`);
  const title = signerTitle ? upper(signerTitle) : '';
  if (a.mode !== 'Q' && title) lines.push(title);
  return lines;
}

/** One line for the registers ("KT. CHỦ TỊCH"; "TM. ỦY BAN NHÂN DÂN"; "" when signed directly). */
export function authorityLabel(a: SigningAuthority): string {
  if (a.mode === 'DIRECT') return '';
  if (a.mode === 'TM') return `TM. ${a.collective ?? ''}`.trim();
  return [a.collective ? `TM. ${a.collective}` : '', `${a.mode}. ${a.principal ?? ''}`.trim()].filter(Boolean).join(' / ');
}

/**
 * "Người ký" as the registers show it: the authority line directly above the signer's title, then the title
 * and the name ("KT. CHỦ TỊCH — Phó Chủ tịch Nguyễn Văn A"); only the name and title when signed directly.
 */
export function registerSignerLine(a: SigningAuthority | null, signerTitle: string | null | undefined, signerName: string | null | undefined): string {
  const person = [cleanText(signerTitle ?? ''), cleanText(signerName ?? '')].filter(Boolean).join(' ');
  const label = a ? authorityLabel(a) : '';
  const last = label.split(' / ').pop() ?? '';
  return [last, person].filter(Boolean).join(' — ');
}

/**
 * A default when the drafter chose none: a collective body (Ủy ban nhân dân …) signs TM.; a deputy
 * ("Phó …") signs KT. for the head; anyone else signs directly.
 */
export function defaultAuthority(agencyName: string, signerTitle: string | null | undefined): SigningAuthority {
  const name = cleanText(agencyName);
  const collective = /^(ủy|uỷ) ban nhân dân/iu.test(name) ? 'ỦY BAN NHÂN DÂN' : /^hội đồng nhân dân/iu.test(name) ? 'HỘI ĐỒNG NHÂN DÂN' : null;
  const title = cleanText(signerTitle ?? '');
  const deputy = /^phó\s+(.+)$/iu.exec(title);
  if (deputy) return { mode: 'KT', collective, principal: upper(deputy[1]) };
  if (collective) return { mode: 'TM', collective, principal: null };
  return { mode: 'DIRECT', collective: null, principal: null };
}

/** A recorded delegation (giao ký thừa lệnh / ủy quyền), as the rule needs it. */
export interface DelegationFacts {
  delegateUserId: string;
  mode: SigningAuthorityMode;
  /** Inclusive local dates YYYY-MM-DD; validTo null = until revoked. */
  validFrom: string;
  validTo: string | null;
  revoked: boolean;
}

/**
 * TL. / TUQ. need a delegation of that mode to the signer, in force on `day` (the signing day, agency zone).
 * Null when fine (or not needed).
 */
export function delegationProblem(a: SigningAuthority, signerUserId: string, day: string, delegations: readonly DelegationFacts[]): TransitionFailure | null {
  if (!DELEGATED_MODES.includes(a.mode)) return null;
  const ok = delegations.some(
    (d) => d.delegateUserId === signerUserId && d.mode === a.mode && !d.revoked && d.validFrom <= day && (d.validTo === null || day <= d.validTo),
  );
  if (ok) return null;
  const what = a.mode === 'TL' ? 'thừa lệnh (TL.)' : 'thừa ủy quyền (TUQ.)';
  return conflictWith(`Người ký chưa được giao ký ${what} còn hiệu lực ngày ${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}. Quản trị cần ghi nhận văn bản giao quyền trước.`);
}
