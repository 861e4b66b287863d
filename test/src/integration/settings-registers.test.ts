/**
 * Several sổ văn bản đến per agency (issue 8): the administrator defines them in Cấu hình văn bản, the văn thư
 * picks one when registering, each has its own số đến per year; an unknown or inactive register is refused
 * before a number is drawn. Also the approval chain / document types edits and the services' clock of the
 * working calendar. Real services and PostgreSQL (one cloned database for this file).
 */
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import { Document } from '../../../server/src/modules/documents/entities/document.entity';
import { NumberSequence } from '../../../server/src/modules/documents/entities/misc.entities';
import { Agency } from '../../../server/src/modules/identity/entities/agency.entity';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { gql, loginToken } from '../support/gql';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { startTestServer, type TestServer } from '../support/server';

let t: TestRuntime;
let agency: Agency;
const em = () => t.rt.orm.em.fork();
const settings = () => t.rt.services.documentSettings;
const NOW = new Date('2027-03-10T03:00:00Z');
let seq = 0;

const REGISTERS = [
  { key: 'INCOMING', name: 'Sổ VB đến chung', active: true },
  { key: 'INCOMING:DANG', name: 'Sổ VB đến của Tỉnh ủy', active: true },
  { key: 'INCOMING:DON_THU', name: 'Sổ đơn thư', active: false },
];

const register = async (registerKey?: string | null, extra: Record<string, unknown> = {}) =>
  t.rt.services.incoming.registerIncoming(await t.as('vanthu'), {
    issuerName: 'Sở Tài chính tỉnh Bắc Ninh',
    symbol: `${++seq}/STC-NS`,
    issuedDate: '2027-03-01',
    subject: `Văn bản đến thử sổ ${seq}`,
    registerKey,
    ...extra,
  });

async function sequences(): Promise<[string, number][]> {
  const rows = await em().find(NumberSequence, { agency: agency.id, year: 2027 }, { orderBy: { key: 'asc' } });
  return rows.map((r) => [r.key, r.lastNumber]);
}

beforeAll(async () => {
  t = await createTestRuntime();
  t.rt.services.clock.now = () => NOW;
  agency = await em().findOneOrFail(Agency, { code: '000.00.00.H27' });
});
afterAll(async () => t?.close());

