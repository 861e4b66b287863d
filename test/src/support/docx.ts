/**
 * A minimal, real DOCX (WordprocessingML in a ZIP, built with fflate) for tests of the DOCX → PDF step:
 * [Content_Types].xml, _rels/.rels and word/document.xml with paragraphs (alignment, bold, italic, size).
 * Word and LibreOffice open it.
 */
import { zipSync, strToU8 } from 'fflate';

export interface DocxParagraph {
  text: string;
  align?: 'left' | 'center' | 'right' | 'both';
  bold?: boolean;
  italic?: boolean;
  /** Points (default 13, the size Decree 30 App. I uses for the body). */
  size?: number;
  /** Indent from the left margin, in points (a signer block in the right column). */
  indentLeft?: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function paragraph(p: DocxParagraph): string {
  const halfPoints = Math.round((p.size ?? 13) * 2);
  const ppr = [
    p.align ? `<w:jc w:val="${p.align}"/>` : '',
    p.indentLeft ? `<w:ind w:left="${Math.round(p.indentLeft * 20)}"/>` : '',
    '<w:spacing w:before="0" w:after="60"/>',
  ].join('');
  const rpr = [
    '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/>',
    p.bold ? '<w:b/>' : '',
    p.italic ? '<w:i/>' : '',
    `<w:sz w:val="${halfPoints}"/><w:szCs w:val="${halfPoints}"/>`,
  ].join('');
  const run = p.text ? `<w:r><w:rPr>${rpr}</w:rPr><w:t xml:space="preserve">${esc(p.text.normalize('NFC'))}</w:t></w:r>` : '';
  return `<w:p><w:pPr>${ppr}</w:pPr>${run}</w:p>`;
}

/** The DOCX bytes of these paragraphs on an A4 page (margins 2 cm top/bottom, 3 cm left, 2 cm right). */
export function minimalDocx(paragraphs: readonly DocxParagraph[]): Uint8Array<ArrayBuffer> {
  const body = paragraphs.map(paragraph).join('');
  const document =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' +
    body +
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1701" w:header="0" w:footer="0" w:gutter="0"/></w:sectPr>' +
    '</w:body></w:document>';
  const zip = zipSync({
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
        '</Types>',
    ),
    '_rels/.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
        '</Relationships>',
    ),
    'word/document.xml': strToU8(document),
  });
  return new Uint8Array(zip);
}

/**
 * A Quyết định draft of UBND tỉnh Bắc Ninh laid out as Decree 30 App. I in paragraphs: the blanks for the
 * number ("Số:          /QĐ-UBND") and the date, the tiêu ngữ, and the signer block with the authority lines
 * (TM. / KT. / title), room for the signature, and the signer's name.
 */
export function decisionDraftDocx(opts: { year: number; notation?: string; signerName?: string; authorityLines?: string[]; subject?: string; marker?: string }): Uint8Array<ArrayBuffer> {
  const lines = opts.authorityLines ?? ['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'];
  const right = 230;
  return minimalDocx([
    { text: 'ỦY BAN NHÂN DÂN TỈNH BẮC NINH', bold: true, size: 12 },
    { text: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', bold: true, size: 12, align: 'right' },
    { text: 'Độc lập - Tự do - Hạnh phúc', bold: true, align: 'right' },
    { text: `Số:            ${opts.notation ?? '/QĐ-UBND'}` },
    { text: `Bắc Ninh, ngày         tháng         năm ${opts.year}`, italic: true, align: 'right' },
    { text: '' },
    { text: 'QUYẾT ĐỊNH', bold: true, align: 'center', size: 14 },
    { text: opts.subject ?? 'Về việc kiện toàn Hội đồng Thi đua - Khen thưởng tỉnh', bold: true, align: 'center', size: 14 },
    { text: 'ỦY BAN NHÂN DÂN TỈNH BẮC NINH', bold: true, align: 'center' },
    { text: 'Căn cứ Luật Tổ chức chính quyền địa phương năm 2025;', italic: true, align: 'both' },
    { text: 'Điều 1. Kiện toàn Hội đồng Thi đua - Khen thưởng tỉnh gồm các ông, bà có tên tại danh sách kèm theo.', align: 'both' },
    { text: 'Điều 2. Quyết định này có hiệu lực kể từ ngày ký.', align: 'both' },
    ...(opts.marker ? [{ text: opts.marker, size: 8 }] : []),
    { text: '' },
    ...lines.map((l) => ({ text: l, bold: true, indentLeft: right, align: 'center' as const })),
    { text: '', indentLeft: right },
    { text: '', indentLeft: right },
    { text: '', indentLeft: right },
    { text: '', indentLeft: right },
    { text: opts.signerName ?? 'Phạm Quốc Hùng', bold: true, indentLeft: right, align: 'center' },
  ]);
}
