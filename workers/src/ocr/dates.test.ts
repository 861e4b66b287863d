import { parseVietnameseDate } from './dates';

describe('parseVietnameseDate', () => {
  test.each([
    ['Lương Tài, ngày 09 tháng 02 năm 2017', '2017-02-09', true],
    ['Bắc Ninh, ngày 29 tháng 8 năm 2023', '2023-08-29', true],
    ['ngày 9-2-2017', '2017-02-09', true],
    ['Ngày 20/1/2010 Ban chỉ đạo', '2010-01-20', true],
    ['Long An, ngày 25 tháng I0 năm 2018', '2018-10-25', false],
    ['Hà Nội, ngày O3 tháng 3 năm 2011', '2011-03-03', false],
  ])('%s → %s', (s, iso, exact) => {
    expect(parseVietnameseDate(s)).toEqual({ iso, exact });
  });

  test.each(['ngày 31 tháng 02 năm 2017', 'ngày 10 tháng 13 năm 2017', 'không có ngày', 'ngày 1 tháng 1 năm 1850'])('invalid: %s', (s) => {
    expect(parseVietnameseDate(s)).toBeNull();
  });
});