describe('incoming registers (sổ văn bản đến)', () => {
  it('only the general register by default', async () => {
    expect((await settings().get(em(), agency.id)).incomingRegisters).toEqual([{ key: 'INCOMING', name: 'Sổ văn bản đến', active: true }]);
  });

  it('the administrator defines them (audited); the văn thư may not; bad lists are refused with the field', async () => {
    await expect(settings().update(await t.as('vanthu'), agency.id, { incomingRegisters: REGISTERS })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const admin = await t.as('quantri');
    const bad = async (list: typeof REGISTERS, field: string) =>
      expect(settings().update(admin, agency.id, { incomingRegisters: list })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extra: { field } });
    await bad([REGISTERS[1]], 'incomingRegisters');
    await bad([{ ...REGISTERS[0], active: false }, REGISTERS[1]], 'incomingRegisters.0.active');
    await bad([REGISTERS[0], REGISTERS[1], { key: 'INCOMING:DANG', name: 'Khác', active: true }], 'incomingRegisters.2.key');
    await bad([REGISTERS[0], { key: 'OUTGOING:X', name: 'Sai', active: true }], 'incomingRegisters.1.key');
    await bad([REGISTERS[0], { key: 'INCOMING:X', name: '  ', active: true }], 'incomingRegisters.1.name');
    expect((await settings().get(em(), agency.id)).incomingRegisters).toHaveLength(1);

    const s = await settings().update(admin, agency.id, { incomingRegisters: REGISTERS });
    expect(s.incomingRegisters).toEqual(REGISTERS);
    const audit = await em().findOneOrFail(AuditEvent, { action: 'documents.settings_update', agencyId: agency.id }, { orderBy: { at: 'desc' } });
    expect(audit.data).toMatchObject({ incomingRegisters: REGISTERS });
  });

  it('numbers each register independently per year; default = the general register', async () => {
    const a = await register(undefined);
    const b = await register('INCOMING:DANG');
    const c = await register('INCOMING:DANG');
    const d = await register('INCOMING');
    expect([a, b, c, d].map((x) => [x.registerKey, x.incomingNumber, x.registerYear])).toEqual([
      ['INCOMING', 1, 2027],
      ['INCOMING:DANG', 1, 2027],
      ['INCOMING:DANG', 2, 2027],
      ['INCOMING', 2, 2027],
    ]);
    expect(await sequences()).toEqual([
      ['INCOMING', 2],
      ['INCOMING:DANG', 2],
    ]);
  });

  it('unknown or inactive register → BAD_USER_INPUT (registerKey), no number consumed, nothing stored', async () => {
    const before = await sequences();
    const docs = await em().count(Document, { agency: agency.id, direction: 'INCOMING' });
    await expect(register('INCOMING:KHONG_CO')).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'registerKey' } });
    await expect(register('INCOMING:DON_THU')).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'registerKey' } });
    await expect(register('INCOMING:DANG', { secrecy: 'MAT' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'registerKey' } });
    expect(await sequences()).toEqual(before);
    expect(await em().count(Document, { agency: agency.id, direction: 'INCOMING' })).toBe(docs);
    // A secret document still goes to the secret register.
    const secret = await register(undefined, { secrecy: 'MAT' });
    expect([secret.registerKey, secret.incomingNumber]).toEqual(['INCOMING_SECRET', 1]);
  });

  it('the register views list them (named, current year) and open one register', async () => {
    const vt = await t.as('vanthu');
    const books = await t.rt.services.registers.registerBooks(vt, 'INCOMING');
    const ordinary = books.filter((b) => !b.secret && b.year === 2027).map((b) => [b.registerKey, b.name, b.count]);
    expect(ordinary).toEqual([
      ['INCOMING', 'Sổ VB đến chung', 2],
      ['INCOMING:DANG', 'Sổ VB đến của Tỉnh ủy', 2],
    ]);
    const page = await t.rt.services.registers.registerEntries(vt, { direction: 'INCOMING', year: 2027, registerKey: 'INCOMING:DANG' });
    expect(page.edges.map((e) => [e.number, e.registerKey])).toEqual([
      [1, 'INCOMING:DANG'],
      [2, 'INCOMING:DANG'],
    ]);
    const all = await t.rt.services.registers.registerEntries(vt, { direction: 'INCOMING', year: 2027 });
    expect(all.totalCount).toBe(4);
  });
});

describe('approval chain and document types', () => {
  it('a USER step must be an active user of the agency (field approvalChain.<i>.userId)', async () => {
    const admin = await t.as('quantri');
    const other = await em().findOneOrFail(User, { username: 'snv.lanhdao' });
    await expect(
      settings().update(admin, agency.id, { approvalChain: [{ kind: 'ROLE', role: 'TRUONG_PHONG', scope: 'DRAFTING_UNIT' }, { kind: 'USER', userId: other.id }] }),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'approvalChain.1.userId' } });
    const leader = await em().findOneOrFail(User, { username: 'lanhdao' });
    const s = await settings().update(admin, agency.id, { approvalChain: [{ kind: 'USER', userId: leader.id, label: 'Chủ tịch' }] });
    expect(s.approvalChain).toEqual([{ kind: 'USER', userId: leader.id, label: 'Chủ tịch' }]);
  });

  it('the working calendar follows the services clock', async () => {
    const saved = t.rt.services.clock.now;
    try {
      t.rt.services.clock.now = () => new Date('2031-06-01T00:00:00Z');
      const cal = await settings().workingCalendar(em(), agency.id);
      expect((cal.holidays ?? []).some((d) => d.startsWith('2033-'))).toBe(true); // y + 2
      expect((cal.holidays ?? []).some((d) => d.startsWith('2029-'))).toBe(false);
    } finally {
      t.rt.services.clock.now = saved;
    }
  });
});

