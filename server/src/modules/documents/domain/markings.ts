/**
 * Document markings: mức độ khẩn (urgency) and độ mật (secrecy). NĐ 30/2020 §1.3; Luật BVBMNN 2018.
 */

/** Mức độ khẩn. THUONG = no marking. */
export const URGENCIES = ['THUONG', 'KHAN', 'THUONG_KHAN', 'HOA_TOC'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const URGENCY_LABELS: Readonly<Record<Urgency, string>> = {
  THUONG: 'Thường',
  KHAN: 'Khẩn',
  THUONG_KHAN: 'Thượng khẩn',
  HOA_TOC: 'Hỏa tốc',
};

/** Higher = more urgent: HOA_TOC 3 > THUONG_KHAN 2 > KHAN 1 > THUONG 0. Used to sort inboxes. */
export function urgencyRank(u: Urgency): number {
  const i = URGENCIES.indexOf(u);
  if (i < 0) throw new RangeError(`Unknown urgency: ${String(u)}`);
  return i;
}

/** Khẩn, thượng khẩn and hỏa tốc must be registered, submitted and handled immediately (NĐ 30 Điều 4.2.c, 24). */
export function isUrgent(u: Urgency): boolean {
  return u !== 'THUONG';
}

/**
 * edXML `OtherInfo/Priority`: 0 thường, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc, 4 hỏa tốc hẹn giờ (legacy NĐ 110 value;
 * NĐ 30 no longer lists it, so we read 4 as HOA_TOC and never write it).
 */
export function urgencyToEdxmlPriority(u: Urgency): 0 | 1 | 2 | 3 {
  return urgencyRank(u) as 0 | 1 | 2 | 3;
}

export function urgencyFromEdxmlPriority(p: number | string): Urgency | null {
  const n = typeof p === 'string' ? (/^\s*\d+\s*$/.test(p) ? Number(p) : NaN) : p;
  if (n === 4) return 'HOA_TOC';
  return Number.isInteger(n) && n >= 0 && n <= 3 ? URGENCIES[n] : null;
}

/** Độ mật. THUONG = not secret. */
export const SECRECIES = ['THUONG', 'MAT', 'TOI_MAT', 'TUYET_MAT'] as const;
export type Secrecy = (typeof SECRECIES)[number];

export const SECRECY_LABELS: Readonly<Record<Secrecy, string>> = {
  THUONG: 'Thường',
  MAT: 'Mật',
  TOI_MAT: 'Tối mật',
  TUYET_MAT: 'Tuyệt mật',
};

/**
 * Mật, Tối mật, Tuyệt mật are state secrets: own registers and number sequences (NĐ 30 Điều 15.2, 22.4),
 * visible only to named people, and excluded from electronic exchange (QĐ 28/2018).
 */
export function isSecret(s: Secrecy): boolean {
  if (!SECRECIES.includes(s)) throw new RangeError(`Unknown secrecy: ${String(s)}`);
  return s !== 'THUONG';
}

export function secrecyRank(s: Secrecy): number {
  const i = SECRECIES.indexOf(s);
  if (i < 0) throw new RangeError(`Unknown secrecy: ${String(s)}`);
  return i;
}
