import { authorityLabel, authorityLines, defaultAuthority, delegationProblem, normalizeAuthority } from './authority';

describe('thẩm quyền ký (NĐ 30 Điều 13)', () => {
  it('prints the signer block: TM. / KT. / Q. / TL. / TUQ. / direct', () => {
    expect(authorityLines({ mode: 'KT', collective: 'Ủy ban nhân dân', principal: 'Chủ tịch' }, 'Phó Chủ tịch')).toEqual(['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']);
    expect(authorityLines({ mode: 'TM', collective: 'ỦY BAN NHÂN DÂN' }, 'Chủ tịch')).toEqual(['TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH']);
    expect(authorityLines({ mode: 'Q', principal: 'GIÁM ĐỐC' }, 'Phó Giám đốc')).toEqual(['Q. GIÁM ĐỐC']);
    expect(authorityLines({ mode: 'TL', principal: 'CHỦ TỊCH' }, 'Chánh Văn phòng')).toEqual(['TL. CHỦ TỊCH', 'CHÁNH VĂN PHÒNG']);
    expect(authorityLines({ mode: 'TUQ', principal: 'CHỦ TỊCH' }, 'Giám đốc Sở Nội vụ')).toEqual(['TUQ. CHỦ TỊCH', 'GIÁM ĐỐC SỞ NỘI VỤ']);
    expect(authorityLines({ mode: 'DIRECT' }, 'Giám đốc')).toEqual(['GIÁM ĐỐC']);
    expect(authorityLabel({ mode: 'KT', collective: 'ỦY BAN NHÂN DÂN', principal: 'CHỦ TỊCH' })).toBe('TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH');
    expect(authorityLabel({ mode: 'DIRECT' })).toBe('');
  });

  it('validates: TM needs the collective, KT/Q/TL/TUQ the principal, DIRECT nothing more', () => {
    expect(normalizeAuthority({ mode: 'TM' })).toMatchObject({ ok: false, code: 'BAD_USER_INPUT', field: 'signingAuthority.collective' });
    expect(normalizeAuthority({ mode: 'KT' })).toMatchObject({ ok: false, field: 'signingAuthority.principal' });
    expect(normalizeAuthority({ mode: 'DIRECT', principal: 'X' })).toMatchObject({ ok: false });
    expect(normalizeAuthority({ mode: 'TUQ', collective: 'UBND', principal: 'CHỦ TỊCH' })).toMatchObject({ ok: false, field: 'signingAuthority.collective' });
    expect(normalizeAuthority({ mode: 'XX' as never })).toMatchObject({ ok: false, field: 'signingAuthority.mode' });
    expect(normalizeAuthority({ mode: 'kt' as never, principal: 'x' })).toMatchObject({ ok: false });
    expect(normalizeAuthority({ mode: 'KT', principal: ' chủ  tịch ' })).toEqual({ ok: true, value: { mode: 'KT', collective: null, principal: 'CHỦ TỊCH' } });
  });

  it('defaults: a UBND signs TM. (KT. for a deputy); a Sở deputy KT.; a head directly', () => {
    expect(defaultAuthority('Ủy ban nhân dân tỉnh Bắc Ninh', 'Phó Chủ tịch')).toEqual({ mode: 'KT', collective: 'ỦY BAN NHÂN DÂN', principal: 'CHỦ TỊCH' });
    expect(defaultAuthority('Ủy ban nhân dân xã Lương Tài', 'Chủ tịch')).toEqual({ mode: 'TM', collective: 'ỦY BAN NHÂN DÂN', principal: null });
    expect(defaultAuthority('Sở Nội vụ tỉnh Bắc Ninh', 'Phó Giám đốc')).toEqual({ mode: 'KT', collective: null, principal: 'GIÁM ĐỐC' });
    expect(defaultAuthority('Sở Nội vụ tỉnh Bắc Ninh', 'Giám đốc')).toEqual({ mode: 'DIRECT', collective: null, principal: null });
  });

  it('TL./TUQ. need a delegation of that mode to the signer, in force that day and not revoked', () => {
    const tuq = { mode: 'TUQ' as const, principal: 'CHỦ TỊCH' };
    const d = { delegateUserId: 'u1', mode: 'TUQ' as const, validFrom: '2026-01-01', validTo: '2026-12-31', revoked: false };
    expect(delegationProblem(tuq, 'u1', '2026-06-01', [d])).toBeNull();
    expect(delegationProblem(tuq, 'u1', '2027-01-01', [d])).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(delegationProblem(tuq, 'u2', '2026-06-01', [d])).toMatchObject({ ok: false });
    expect(delegationProblem(tuq, 'u1', '2026-06-01', [{ ...d, revoked: true }])).toMatchObject({ ok: false });
    expect(delegationProblem({ mode: 'TL', principal: 'CHỦ TỊCH' }, 'u1', '2026-06-01', [d])).toMatchObject({ ok: false });
    expect(delegationProblem({ mode: 'KT', principal: 'CHỦ TỊCH' }, 'u1', '2026-06-01', [])).toBeNull();
    expect(delegationProblem(tuq, 'u1', '2026-06-01', [{ ...d, validTo: null }])).toBeNull();
  });
});
