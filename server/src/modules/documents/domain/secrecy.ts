/**
 * Secret documents as the law has them (issue 9), pure rules:
 *
 * - Metadata only. State secrets may not be stored on networked machines (Luật Bảo vệ bí mật nhà nước
 *   29/2018/QH14 Điều 5; NĐ 26/2020/NĐ-CP) and are excluded from electronic exchange (QĐ 28/2018/QĐ-TTg). A
 *   document Mật, Tối mật or Tuyệt mật is registered here by its metadata only: no file is uploaded, stored or
 *   OCR'd — the paper circulates. `secretFileProblem` says what to refuse.
 * - Own registers. "Văn bản mật được cấp hệ thống số riêng" (NĐ 30/2020 Điều 15.2, 22.4): numbered in the
 *   sequences INCOMING_SECRET / OUTGOING_SECRET (numbering.ts sequenceKeyFor), printed in their own registers
 *   (Sổ đăng ký văn bản đến mật / đi mật), never inside the ordinary ones.
 * - Symbols that cannot collide. An outgoing secret document's number comes from the secret sequence, so
 *   `01/BC-UBND` could exist twice in a year (once secret, once ordinary). Our choice: the secret symbol is the
 *   ordinary form followed by the group "-M" (Mật): `01/BC-UBND-M`, công văn `01/UBND-KT-M`. It stays a valid
 *   số, ký hiệu (parseSymbol reads it; a receiving agency can register it), the "M" group is what agencies
 *   commonly add by hand, and an ordinary symbol never ends in "-M" as long as no unit is abbreviated "M" or
 *   "…-M" (`isSecretSymbol`; unit abbreviations ending so are to be refused by the unit administration).
 * - Circulation markings (chỉ dẫn về phạm vi lưu hành, NĐ 30/2020 Phụ lục I: "TRẢ LẠI SAU KHI HỌP (HỘI NGHỊ)",
 *   "XEM XONG TRẢ LẠI", "LƯU HÀNH NỘI BỘ"), for any document, secret or not; printed in the registers' Ghi chú.
 */
import { formatSymbol, type SymbolParts } from './numbering';
import { isSecret, SECRECY_LABELS, type Secrecy } from './markings';

// ---------------------------------------------------------------------------------------------------
// Circulation markings

/** Chỉ dẫn về phạm vi lưu hành (NĐ 30/2020 Phụ lục I). */
export const CIRCULATION_MARKINGS = ['XEM_XONG_TRA_LAI', 'LUU_HANH_NOI_BO', 'TRA_LAI_SAU_KHI_HOP'] as const;
export type CirculationMarking = (typeof CIRCULATION_MARKINGS)[number];

/** As printed on the document (upper case, as the decree writes them). */
export const CIRCULATION_LABELS: Readonly<Record<CirculationMarking, string>> = {
  XEM_XONG_TRA_LAI: 'XEM XONG TRẢ LẠI',
  LUU_HANH_NOI_BO: 'LƯU HÀNH NỘI BỘ',
  TRA_LAI_SAU_KHI_HOP: 'TRẢ LẠI SAU KHI HỌP (HỘI NGHỊ)',
};

export const isCirculationMarking = (v: unknown): v is CirculationMarking => (CIRCULATION_MARKINGS as readonly unknown[]).includes(v);

export type SecrecyProblem = { field: string; reason: string };

/**
 * The markings as stored: known values only, each once, in the canonical order (null/undefined → []).
 * Returns a problem for an unknown value.
 */
export function normalizeCirculation(values: readonly string[] | null | undefined): { ok: true; value: CirculationMarking[] } | ({ ok: false } & SecrecyProblem) {
  const given = values ?? [];
  for (const v of given) {
    if (!isCirculationMarking(v)) return { ok: false, field: 'circulation', reason: `Chỉ dẫn phạm vi lưu hành "${String(v)}" không hợp lệ.` };
  }
  return { ok: true, value: CIRCULATION_MARKINGS.filter((m) => given.includes(m)) };
}

