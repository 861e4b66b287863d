/**
 * The stamp layout on real drafts: the demo drafts (pdfkit, DejaVu, laid out as Decree 30 App. I) read with
 * poppler's pdftotext -bbox. Skipped (named) when pdftotext is missing, unless CI is set.
 */
import { execFileSync } from 'node:child_process';
import { renderDemoPdf } from '../../../seed/demo-documents';
import { demoPlan, layoutDemoDocument } from '../../../seed/demo-layout';
import { dejaVuMeasure, pdfWords } from './pdf-text';
import { planStamp, signatureRect } from './stamp-layout';

const hasPdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const itPoppler = hasPdftotext || process.env.CI ? it : it.skip;
const NAMES = { lanhdao: 'Phạm Quốc Hùng', 'snv.lanhdao': 'Lê Văn Hòa', 'syt.lanhdao': 'Vũ Thị Bích', 'stc.lanhdao': 'Trần Thị Kim Oanh' };
const drafts = demoPlan('2026-12-05', NAMES as never).drafts as Record<string, Parameters<typeof layoutDemoDocument>[0]>;
const pdfOf = (k: string) => renderDemoPdf(layoutDemoDocument(drafts[k]), k);
const UBND_KT = ['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'];

describe(`stamp layout${hasPdftotext ? '' : ' (skipped: pdftotext missing)'}`, () => {
  itPoppler('fills the number before "/QĐ-UBND" and the day and month of the date line of a QĐ draft', async () => {
    const pages = await pdfWords(await pdfOf('thiDua'));
    const plan = planStamp(pages, { symbol: '05/QĐ-UBND', date: '2026-12-05', place: 'Bắc Ninh', authorityLines: UBND_KT }, await dejaVuMeasure());
    expect(plan.problems).toEqual([]);
    expect(plan.defaultPositions).toBe(false);
    expect(plan.items.map((i) => i.text)).toEqual(['05', '05', '12']);
    const [num, day, month] = plan.items;
    // The number ends just before the "/" of the notation (x 159.4 in the draft), on its baseline.
    expect(num.x + 16).toBeGreaterThan(126);
    expect(num.x).toBeLessThan(159.4);
    expect(day.x).toBeGreaterThan(377.8);
    expect(day.x).toBeLessThan(402.6);
    expect(month.x).toBeGreaterThan(440.7);
    expect(month.x).toBeLessThan(465.5);
    expect(Math.abs(num.y - day.y)).toBeLessThan(0.01);
    expect(num.size).toBeCloseTo(13, 0);
  });

  itPoppler('a thể thức error when the printed notation is not the symbol being given, or the authority line is missing', async () => {
    const pages = await pdfWords(await pdfOf('hoiNghi')); // "Số:   /KH-UBND"
    const m = await dejaVuMeasure();
    const wrong = planStamp(pages, { symbol: '05/2026/QĐ-UBND', date: '2026-12-05', place: 'Bắc Ninh', authorityLines: UBND_KT }, m);
    expect(wrong.problems).toEqual([expect.stringContaining('"/KH-UBND" khác ký hiệu được cấp "/2026/QĐ-UBND"')]);
    const tl = planStamp(pages, { symbol: '05/KH-UBND', date: '2026-12-05', place: 'Bắc Ninh', authorityLines: ['TL. CHỦ TỊCH', 'CHÁNH VĂN PHÒNG'] }, m);
    expect(tl.problems).toEqual([expect.stringContaining('"TL. CHỦ TỊCH"'), expect.stringContaining('"CHÁNH VĂN PHÒNG"')]);
    const year = planStamp(pages, { symbol: '01/KH-UBND', date: '2027-01-02', place: 'Bắc Ninh', authorityLines: UBND_KT }, m);
    expect(year.problems).toEqual([expect.stringContaining('Năm trên dự thảo (2026) khác năm ban hành 2027')]);
  });

  itPoppler('the signature image goes between the signer title and the name', async () => {
    const pages = await pdfWords(await pdfOf('thiDua'));
    const r = signatureRect(pages, 'Phạm Quốc Hùng', UBND_KT);
    const name = pages[r.page].words.find((w) => w.text === 'Phạm')!;
    const title = pages[r.page].words.filter((w) => w.text === 'PHÓ').pop()!;
    const h = pages[r.page].height;
    expect(r.rect.y).toBeGreaterThan(h - name.yMin - 3);
    expect(r.rect.y + r.rect.height).toBeLessThanOrEqual(h - title.yMax);
  });

  it('a page without text gets the lines at the App. I positions', async () => {
    const plan = planStamp([{ width: 595, height: 842, words: [] }], { symbol: '01/QĐ-UBND', date: '2026-03-15', place: 'Bắc Ninh', authorityLines: ['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'] }, await dejaVuMeasure());
    expect(plan.defaultPositions).toBe(true);
    expect(plan.items.map((i) => i.text)).toEqual(['Số: 01/QĐ-UBND', 'Bắc Ninh, ngày 15 tháng 3 năm 2026', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']);
  });
});
