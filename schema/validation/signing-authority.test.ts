import { authorityInput, authorityProblem, delegationProblemOf, draftAuthority } from './signing-authority';

describe('thẩm quyền ký (shared by the draft form and the server)', () => {
  it('accepts the App. I forms and refuses the incomplete ones at their field', () => {
    expect(authorityProblem({ mode: 'TM', collective: 'Ủy ban nhân dân' })).toBeNull();
    expect(authorityProblem({ mode: 'KT', collective: 'Ủy ban nhân dân', principal: 'Chủ tịch' })).toBeNull();
    expect(authorityProblem({ mode: 'DIRECT' })).toBeNull();
    expect(authorityProblem({ mode: 'TM' })?.field).toBe('collective');
    expect(authorityProblem({ mode: 'TUQ' })).toEqual({ field: 'principal', message: 'Ký TUQ. phải ghi chức vụ của người đứng đầu, ví dụ "CHỦ TỊCH".' });
    expect(authorityProblem({ mode: 'TL', collective: 'Ủy ban nhân dân', principal: 'Giám đốc' })?.field).toBe('collective');
    expect(authorityProblem({ mode: 'XX' })?.field).toBe('mode');
  });

  it('the form value: "" is the default (null); lines a mode does not print are dropped', () => {
    expect(draftAuthority().safeParse({ mode: '', collective: '', principal: '' }).success).toBe(true);
    const bad = draftAuthority().safeParse({ mode: 'KT', collective: 'UBND', principal: ' ' });
    expect(bad.success ? null : bad.error.issues[0].path).toEqual(['principal']);
    // a collective typed before switching to Q. is not sent (and not refused)
    expect(draftAuthority().safeParse({ mode: 'Q', collective: 'UBND', principal: 'Giám đốc' }).success).toBe(true);
    expect(authorityInput({ mode: 'Q', collective: 'UBND', principal: ' Giám đốc ' })).toEqual({ mode: 'Q', collective: null, principal: 'Giám đốc' });
    expect(authorityInput({ mode: '', collective: 'x', principal: 'y' })).toBeNull();
  });

  it('giao ký: TL./TUQ. only, the head title and the decision required, dates in order', () => {
    const ok = { delegateId: 'u', mode: 'TUQ', principal: 'Chủ tịch', decisionRef: 'GUQ 01', validFrom: '2026-12-01', validTo: '2026-12-31' };
    expect(delegationProblemOf(ok)).toBeNull();
    expect(delegationProblemOf({ ...ok, validTo: null })).toBeNull();
    expect(delegationProblemOf({ ...ok, mode: 'KT' })?.field).toBe('mode');
    expect(delegationProblemOf({ ...ok, principal: ' ' })?.field).toBe('principal');
    expect(delegationProblemOf({ ...ok, decisionRef: '' })?.field).toBe('decisionRef');
    expect(delegationProblemOf({ ...ok, validTo: '2026-11-30' })?.field).toBe('validTo');
    expect(delegationProblemOf({ ...ok, delegateId: '' })?.field).toBe('delegateId');
  });
});