/** The stored markings (a JSON column, null for none) in the canonical order; unknown values are skipped. */
export function storedCirculation(values: readonly string[] | null | undefined): CirculationMarking[] {
  return CIRCULATION_MARKINGS.filter((m) => (values ?? []).includes(m));
}

/** "XEM XONG TRẢ LẠI; LƯU HÀNH NỘI BỘ" (empty string for none); unknown stored values are skipped. */
export function circulationText(values: readonly string[] | null | undefined): string {
  return storedCirculation(values)
    .map((m) => CIRCULATION_LABELS[m])
    .join('; ');
}

// ---------------------------------------------------------------------------------------------------
// Metadata only

export interface SecretFilesInput {
  secrecy: Secrecy;
  /** Number of files uploaded with the request. */
  uploads?: number;
  /** Ids of files uploaded beforehand (scans) to be attached. */
  fileIds?: number;
  /** Files the document already has (an electronically received one, earlier draft versions). */
  existingFiles?: number;
  /** The request's field carrying the uploads (files, file). */
  uploadField?: string;
}

export const SECRET_NO_FILE_REASON =
  'Văn bản mật (Mật, Tối mật, Tuyệt mật) chỉ được vào sổ theo thông tin, không tải tệp lên hệ thống (Luật Bảo vệ bí mật nhà nước 2018): bản giấy được chuyển theo quy định.';

/**
 * Why a request touching a secret document must be refused because of files (null: fine). Nothing of a secret
 * document's content is stored: no upload, no scan attached, and a document that already has files on the
 * system (received electronically, or a draft with versions) cannot become secret.
 */
export function secretFileProblem(input: SecretFilesInput): SecrecyProblem | null {
  if (!isSecret(input.secrecy)) return null;
  const label = SECRECY_LABELS[input.secrecy];
  if (input.uploads) return { field: input.uploadField ?? 'files', reason: `${label}: ${SECRET_NO_FILE_REASON}` };
  if (input.fileIds) return { field: 'fileIds', reason: `${label}: ${SECRET_NO_FILE_REASON}` };
  if (input.existingFiles)
    return {
      field: 'secrecy',
      reason: `Văn bản đã có tệp trên hệ thống nên không thể đăng ký là văn bản ${label.toLocaleLowerCase('vi')}: văn bản mật chỉ được quản lý theo thông tin, bản giấy được chuyển theo quy định.`,
    };
  return null;
}

/** uploadScan declared secret: a secret scan is never stored nor OCR'd. */
export function secretScanProblem(secrecy: Secrecy | null | undefined): SecrecyProblem | null {
  if (!secrecy || !isSecret(secrecy)) return null;
  return { field: 'secrecy', reason: `${SECRECY_LABELS[secrecy]}: không số hóa, không lưu bản quét văn bản mật trên hệ thống. Vào sổ văn bản mật theo thông tin, không kèm tệp.` };
}

// ---------------------------------------------------------------------------------------------------
// Symbols and registers

/** The distinguishing group of a secret outgoing symbol (Mật). */
export const SECRET_SYMBOL_MARK = 'M';

/** The số, ký hiệu of an outgoing document: secret ones get "-M" (`01/BC-UBND-M`), ordinary ones are unchanged. */
export function outgoingSymbol(parts: SymbolParts, secrecy: Secrecy): string {
  const base = formatSymbol(parts);
  return isSecret(secrecy) ? `${base}-${SECRET_SYMBOL_MARK}` : base;
}

/** Does the symbol carry the secret mark (last group "M")? */
export function isSecretSymbol(symbol: string): boolean {
  return symbol.endsWith(`-${SECRET_SYMBOL_MARK}`);
}

/** Register titles (Phụ lục IV NĐ 30/2020; the secret ones are the same books kept apart). */
export function registerTitle(kind: 'INCOMING' | 'OUTGOING' | 'FOLLOW_UP', secret: boolean): string {
  const base = kind === 'INCOMING' ? 'SỔ ĐĂNG KÝ VĂN BẢN ĐẾN' : kind === 'OUTGOING' ? 'SỔ ĐĂNG KÝ VĂN BẢN ĐI' : 'SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN';
  return secret ? `${base} MẬT` : base;
}
