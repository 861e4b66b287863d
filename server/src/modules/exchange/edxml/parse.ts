/**
 * Streaming edXML parser.
 *
 * - The bytes are read from a stream (UTF-8 only) and fed to saxes (a streaming XML parser) in pieces that end
 *   at `>`; the parser never holds the package.
 * - The text of `AttachmentEncoded/Attachment/ContentTransferEncoded` never reaches saxes: a small scanner in
 *   front of it diverts that text to an incremental base64 decoder (and an incremental unzip for ZIP-wrapped
 *   attachments), whose bytes go to the caller's `AttachmentSink` as they arrive, with backpressure.
 * - Hostile input: a DOCTYPE (and with it any entity declaration: XXE, billion laughs) is refused; entities
 *   other than the five predefined ones and character references are refused by saxes; depth, element count,
 *   token size, header size, attachment count and size, and total size are limited (errors.ts). Every
 *   refusal is an `EdxmlParseError` with the element path, the rule and a Vietnamese + English reason.
 * - The envelope is kept as a small element tree and then mapped to the typed value (model.ts).
 */
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { Base64Decoder, Base64Error } from './base64';
import { DEFAULT_PARSE_LIMITS, EdxmlParseError, type EdxmlParseLimits } from './errors';
import { normalizeContentId } from './formats';
import { EDXML_NS, XLINK_NS, type EdxmlAttachment, type EdxmlPackage, type EdxmlProblem } from './model';
import type { AttachmentBeginMeta, AttachmentSink, AttachmentWriter } from './sinks';
import { mapPackage, type XNode } from './map';

export interface ParseOptions {
  limits?: Partial<EdxmlParseLimits>;
}

export interface ParseResult<R> {
  value: EdxmlPackage;
  /** What the sink returned for each attachment, in the order of `value.attachments`. */
  stored: R[];
  /** Elements the codec does not know (ignored), and similar notes. */
  warnings: EdxmlProblem[];
}

export type EdxmlInput = Readable | AsyncIterable<Uint8Array | string> | Uint8Array | string;

const CTE_PATH = 'edXML/AttachmentEncoded/Attachment/ContentTransferEncoded';
const ALIASES: Record<string, string> = {
  Business: 'Bussiness',
  BusinessDocType: 'BussinessDocType',
  BusinessDocReason: 'BussinessDocReason',
  BusinessDocumentInfo: 'BussinessDocumentInfo',
};
const PIECE = 64 * 1024;

/** Parses an edXML package; attachment bytes go to `sink`. Throws EdxmlParseError when the package is refused. */
export async function parseEdxml<R>(input: EdxmlInput, sink: AttachmentSink<R>, opts: ParseOptions = {}): Promise<ParseResult<R>> {
  const p = new StreamingParser(sink, { ...DEFAULT_PARSE_LIMITS, ...opts.limits });
  try {
    for await (const chunk of asChunks(input)) await p.feedBytes(chunk);
    return await p.finish();
  } catch (err) {
    await p.cleanup(err instanceof Error ? err : new Error(String(err)));
    throw err;
  }
}

async function* asChunks(input: EdxmlInput): AsyncIterable<Uint8Array | string> {
  if (typeof input === 'string') {
    for (let i = 0; i < input.length; i += PIECE) yield input.slice(i, i + PIECE);
  } else if (input instanceof Uint8Array) {
    for (let i = 0; i < input.length; i += PIECE) yield input.subarray(i, i + PIECE);
  } else {
    yield* input as AsyncIterable<Uint8Array | string>;
  }
}

type DivertMode = 'text' | 'cdata' | 'comment';

interface OpenAttachment {
  index: number;
  /** ContentTransferEncoded */
  node: XNode;
  /** its Attachment parent */
  attachment: XNode;
  decoder: Base64Decoder;
  head: Buffer[];
  headLen: number;
  decided: boolean;
  unzip?: Unzip;
  zipOut: Uint8Array[];
  zipError?: Error;
  zipFile?: UnzipFile;
  zipDone: boolean;
  zipEntryName?: string;
  rawBytes: number;
  writer?: AttachmentWriter<unknown>;
  hash: crypto.Hash;
  size: number;
  wrapping: 'none' | 'zip';
}

