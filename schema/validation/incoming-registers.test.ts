import { incomingRegisterCode, incomingRegisterKey, incomingRegistersSchema, pickIncomingRegister } from './incoming-registers';

describe('incoming registers (shared rules)', () => {
  it('maps codes and keys both ways', () => {
    expect(incomingRegisterKey('')).toBe('INCOMING');
    expect(incomingRegisterKey('DANG')).toBe('INCOMING:DANG');
    expect(incomingRegisterCode('INCOMING')).toBe('');
    expect(incomingRegisterCode('INCOMING:DON_THU')).toBe('DON_THU');
    expect(incomingRegisterCode('INCOMING_SECRET')).toBeNull();
    expect(incomingRegisterCode('INCOMING:đảng')).toBeNull();
  });

  it('needs the general register, active; codes and names unique', () => {
    const issues = (rows: { code: string; name: string; active: boolean }[]) => {
      const r = incomingRegistersSchema.safeParse(rows);
      return r.success ? [] : r.error.issues.map((i) => [i.path.join('.'), i.message]);
    };
    expect(issues([{ code: 'DANG', name: 'Đảng', active: true }])).toEqual([['', 'Phải có sổ văn bản đến chung.']]);
    expect(issues([{ code: '', name: 'Chung', active: false }])).toEqual([['0.active', 'Sổ văn bản đến chung không được ngừng sử dụng.']]);
    expect(
      issues([
        { code: '', name: 'Chung', active: true },
        { code: 'dang', name: 'Đảng', active: true },
        { code: 'DANG', name: 'chung', active: true },
      ]),
    ).toEqual([
      ['2.code', 'Mã sổ DANG bị trùng.'],
      ['2.name', 'Tên sổ "chung" bị trùng.'],
    ]);
    expect(issues([{ code: '', name: 'Chung', active: true }, { code: 'SỔ 2', name: 'Hai', active: true }])[0][0]).toBe('1.code');
  });

  it('picks the requested active register, else the first active one', () => {
    const list = [
      { key: 'INCOMING', name: 'Chung', active: true },
      { key: 'INCOMING:DANG', name: 'Đảng', active: true },
      { key: 'INCOMING:CU', name: 'Cũ', active: false },
    ];
    expect(pickIncomingRegister(list, null)).toEqual({ ok: true, register: list[0] });
    expect(pickIncomingRegister(list, ' INCOMING:DANG ')).toEqual({ ok: true, register: list[1] });
    expect(pickIncomingRegister(list, 'INCOMING:CU')).toEqual({ ok: false, message: 'Sổ "Cũ" đã ngừng sử dụng.' });
    expect(pickIncomingRegister(list, 'INCOMING:X')).toEqual({ ok: false, message: 'Sổ văn bản đến không tồn tại.' });
  });
});
