/**
 * One rule for every text that enters the API (GraphQL variables and literal string arguments):
 *  - NUL (U+0000) is refused: PostgreSQL cannot store it in text, and no real document contains it;
 *  - other C0/C1 control characters except TAB, LF and CR, and the bidi embedding/override/isolate marks
 *    (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F) are dropped: they come from copy-paste out of PDFs and
 *    OCR more often than from malice, so refusing them would punish the văn thư; dropping them keeps what
 *    is visible and removes the "Trojan source" trick of showing a subject other than the stored one;
 *  - the text is NFC-normalised (Vietnamese has precomposed and combining forms of the same letter).
 * Passwords are only checked for NUL: changing them would change what is hashed.
 */

// eslint-disable-next-line no-control-regex
const STRIP = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Keys whose values are kept byte for byte (NUL still refused). */
const VERBATIM = /password/i;

export class NulCharacterError extends Error {
  constructor(readonly path: string) {
    super(`Trường "${path}" chứa ký tự NUL (\\u0000) không hợp lệ.`);
    this.name = 'NulCharacterError';
  }
}

/** Cleans one text; throws NulCharacterError (with `path`) when it holds a NUL character. */
export function cleanText(text: string, path = 'input', verbatim = false): string {
  if (text.includes('\u0000')) throw new NulCharacterError(path);
  if (verbatim) return text;
  return text.replace(STRIP, '').normalize('NFC');
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

/**
 * Cleans every string inside a JSON-like value (variables), returning a new value; files and other
 * non-plain objects (uploads) are kept as they are. `path` names the field for the error message.
 */
export function cleanValue(value: unknown, path: string, verbatim = false): unknown {
  if (typeof value === 'string') return cleanText(value, path, verbatim);
  if (Array.isArray(value)) return value.map((v, i) => cleanValue(v, `${path}.${i}`, verbatim));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = cleanValue(v, `${path}.${k}`, verbatim || VERBATIM.test(k));
    return out;
  }
  return value;
}

/** Cleans the variables of an operation (top-level names become the path: `input.subject`). */
export function cleanVariables(vars: Record<string, unknown> | null | undefined): Record<string, unknown> | undefined {
  if (!vars) return vars ?? undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(vars)) out[k] = cleanValue(v, k, VERBATIM.test(k));
  return out;
}

export const isVerbatimKey = (key: string): boolean => VERBATIM.test(key);