class StreamingParser<R> {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly sax: SaxesParser<{ xmlns: true; position: true }>;
  private readonly stack: XNode[] = [];
  private root?: XNode;
  private totalBytes = 0;
  private headerChars = 0;
  private sinceEvent = 0;
  private elements = 0;
  private skippedLines = 0;
  private pendingDivert?: XNode;
  private lastClosed?: XNode;
  private diverting?: OpenAttachment;
  private mode: DivertMode = 'text';
  private pending = '';
  private readonly attachments: Array<{ node: XNode; result: EdxmlAttachment; stored: R }> = [];
  private attachmentCount = 0;
  private ended = false;

  constructor(
    private readonly sink: AttachmentSink<R>,
    private readonly limits: EdxmlParseLimits,
  ) {
    this.sax = new SaxesParser({ xmlns: true, position: true, additionalNamespaces: { xlink: XLINK_NS } });
    this.sax.on('error', (e) => {
      const msg = e.message.replace(/^\d+:\d+: /, '');
      const open = this.lastClosed;
      if (msg === 'unexpected close tag.' && open) {
        const closing = this.stack[this.stack.length - 1]?.name ?? '?';
        throw this.err(
          'xml-well-formed',
          `XML không đúng cú pháp: gặp thẻ đóng của ${closing} khi phần tử ${open.name} (mở ở dòng ${open.line}) chưa được đóng`,
          `malformed XML: closing tag of ${closing} while element ${open.name} (opened on line ${open.line}) is still open`,
          this.path(open.name),
        );
      }
      throw this.err('xml-well-formed', `XML không đúng cú pháp: ${msg}`, `malformed XML: ${msg}`);
    });
    this.sax.on('doctype', () => {
      throw this.err('no-doctype', 'Không chấp nhận khai báo DOCTYPE/DTD (chống XXE, bom thực thể)', 'DOCTYPE/DTD is not accepted (XXE, entity expansion)');
    });
    this.sax.on('xmldecl', (d) => {
      this.sinceEvent = 0;
      if (d.encoding && !/^utf-?8$/i.test(d.encoding)) {
        throw this.err('encoding', `Chỉ hỗ trợ mã hóa UTF-8, gói tin khai báo ${d.encoding}`, `only UTF-8 is supported, the package declares ${d.encoding}`);
      }
    });
    this.sax.on('processinginstruction', () => {
      this.sinceEvent = 0;
    });
    this.sax.on('comment', () => {
      this.sinceEvent = 0;
    });
    this.sax.on('opentag', (tag) => this.onOpen(tag));
    this.sax.on('closetag', () => this.onClose());
    this.sax.on('text', (t) => this.onText(t));
    this.sax.on('cdata', (t) => this.onText(t));
  }

  private path(extra?: string): string {
    const parts = this.stack.map((n) => n.name);
    if (extra) parts.push(extra);
    return parts.join('/');
  }

  private err(rule: string, vi: string, en: string, path = this.path()): EdxmlParseError {
    return new EdxmlParseError(path, rule, vi, en, this.sax.line + this.skippedLines, this.sax.column);
  }

  // ---- bytes → text → pieces -------------------------------------------------------------------------

  async feedBytes(chunk: Uint8Array | string): Promise<void> {
    if (this.ended) return;
    let text: string;
    if (typeof chunk === 'string') {
      this.totalBytes += Buffer.byteLength(chunk);
      text = chunk;
    } else {
      this.totalBytes += chunk.length;
      try {
        text = this.decoder.decode(chunk, { stream: true });
      } catch {
        throw this.err('encoding', 'Gói tin không phải văn bản UTF-8 hợp lệ', 'the package is not valid UTF-8');
      }
    }
    if (this.totalBytes > this.limits.maxTotalBytes) {
      throw this.err('max-total-bytes', `Gói tin vượt quá ${this.limits.maxTotalBytes} byte`, `package larger than ${this.limits.maxTotalBytes} bytes`);
    }
    await this.feedText(text);
  }

