import type { EdxmlProblem } from './model';
import { formatProblem } from './model';

/**
 * A package that cannot be read: which element (path), which rule, why (Vietnamese + English), and where in
 * the file (line:column) when known. `problem` is what goes back to the sender in status 02.
 */
export class EdxmlParseError extends Error {
  readonly problem: EdxmlProblem;
  constructor(
    public path: string,
    readonly rule: string,
    readonly vi: string,
    readonly en: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    const problem: EdxmlProblem = { path: shortPath(path) || '(gói tin)', rule, vi, en };
    super(formatProblem(problem) + (line !== undefined ? ` — dòng ${line}, cột ${column ?? 0} (line ${line}, column ${column ?? 0})` : ''));
    this.name = 'EdxmlParseError';
    this.path = problem.path;
    this.problem = problem;
  }
}

/** Limits of the parser; a package beyond one of them is refused with the element path and the limit's name. */
export interface EdxmlParseLimits {
  /** Element nesting depth (edXML needs 9). */
  maxDepth: number;
  /** Number of elements in the package. */
  maxElements: number;
  /**
   * Characters the XML tokenizer may hold before it completes a token (a text node, a tag, a comment, a CDATA
   * section…). Attachment base64 is not held: it is decoded as it arrives.
   */
  maxTokenChars: number;
  /** Characters of everything except attachment base64. */
  maxHeaderChars: number;
  /** Number of attachments. */
  maxAttachments: number;
  /** Bytes of one attachment after base64 (and after unzipping when ZIP-wrapped). */
  maxAttachmentBytes: number;
  /** Bytes of the whole package as received. */
  maxTotalBytes: number;
}

export const DEFAULT_PARSE_LIMITS: EdxmlParseLimits = {
  maxDepth: 32,
  maxElements: 200_000,
  maxTokenChars: 1 << 20,
  maxHeaderChars: 16 << 20,
  maxAttachments: 500,
  maxAttachmentBytes: 512 << 20,
  maxTotalBytes: 2 * 1024 ** 3,
};

/** Paths in reasons start below the envelope: `MessageHeader/…`, `TraceHeaderList/…`, `edXMLBody/…`, `AttachmentEncoded/…`. */
export function shortPath(p: string): string {
  return p
    .replace(/^edXML\/edXMLEnvelope\/edXMLHeader\//, '')
    .replace(/^edXML\/edXMLEnvelope\//, '')
    .replace(/^edXML\/(?=AttachmentEncoded)/, '');
}
