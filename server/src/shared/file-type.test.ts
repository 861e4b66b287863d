import crypto from 'node:crypto';
import fs from 'node:fs';
import { SCANS_DIR } from '../../../test/fixtures';
import { checkFile, detectFileType, extensionOf, pdfPageCount } from './file-type';

const SCANS = SCANS_DIR;

/** A ZIP local file header for `name` followed by `content` (enough for the magic-byte checks). */
function zipEntry(name: string, content = ''): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(Buffer.byteLength(name), 26);
  return Buffer.concat([h, Buffer.from(name, 'latin1'), Buffer.from(content, 'latin1')]);
}
const ole = (stream: string) => Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504), Buffer.from(stream, 'utf16le')]);

describe('file types by content', () => {
  it('recognises the real scans of the corpus', () => {
    expect(detectFileType(fs.readFileSync(`${SCANS}/dev01.pdf`))?.mime).toBe('application/pdf');
    expect(detectFileType(fs.readFileSync(`${SCANS}/dev01.p1.jpg`))?.mime).toBe('image/jpeg');
    expect(pdfPageCount(fs.readFileSync(`${SCANS}/dev01.pdf`))).toBe(2);
  });

  it('recognises PNG, TIFF (both byte orders), DOCX, XLSX, ODT, ODS, DOC and XLS', () => {
    expect(detectFileType(Buffer.from('89504e470d0a1a0a0000', 'hex'))?.ext).toBe('png');
    expect(detectFileType(Buffer.from('49492a0008000000', 'hex'))?.ext).toBe('tif');
    expect(detectFileType(Buffer.from('4d4d002a00000008', 'hex'))?.ext).toBe('tif');
    expect(detectFileType(Buffer.concat([zipEntry('[Content_Types].xml'), zipEntry('word/document.xml')]))?.ext).toBe('docx');
    expect(detectFileType(Buffer.concat([zipEntry('[Content_Types].xml'), zipEntry('xl/workbook.xml')]))?.ext).toBe('xlsx');
    expect(detectFileType(zipEntry('mimetype', 'application/vnd.oasis.opendocument.text'))?.ext).toBe('odt');
    expect(detectFileType(zipEntry('mimetype', 'application/vnd.oasis.opendocument.spreadsheet'))?.ext).toBe('ods');
    expect(detectFileType(ole('WordDocument'))?.ext).toBe('doc');
    expect(detectFileType(ole('Workbook'))?.ext).toBe('xls');
  });

  it('rejects what is not an accepted type: executables, HTML, plain ZIPs, empty files', () => {
    expect(detectFileType(Buffer.from('MZ\x90\x00\x03'))).toBeNull();
    expect(detectFileType(Buffer.from('<html><script>alert(1)</script>'))).toBeNull();
    expect(detectFileType(zipEntry('payload.exe'))).toBeNull();
    expect(detectFileType(Buffer.alloc(0))).toBeNull();
    expect(detectFileType(ole('SomethingElse'))).toBeNull();
  });

  it('refuses a name whose extension contradicts the bytes, accepts a name without extension', () => {
    const jpeg = fs.readFileSync(`${SCANS}/dev01.p1.jpg`);
    expect(checkFile('Công văn.pdf', jpeg)).toEqual({ ok: false, reason: 'Tệp "Công văn.pdf" có phần mở rộng .pdf nhưng nội dung là JPEG.' });
    expect(checkFile('scan.JPEG', jpeg)).toMatchObject({ ok: true, type: { mime: 'image/jpeg' } });
    expect(checkFile('scan', jpeg)).toMatchObject({ ok: true });
    expect(checkFile('virus.pdf.exe', jpeg)).toMatchObject({ ok: false });
    expect(checkFile('báo cáo.pdf', Buffer.from('not a pdf'))).toEqual({ ok: false, reason: 'Tệp "báo cáo.pdf" không phải tệp PDF hợp lệ (nội dung không khớp với phần mở rộng).' });
    expect(checkFile('x.bin', Buffer.from('???'))).toMatchObject({ ok: false, reason: expect.stringMatching(/không thuộc định dạng/) });
  });

  it('reads extensions case-insensitively and ignores dots in folders and leading dots', () => {
    expect(extensionOf('a/b.c/Tệp.PDF')).toBe('pdf');
    expect(extensionOf('.hidden')).toBe('');
    expect(extensionOf('noext')).toBe('');
    expect(extensionOf('trailing.')).toBe('');
  });
});

describe('upload-time PDF checks on hostile bytes (issue "Trust", finding 9)', () => {
  it('"%PDF-1.4" + 20 MB of random bytes: a PDF by its magic bytes, no page count, answered by one linear scan', () => {
    const hostile = Buffer.concat([Buffer.from('%PDF-1.4\n'), crypto.randomBytes(20 * 1024 * 1024)]);
    expect(checkFile('x.pdf', hostile)).toMatchObject({ ok: true, type: { mime: 'application/pdf' } });
    expect(pdfPageCount(hostile)).toBeNull();
    // Long runs that tempt a backtracking pattern ("/Type" + 5 MB of blanks, repeated) are answered too.
    const tricky = Buffer.from('%PDF-1.4\n' + ('/Type' + ' '.repeat(5 * 1024 * 1024)).repeat(3) + '/Type /Page\n%%EOF\n', 'latin1');
    expect(pdfPageCount(tricky)).toBe(1);
  });
});
