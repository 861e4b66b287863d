/**
 * Where signatures go (NĐ 30/2020 Phụ lục I), pure helpers for the issuing flow:
 * - the agency seal overlaps about the left third of the signer's signature image;
 * - on an attachment in a separate file (or an electronic copy) the agency signature sits top-right of the
 *   first page, without image, in Times New Roman 10 (DejaVu Serif here);
 * - the text block: agency name and signing time ISO 8601 in Vietnam time (with the number for attachments).
 */
import type { Rect } from './pdf/types';

export { pdfPageSizes } from './pdf/pades';

/**
 * The agency signature's rectangle: a seal of `sealSize` pt centred on the left third of the signer's image
 * (so it covers that third and reaches out to the left), and room for the text block to its right (`textWidth`).
 */
export function agencySealRect(signerImage: Rect, sealSize = 100, textWidth = 150): Rect {
  const cx = signerImage.x + signerImage.width / 6;
  const cy = signerImage.y + signerImage.height / 2;
  return { x: cx - sealSize / 2, y: cy - sealSize / 2, width: sealSize + textWidth, height: sealSize };
}

/** Top-right corner of a page (attachments, electronic copies), `margin` pt from the edges. */
export function topRightRect(page: { width: number; height: number }, size = { width: 210, height: 48 }, margin = 20): Rect {
  return { x: page.width - size.width - margin, y: page.height - size.height - margin, width: size.width, height: size.height };
}

/** ISO 8601 in Asia/Ho_Chi_Minh (UTC+7, no daylight saving): 2026-12-06T09:30:00+07:00. */
export function vnIsoTime(d: Date): string {
  return `${new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 19)}+07:00`;
}

/** The agency signature's text lines: [Số …,] agency name, time. */
export function agencySignatureText(agencyName: string, signedAt: Date, documentNumber?: string | null): string[] {
  return [...(documentNumber ? [`Số: ${documentNumber}`] : []), agencyName, `Thời gian ký: ${vnIsoTime(signedAt)}`];
}
