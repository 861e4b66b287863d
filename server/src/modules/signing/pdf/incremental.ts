/**
 * Incremental update writer (ISO 32000-1 §7.5.6): appends changed and new objects, a new cross-reference
 * section and a trailer with /Prev after the original bytes, which are never touched. That is what keeps
 * an earlier signature valid when a later one (or a stamp) is added.
 *
 * Written by hand because no installed library does it: pdf-lib's save() and @signpdf/placeholder-pdf-lib
 * (which calls save()) rewrite the whole file, which breaks every existing signature. pdf-lib is still used
 * to PARSE the file (xref streams, object streams) and to build/serialise the new objects (fonts, images).
 */
import { PDFDocument, PDFDict, PDFName, PDFObject, PDFRef, PDFArray } from 'pdf-lib';

const te = new TextEncoder();

/** A loaded document plus the bookkeeping of which objects an update changes. */
export class IncrementalDoc {
  readonly originalMax: number;
  private readonly dirty = new Map<string, PDFRef>();
  /** Objects written verbatim (pre-serialised bytes), e.g. the signature dictionary with its placeholders. */
  private readonly raw = new Map<number, { ref: PDFRef; body: Uint8Array }>();

  private constructor(
    readonly doc: PDFDocument,
    readonly base: Uint8Array,
  ) {
    // pdf-lib forgets the cross-reference and object streams it parsed: the trailer's /Size says which
    // object numbers are taken.
    doc.context.largestObjectNumber = Math.max(doc.context.largestObjectNumber, trailerSize(base) - 1);
    this.originalMax = doc.context.largestObjectNumber;
  }

  static async load(base: Uint8Array): Promise<IncrementalDoc> {
    let doc: PDFDocument;
    try {
      doc = await PDFDocument.load(base, { updateMetadata: false, throwOnInvalidObject: false });
    } catch (e) {
      const msg = e instanceof Error && /encrypt/i.test(e.message) ? 'Tệp PDF được mã hóa, không thể ký.' : 'Tệp không phải PDF hợp lệ.';
      throw new Error(msg, { cause: e });
    }
    return new IncrementalDoc(doc, base);
  }

  /** Marks an existing indirect object as changed (it is rewritten in the update under the same number). */
  touch(ref: PDFRef): void {
    this.dirty.set(ref.toString(), ref);
  }

  /** Reserves an object number for an object whose bytes the caller writes itself. */
  reserveRaw(): PDFRef {
    return this.doc.context.nextRef();
  }

  setRaw(ref: PDFRef, body: string | Uint8Array): void {
    this.raw.set(ref.objectNumber, { ref, body: typeof body === 'string' ? te.encode(body) : body });
  }

  /** The catalog's /AcroForm dictionary, made indirect-or-catalog-dirty as needed. */
  acroForm(): PDFDict {
    const ctx = this.doc.context;
    const catalogRef = ctx.trailerInfo.Root as PDFRef;
    const catalog = this.doc.catalog;
    const entry = catalog.get(PDFName.of('AcroForm'));
    if (entry instanceof PDFRef) {
      this.touch(entry);
      return ctx.lookup(entry, PDFDict);
    }
    this.touch(catalogRef);
    if (entry instanceof PDFDict) return entry;
    const form = ctx.obj({ Fields: [] }) as PDFDict;
    const ref = ctx.register(form);
    catalog.set(PDFName.of('AcroForm'), ref);
    return form;
  }

  /** An array held by `dict[key]` (direct or indirect), created if absent; its holder is marked changed. */
  arrayOf(dict: PDFDict, dictRef: PDFRef | null, key: string): PDFArray {
    const ctx = this.doc.context;
    const entry = dict.get(PDFName.of(key));
    if (entry instanceof PDFRef) {
      this.touch(entry);
      return ctx.lookup(entry, PDFArray);
    }
    if (dictRef) this.touch(dictRef);
    if (entry instanceof PDFArray) return entry;
    const arr = ctx.obj([]) as PDFArray;
    dict.set(PDFName.of(key), arr);
    return arr;
  }

