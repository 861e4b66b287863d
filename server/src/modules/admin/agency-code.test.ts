/** Mã định danh (QĐ 20/2020) validation: format, levels, the parent's groups. */
import { parseAgencyCode, validateAgencyCode } from './agency-code';

describe('parseAgencyCode', () => {
  it.each([
    ['000.00.00.H27', 1],
    ['000.00.00.G22', 1],
    ['000.00.12.H53', 2],
    ['000.10.00.H27', 3],
    ['001.10.00.H27', 4],
    ['001.00.10.H47', 4],
  ])('%s is valid, cấp %i', (code, level) => {
    const r = parseAgencyCode(code);
    expect(r).toEqual({ ok: true, value: expect.objectContaining({ code, level }) });
  });

  it('normalises case and spaces', () => {
    const r = parseAgencyCode('  000.00.01.h27 ');
    expect(r.ok && r.value.code).toBe('000.00.01.H27');
    expect(r.ok && r.value.groups).toEqual(['H27', '01', '00', '000']);
  });

  it.each(['', '   ', '000.00.00.27', '000.00.00.HH7', '00.00.00.H27', '000.0.00.H27', '000.00.000.H27', '000-00-00-H27', '000.00.00.H27.1', '000.00.00.H00', 'H27', '000.00.00.Đ27', '０００.00.00.H27'])(
    'refuses %j with a Vietnamese message',
    (code) => {
      const r = parseAgencyCode(code);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.reason).toBe(code.trim() ? 'FORMAT' : 'EMPTY');
        expect(r.message).toMatch(/Mã định danh|mã định danh/);
      }
    },
  );
});

describe('validateAgencyCode under a parent', () => {
  it('accepts codes that keep the parent’s groups and add detail (the demo province)', () => {
    expect(validateAgencyCode('000.00.02.H27', '000.00.00.H27').ok).toBe(true);
    expect(validateAgencyCode('000.10.00.H27', '000.00.00.H27').ok).toBe(true);
    expect(validateAgencyCode('001.10.00.H27', '000.10.00.H27').ok).toBe(true);
    expect(validateAgencyCode('000.00.00.H27', null).ok).toBe(true);
  });

  it('refuses another province, another branch, or the parent’s own level', () => {
    expect(validateAgencyCode('000.00.02.H30', '000.00.00.H27')).toMatchObject({ ok: false, reason: 'NOT_UNDER_PARENT' });
    expect(validateAgencyCode('001.11.00.H27', '000.10.00.H27')).toMatchObject({ ok: false, reason: 'NOT_UNDER_PARENT' });
    expect(validateAgencyCode('000.00.00.H27', '000.00.00.H27')).toMatchObject({ ok: false, reason: 'SAME_AS_PARENT' });
    expect(validateAgencyCode('000.10.00.H27', '000.10.00.H27')).toMatchObject({ ok: false, reason: 'SAME_AS_PARENT' });
  });

  it('checks only the format under a parent whose code predates the scheme', () => {
    expect(validateAgencyCode('000.00.02.H27', 'LEGACY-1').ok).toBe(true);
    expect(validateAgencyCode('bad', 'LEGACY-1')).toMatchObject({ ok: false, reason: 'FORMAT' });
  });
});