  private async feedText(chunk: string): Promise<void> {
    const s = this.pending + chunk;
    this.pending = '';
    let i = 0;
    while (i < s.length) {
      if (this.diverting) {
        const r = await this.divert(s, i);
        if (r === -1) return; // needs more input (kept in this.pending)
        i = r;
        continue;
      }
      const gt = s.indexOf('>', i);
      const end = Math.min(gt === -1 ? s.length : gt + 1, i + PIECE);
      this.writeSax(s.slice(i, end));
      i = end;
      if (this.pendingDivert) {
        const node = this.pendingDivert;
        this.pendingDivert = undefined;
        await this.startAttachment(node);
        if (node.selfClosing) await this.endAttachment();
      }
    }
  }

  private writeSax(piece: string): void {
    this.sinceEvent += piece.length;
    this.headerChars += piece.length;
    this.sax.write(piece);
    if (this.sinceEvent > this.limits.maxTokenChars) {
      throw this.err('max-token-chars', `Một nút văn bản/thẻ dài quá ${this.limits.maxTokenChars} ký tự`, `a text node or tag longer than ${this.limits.maxTokenChars} characters`);
    }
    if (this.headerChars > this.limits.maxHeaderChars) {
      throw this.err('max-header-chars', `Phần đầu gói tin (ngoài tệp đính kèm) vượt quá ${this.limits.maxHeaderChars} ký tự`, `the package without attachments exceeds ${this.limits.maxHeaderChars} characters`);
    }
  }

  // ---- element tree ----------------------------------------------------------------------------------

