import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { unzipSync } from 'fflate';
import {
  buildEdxml,
  buildEdxmlString,
  DigestSink,
  DirectorySink,
  EdxmlParseError,
  formatDocumentId,
  makeTempDir,
  parseDocumentId,
  parseEdxml,
  rejectionReason,
  rejectionStatus,
  responseForDocument,
  statusMessage,
  validateEdxml,
  type EdxmlAttachmentMeta,
  type EdxmlDocumentPackage,
  type EdxmlPackage,
  type EdxmlStatusPackage,
} from './index';
import { samplePackage, validNewDocument } from './testing';

const FIXTURES = path.join(__dirname, 'fixtures');
const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.edxml'));
/** A JMeter template in the shared set: not well-formed XML (see the test below). */
const NOT_A_PACKAGE = 'edoc.edxml';
const readFixture = (f: string) => fs.readFileSync(path.join(FIXTURES, f), 'utf8');
const now = new Date('2026-12-06T03:00:00Z');

async function parseString(xml: string) {
  return parseEdxml(xml, new DigestSink());
}

/** Splits a string into random small pieces (bytes), to cross every boundary the streaming parser has. */
function* randomChunks(buf: Buffer, seed: number, max: number): Generator<Buffer> {
  let x = seed;
  for (let i = 0; i < buf.length; ) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const n = 1 + (x % max);
    yield buf.subarray(i, i + n);
    i += n;
  }
}

