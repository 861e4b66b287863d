/**
 * The DOCX → PDF converter against the real LibreOffice (Debian libreoffice-writer-nogui; .ci/run installs it):
 * Vietnamese text survives, concurrent conversions (each with its own profile) both succeed, a timeout kills
 * the conversion, a missing binary and bad input give clear Vietnamese errors.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { AppError } from '../../shared/errors';
import { decisionDraftDocx, minimalDocx } from '../../../../test/src/support/docx';
import { findSoffice, SofficeConverter } from './converter';

let soffice: string | null = null;
let work: string;
beforeAll(async () => {
  soffice = await findSoffice();
  work = mkdtempSync(path.join(tmpdir(), 'convert-test-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function pdftotext(pdf: Buffer): string {
  const f = path.join(work, `t-${Math.random()}.pdf`);
  writeFileSync(f, pdf);
  return execFileSync('pdftotext', ['-layout', f, '-'], { encoding: 'utf8' });
}

describe('SofficeConverter without LibreOffice', () => {
  it('says what to install when the binary is missing (CONGVAN_SOFFICE pointing nowhere)', async () => {
    const c = new SofficeConverter({ binary: path.join(work, 'no-such-soffice') });
    const e = await c.toPdf(Buffer.from(minimalDocx([{ text: 'x' }])), 'du-thao.docx').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({ code: 'INTERNAL', extra: { field: 'files' } });
    expect((e as Error).message).toContain('libreoffice-writer-nogui');
    expect((e as Error).message).toContain('CONGVAN_SOFFICE');
  });
});

const d = process.env.CI || findSofficeSync() ? describe : describe.skip;
function findSofficeSync(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v soffice || command -v libreoffice'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

d('SofficeConverter (LibreOffice headless)', () => {
  it('converts a DOCX with Vietnamese text to PDF, two at once, each in its own profile', async () => {
    expect(soffice).toBeTruthy();
    const tmp = path.join(work, 'tmp');
    mkdirSync(tmp);
    const c = new SofficeConverter({ tmpDir: tmp });
    const [a, b] = await Promise.all([
      c.toPdf(Buffer.from(decisionDraftDocx({ year: 2026, marker: 'Bản A' })), 'a.docx'),
      c.toPdf(Buffer.from(decisionDraftDocx({ year: 2026, marker: 'Bản B' })), 'b.docx'),
    ]);
    const ta = pdftotext(a);
    const tb = pdftotext(b);
    expect(a.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(ta).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(ta).toMatch(/Số: +\/QĐ-UBND/);
    expect(ta).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(ta).toContain('Bản A');
    expect(tb).toContain('Bản B');
    // the per-call directories (with their profiles) are removed
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('refuses bytes that are not a word-processing file, and a broken DOCX, with the field', async () => {
    const c = new SofficeConverter();
    await expect(c.toPdf(Buffer.from('%PDF-1.7\n'), 'x.pdf')).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'files' } });
    const broken = zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'word/document.xml': strToU8('<w:document><not closed') });
    const e = await c.toPdf(Buffer.from(broken), 'hong.docx').catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'files' } });
    expect((e as Error).message).toContain('hong.docx');
  });

  it('kills a conversion that exceeds its timeout and says so', async () => {
    const c = new SofficeConverter({ timeoutMs: 1 });
    const e = await c.toPdf(Buffer.from(decisionDraftDocx({ year: 2026 })), 'cham.docx').catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect((e as Error).message).toContain('đã dừng');
  });
});
