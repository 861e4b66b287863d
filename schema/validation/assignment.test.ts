import { addWorkingDays } from './assignment';

describe('addWorkingDays (the "+5 ngày làm việc" shortcut)', () => {
  it('skips weekends', () => {
    expect(addWorkingDays('2026-12-04', 5)).toBe('2026-12-11'); // Friday + 5 working days
  });
  it('skips the agency holidays it is given', () => {
    // Giỗ Tổ Hùng Vương 2027 is Friday 16/04: from Tuesday 13/04, five working days end on Wednesday 21/04.
    expect(addWorkingDays('2027-04-13', 5)).toBe('2027-04-20');
    expect(addWorkingDays('2027-04-13', 5, new Set(['2027-04-16']))).toBe('2027-04-21');
  });
});
