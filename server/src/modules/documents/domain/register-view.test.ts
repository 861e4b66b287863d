import { canOpenRegister, isSecretRegisterKey, registerKeyOf, registerQueryProblem } from './register-view';

describe('register views: who opens which register, and the filter rules', () => {
  it('ordinary registers: văn thư, lãnh đạo, lưu trữ; the secret one: văn thư and lãnh đạo only', () => {
    expect(canOpenRegister({ roles: ['VAN_THU'] }, false)).toBe(true);
    expect(canOpenRegister({ roles: ['LUU_TRU'] }, false)).toBe(true);
    expect(canOpenRegister({ roles: ['LUU_TRU'] }, true)).toBe(false);
    expect(canOpenRegister({ roles: ['LANH_DAO'] }, true)).toBe(true);
    for (const r of ['CHUYEN_VIEN', 'TRUONG_PHONG', 'QUAN_TRI'] as const) {
      expect(canOpenRegister({ roles: [r] }, false)).toBe(false);
      expect(canOpenRegister({ roles: [r] }, true)).toBe(false);
    }
  });

  it('register keys belong to a direction; the secret ones end in _SECRET', () => {
    expect(registerKeyOf('INCOMING', 'INCOMING')).toBe(true);
    expect(registerKeyOf('INCOMING', 'OUTGOING')).toBe(false);
    expect(registerKeyOf('OUTGOING', 'OUTGOING:QĐ')).toBe(true);
    expect(registerKeyOf('OUTGOING', 'INCOMING_SECRET')).toBe(false);
    // The agency's own incoming registers (Cấu hình văn bản): INCOMING:<MÃ>.
    expect(registerKeyOf('INCOMING', 'INCOMING:DON')).toBe(true);
    expect(registerKeyOf('INCOMING', 'INCOMING_SECRET')).toBe(true);
    expect(registerKeyOf('OUTGOING', 'INCOMING:DON')).toBe(false);
    expect(registerKeyOf('INCOMING', 'INCOMING:')).toBe(false);
    expect(isSecretRegisterKey('OUTGOING_SECRET')).toBe(true);
    expect(isSecretRegisterKey('OUTGOING:QĐ')).toBe(false);
  });

  it('reports the first bad argument with its field', () => {
    expect(registerQueryProblem(2026, null)).toBeNull();
    expect(registerQueryProblem(2026, { receivedFrom: '2026-03-01', receivedTo: '2026-03-01', numberFrom: 1, numberTo: 1 })).toBeNull();
    expect(registerQueryProblem(26, null)?.field).toBe('year');
    expect(registerQueryProblem(2026, { issuedFrom: '01/03/2026' })?.field).toBe('filter.issuedFrom');
    expect(registerQueryProblem(2026, { receivedFrom: '2026-03-02', receivedTo: '2026-03-01' })?.field).toBe('filter.receivedTo');
    expect(registerQueryProblem(2026, { numberFrom: 0 })?.field).toBe('filter.numberFrom');
    expect(registerQueryProblem(2026, { numberFrom: 3, numberTo: 2 })?.field).toBe('filter.numberTo');
  });
});
