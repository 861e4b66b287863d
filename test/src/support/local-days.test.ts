import { LocalDays, vnDateLine } from './local-days';

const at = (iso: string) => new Date(iso);

describe('LocalDays: the dates a test accepts for what the server stamps while it runs', () => {
  it('across midnight in Việt Nam (17:00 UTC) both days count: the CI run of 7 Dec 2026 issued on the 8th', () => {
    // the test took its "today" at 23:59:58 in Hà Nội; the văn thư issued at 00:00:03
    const days = new LocalDays(at('2026-12-07T16:59:58Z'), 'Asia/Ho_Chi_Minh', () => at('2026-12-07T17:00:03Z'));
    expect([days.first, days.last]).toEqual(['2026-12-07', '2026-12-08']);
    expect(days.all()).toEqual(['2026-12-07', '2026-12-08']);
    expect({ issuedDate: '2026-12-08' }).toMatchObject({ issuedDate: days.date() });
    expect({ issuedDate: '2026-12-07' }).toMatchObject({ issuedDate: days.date() });
    expect({ issuedDate: '2026-12-09' }).not.toMatchObject({ issuedDate: days.date() });
    expect({ issuedDate: '2026-12-07x' }).not.toMatchObject({ issuedDate: days.date() });
  });

  it('within one local day only that day counts, though the UTC date changed', () => {
    // 06:00 → 07:30 in Hà Nội on 1 Jan is 23:00 → 00:30 UTC across the UTC new year
    const days = new LocalDays(at('2026-12-31T23:00:00Z'), 'Asia/Ho_Chi_Minh', () => at('2027-01-01T00:30:00Z'));
    expect(days.all()).toEqual(['2027-01-01']);
    expect({ d: '2026-12-31' }).not.toMatchObject({ d: days.date() });
  });

  it('the local new year: the dates run over the year boundary', () => {
    const days = new LocalDays(at('2026-12-31T16:30:00Z'), 'Asia/Ho_Chi_Minh', () => at('2026-12-31T17:30:00Z'));
    expect(days.all()).toEqual(['2026-12-31', '2027-01-01']);
  });

  it('text() matches the date line of either day, and nothing else', () => {
    const days = new LocalDays(at('2027-02-28T16:59:00Z'), 'Asia/Ho_Chi_Minh', () => at('2027-02-28T17:01:00Z'));
    const line = days.text((d) => `Bắc Ninh, ${vnDateLine(d)}`);
    expect('… Bắc Ninh, ngày 28 tháng 02 năm 2027 …').toMatch(line);
    expect('… Bắc Ninh, ngày 01 tháng 3 năm 2027 …').toMatch(line);
    expect('… Bắc Ninh, ngày 27 tháng 02 năm 2027 …').not.toMatch(line);
    expect('Bắc Ninh: ngày 01 tháng 3 năm 2027').not.toMatch(line);
  });

  it('vnDateLine writes months 1–2 with a leading zero, as Phụ lục I of Decree 30/2020', () => {
    expect(vnDateLine('2026-01-05')).toBe('ngày 05 tháng 01 năm 2026');
    expect(vnDateLine('2026-12-07')).toBe('ngày 07 tháng 12 năm 2026');
    expect(vnDateLine('2026-03-09')).toBe('ngày 09 tháng 3 năm 2026');
  });
});
