/**
 * File types by CONTENT (magic bytes), never by name: a file called `x.pdf` whose bytes are not a PDF is
 * not a PDF. Covers what government offices exchange: PDF, JPEG, PNG, TIFF (scans), DOCX/XLSX/ODT/ODS
 * (ZIP containers) and DOC/XLS (OLE2 compound files). Pure functions, no I/O.
 */

export interface DetectedType {
  /** Canonical media type, e.g. `application/pdf`. */
  mime: string;
  /** Canonical extension without dot, e.g. `pdf`. */
  ext: string;
  /** Extensions a file of this type may carry (lower case, no dot). */
  extensions: readonly string[];
  label: string;
}

const T = {
  pdf: { mime: 'application/pdf', ext: 'pdf', extensions: ['pdf'], label: 'PDF' },
  jpeg: { mime: 'image/jpeg', ext: 'jpg', extensions: ['jpg', 'jpeg', 'jpe', 'jfif'], label: 'JPEG' },
  png: { mime: 'image/png', ext: 'png', extensions: ['png'], label: 'PNG' },
  tiff: { mime: 'image/tiff', ext: 'tif', extensions: ['tif', 'tiff'], label: 'TIFF' },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: 'docx', extensions: ['docx'], label: 'Word (DOCX)' },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx', extensions: ['xlsx'], label: 'Excel (XLSX)' },
  odt: { mime: 'application/vnd.oasis.opendocument.text', ext: 'odt', extensions: ['odt'], label: 'OpenDocument (ODT)' },
  ods: { mime: 'application/vnd.oasis.opendocument.spreadsheet', ext: 'ods', extensions: ['ods'], label: 'OpenDocument (ODS)' },
  doc: { mime: 'application/msword', ext: 'doc', extensions: ['doc'], label: 'Word (DOC)' },
  xls: { mime: 'application/vnd.ms-excel', ext: 'xls', extensions: ['xls'], label: 'Excel (XLS)' },
} as const satisfies Record<string, DetectedType>;

export type KnownFileType = keyof typeof T;
export const FILE_TYPES: Readonly<Record<KnownFileType, DetectedType>> = T;

/** Every extension we know, mapped to its type (for "the name says X but the bytes say Y"). */
const EXT_TO_TYPE = new Map<string, DetectedType>(Object.values(T).flatMap((t) => t.extensions.map((e) => [e, t] as const)));

const startsWith = (buf: Uint8Array, sig: readonly number[], at = 0): boolean =>
  buf.length >= at + sig.length && sig.every((b, i) => buf[at + i] === b);

function indexOfAscii(buf: Uint8Array, text: string, from = 0, to = buf.length): number {
  const needle = Buffer.from(text, 'latin1');
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).subarray(0, to).indexOf(needle, from);
}

/** ZIP local file header names (first entries): enough to tell OOXML and ODF apart. */
function zipKind(buf: Uint8Array): DetectedType | null {
  // ODF: the first entry is "mimetype", stored uncompressed, holding the media type.
  if (indexOfAscii(buf, 'mimetype', 30, 38) === 30) {
    const head = Buffer.from(buf.buffer, buf.byteOffset, Math.min(buf.byteLength, 200)).toString('latin1');
    if (head.includes('application/vnd.oasis.opendocument.text')) return T.odt;
    if (head.includes('application/vnd.oasis.opendocument.spreadsheet')) return T.ods;
  }
  // OOXML: part names in local headers / the central directory.
  if (indexOfAscii(buf, 'word/') >= 0) return T.docx;
  if (indexOfAscii(buf, 'xl/') >= 0) return T.xlsx;
  return null;
}

/** OLE2 compound file: Word has a "WordDocument" stream, Excel a "Workbook" (or old "Book") stream. */
function oleKind(buf: Uint8Array): DetectedType | null {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const utf16 = (s: string) => Buffer.from(s, 'utf16le');
  if (b.indexOf(utf16('WordDocument')) >= 0) return T.doc;
  if (b.indexOf(utf16('Workbook')) >= 0 || b.indexOf(utf16('Book')) >= 0) return T.xls;
  return null;
}

/** The type of these bytes, or null if it is not one we accept. */
export function detectFileType(buf: Uint8Array): DetectedType | null {
  // PDF: "%PDF-" within the first 1024 bytes (some producers prepend junk; readers accept it).
  if (indexOfAscii(buf, '%PDF-', 0, Math.min(buf.length, 1024)) >= 0) return T.pdf;
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return T.jpeg;
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return T.png;
  if (startsWith(buf, [0x49, 0x49, 0x2a, 0x00]) || startsWith(buf, [0x4d, 0x4d, 0x00, 0x2a])) return T.tiff;
  if (startsWith(buf, [0x50, 0x4b, 0x03, 0x04])) return zipKind(buf);
  if (startsWith(buf, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return oleKind(buf);
  return null;
}

/** Lower-case extension of a file name without the dot ('' if none). */
export function extensionOf(fileName: string): string {
  const base = fileName.split(/[/\\]/).pop() ?? '';
  const i = base.lastIndexOf('.');
  return i > 0 && i < base.length - 1 ? base.slice(i + 1).toLowerCase() : '';
}

export type FileCheck = { ok: true; type: DetectedType } | { ok: false; reason: string };

/**
 * Checks a named file: the bytes must be one of the accepted types, and if the name carries an extension
 * it must be one of that type's extensions (a `.pdf` that is really a JPEG, or a PDF named `.exe`, is refused).
 * A name without extension is accepted (the detected type decides). Messages are Vietnamese.
 */
export function checkFile(fileName: string, bytes: Uint8Array): FileCheck {
  const type = detectFileType(bytes);
  const ext = extensionOf(fileName);
  if (!type) {
    const claimed = EXT_TO_TYPE.get(ext);
    return {
      ok: false,
      reason: claimed
        ? `Tệp "${fileName}" không phải tệp ${claimed.label} hợp lệ (nội dung không khớp với phần mở rộng).`
        : `Tệp "${fileName}" không thuộc định dạng được chấp nhận (PDF, JPEG, PNG, TIFF, DOC, DOCX, XLS, XLSX, ODT).`,
    };
  }
  if (ext && !type.extensions.includes(ext)) {
    return { ok: false, reason: `Tệp "${fileName}" có phần mở rộng .${ext} nhưng nội dung là ${type.label}.` };
  }
  return { ok: true, type };
}

/** Number of pages of a PDF (counts page objects; good enough for a register, null if unsure). */
export function pdfPageCount(buf: Uint8Array): number | null {
  const text = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('latin1');
  const m = text.match(/\/Type\s*\/Page(?![a-zA-Z])/g);
  return m && m.length > 0 ? m.length : null;
}
