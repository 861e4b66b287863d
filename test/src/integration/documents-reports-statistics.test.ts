/**
 * Thống kê on a controlled dataset (its own agency, so nothing else in the database counts): volumes,
 * electronic share, on-time / late / open figures per agency and per unit, the Vietnam-day boundaries, and
 * who sees what (the agency for leaders/văn thư/lưu trữ, their unit for a trưởng phòng, their own work for a
 * chuyên viên); rates are null ("—" on the web) when nothing was due.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Agency } from '../../../server/src/modules/identity/entities/agency.entity';
import { Unit } from '../../../server/src/modules/identity/entities/unit.entity';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import type { Role } from '../../../server/src/modules/identity/roles';
import type { StatisticsResult } from '../../../server/src/modules/documents/statistics.service';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { gql, loginToken } from '../support/gql';
import { startTestServer, type TestServer } from '../support/server';
import { UBND, makeAssignment, makeIncoming, makeOutgoing } from './documents-inbox-fixtures';

const NOW = new Date('2026-03-20T03:00:00Z'); // 20/03/2026 10:00 in Hà Nội
const PERIOD = { from: '2026-03-01', to: '2026-03-31' };
const vn = (s: string) => new Date(`${s}+07:00`);

interface Org {
  agency: Agency;
  a: Unit;
  b: Unit;
}

async function seedOrg(em: EntityManager): Promise<Org> {
  const parent = await em.findOneOrFail(Agency, { code: UBND });
  const agency = em.create(Agency, { code: '000.00.99.H27', name: 'Sở Thử nghiệm Thống kê', abbr: 'STN', place: 'Bắc Ninh', parent, timeZone: 'Asia/Ho_Chi_Minh', active: true, operator: false, createdAt: new Date() });
  const a = em.create(Unit, { agency, name: 'Phòng A', abbr: 'A', active: true, createdAt: new Date() });
  const b = em.create(Unit, { agency, name: 'Phòng B', abbr: 'B', active: true, createdAt: new Date() });
  em.create(Unit, { agency, name: 'Phòng C (không có việc)', abbr: 'C', active: true, createdAt: new Date() });
  const user = (username: string, roles: Role[], unit: Unit | null = null) =>
    em.create(User, { username, fullName: `Người dùng ${username}`, agency, unit, roles, passwordHash: 'x', active: true, mustChangePassword: false, createdAt: new Date() });
  user('tk.lanhdao', ['LANH_DAO']);
  user('tk.vanthu', ['VAN_THU'], a);
  user('tk.luutru', ['LUU_TRU']);
  const cv = user('tk.chuyenvien', ['CHUYEN_VIEN'], a);
  user('tk.truongphong', ['TRUONG_PHONG'], a);
  user('tk.quantri', ['QUAN_TRI']);

  const inc = (patch: Parameters<typeof makeIncoming>[1]) => makeIncoming(em, patch);
  // d1: electronic, done on time (9 < 10); lead unit A on time; co-ordinator unit B late (12 > 11); a superseded one
  const d1 = inc({ agency, electronic: true, state: 'DONE', receivedAt: vn('2026-03-02T08:00'), deadline: '2026-03-10', completedAt: vn('2026-03-09T16:00') });
  makeAssignment(em, d1, { unit: a, target: 'UNIT', state: 'DONE', deadline: '2026-03-10', completedAt: vn('2026-03-09T16:00') });
  makeAssignment(em, d1, { unit: b, target: 'UNIT', role: 'COORDINATOR', state: 'DONE', deadline: '2026-03-11', completedAt: vn('2026-03-12T09:00') });
  makeAssignment(em, d1, { unit: b, target: 'UNIT', state: 'PENDING', active: false, deadline: '2026-03-01' });
  // d2: done at 23:30 on its deadline day (Vietnam time): on time; d3: 00:30 the next day: late
  inc({ agency, state: 'DONE', receivedAt: vn('2026-03-03T08:00'), deadline: '2026-03-10', completedAt: new Date('2026-03-10T16:30:00Z') });
  inc({ agency, state: 'DONE', receivedAt: vn('2026-03-03T09:00'), deadline: '2026-03-10', completedAt: new Date('2026-03-10T17:30:00Z') });
  // d4: electronic, open, overdue (15 < 20); d5: open, due later; d6: open, no deadline
  const d4 = inc({ agency, electronic: true, state: 'IN_PROGRESS', receivedAt: vn('2026-03-05T08:00'), deadline: '2026-03-15' });
  makeAssignment(em, d4, { unit: a, target: 'UNIT', state: 'IN_PROGRESS', deadline: '2026-03-15' });
  const d5 = inc({ agency, state: 'ASSIGNED', receivedAt: vn('2026-03-06T08:00'), deadline: '2026-03-25' });
  makeAssignment(em, d5, { unit: b, target: 'UNIT', state: 'PENDING', deadline: '2026-03-25' });
  const d6 = inc({ agency, state: 'ASSIGNED', receivedAt: vn('2026-03-07T08:00'), deadline: null });
  makeAssignment(em, d6, { unit: a, user: cv, target: 'USER', state: 'PENDING' }); // the chuyên viên's own work
  // d7 để biết, d9 received electronically (not yet registered): incoming, not handling; d8 refused: not counted
  inc({ agency, state: 'FOR_INFO', receivedAt: vn('2026-03-08T08:00') });
  inc({ agency, state: 'REJECTED', electronic: true, receivedAt: vn('2026-03-08T09:00') });
  inc({ agency, state: 'RECEIVED', electronic: true, receivedAt: vn('2026-03-09T08:00') });
  // day boundaries: 00:30 on 01/03 in Hà Nội is in, 23:30 on 28/02 is out; 23:59 on 31/03 in, 00:01 on 01/04 out
  inc({ agency, state: 'REGISTERED', receivedAt: new Date('2026-02-28T17:30:00Z') });
  inc({ agency, state: 'REGISTERED', receivedAt: new Date('2026-02-28T16:30:00Z') });
  inc({ agency, state: 'REGISTERED', receivedAt: vn('2026-03-31T23:59') });
  inc({ agency, state: 'REGISTERED', receivedAt: vn('2026-04-01T00:01') });
  // another agency's document in the period: not counted
  inc({ agency: parent, state: 'DONE', electronic: true, receivedAt: vn('2026-03-10T08:00'), deadline: '2026-03-01', completedAt: vn('2026-03-12T08:00') });
  // outgoing: two issued in the period, one after, one draft
  makeOutgoing(em, { agency, state: 'ISSUED', issuedDate: '2026-03-05', drafter: cv, drafterUnit: a });
  makeOutgoing(em, { agency, state: 'ISSUED', issuedDate: '2026-03-31' });
  makeOutgoing(em, { agency, state: 'ISSUED', issuedDate: '2026-04-01' });
  makeOutgoing(em, { agency, state: 'DRAFT' });
  await em.flush();
  return { agency, a, b };
}

describe('statistics (real PostgreSQL)', () => {
  let t: TestRuntime;
  let org: Org;
  const stats = async (username: string, args: { agencyId?: string | null; from: string; to: string }) => t.rt.services.statistics.statistics(await t.as(username), args);
  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => 'OK',
      (e: { code?: string }) => e.code,
    );

  beforeAll(async () => {
    t = await createTestRuntime();
    t.rt.services.clock.now = () => NOW;
    org = await seedOrg(t.rt.orm.em.fork());
  });
  afterAll(async () => t?.close());

  it('computes the agency figures', async () => {
    const s: StatisticsResult = await stats('tk.lanhdao', PERIOD);
    expect(s.agency.id).toBe(org.agency.id);
    expect(s.scope).toBe('AGENCY');
    expect({
      incoming: s.incoming,
      outgoing: s.outgoing,
      handledOnTime: s.handledOnTime,
      handledLate: s.handledLate,
      openOnTime: s.openOnTime,
      openOverdue: s.openOverdue,
    }).toEqual({ incoming: 10, outgoing: 2, handledOnTime: 2, handledLate: 1, openOnTime: 2, openOverdue: 1 });
    expect(s.electronicShare).toBeCloseTo(3 / 10, 10);
    expect(s.onTimeRate).toBeCloseTo(2 / 3, 10);
  });

  it('computes the per-unit figures from the active assignments, listing every unit', async () => {
    const s = await stats('tk.vanthu', PERIOD);
    const byAbbr = Object.fromEntries(s.units.map((u) => [u.unit.abbr, { ...u, unit: undefined }]));
    expect(byAbbr).toEqual({
      A: { unit: undefined, assigned: 3, handledOnTime: 1, handledLate: 0, openOnTime: 1, openOverdue: 1 },
      B: { unit: undefined, assigned: 2, handledOnTime: 0, handledLate: 1, openOnTime: 1, openOverdue: 0 },
      C: { unit: undefined, assigned: 0, handledOnTime: 0, handledLate: 0, openOnTime: 0, openOverdue: 0 },
    });
  });

  it('follows "today" for open items and the period for volumes', async () => {
    t.rt.services.clock.now = () => new Date('2026-03-26T03:00:00Z'); // d5 (25/03) is now overdue too
    const later = await stats('tk.lanhdao', PERIOD);
    expect([later.openOnTime, later.openOverdue]).toEqual([1, 2]);
    t.rt.services.clock.now = () => NOW;
    const march1 = await stats('tk.lanhdao', { from: '2026-03-01', to: '2026-03-01' });
    expect(march1.incoming).toBe(1); // the 00:30 one only
    const empty = await stats('tk.lanhdao', { from: '2025-01-01', to: '2025-12-31' });
    expect([empty.incoming, empty.electronicShare, empty.onTimeRate]).toEqual([0, null, null]);
  });

  it('gives a trưởng phòng the figures of their unit only', async () => {
    const s = await stats('tk.truongphong', PERIOD);
    expect(s.scope).toBe('UNIT');
    // unit A: d1 (done on time), d4 (open, overdue), d6 (open, no deadline); 2 of 3 electronic; 1 issued draft of A
    expect([s.incoming, s.outgoing, s.handledOnTime, s.handledLate, s.openOnTime, s.openOverdue]).toEqual([3, 1, 1, 0, 1, 1]);
    expect(s.electronicShare).toBeCloseTo(2 / 3, 10);
    expect(s.onTimeRate).toBe(1);
    expect(s.units.map((u) => u.unit.abbr)).toEqual(['A']);
  });

  it('gives a chuyên viên their own assignments only, and null rates when nothing was due', async () => {
    const s = await stats('tk.chuyenvien', PERIOD);
    expect(s.scope).toBe('SELF');
    expect([s.incoming, s.outgoing, s.handledOnTime, s.handledLate, s.openOnTime, s.openOverdue]).toEqual([1, 1, 0, 0, 1, 0]);
    expect(s.electronicShare).toBe(0);
    expect(s.onTimeRate).toBeNull(); // nothing handled yet: "—", not "0 %"
    expect(s.units).toEqual([]);
  });

  it('lets each role of the agency in with its scope and the operator administrator, nobody else', async () => {
    expect(await codeOf(stats('tk.luutru', PERIOD))).toBe('OK');
    expect(await codeOf(stats('tk.quantri', PERIOD))).toBe('FORBIDDEN'); // not the operator's administrator
    expect(await codeOf(stats('lanhdao', { ...PERIOD, agencyId: org.agency.id }))).toBe('FORBIDDEN');
    expect(await codeOf(stats('tk.lanhdao', { ...PERIOD, agencyId: (await t.as('lanhdao')).requireActor().agencyId }))).toBe('FORBIDDEN');
    const op = await stats('quantri', { ...PERIOD, agencyId: org.agency.id }); // QUAN_TRI of UBND tỉnh (operator)
    expect(op.incoming).toBe(10);
    expect(await codeOf(stats('quantri', { ...PERIOD, agencyId: '01900000-0000-7000-8000-000000000000' }))).toBe('NOT_FOUND');
    expect(await codeOf(stats('tk.lanhdao', { from: '2026-03-31', to: '2026-03-01' }))).toBe('BAD_USER_INPUT');
    expect(await codeOf(stats('tk.lanhdao', { from: '2026-13-01', to: '2026-12-31' }))).toBe('BAD_USER_INPUT');
  });

  it('counts a document re-assigned inside one unit (bút phê chain: DELEGATED parent, child) once for that unit', async () => {
    const unitA = async () => (await stats('tk.vanthu', PERIOD)).units.find((u) => u.unit.abbr === 'A')!;
    const before = await unitA();
    const em = t.rt.orm.em.fork();
    const a = await em.findOneOrFail(Unit, { id: org.a.id });
    const cv = await em.findOneOrFail(User, { username: 'tk.chuyenvien' });
    const d = makeIncoming(em, { agency: org.agency, state: 'IN_PROGRESS', receivedAt: vn('2026-03-11T08:00'), deadline: '2026-03-28' });
    // the trưởng phòng of A passed the unit's assignment on to a chuyên viên of A
    const parent = makeAssignment(em, d, { unit: a, target: 'UNIT', state: 'DELEGATED', deadline: '2026-03-28' });
    makeAssignment(em, d, { unit: a, user: cv, target: 'USER', state: 'IN_PROGRESS', deadline: '2026-03-25', parent });
    await em.flush();
    const after = await unitA();
    expect(after.assigned - before.assigned).toBe(1);
    expect(after.openOnTime - before.openOnTime).toBe(1);
  });
});

describe('statistics over GraphQL', () => {
  let s: TestServer;
  let org: Org;
  beforeAll(async () => {
    s = await startTestServer();
    s.runtime.rt.services.clock.now = () => NOW;
    org = await seedOrg(s.runtime.rt.orm.em.fork());
  });
  afterAll(async () => s?.stop());

  it('answers the operator administrator for another agency, and a chuyên viên with their own scope', async () => {
    const token = await loginToken(s.url, 'quantri');
    const r = await gql<{ statistics: { agency: { name: string }; incoming: number; onTimeRate: number; units: { unit: { abbr: string }; assigned: number }[] } }>(
      s.url,
      'query($a: ID, $f: Date!, $t: Date!) { statistics(agencyId: $a, from: $f, to: $t) { agency { name } from to incoming outgoing electronicShare onTimeRate units { unit { abbr } assigned handledLate } } }',
      { a: org.agency.id, f: PERIOD.from, t: PERIOD.to },
      { token },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.statistics.agency.name).toBe('Sở Thử nghiệm Thống kê');
    expect(r.data!.statistics.incoming).toBe(10);
    expect(r.data!.statistics.units.map((u) => [u.unit.abbr, u.assigned])).toEqual([
      ['A', 3],
      ['B', 2],
      ['C', 0],
    ]);
    const own = await gql<{ statistics: { scope: string; onTimeRate: number | null; units: unknown[] } }>(
      s.url,
      '{ statistics(from: "2026-03-01", to: "2026-03-31") { scope onTimeRate units { assigned } } }',
      {},
      { token: await loginToken(s.url, 'chuyenvien') },
    );
    expect(own.errors).toBeUndefined();
    expect(own.data!.statistics).toEqual({ scope: 'SELF', onTimeRate: null, units: [] });
    const other = await gql(s.url, 'query($a: ID){ statistics(agencyId: $a, from: "2026-03-01", to: "2026-03-31") { incoming } }', { a: org.agency.id }, { token: await loginToken(s.url, 'chuyenvien') });
    expect(other.errors![0].extensions!.code).toBe('FORBIDDEN');
  });
});
