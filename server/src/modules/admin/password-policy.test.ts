/** Password policy and temporary passwords. */
import { checkPassword, generateTemporaryPassword } from './password-policy';

const who = { username: 'nguyen.van.a', fullName: 'Nguyễn Văn An' };

describe('checkPassword', () => {
  it.each([
    ['Ngắn-1', 'TOO_SHORT'],
    ['1234567890123', 'NO_LETTER'],
    ['mot hai ba bon nam', 'ONLY_LETTERS'],
    ['aaaaaaaaaaaa1', 'REPEATED'],
    ['xx-nguyen.van.a-1', 'CONTAINS_USERNAME'],
    ['XX-Nguyen.Van.A-1', 'CONTAINS_USERNAME'],
    ['nguyenvanan@2026', 'CONTAINS_NAME'],
    ['Nguyễn Văn An 2026', 'CONTAINS_NAME'],
    ['congvan2026', 'COMMON'],
    ['Mat Khau 123', 'COMMON'],
    ['x'.repeat(150) + '1'.repeat(51), 'TOO_LONG'],
  ])('%j → %s, with a Vietnamese message', (pw, problem) => {
    const r = checkPassword(pw, who);
    expect(r).toMatchObject({ ok: false, problem });
    if (!r.ok) expect(r.message).toMatch(/Mật khẩu/);
  });

  it.each(['Sông-Hồng-2026', 'tram.nam.trong.coi.nguoi-9', 'Kx7p-Qm3a-Zt9w', 'mật khẩu dài 10'])('accepts %j', (pw) => {
    expect(checkPassword(pw, who)).toEqual({ ok: true });
  });

  it('counts characters, not UTF-16 units or decomposed marks', () => {
    // 9 characters written decomposed (NFD) are still 9: too short.
    expect(checkPassword('Đường-số9'.normalize('NFD'), who)).toMatchObject({ ok: false, problem: 'TOO_SHORT' });
  });
});

describe('generateTemporaryPassword', () => {
  it('is random, readable and passes the policy for any user', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = generateTemporaryPassword();
      expect(p).toMatch(/^([a-km-zA-HJ-NP-Z]{2}[2-9][a-km-zA-HJ-NP-Z]-){2}[a-km-zA-HJ-NP-Z]{2}[2-9][a-km-zA-HJ-NP-Z]$/);
      expect(checkPassword(p, who)).toEqual({ ok: true });
      seen.add(p);
    }
    expect(seen.size).toBe(200);
  });
});