  private onOpen(tag: SaxesTagNS): void {
    this.sinceEvent = 0;
    const name = ALIASES[tag.local] ?? tag.local;
    if (this.stack.length >= this.limits.maxDepth) {
      throw this.err('max-depth', `Các phần tử lồng nhau sâu quá ${this.limits.maxDepth} mức`, `elements nested deeper than ${this.limits.maxDepth} levels`, this.path(name));
    }
    if (++this.elements > this.limits.maxElements) {
      throw this.err('max-elements', `Gói tin có quá ${this.limits.maxElements} phần tử`, `more than ${this.limits.maxElements} elements`, this.path(name));
    }
    const attrs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) {
      if (a.prefix === 'xmlns' || a.name === 'xmlns') continue;
      attrs[a.uri === XLINK_NS ? `xlink:${a.local}` : a.local] = a.value;
    }
    const node: XNode = { name, ns: tag.uri, attrs, text: '', children: [], line: this.sax.line + this.skippedLines, selfClosing: tag.isSelfClosing };
    const parent = this.stack[this.stack.length - 1];
    if (parent && this.path() === CTE_PATH) {
      throw this.err('base64-element', 'ContentTransferEncoded chỉ được chứa dữ liệu base64, không chứa phần tử con', 'ContentTransferEncoded holds base64 text only, no child elements', this.path(name));
    }
    if (parent) parent.children.push(node);
    else {
      if (this.root) throw this.err('xml-well-formed', 'Có nhiều hơn một phần tử gốc', 'more than one root element');
      this.root = node;
      if (name !== 'edXML' || tag.uri !== EDXML_NS) {
        throw this.err('namespace', `Phần tử gốc phải là edXML trong namespace ${EDXML_NS} (gặp ${tag.local} trong "${tag.uri}")`, `the root must be edXML in namespace ${EDXML_NS} (found ${tag.local} in "${tag.uri}")`, tag.local);
      }
    }
    this.stack.push(node);
    if (this.path() === CTE_PATH) {
      if (parent!.children.filter((c) => c.name === 'ContentTransferEncoded').length > 1) {
        throw this.err('once', 'ContentTransferEncoded xuất hiện nhiều lần trong một Attachment', 'ContentTransferEncoded appears more than once in an Attachment');
      }
      this.pendingDivert = node;
    }
  }

  private onClose(): void {
    this.sinceEvent = 0;
    const node = this.stack.pop()!;
    this.lastClosed = node;
    if (node.name === 'Attachment' && this.stack.length === 2 && this.stack[1].name === 'AttachmentEncoded') {
      if (!node.children.some((c) => c.name === 'ContentTransferEncoded')) {
        throw this.err('required', 'Attachment thiếu ContentTransferEncoded (nội dung tệp)', 'Attachment without ContentTransferEncoded (the file content)', this.path('Attachment'));
      }
    }
  }

  private onText(t: string): void {
    this.sinceEvent = 0;
    if (this.path() === CTE_PATH && t.trim()) {
      // base64 that resumes after a processing instruction: refuse rather than drop it
      throw this.err('base64-element', 'Dữ liệu base64 bị ngắt quãng bởi một chỉ thị xử lý', 'base64 data interrupted by a processing instruction');
    }
    const node = this.stack[this.stack.length - 1];
    if (node) node.text += t;
  }

  // ---- attachments -----------------------------------------------------------------------------------

  private async startAttachment(node: XNode): Promise<void> {
    if (++this.attachmentCount > this.limits.maxAttachments) {
      throw this.err('max-attachments', `Gói tin có quá ${this.limits.maxAttachments} tệp đính kèm`, `more than ${this.limits.maxAttachments} attachments`);
    }
    this.diverting = {
      index: this.attachmentCount - 1,
      node,
      attachment: this.stack[this.stack.length - (node.selfClosing ? 1 : 2)],
      decoder: new Base64Decoder(),
      head: [],
      headLen: 0,
      decided: false,
      zipOut: [],
      zipDone: false,
      rawBytes: 0,
      hash: crypto.createHash('sha256'),
      size: 0,
      wrapping: 'none',
    };
    this.mode = 'text';
  }

  /** Consumes diverted text from s[i…]; returns where normal parsing resumes, or -1 when more input is needed. */
  private async divert(s: string, i: number): Promise<number> {
    while (i < s.length) {
      if (this.mode === 'text') {
        const lt = s.indexOf('<', i);
        const amp = s.indexOf('&', i);
        let k = lt === -1 ? s.length : lt;
        if (amp !== -1 && amp < k) k = amp;
        if (k > i) await this.decodePiece(s.slice(i, k));
        if (k >= s.length) return s.length;
        if (s.charCodeAt(k) === 38) {
          const semi = s.indexOf(';', k);
          if (semi === -1 && s.length - k < 10) {
            this.pending = s.slice(k);
            return -1;
          }
          const ref = semi === -1 || semi - k > 10 ? s.slice(k, k + 10) : s.slice(k, semi + 1);
          if (!/^&#(9|10|13|32|x9|xA|xD|x20|xa|xd);$/i.test(ref)) {
            throw this.err('base64-char', `Tham chiếu ký tự không hợp lệ trong base64: ${ref}`, `invalid character reference in base64: ${ref}`);
          }
          i = semi + 1;
          continue;
        }
        // '<': a CDATA section or a comment inside the base64, or the end of the element
        const rest = s.slice(k, k + 9);
        if (rest.startsWith('<![CDATA[')) {
          this.mode = 'cdata';
          i = k + 9;
          continue;
        }
        if (rest.startsWith('<!--')) {
          this.mode = 'comment';
          i = k + 4;
          continue;
        }
        if (rest.length < 9 && ('<![CDATA['.startsWith(rest) || '<!--'.startsWith(rest))) {
          this.pending = s.slice(k);
          return -1;
        }
        await this.endAttachment();
        return k;
      }
      const close = this.mode === 'cdata' ? ']]>' : '-->';
      const e = s.indexOf(close, i);
      if (e === -1) {
        // keep a possible partial terminator for the next chunk
        let keep = 0;
        if (s.endsWith(close.slice(0, 2))) keep = 2;
        else if (s.endsWith(close[0])) keep = 1;
        keep = Math.min(keep, s.length - i);
        if (this.mode === 'cdata') await this.decodePiece(s.slice(i, s.length - keep));
        this.pending = s.slice(s.length - keep);
        return -1;
      }
      if (this.mode === 'cdata') await this.decodePiece(s.slice(i, e));
      this.mode = 'text';
      i = e + 3;
    }
    return i;
  }

  private countLines(text: string): void {
    for (let p = text.indexOf('\n'); p !== -1; p = text.indexOf('\n', p + 1)) this.skippedLines++;
  }

  private async decodePiece(text: string): Promise<void> {
    if (!text) return;
    this.countLines(text);
    const a = this.diverting!;
    let bytes: Buffer;
    try {
      bytes = a.decoder.push(text);
    } catch (e) {
      if (e instanceof Base64Error) throw this.err(e.rule, e.vi, e.en);
      throw e;
    }
    await this.attachmentBytes(a, bytes);
  }

  private attachmentMeta(a: OpenAttachment): AttachmentBeginMeta {
    const own = (name: string) => childText(a.attachment, name);
    const contentId = own('ContentId');
    const ref = contentId !== undefined ? this.manifestRef(normalizeContentId(contentId)) : undefined;
    return {
      index: a.index,
      contentId: contentId !== undefined ? normalizeContentId(contentId) : undefined,
      attachmentName: own('AttachmentName') ?? ref?.attachmentName,
      description: own('Description') ?? ref?.description,
      contentType: own('ContentType') ?? ref?.contentType,
      wrapping: a.wrapping,
      zipEntryName: a.zipEntryName,
    };
  }

  private manifestRef(cid: string): { attachmentName?: string; description?: string; contentType?: string } | undefined {
    const manifest = this.root?.children
      .find((c) => c.name === 'edXMLEnvelope')
      ?.children.find((c) => c.name === 'edXMLBody')
      ?.children.find((c) => c.name === 'edXMLManifest');
    const ref = manifest?.children.find((r) => r.name === 'Reference' && normalizeContentId(childText(r, 'ContentId') ?? '') === cid);
    if (!ref) return undefined;
    return { attachmentName: childText(ref, 'AttachmentName'), description: childText(ref, 'Description'), contentType: childText(ref, 'ContentType') };
  }

  private async attachmentBytes(a: OpenAttachment, bytes: Buffer): Promise<void> {
    if (!bytes.length) return;
    a.rawBytes += bytes.length;
    if (a.rawBytes > this.limits.maxAttachmentBytes) throw this.tooBig();
    if (!a.decided) {
      a.head.push(bytes);
      a.headLen += bytes.length;
      if (a.headLen < 4) return;
      const all = Buffer.concat(a.head);
      a.head = [];
      this.decide(a, all);
      return this.route(a, all);
    }
    return this.route(a, bytes);
  }

  private tooBig(): EdxmlParseError {
    return this.err('max-attachment-bytes', `Tệp đính kèm lớn quá ${this.limits.maxAttachmentBytes} byte`, `attachment larger than ${this.limits.maxAttachmentBytes} bytes`);
  }

  private decide(a: OpenAttachment, head: Buffer): void {
    a.decided = true;
    const meta = this.attachmentMeta(a);
    const isZipType = /^application\/(x-)?zip(-compressed)?$/i.test(meta.contentType ?? '');
    const zipMagic = head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
    if (isZipType && zipMagic && !/\.zip$/i.test(meta.attachmentName ?? '')) {
      a.wrapping = 'zip';
      const unzip = new Unzip();
      unzip.register(UnzipInflate);
      unzip.onfile = (f) => {
        if (f.name.endsWith('/')) return; // a directory entry
        if (a.zipFile) {
          a.zipError = this.err('zip-single-file', 'Tệp ZIP đính kèm chứa nhiều hơn một tệp', 'the ZIP attachment holds more than one file');
          return;
        }
        a.zipFile = f;
        a.zipEntryName = f.name.normalize('NFC');
        f.ondata = (err, data, final) => {
          if (err) a.zipError = this.err('zip', `Tệp ZIP đính kèm bị hỏng: ${err.message}`, `corrupt ZIP attachment: ${err.message}`);
          else {
            if (data.length) a.zipOut.push(data);
            if (final) a.zipDone = true;
          }
        };
        try {
          f.start();
        } catch (e) {
          a.zipError = this.err('zip', `Tệp ZIP dùng kiểu nén không hỗ trợ: ${(e as Error).message}`, `unsupported ZIP compression: ${(e as Error).message}`);
        }
      };
      a.unzip = unzip;
    }
  }

  private async route(a: OpenAttachment, bytes: Uint8Array, final = false): Promise<void> {
    if (a.unzip) {
      try {
        a.unzip.push(bytes, final);
      } catch (e) {
        a.zipError ??= this.err('zip', `Tệp ZIP đính kèm bị hỏng: ${(e as Error).message}`, `corrupt ZIP attachment: ${(e as Error).message}`);
      }
      if (a.zipError) throw a.zipError;
      const out = a.zipOut;
      a.zipOut = [];
      for (const piece of out) await this.output(a, piece);
      return;
    }
    if (bytes.length) await this.output(a, bytes);
  }

  private async output(a: OpenAttachment, bytes: Uint8Array): Promise<void> {
    a.size += bytes.length;
    if (a.size > this.limits.maxAttachmentBytes) throw this.tooBig();
    a.hash.update(bytes);
    if (!a.writer) a.writer = (await this.sink.begin(this.attachmentMeta(a))) as AttachmentWriter<unknown>;
    await a.writer.write(bytes);
  }

  private async endAttachment(): Promise<void> {
    const a = this.diverting!;
    try {
      a.decoder.end();
    } catch (e) {
      if (e instanceof Base64Error) throw this.err(e.rule, e.vi, e.en);
      throw e;
    }
    if (!a.decided) {
      const all = Buffer.concat(a.head);
      a.head = [];
      this.decide(a, all);
      await this.route(a, all);
    }
    if (a.unzip) {
      await this.route(a, new Uint8Array(0), true);
      if (!a.zipFile) throw this.err('zip', 'Tệp ZIP đính kèm không chứa tệp nào', 'the ZIP attachment holds no file');
      if (!a.zipDone) throw this.err('zip', 'Tệp ZIP đính kèm bị cắt cụt', 'truncated ZIP attachment');
    }
    if (!a.writer) a.writer = (await this.sink.begin(this.attachmentMeta(a))) as AttachmentWriter<unknown>;
    const stored = (await a.writer.end()) as R;
    a.writer = undefined;
    const meta = this.attachmentMeta(a);
    this.attachments.push({
      node: a.node,
      stored,
      result: {
        contentId: meta.contentId,
        attachmentName: undefined,
        description: undefined,
        contentType: undefined,
        wrapping: a.wrapping,
        zipEntryName: a.zipEntryName,
        size: a.size,
        sha256: a.hash.digest('hex'),
      },
    });
    this.diverting = undefined;
  }

  // ---- end -------------------------------------------------------------------------------------------

  async finish(): Promise<ParseResult<R>> {
    try {
      const tail = this.decoder.decode();
      if (tail) await this.feedText(tail);
    } catch (e) {
      if (e instanceof EdxmlParseError) throw e;
      throw this.err('encoding', 'Gói tin không phải văn bản UTF-8 hợp lệ', 'the package is not valid UTF-8');
    }
    if (this.diverting || this.pending) {
      throw this.err('truncated', 'Gói tin bị cắt cụt giữa nội dung tệp đính kèm', 'the package ends inside an attachment');
    }
    if (!this.root) throw this.err('truncated', 'Gói tin rỗng hoặc không có phần tử gốc', 'empty package or no root element');
    if (this.stack.length) {
      throw this.err('truncated', `Gói tin bị cắt cụt: phần tử ${this.path()} chưa được đóng`, `truncated package: element ${this.path()} is not closed`);
    }
    this.sax.close();
    this.ended = true;
    const warnings: EdxmlProblem[] = [];
    const byNode = new Map(this.attachments.map((a) => [a.node, a.result]));
    const value = mapPackage(this.root, byNode, warnings);
    return { value, stored: this.attachments.map((a) => a.stored), warnings };
  }

  async cleanup(err: Error): Promise<void> {
    this.ended = true;
    const open = this.diverting?.writer;
    if (open) {
      try {
        await open.abort(err);
      } catch {
        /* best effort */
      }
    }
    if (this.sink.discard) {
      for (const a of this.attachments) {
        try {
          await this.sink.discard(a.stored);
        } catch {
          /* best effort */
        }
      }
    }
  }
}

function childText(node: XNode | undefined, name: string): string | undefined {
  const c = node?.children.find((x) => x.name === name);
  const t = c?.text.trim().normalize('NFC');
  return t ? t : undefined;
}
