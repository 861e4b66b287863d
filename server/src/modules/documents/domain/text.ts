/**
 * Small text helpers for Vietnamese strings (pure).
 *
 * Vietnamese text can arrive in NFD (macOS, some scanners/OCR), with "old-style" tone placement
 * (uỷ vs ủy, hoà vs hòa), with the look-alike Icelandic eth `Ð` (U+00D0) instead of `Đ` (U+0110),
 * and with assorted dashes. These helpers make comparisons robust without losing meaning.
 */

/** NFC, trimmed, internal whitespace runs collapsed to one space. */
export function cleanText(s: string): string {
  return s.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** Replace the look-alikes people type for Đ/đ (U+00D0 Ð, U+00F0 ð) by the Vietnamese letters. */
export function fixDStroke(s: string): string {
  return s.replace(/\u00D0/gu, '\u0110').replace(/\u00F0/gu, '\u0111');
}

/**
 * Case- and diacritic-insensitive fold: NFD, drop combining marks, đ→d, lower-case, collapsed spaces.
 * "Giấy uỷ quyền", "GIAY UY QUYEN" and "giấy ủy quyền" all fold to "giay uy quyen".
 */
export function foldVietnamese(s: string): string {
  return fixDStroke(s)
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[đĐ]/gu, 'd')
    .toLowerCase()
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Case-insensitive (but diacritic-sensitive) fold: NFC + lower-case + collapsed spaces. */
export function foldCase(s: string): string {
  return cleanText(fixDStroke(s)).toLowerCase();
}

/** Every dash-like character (hyphen, non-breaking hyphen, figure/en/em dash, minus) → ASCII '-'. */
export function unifyDashes(s: string): string {
  return s.replace(/[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/gu, '-');
}
