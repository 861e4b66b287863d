import { formatCountdown, formatTime, isoDateVN, parseTime, secondsLeft, vnInstant, weekday } from './format';

describe('meeting times (Hà Nội, UTC+7)', () => {
  it('turns a typed day and time into the instant, and back, whatever the machine zone', () => {
    const iso = vnInstant('2026-12-08', '08:00');
    expect(iso).toBe('2026-12-08T01:00:00.000Z');
    expect(formatTime(iso)).toBe('08:00');
    // 06:30 in Hà Nội is still the previous day in UTC
    expect(isoDateVN(vnInstant('2026-12-08', '06:30'))).toBe('2026-12-08');
    expect(vnInstant('2026-12-08', '06:30')).toBe('2026-12-07T23:30:00.000Z');
  });

  it('reads times typed loosely and refuses impossible ones', () => {
    expect(parseTime('8')).toBe('08:00');
    expect(parseTime('8h')).toBe('08:00');
    expect(parseTime('8h30')).toBe('08:30');
    expect(parseTime(' 14:05 ')).toBe('14:05');
    expect(parseTime('0830')).toBe('08:30');
    expect(parseTime('24:00')).toBeNull();
    expect(parseTime('7:60')).toBeNull();
    expect(parseTime('sáng')).toBeNull();
  });

  it('counts the speaking time down, negative when over', () => {
    const start = '2026-12-08T01:00:00.000Z';
    expect(secondsLeft(start, 180, Date.parse(start) + 1000)).toBe(179);
    expect(formatCountdown(179)).toBe('2:59');
    expect(formatCountdown(secondsLeft(start, 180, Date.parse(start) + 195_000)!)).toBe('−0:15');
    expect(secondsLeft(null, 180, Date.now())).toBeNull();
  });

  it('numbers the days of the week from Monday', () => {
    expect(weekday('2026-12-07')).toBe(1);
    expect(weekday('2026-12-13')).toBe(7);
  });
});
