import fs from 'node:fs';
import path from 'node:path';
import { extractFields, extractFieldsFromText, matchDirectory, parseSymbol } from './fields';
import { SCANS_DIR } from '../../../test/fixtures';

const CORPUS = SCANS_DIR;
const URGENCY: Record<string, string> = { KHẨN: 'KHAN', 'THƯỢNG KHẨN': 'THUONG_KHAN', 'HỎA TỐC': 'HOA_TOC' };
const ids = fs.existsSync(CORPUS) ? fs.readdirSync(CORPUS).filter((f) => /^dev\d+\.json$/.test(f)).map((f) => f.replace('.json', '')) : [];

describe('field extraction on the corpus ground-truth texts', () => {
  test('corpus is present', () => {
    expect(ids.length).toBeGreaterThanOrEqual(20);
  });

  test.each(ids)('%s', (id) => {
    const j = JSON.parse(fs.readFileSync(path.join(CORPUS, `${id}.json`), 'utf8'));
    const f = extractFieldsFromText(fs.readFileSync(path.join(CORPUS, `${id}.txt`), 'utf8'));
    expect(f.organ.value).toBe(j.organ);
    expect(f.superiorOrgan.value).toBe(j.superiorOrgan);
    expect(f.symbol.value).toBe(j.symbol);
    expect(f.number.value).toBe(j.number);
    expect(f.typeName.value).toBe(j.typeName);
    expect(f.typeCode.value).toBe(j.typeCode === 'CV' ? null : j.typeCode);
    expect(f.excerpt.value).toBe(j.excerpt);
    expect(f.place.value).toBe(j.place);
    expect(f.issuedDate.value).toBe(j.issuedDate);
    expect(f.signer.value).toBe(j.signer);
    expect(f.signerTitle.value).toBe(j.signerTitle);
    expect(f.urgency.value).toBe(j.urgency ? URGENCY[j.urgency] : null);
    expect(f.recipients.value).toEqual(j.recipients);
    for (const k of Object.keys(f) as Array<keyof typeof f>) {
      expect(f[k].confidence).toBeGreaterThanOrEqual(0);
      expect(f[k].confidence).toBeLessThanOrEqual(1);
    }
  });
});