  /** Serialises the update and returns base + update. */
  async build(): Promise<{ bytes: Uint8Array; offsets: Map<number, number> }> {
    await this.doc.flush();
    const ctx = this.doc.context;
    const objects: { ref: PDFRef; body: Uint8Array }[] = [];
    for (const [, ref] of this.dirty) objects.push({ ref, body: serialise(ctx.lookup(ref) as PDFObject) });
    for (const [ref, obj] of ctx.enumerateIndirectObjects()) {
      if (ref.objectNumber <= this.originalMax || this.raw.has(ref.objectNumber)) continue;
      objects.push({ ref, body: serialise(obj) });
    }
    for (const r of this.raw.values()) objects.push(r);
    objects.sort((a, b) => a.ref.objectNumber - b.ref.objectNumber);

    const prevStartXref = findStartXref(this.base);
    const prevIsStream = !startsWith(this.base, prevStartXref, 'xref');
    const chunks: Uint8Array[] = [this.base];
    let pos = this.base.length;
    const push = (b: Uint8Array | string) => {
      const u = typeof b === 'string' ? te.encode(b) : b;
      chunks.push(u);
      pos += u.length;
    };
    const lastByte = this.base[this.base.length - 1];
    if (lastByte !== 0x0a && lastByte !== 0x0d) push('\n');
    const offsets = new Map<number, number>();
    for (const o of objects) {
      offsets.set(o.ref.objectNumber, pos);
      push(`${o.ref.objectNumber} ${o.ref.generationNumber} obj\n`);
      push(o.body);
      push('\nendobj\n');
    }
    const trailer = ctx.trailerInfo;
    const entries = objects.map((o) => ({ num: o.ref.objectNumber, gen: o.ref.generationNumber, offset: offsets.get(o.ref.objectNumber) as number }));
    const idPart = trailer.ID ? ` /ID ${trailer.ID.toString()}` : '';
    const infoPart = trailer.Info ? ` /Info ${trailer.Info.toString()}` : '';
    const rootPart = ` /Root ${(trailer.Root as PDFObject).toString()}`;
    const xrefStart = pos;
    if (!prevIsStream) {
      const size = Math.max(ctx.largestObjectNumber, ...entries.map((e) => e.num)) + 1;
      let x = 'xref\n';
      for (const run of runs(entries)) {
        x += `${run[0].num} ${run.length}\n`;
        for (const e of run) x += `${String(e.offset).padStart(10, '0')} ${String(e.gen).padStart(5, '0')} n\r\n`;
      }
      x += `trailer\n<< /Size ${size}${rootPart}${infoPart}${idPart} /Prev ${prevStartXref} >>\nstartxref\n${xrefStart}\n%%EOF\n`;
      push(x);
    } else {
      // The previous section is a cross-reference stream: continue with one (W [1 4 2], uncompressed).
      const xrefNum = Math.max(ctx.largestObjectNumber, ...entries.map((e) => e.num)) + 1;
      const all = [...entries, { num: xrefNum, gen: 0, offset: xrefStart }];
      const data = new Uint8Array(all.length * 7);
      all.forEach((e, i) => {
        const o = i * 7;
        data[o] = 1;
        data[o + 1] = (e.offset >>> 24) & 0xff;
        data[o + 2] = (e.offset >>> 16) & 0xff;
        data[o + 3] = (e.offset >>> 8) & 0xff;
        data[o + 4] = e.offset & 0xff;
        data[o + 5] = (e.gen >>> 8) & 0xff;
        data[o + 6] = e.gen & 0xff;
      });
      const index = runs(all)
        .map((r) => `${r[0].num} ${r.length}`)
        .join(' ');
      push(
        `${xrefNum} 0 obj\n<< /Type /XRef /Size ${xrefNum + 1} /Index [${index}] /W [1 4 2]${rootPart}${infoPart}${idPart} /Prev ${prevStartXref} /Length ${data.length} >>\nstream\n`,
      );
      push(data);
      push(`\nendstream\nendobj\nstartxref\n${xrefStart}\n%%EOF\n`);
    }
    return { bytes: concat(chunks), offsets };
  }
}

function serialise(obj: PDFObject): Uint8Array {
  const buf = new Uint8Array(obj.sizeInBytes());
  obj.copyBytesInto(buf, 0);
  return buf;
}

function runs<T extends { num: number }>(entries: T[]): T[][] {
  const sorted = [...entries].sort((a, b) => a.num - b.num);
  const out: T[][] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last && last[last.length - 1].num + 1 === e.num) last.push(e);
    else out.push([e]);
  }
  return out;
}

function startsWith(bytes: Uint8Array, at: number, s: string): boolean {
  for (let i = 0; i < s.length; i++) if (bytes[at + i] !== s.charCodeAt(i)) return false;
  return true;
}

/** /Size of the last cross-reference section (classic trailer or xref stream dictionary). */
export function trailerSize(bytes: Uint8Array): number {
  const at = findStartXref(bytes);
  const text = Buffer.from(bytes.subarray(at)).toString('latin1');
  const m = /\/Size\s+(\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}

/** Offset given by the last `startxref` of the file. */
export function findStartXref(bytes: Uint8Array): number {
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 2048))).toString('latin1');
  const i = tail.lastIndexOf('startxref');
  if (i < 0) throw new Error('Tệp PDF thiếu startxref.');
  const m = /startxref\s+(\d+)/.exec(tail.slice(i));
  if (!m) throw new Error('Tệp PDF thiếu startxref.');
  return Number(m[1]);
}

export function concat(chunks: Uint8Array[]): Uint8Array {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

