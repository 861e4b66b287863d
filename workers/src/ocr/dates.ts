/** Vietnamese dates as printed on documents (pure). */

/** Digits as OCR sometimes reads them: O→0, I/l/|→1, S→5, B→8. */
function ocrDigits(s: string): string {
  return s.replace(/[Oo]/g, '0').replace(/[Il|!]/g, '1').replace(/S/g, '5').replace(/B/g, '8');
}

const valid = (y: number, m: number, d: number) => {
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
};

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * "Lương Tài, ngày 09 tháng 02 năm 2017" → { iso: "2017-02-09" }; also "ngày 9/2/2017", "09-02-2017".
 * `exact` is false when OCR-confusable characters had to be mapped to digits.
 */
export function parseVietnameseDate(s: string): { iso: string; exact: boolean } | null {
  const t = s.normalize('NFC');
  const m = t.match(/ng\S{1,3}\s*(\S{1,3}?)\s*th\S{2,4}\s*(\S{1,3}?)\s*n\S{1,3}\s*(\S{4})/iu);
  if (m) {
    const raw = [m[1], m[2], m[3]];
    const fixed = raw.map(ocrDigits);
    if (fixed.every((x) => /^\d+$/.test(x))) {
      const [d, mo, y] = fixed.map(Number);
      if (valid(y, mo, d)) return { iso: `${y}-${pad(mo)}-${pad(d)}`, exact: raw.every((x, i) => x === fixed[i]) };
    }
  }
  const n = t.match(/\b(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\b/);
  if (n) {
    const [d, mo, y] = [n[1], n[2], n[3]].map(Number);
    if (valid(y, mo, d)) return { iso: `${y}-${pad(mo)}-${pad(d)}`, exact: true };
  }
  return null;
}
