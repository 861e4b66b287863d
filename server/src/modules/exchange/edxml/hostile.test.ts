import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { zipSync } from 'fflate';
import { DigestSink, DirectorySink, EdxmlParseError, makeTempDir, parseEdxml, type EdxmlParseLimits } from './index';
import { samplePackage } from './testing';

const FIXTURES = path.join(__dirname, 'fixtures');
const NS = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';

async function refusal(input: string | Buffer, limits?: Partial<EdxmlParseLimits>): Promise<EdxmlParseError> {
  const e = await parseEdxml(input, new DigestSink(), { limits }).then(
    () => undefined,
    (x) => x,
  );
  if (!(e instanceof EdxmlParseError)) throw new Error(`expected a refusal, got ${e === undefined ? 'a parsed package' : String(e)}`);
  expect(e.problem.vi.length).toBeGreaterThan(5);
  expect(e.problem.en.length).toBeGreaterThan(5);
  return e;
}

describe('hostile and broken packages are refused with a reason (element path + rule)', () => {
  it('XXE: an external entity is refused at the DOCTYPE, /etc/passwd is never read', async () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><edXML xmlns="${NS}">&xxe;</edXML>`;
    const e = await refusal(xml);
    expect(e.rule).toBe('no-doctype');
    expect(e.message).not.toContain('root:');
  });

  it('billion laughs: refused at the DOCTYPE, nothing is expanded', async () => {
    const ents = ['<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) ents.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
    const xml = `<?xml version="1.0"?><!DOCTYPE lolz [${ents.join('')}]><edXML xmlns="${NS}"><Subject>&lol9;</Subject></edXML>`;
    expect((await refusal(xml)).rule).toBe('no-doctype');
  });

  it('an undeclared entity (no DTD) is refused', async () => {
    const e = await refusal(samplePackage('AAAA', '<edXML:Content>&lol9;</edXML:Content>'));
    expect(e.rule).toBe('xml-well-formed');
    expect(e.path).toBe('MessageHeader/Content');
  });

  it('10,000-deep nesting is refused at the depth limit with the element path', async () => {
    const xml = `<edXML xmlns="${NS}">${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</edXML>`;
    const e = await refusal(xml);
    expect(e.rule).toBe('max-depth');
    expect(e.path.split('/').length).toBe(33);
  });

  it('oversized: an attachment over the limit, a package over the limit, a huge text node, too many attachments', async () => {
    const b64 = crypto.randomBytes(30_000).toString('base64');
    const big = await refusal(samplePackage(b64), { maxAttachmentBytes: 20_000 });
    expect(big.rule).toBe('max-attachment-bytes');
    expect(big.path).toBe('AttachmentEncoded/Attachment/ContentTransferEncoded');
    expect((await refusal(samplePackage(b64), { maxTotalBytes: 30_000 })).rule).toBe('max-total-bytes');
    const longSubject = samplePackage('AAAA', `<edXML:Content>${'x'.repeat(3 << 20)}</edXML:Content>`);
    expect((await refusal(longSubject)).rule).toBe('max-token-chars');
    const two = samplePackage('AAAA').replace('</AttachmentEncoded>', '<Attachment><ContentId>cid:2</ContentId><edXML:ContentTransferEncoded xmlns:edXML="' + NS + '">AAAA</edXML:ContentTransferEncoded></Attachment></AttachmentEncoded>');
    expect((await refusal(two, { maxAttachments: 1 })).rule).toBe('max-attachments');
  });

  it('a ZIP bomb is stopped at the attachment limit while inflating', async () => {
    const bomb = zipSync({ 'a.doc': new Uint8Array(20 << 20) }, { level: 9 });
    expect(bomb.length).toBeLessThan(100_000);
    const xml = samplePackage(Buffer.from(bomb).toString('base64')).replace(/application\/pdf/, 'application/zip');
    const e = await refusal(xml, { maxAttachmentBytes: 5 << 20 });
    expect(e.rule).toBe('max-attachment-bytes');
  });

  it('truncated packages are refused wherever they are cut', async () => {
    const full = fs.readFileSync(path.join(FIXTURES, 'dc0bdef0-c7a3-4aaf-b717-777303442973.edxml'), 'utf8');
    const b64Start = full.indexOf('UEsDB');
    const cuts = [200, full.indexOf('<edXML:Subject>') + 20, b64Start + 1001, b64Start + 5000, full.length - 30];
    const rules = [];
    for (const at of cuts) rules.push((await refusal(full.slice(0, at))).rule);
    expect(rules).toEqual(['truncated', 'truncated', 'truncated', 'truncated', 'truncated']);
    // a cut inside the base64 that leaves the XML closed: the base64 or the ZIP inside is incomplete
    const closedEarly = full.slice(0, b64Start + 1001) + full.slice(full.indexOf('</edXML:ContentTransferEncoded>'));
    expect((await refusal(closedEarly)).rule).toBe('base64-truncated');
    const closedOnQuad = full.slice(0, b64Start + 1000) + full.slice(full.indexOf('</edXML:ContentTransferEncoded>'));
    expect((await refusal(closedOnQuad)).rule).toBe('zip');
  });

  it('corrupt packages: not UTF-8, not XML, wrong namespace, bad base64, bad date, duplicated element, ZIP with two files', async () => {
    expect((await refusal(Buffer.from([0x3c, 0x65, 0xff, 0xfe, 0x3e]))).rule).toBe('encoding');
    expect((await refusal('this is not XML')).rule).toBe('xml-well-formed');
    expect((await refusal('<?xml version="1.0" encoding="ISO-8859-1"?><edXML/>')).rule).toBe('encoding');
    const wrongNs = await refusal('<edXML xmlns="http://www.go.vn/eDoc"><x/></edXML>');
    expect(wrongNs.rule).toBe('namespace');
    const badB64 = await refusal(samplePackage('AAAA$$$$'));
    expect([badB64.rule, badB64.path]).toEqual(['base64-char', 'AttachmentEncoded/Attachment/ContentTransferEncoded']);
    expect((await refusal(samplePackage('AA==AAAA'))).rule).toBe('base64-padding');
    expect((await refusal(samplePackage('AAAA<?pi x?>BBBB'))).rule).toBe('base64-element');
    expect((await refusal(samplePackage('AAAA<b>BBBB</b>'))).rule).toBe('base64-element');
    const badDate = await refusal(samplePackage('AAAA', '<edXML:DueDate>2026/02/30</edXML:DueDate>'));
    expect([badDate.rule, badDate.path]).toEqual(['date', 'MessageHeader/DueDate']);
    const dup = await refusal(samplePackage('AAAA', '<edXML:Subject>Lần hai</edXML:Subject>'));
    expect([dup.rule, dup.path]).toEqual(['once', 'MessageHeader/Subject']);
    const twoFiles = Buffer.from(zipSync({ 'a.doc': new Uint8Array(10), 'b.doc': new Uint8Array(10) })).toString('base64');
    const z = await refusal(samplePackage(twoFiles).replace(/application\/pdf/, 'application/zip'));
    expect(z.rule).toBe('zip-single-file');
    expect((await refusal(samplePackage('AAAA').replace(/<edXML:ContentTransferEncoded[^]*<\/edXML:ContentTransferEncoded>/, ''))).rule).toBe('required');
  });

  it('a refused package leaves nothing behind: attachments already written are discarded', async () => {
    const dir = await makeTempDir();
    try {
      const good = crypto.randomBytes(2000).toString('base64');
      const xml = samplePackage(good).replace(
        '</AttachmentEncoded>',
        `<Attachment><ContentId>cid:2</ContentId><AttachmentName>b.pdf</AttachmentName><edXML:ContentTransferEncoded xmlns:edXML="${NS}">${good.slice(0, 1000)}!!</edXML:ContentTransferEncoded></Attachment></AttachmentEncoded>`,
      );
      const e = await parseEdxml(xml, new DirectorySink(dir)).catch((x) => x);
      expect(e).toBeInstanceOf(EdxmlParseError);
      expect([e.rule, e.path]).toEqual(['base64-char', 'AttachmentEncoded/Attachment/ContentTransferEncoded']);
      expect(await fsp.readdir(dir)).toEqual([]);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});
