import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { DigestSink, makeTempDir, parseEdxml, type EdxmlDocumentPackage } from './index';

const repoRoot = path.resolve(__dirname, '../../../../..');
const FIXTURES = path.join(__dirname, 'fixtures');

/** `npm run -s cli -- edxml …` as a child process, exactly as documented. */
function cli(args: string[], stdin?: string | Buffer): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('npm', ['run', '-s', 'cli', '--', 'edxml', ...args], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    p.stdout.on('data', (d: Buffer) => out.push(d));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err }));
    p.stdin.end(stdin ?? '');
  });
}

// Each `npm run cli` loads the whole server CLI through tsx (slow on a shared machine); no timing is asserted.
jest.setTimeout(240_000);

describe('npm run cli -- edxml', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir('edxml-cli-');
  });
  afterAll(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('parse prints the package as JSON (attachments as name, type, size, sha256), extracts the files, and build writes it back', async () => {
    const file = path.join(FIXTURES, 'edoc_update.edxml');
    const parsed = await cli(['parse', file, '--extract', path.join(dir, 'files')]);
    expect(parsed.code).toBe(0);
    const json = JSON.parse(parsed.stdout.toString('utf8'));
    const direct = await parseEdxml(fs.createReadStream(file), new DigestSink());
    const att = json.attachments[0];
    expect(att).toMatchObject({ attachmentName: '1896_QD-TTg_m_294779.doc', contentType: 'application/zip', size: 388347, sha256: (direct.value as EdxmlDocumentPackage).attachments[0].sha256 });
    expect(fs.readFileSync(att.path).length).toBe(388347);
    // rule problems of the sample are warnings on stderr (exit 0 without --strict)
    expect(parsed.stderr).toContain('TraceHeaderList/Bussiness/DocumentId');

    const built = await cli(['build'], parsed.stdout);
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    const again = await parseEdxml(built.stdout, new DigestSink());
    expect(again.value).toEqual(direct.value);
  });

  it('parse of an invalid file: the reason on stderr, exit 2', async () => {
    const bad = path.join(dir, 'deep.edxml');
    fs.writeFileSync(bad, `<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</edXML>`);
    const r = await cli(['parse', bad]);
    expect(r.code).toBe(2);
    expect(r.stdout.length).toBe(0);
    expect(r.stderr).toMatch(/lồng nhau sâu quá 32 mức.*\[max-depth\]/);
  });

  it('build takes inline base64 too; a missing attachment body is refused with exit 2', async () => {
    const pdf = crypto.randomBytes(1234);
    const pkg = {
      kind: 'document',
      header: {
        from: { organId: '000.00.00.H27' },
        to: [{ organId: '000.00.03.H27' }],
        documentId: '000.00.00.H27,2026/12/01,125/UBND-KT',
        code: { codeNumber: '125', codeNotation: 'UBND-KT' },
        subject: 'Thử CLI',
      },
      business: { businessDocType: 0 },
      manifest: { version: '1.0', references: [{ contentId: '1', attachmentName: 'a.pdf' }] },
      attachments: [{ contentId: '1', attachmentName: 'a.pdf', contentType: 'application/pdf', base64: pdf.toString('base64') }],
    };
    const ok = await cli(['build'], JSON.stringify(pkg));
    expect(ok.code).toBe(0);
    const r = await parseEdxml(ok.stdout, new DigestSink());
    const a = (r.value as EdxmlDocumentPackage).attachments[0];
    expect([a.size, a.sha256]).toEqual([1234, crypto.createHash('sha256').update(pdf).digest('hex')]);

    const missing = await cli(['build'], JSON.stringify({ ...pkg, attachments: [{ contentId: '1', attachmentName: 'a.pdf' }] }));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cần "path".*"base64"/);
  });
});