describe('over GraphQL', () => {
  let s: TestServer | undefined;
  afterAll(async () => s?.stop());

  it('documentSettings lists registers and every type; updateDocumentSettings edits them; registerIncoming(registerKey)', async () => {
    s = await startTestServer();
    const admin = await loginToken(s.url, 'stc.quantri');
    const SETTINGS = '{ documentSettings { incomingRegisters { key name active } documentTypeSettings { key code name category active } holidays } }';
    const before = await gql<{ documentSettings: { incomingRegisters: unknown[]; documentTypeSettings: { key: string; active: boolean }[] } }>(s.url, SETTINGS, {}, { token: admin });
    expect(before.errors).toBeUndefined();
    expect(before.data!.documentSettings.incomingRegisters).toEqual([{ key: 'INCOMING', name: 'Sổ văn bản đến', active: true }]);
    expect(before.data!.documentSettings.documentTypeSettings.find((x) => x.key === 'QUYET_DINH')).toEqual({ key: 'QUYET_DINH', code: 'QĐ', name: 'Quyết định', category: 'ADMINISTRATIVE', active: true });

    const UPDATE = 'mutation($i: UpdateDocumentSettingsInput!){ updateDocumentSettings(input: $i){ incomingRegisters { key name active } documentTypeSettings { key code name category active } documentTypes { code name } } }';
    const wrong = await gql(s.url, UPDATE, { i: { incomingRegisters: [{ key: 'INCOMING:DANG', name: 'Đảng', active: true }] } }, { token: admin });
    expect(wrong.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'incomingRegisters' });
    const ok = await gql<{ updateDocumentSettings: { incomingRegisters: unknown[]; documentTypeSettings: { key: string; active: boolean; category: string }[]; documentTypes: { code: string | null }[] } }>(
      s.url,
      UPDATE,
      {
        i: {
          incomingRegisters: [
            { key: 'INCOMING', name: 'Sổ văn bản đến', active: true },
            { key: 'INCOMING:DON_THU', name: 'Sổ đơn thư', active: true },
          ],
          documentTypes: [
            { key: 'PHIEU_TRINH', code: 'PTr', name: 'Phiếu trình', active: true },
            { key: 'BAN_GHI_NHO', active: false },
          ],
        },
      },
      { token: admin },
    );
    expect(ok.errors).toBeUndefined();
    const u = ok.data!.updateDocumentSettings;
    expect(u.incomingRegisters).toHaveLength(2);
    expect(u.documentTypeSettings.find((x) => x.key === 'PHIEU_TRINH')).toMatchObject({ category: 'CUSTOM', active: true });
    expect(u.documentTypeSettings.find((x) => x.key === 'BAN_GHI_NHO')).toMatchObject({ active: false });
    expect(u.documentTypes.some((x) => x.code === 'PTr')).toBe(true);
    expect(u.documentTypes.some((x) => x.code === 'BGN')).toBe(false);

    const clerk = await loginToken(s.url, 'stc.vanthu');
    const REG = 'mutation($i: RegisterIncomingInput!){ registerIncoming(input: $i){ id incomingNumber registerKey } }';
    const input = { issuerName: 'Công dân Nguyễn Văn A', symbol: '15/ĐT-CD', issuedDate: '2026-12-01', subject: 'Đơn kiến nghị' };
    const bad = await gql(s.url, REG, { i: { ...input, registerKey: 'INCOMING:DANG' } }, { token: clerk });
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'registerKey' });
    const reg = await gql<{ registerIncoming: { incomingNumber: number; registerKey: string } }>(s.url, REG, { i: { ...input, registerKey: 'INCOMING:DON_THU' } }, { token: clerk });
    expect(reg.errors).toBeUndefined();
    expect(reg.data!.registerIncoming).toMatchObject({ incomingNumber: 1, registerKey: 'INCOMING:DON_THU' });
  });
});