describe('field extraction on OCR-like layout', () => {
  const line = (text: string, col: 'wide' | 'left' | 'right' | 'center', conf = 90) => ({ text, col, words: text.split(' ').map(() => ({ confidence: conf })) });
  test('two-column header, công văn, stamp-damaged title, fused list items', () => {
    const f = extractFields([
      {
        lines: [
          line('UBND HUYỆN LƯƠNG TÀI', 'left'),
          line('UBND XÃ TRUNG KÊNH', 'left'),
          line('Số: 123/UBND', 'left'),
          line('V/v rà soát bộ thủ tục hành chính', 'left'),
          line('năm 2023', 'left'),
          line('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'right'),
          line('Độc lập - Tự do - Hạnh phúc', 'right'),
          line('Trung Kênh, ngày 5 tháng 3 năm 2023', 'right'),
          line('Kính gửi: Trưởng các thôn.', 'center'),
          line('Nội dung công văn dài một dòng đầy đủ.', 'wide'),
          line('Nơi nhận:', 'left'),
          line('- Như trên;', 'left'),
          line('- Phòng Nội vụ huyện;', 'left'),
          line('-Lưu:VT.', 'left'),
          line('TM. ỦY BAN NHÂN DÂN', 'right'),
          line('KT. CHỦ TỊCH', 'right'),
          line('Z› NGHÓ CHỦ TỊCH', 'right', 40),
          line('Đỗ Thị Huyền', 'right'),
        ],
      },
    ]);
    expect(f.superiorOrgan.value).toBe('UBND HUYỆN LƯƠNG TÀI');
    expect(f.organ.value).toBe('UBND XÃ TRUNG KÊNH');
    expect(f.symbol.value).toBe('123/UBND');
    expect(f.typeName.value).toBe('Công văn');
    expect(f.typeCode.value).toBeNull();
    expect(f.excerpt.value).toBe('V/v rà soát bộ thủ tục hành chính năm 2023');
    expect(f.place.value).toBe('Trung Kênh');
    expect(f.issuedDate.value).toBe('2023-03-05');
    expect(f.recipients.value).toEqual(['Như trên', 'Phòng Nội vụ huyện', 'Lưu: VT']);
    expect(f.signer.value).toBe('Đỗ Thị Huyền');
    expect(f.signerTitle.value).toBe('PHÓ CHỦ TỊCH'); // KT. CHỦ TỊCH → signed by the deputy
    expect(f.signerTitle.confidence).toBeLessThan(f.signer.confidence);
  });

  test('a stroke of the signature read as a lone consonant before the name is dropped; a syllable of the name is not', () => {
    const signed = (name: string) =>
      extractFields([
        {
          lines: [
            line('SỞ NỘI VỤ', 'left'),
            line('Số: 12/BC-SNV', 'left'),
            line('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'right'),
            line('BÁO CÁO', 'center'),
            line('Nơi nhận:', 'left'),
            line('- Lưu: VT.', 'left'),
            line('GIÁM ĐỐC', 'right'),
            line(name, 'right'),
          ],
        },
      ]).signer.value;
    expect(signed('T Võ Thanh Tùng')).toBe('Võ Thanh Tùng');
    expect(signed('Đ Nguyễn Thị Lan')).toBe('Nguyễn Thị Lan');
    expect(signed('Y Ngông Niê Kdăm')).toBe('Y Ngông Niê Kdăm');
    expect(signed('Nguyễn Văn A')).toBe('Nguyễn Văn A');
  });

  test('nothing recognisable → nulls, not exceptions', () => {
    const f = extractFieldsFromText('lorem ipsum\n12345');
    expect(f.symbol.value).toBeNull();
    expect(f.issuedDate.value).toBeNull();
    expect(f.recipients.value).toBeNull();
  });
});

describe('parseSymbol', () => {
  test('plain', () => expect(parseSymbol('Số: 05/KH-UBND', 'KH')).toEqual({ number: '05', symbol: '05/KH-UBND', exact: true }));
  test('OCR slip in the type code is repaired from the type name', () =>
    expect(parseSymbol('Số: 96/1B-STC', 'TB')).toEqual({ number: '96', symbol: '96/TB-STC', exact: false }));
  test('letter O read for zero in the number', () => expect(parseSymbol('Số: O5/GM-UBND', 'GM')?.number).toBe('05'));
  test('công văn symbol without type code is kept', () => expect(parseSymbol('Số: 2010/UBND-KGVX', null)?.symbol).toBe('2010/UBND-KGVX'));
  test('not a symbol line', () => expect(parseSymbol('Sở Nội vụ', null)).toBeNull());
});

describe('trích yếu and the directory', () => {
  const line = (text: string, col: 'wide' | 'left' | 'right' | 'center', confidence = 90) => ({ text, col, words: text.split(' ').map(() => ({ confidence })) });
  const page = (organ: string, signer: string) => [
    {
      lines: [
        line('UBND TỈNH AN GIANG', 'left'),
        line(organ, 'left'),
        line('Số: 12/KH-STP', 'left'),
        line('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'right'),
        line('Độc lập - Tự do - Hạnh phúc', 'right'),
        line('An Giang, ngày 3 tháng 4 năm 2024', 'right'),
        line('KẾ HOẠCH', 'center'),
        line('Triển khai chữ ký số chuyên dùng trong hoạt động của các cơ quan', 'wide'),
        line('nhà nước trên địa bàn tỉnh', 'center'),
        line('năm 2024', 'center'),
        line('Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về chuyển đổi số, Sở xây dựng kế hoạch như sau:', 'wide'),
        line('I. MỤC ĐÍCH, YÊU CẦU', 'wide'),
        line('Nơi nhận:', 'left'),
        line('- Lưu: VT.', 'left'),
        line('GIÁM ĐỐC', 'right'),
        line(signer, 'right', 60),
      ],
    },
  ];

  test('the whole block under the type title, joined across lines (a long line too), up to the body', () => {
    const f = extractFields(page('SỞ TƯ PHÁP', 'Trần Văn Bình'));
    expect(f.excerpt.value).toBe('Triển khai chữ ký số chuyên dùng trong hoạt động của các cơ quan nhà nước trên địa bàn tỉnh năm 2024');
    expect(f.excerpt.confidence).toBeGreaterThan(0.5);
  });

  test('a short lower-case or digit tail of the excerpt continues it whatever column layout gave it', () => {
    const lines = page('SỞ TƯ PHÁP', 'Trần Văn Bình')[0].lines.filter((l) => l.text !== 'năm 2024');
    const at = lines.findIndex((l) => l.text === 'nhà nước trên địa bàn tỉnh');
    for (const col of ['right', 'left'] as const) {
      const withTail = [...lines.slice(0, at + 1), line('năm 2024', col), ...lines.slice(at + 1)];
      expect(extractFields([{ lines: withTail }]).excerpt.value).toBe('Triển khai chữ ký số chuyên dùng trong hoạt động của các cơ quan nhà nước trên địa bàn tỉnh năm 2024');
      // a single word, lower case, filed under a column
      const oneWord = [...lines.slice(0, at), line('nhà nước trên địa bàn', 'center'), line('tỉnh', col), ...lines.slice(at + 1)];
      expect(extractFields([{ lines: oneWord }]).excerpt.value).toBe('Triển khai chữ ký số chuyên dùng trong hoạt động của các cơ quan nhà nước trên địa bàn tỉnh');
    }
    // a longer line in a column, or a capitalised one, is not the excerpt
    const longer = [...lines.slice(0, at + 1), line('theo kế hoạch của tỉnh giao', 'left'), ...lines.slice(at + 1)];
    expect(extractFields([{ lines: longer }]).excerpt.value).toBe('Triển khai chữ ký số chuyên dùng trong hoạt động của các cơ quan nhà nước trên địa bàn tỉnh');
    const capital = [...lines.slice(0, at + 1), line('Năm 2024', 'right'), ...lines.slice(at + 1)];
    expect(extractFields([{ lines: capital }]).excerpt.value).toBe('Triển khai chữ ký số chuyên dùng trong hoạt động của các cơ quan nhà nước trên địa bàn tỉnh');
  });

  test('issuer and signer read close to a directory entry take its spelling, with a confidence; others are kept', () => {
    const directory = { agencies: ['SỞ TƯ PHÁP', 'SỞ TÀI CHÍNH', 'UBND TỈNH AN GIANG'], people: ['Trần Văn Bình', 'Trần Văn Bính', 'Lê Thị Hoa'] };
    const read = extractFields(page('SỞ TU PHÁP', 'Trân Văn Binh'));
    expect(read.organ.value).toBe('SỞ TU PHÁP');
    const f = extractFields(page('SỞ TU PHÁP', 'Trân Văn Binh'), directory);
    expect(f.organ.value).toBe('SỞ TƯ PHÁP');
    expect(f.organ.confidence).toBeGreaterThanOrEqual(0.9);
    expect(f.signer.value).toBe('Trần Văn Bình'); // both entries fold alike: the one closer with its marks wins
    expect(f.signer.confidence).toBeGreaterThan(read.signer.confidence);
    // nothing close: as read
    const other = extractFields(page('BAN DÂN TỘC', 'Phạm Quốc Toản'), directory);
    expect(other.organ.value).toBe('BAN DÂN TỘC');
    expect(other.signer.value).toBe('Phạm Quốc Toản');
  });

  test('matchDirectory: within one edit in six characters only', () => {
    expect(matchDirectory('SỞ TÀI CHÍNK', ['SỞ TÀI CHÍNH'])?.value).toBe('SỞ TÀI CHÍNH');
    expect(matchDirectory('SỞ Y TẾ', ['SỞ TÀI CHÍNH'])).toBeNull();
  });
});