describe('edXML codec over the shared packages', () => {
  it('has the 17 packages of the shared interop set as fixtures (copied byte for byte from the shared interop folder)', () => {
    expect(files.length).toBe(17);
  });

  it.each(files.filter((f) => f !== NOT_A_PACKAGE))('%s parses, and the package built from its value parses back to the same value', async (f) => {
    const dir = await makeTempDir();
    try {
      const r = await parseEdxml(fs.createReadStream(path.join(FIXTURES, f)), new DirectorySink(dir));
      if (r.value.kind === 'document') {
        expect(r.value.attachments.length).toBeGreaterThan(0);
        // what the sink received is what the value says
        r.value.attachments.forEach((a, i) => {
          const bytes = fs.readFileSync(r.stored[i].path);
          expect(bytes.length).toBe(a.size);
          expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(a.sha256);
        });
      }
      const xml = await buildEdxmlString(r.value, (_a, i) => fs.createReadStream(r.stored[i].path));
      expect(xml).not.toMatch(/<(edXML:)?Business/);
      const again = await parseString(xml);
      expect(again.value).toEqual(r.value);
      expect(again.warnings.filter((w) => w.rule !== 'date-format')).toEqual([]);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  it('unwraps the VNPT ZIP: size and sha256 are those of the file inside (checked against an independent unzip)', async () => {
    const xml = readFixture('edoc_new.edxml');
    const b64 = /<edXML:ContentTransferEncoded[^>]*>([^<]+)</.exec(xml)![1];
    const entries = unzipSync(Buffer.from(b64, 'base64'));
    const [name, data] = Object.entries(entries)[0];
    const r = await parseString(xml);
    const a = (r.value as EdxmlDocumentPackage).attachments[0];
    expect(a).toMatchObject({ contentId: '209', wrapping: 'zip', zipEntryName: name, size: data.length });
    expect(a.sha256).toBe(crypto.createHash('sha256').update(data).digest('hex'));
  });

  it('reads the status messages: code, reason, the document they answer', async () => {
    const r = await parseString(readFixture('status_rejection_02.edxml'));
    const s = r.value as EdxmlStatusPackage;
    expect(s.kind).toBe('status');
    expect(s.statusCode).toBe('02');
    expect(s.description).toBe('Văn thư - Phòng Văn thư - Lưu trữ: Từ chối không tiếp nhận văn bản điện tử');
    expect(s.timestamp).toBe('2015-09-20T11:08:36');
    expect(s.responseFor[0]).toEqual({
      organId: '000.00.00.G22',
      code: '7816/VPCP-TTĐT',
      promulgationDate: '2015-09-30',
      documentId: '000.00.00.G22,2015/09/30,7816/VPCP-TTĐT',
    });
    const codes = [];
    for (const f of files.filter((x) => x.startsWith('status_'))) codes.push((await parseString(readFixture(f))).value as EdxmlStatusPackage);
    expect(codes.map((c) => c.statusCode).sort()).toEqual(['01', '02', '03', '04', '05', '06', '13', '15', '16']);
    for (const c of codes) expect(validateEdxml(c, { now })).toEqual([]);
  });

  it('reads revoke (1), update (2) and replace (3) with their business data', async () => {
    const upd = (await parseString(readFixture('edoc_update.edxml'))).value as EdxmlDocumentPackage;
    expect(upd.business).toMatchObject({ businessDocType: 2, documentInfo: { documentInfo: 1, documentReceiver: 1, receivers: [{ organId: '000.00.00.H41', receiverType: 0 }, { organId: '000.00.00.H14', receiverType: 1 }] } });
    const rep = (await parseString(readFixture('edoc_replacement.edxml'))).value as EdxmlDocumentPackage;
    expect(rep.business?.businessDocType).toBe(3);
    expect(rep.business?.replacements?.[0]).toEqual({ documentId: '000.00.00.G22,2014/01/30,7806/VPCP-TTĐT', organIds: ['000.00.00.H41', '000.00.00.H14'] });
    const rev = (await parseString(readFixture('edoc_revocation.edxml'))).value as EdxmlDocumentPackage;
    expect(rev.business).toMatchObject({ businessDocType: 1, businessDocReason: 'Thu hồi văn bản điện tử' });
    expect(rev.header.responseFor[0].documentId).toBe('000.00.04.G14,2012/08/06,267/VPCP-TTĐT');
  });

  it('refuses edoc.edxml (a JMeter template, not well-formed XML) with the element and the line', async () => {
    const e = await parseString(readFixture(NOT_A_PACKAGE)).catch((x) => x);
    expect(e).toBeInstanceOf(EdxmlParseError);
    expect(e.rule).toBe('xml-well-formed');
    expect(e.line).toBe(74);
    expect(e.path).toBe('MessageHeader/From');
    expect(e.problem.vi).toBe('XML không đúng cú pháp: gặp thẻ đóng của MessageHeader khi phần tử From (mở ở dòng 7) chưa được đóng');
  });

  it('reads `Business*` as `Bussiness*`, `cid:` with or without the prefix, and dd/MM/yyyy dates (with a warning)', async () => {
    const orig = readFixture('edoc_update.edxml');
    const a = await parseString(orig);
    const variant = orig
      .replace(/Bussiness/g, 'Business')
      .replace('<ContentId>cid:209</ContentId>', '<ContentId>209</ContentId>')
      .replace('<edXML:PromulgationDate>2018/09/28</edXML:PromulgationDate>', '<edXML:PromulgationDate>28/09/2018</edXML:PromulgationDate>');
    expect(variant).not.toEqual(orig);
    const b = await parseString(variant);
    expect(b.value).toEqual(a.value);
    expect(b.warnings).toEqual([expect.objectContaining({ path: 'MessageHeader/PromulgationInfo/PromulgationDate', rule: 'date-format' })]);
  });

  it('gives the same value whatever the chunking of the input (UTF-8, tags, base64 split anywhere)', async () => {
    for (const f of ['dc0bdef0-c7a3-4aaf-b717-777303442973.edxml', 'status_inbox_01.edxml']) {
      const buf = fs.readFileSync(path.join(FIXTURES, f));
      const whole = await parseString(buf.toString('utf8'));
      for (const seed of [1, 7, 42]) {
        const r = await parseEdxml(Readable.from(randomChunks(buf, seed, 23)), new DigestSink());
        expect(r.value).toEqual(whole.value);
      }
    }
  });

  it('decodes base64 with line breaks, character references, CDATA sections and comments', async () => {
    const file = crypto.randomBytes(3000);
    const b64 = file.toString('base64');
    const lines = b64.match(/.{1,76}/g)!;
    // character references outside the CDATA section, plain CR LF inside it (where `&#13;` would be literal text)
    const body = `${lines.slice(0, 10).join('&#13;\n')}\n<![CDATA[${lines.slice(10, 30).join('\r\n')}]]><!-- a comment -->\n${lines.slice(30).join('&#xD;&#xA;')}`;
    const xml = samplePackage(body);
    const r = await parseEdxml(Readable.from(randomChunks(Buffer.from(xml), 3, 11)), new DigestSink());
    const a = (r.value as EdxmlDocumentPackage).attachments[0];
    expect(a).toMatchObject({ wrapping: 'none', size: 3000, sha256: crypto.createHash('sha256').update(file).digest('hex') });
  });

  it('builds a package with a file attachment and a ZIP-wrapped one; parse gives the files back', async () => {
    const pdf = crypto.randomBytes(70_000);
    const doc = crypto.randomBytes(5_000);
    const v = validNewDocument();
    v.attachments = [
      { contentId: '1', attachmentName: 'vb.pdf', contentType: 'application/pdf', wrapping: 'none' },
      { contentId: '2', attachmentName: 'phu-luc.doc', contentType: 'application/zip', wrapping: 'zip', zipEntryName: 'phu-luc.doc' },
    ];
    v.manifest.references = [
      { contentId: '1', attachmentName: 'vb.pdf', contentType: 'application/pdf' },
      { contentId: '2', attachmentName: 'phu-luc.doc', contentType: 'application/zip' },
    ];
    const bytes = [pdf, doc];
    const dir = await makeTempDir();
    try {
      const r = await parseEdxml(Readable.from(buildEdxml(v, async function* (_a, i) { yield bytes[i]; })), new DirectorySink(dir));
      const atts = (r.value as EdxmlDocumentPackage).attachments;
      expect(atts.map((a) => [a.wrapping, a.size])).toEqual([['none', 70_000], ['zip', 5_000]]);
      expect(fs.readFileSync(r.stored[0].path).equals(pdf)).toBe(true);
      expect(fs.readFileSync(r.stored[1].path).equals(doc)).toBe(true);
      expect(validateEdxml(r.value, { now })).toEqual([]);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  it('streams: a 64 MiB attachment goes through build → parse without being held in memory', async () => {
    const size = 64 << 20;
    const block = crypto.randomBytes(1 << 20);
    const v = validNewDocument();
    v.attachments = [{ contentId: '1', attachmentName: 'lon.pdf', contentType: 'application/pdf', wrapping: 'none' }];
    v.manifest.references = [{ contentId: '1', attachmentName: 'lon.pdf', contentType: 'application/pdf' }];
    const expected = crypto.createHash('sha256');
    for (let i = 0; i < 64; i++) expected.update(block);
    global.gc?.();
    const base = process.memoryUsage().heapUsed;
    let peak = 0;
    const sink = new DigestSink();
    const sampling = {
      begin() {
        const w = sink.begin();
        return {
          write(chunk: Uint8Array) {
            peak = Math.max(peak, process.memoryUsage().heapUsed - base);
            return w.write(chunk);
          },
          end: () => w.end(),
          abort: () => undefined,
        };
      },
    };
    const source = async function* () {
      for (let i = 0; i < 64; i++) yield block;
    };
    const r = await parseEdxml(Readable.from(buildEdxml(v, source)), sampling);
    const a = (r.value as EdxmlDocumentPackage).attachments[0];
    expect(a.size).toBe(size);
    expect(a.sha256).toBe(expected.digest('hex'));
    // The base64 text alone is 85 MiB; a parser that buffered it would be far above this.
    expect(peak).toBeLessThan(48 << 20);
  });
});

describe('validate', () => {
  it('accepts a complete new document', () => {
    const v = validNewDocument();
    v.attachments = [{ contentId: '1', attachmentName: 'vb.pdf', contentType: 'application/pdf', wrapping: 'none' }];
    v.manifest.references = [{ contentId: '1', attachmentName: 'vb.pdf' }];
    expect(validateEdxml(v, { now })).toEqual([]);
  });

  it('names the element and the rule of each problem, in Vietnamese and English', async () => {
    const r = await parseString(readFixture('edoc_new.edxml'));
    const problems = validateEdxml(r.value, { now });
    expect(problems.map((p) => [p.path, p.rule])).toEqual([
      ['MessageHeader/Code/CodeNumber', 'digits'],
      ['TraceHeaderList/Bussiness/DocumentId', 'document-id'],
    ]);
    expect(rejectionReason(problems)).toContain('Số văn bản "74fass22" chỉ gồm chữ số');
  });

  it('checks the rules of each business type and of statuses', () => {
    const base = validNewDocument();
    base.attachments = [{ contentId: '1', attachmentName: 'vb.pdf', wrapping: 'none' }];
    base.manifest.references = [{ contentId: '1' }];
    const rules = (v: EdxmlPackage<EdxmlAttachmentMeta>) => validateEdxml(v, { now }).map((p) => `${p.path} ${p.rule}`);

    expect(rules({ ...base, business: { businessDocType: 3 } })).toEqual([
      'TraceHeaderList/Bussiness/BussinessDocReason required',
      'TraceHeaderList/Bussiness/ReplacementInfoList required',
    ]);
    expect(rules({ ...base, business: { businessDocType: 2, businessDocReason: 'Sửa', documentInfo: { documentReceiver: 1, receivers: [] } } })).toEqual([
      'TraceHeaderList/Bussiness/BussinessDocumentInfo/ReceiverList required',
    ]);
    expect(rules({ ...base, business: { businessDocType: 7 } })).toEqual(['TraceHeaderList/Bussiness/BussinessDocType enum']);
    expect(rules({ ...base, attachments: [], manifest: { references: [{ contentId: '9' }] } })).toEqual([
      'AttachmentEncoded required',
      'edXMLBody/edXMLManifest/Reference[1]/ContentId manifest',
    ]);
    expect(rules({ ...base, header: { ...base.header, to: [{ organId: '000.00.00.H27' }, { organId: '000.00.00.H27' }], promulgationInfo: { promulgationDate: '2027-01-01' } } })).toEqual([
      'MessageHeader/To[2]/OrganId duplicate',
      'MessageHeader/PromulgationInfo/PromulgationDate not-future',
    ]);

    const status: EdxmlStatusPackage = {
      kind: 'status',
      from: { organId: '000.00.02.H27' },
      responseFor: [{ documentId: '000.00.00.H27,2026/12/01,12/UBND-VP' }],
      statusCode: '02',
      timestamp: '2026-12-06T10:00:00',
      traceHeaders: [],
    };
    expect(validateEdxml(status, { now }).map((p) => `${p.path} ${p.rule}`)).toEqual(['MessageHeader/Description reason-required']);
    expect(validateEdxml({ ...status, statusCode: '07', description: 'x' }, { now }).map((p) => p.rule)).toEqual(['status-code']);
    expect(validateEdxml({ ...status, statusCode: '03', responseFor: [{ documentId: 'abc' }] }, { now }).map((p) => p.rule)).toEqual(['document-id']);
  });
});

describe('status messages', () => {
  it('a refused package becomes a status 02 whose reason names the element and the rule, and it round-trips', async () => {
    const doc = (await parseString(readFixture('edoc_new.edxml'))).value as EdxmlDocumentPackage;
    const problems = validateEdxml(doc, { now });
    const ours = { organId: '000.00.00.H27', organName: 'Ủy ban nhân dân tỉnh Bắc Ninh' };
    const status = rejectionStatus(ours, responseForDocument(doc), problems, now);
    expect(status.responseFor).toEqual([{ organId: '000.00.00.A80', code: '74fass22/VPCP-TTĐT', promulgationDate: '2019-01-16', documentId: '000.00.00.G22,2015/09/30,7816/VPCP-TTĐT' }]);
    expect(status.timestamp).toBe('2026-12-06T10:00:00');
    const back = (await parseString(await buildEdxmlString(status))).value as EdxmlStatusPackage;
    expect(back).toEqual(status);
    expect(back.statusCode).toBe('02');
    expect(back.description).toContain('MessageHeader/Code/CodeNumber: Số văn bản "74fass22" chỉ gồm chữ số');
    expect(validateEdxml(back, { now })).toEqual([]);
    expect(statusMessage({ from: ours, about: responseForDocument(doc), code: '05', now }).description).toBe('Đang xử lý');
  });

  it('refuses a status message that carries files', async () => {
    const xml = readFixture('status_inbox_01.edxml').replace(
      '</edXML:edXMLEnvelope>',
      '<edXML:edXMLBody><edXML:edXMLManifest><edXML:Reference><edXML:ContentId>cid:1</edXML:ContentId></edXML:Reference></edXML:edXMLManifest></edXML:edXMLBody></edXML:edXMLEnvelope>',
    );
    const e = await parseString(xml).catch((x) => x);
    expect([e.rule, e.path]).toEqual(['status-no-body', 'edXMLBody/edXMLManifest']);
  });
});

describe('formats', () => {
  it('parses and formats DocumentId', () => {
    const p = parseDocumentId('000.00.00.G22,2015/09/30,7816/VPCP-TTĐT');
    expect(p).toEqual({ organId: '000.00.00.G22', date: '2015-09-30', codeNumber: '7816', codeNotation: 'VPCP-TTĐT' });
    expect(formatDocumentId(p!)).toBe('000.00.00.G22,2015/09/30,7816/VPCP-TTĐT');
    expect(parseDocumentId('000.00.00.G22,2014/02/30,7806/VPCP-TTĐT')).toBeNull();
    expect(parseDocumentId('9fbfbad2-f1f8-4256-a2eb-50fb1061cddb')).toBeNull();
  });
});
