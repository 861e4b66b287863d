/**
 * Trùng văn bản đến trước khi cấp số đến (NĐ 30/2020 Điều 22: văn bản đến được đăng ký một lần; mỗi số
 * đến đã cấp được giữ trong sổ). Pure rule, no I/O: what counts as "the same document" already registered.
 *
 * Two incoming records are the same document when
 * - they carry the same reference: same issuer (folded: case, diacritics, spaces do not matter), same số và
 *   ký hiệu (normalised: "Số:", leading zeros, spaces, dashes, case), same ngày ban hành — numbering.ts
 *   duplicateKey; or
 * - any of their files has the same content (sha256 of the bytes: the same scan uploaded twice).
 * Only records that entered the register count: not an arrival still waiting (RECEIVED), nor a refused
 * (REJECTED) or annulled (ANNULLED) one.
 */
import type { PlainDate } from './calendar';
import { duplicateKey } from './numbering';

/** States of an incoming record that do not make a later registration a duplicate. */
export const NOT_IN_REGISTER_STATES: readonly string[] = ['RECEIVED', 'REJECTED', 'ANNULLED'];

export type DuplicateReason = 'SAME_REFERENCE' | 'SAME_FILE';

/** What identifies the document being registered. */
export interface DuplicateProbe {
  /** duplicateKey(issuer, symbol, issuedDate), or null when the symbol or the date is missing. */
  key: string | null;
  /** sha256 (hex) of every file it comes with. */
  sha256s: readonly string[];
}

/** A record already in the agency's incoming register (or an arrival). */
export interface DuplicateCandidate {
  id: string;
  state: string;
  key: string | null;
  sha256s: readonly string[];
}

export interface DuplicateMatch {
  id: string;
  reasons: DuplicateReason[];
}

const isSha256 = (s: string) => /^[0-9a-f]{64}$/.test(s);

/** The probe of a registration form (fields already normalised by incoming-input.ts). */
export function duplicateProbe(
  fields: { issuerName: string; symbol: string | null; issuedDate: PlainDate | null },
  sha256s: readonly string[],
  timeZone?: string,
): DuplicateProbe {
  const key = fields.symbol && fields.issuedDate ? duplicateKey(fields.issuerName, fields.symbol, fields.issuedDate, timeZone) : null;
  const hashes = [...new Set(sha256s.map((s) => s.trim().toLowerCase()).filter(isSha256))];
  return { key, sha256s: hashes };
}

/** The candidates that are the same document as the probe, in the candidates' order, with why. */
export function findDuplicates(probe: DuplicateProbe, candidates: readonly DuplicateCandidate[], selfId?: string | null): DuplicateMatch[] {
  const mine = new Set(probe.sha256s);
  const out: DuplicateMatch[] = [];
  for (const c of candidates) {
    if (c.id === selfId || NOT_IN_REGISTER_STATES.includes(c.state)) continue;
    const reasons: DuplicateReason[] = [];
    if (probe.key !== null && c.key === probe.key) reasons.push('SAME_REFERENCE');
    if (c.sha256s.some((h) => mine.has(h.toLowerCase()))) reasons.push('SAME_FILE');
    if (reasons.length) out.push({ id: c.id, reasons });
  }
  return out;
}
