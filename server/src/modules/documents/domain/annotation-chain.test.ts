import { CLOSED, DELEGATED, ancestorsOf, chainTrees, completionUpdates, planReassign, type ChainLink } from './annotation';

const T = '2026-12-07';
const link = (id: string, patch: Partial<ChainLink> = {}): ChainLink => ({
  id,
  role: 'LEAD',
  unitId: 'u-kt',
  userId: null,
  deadline: '2026-12-13',
  state: 'PENDING',
  active: true,
  parentId: null,
  ...patch,
});

describe('planReassign (bút phê chain)', () => {
  const leader = link('lead');
  it('keeps the leader assignment (DELEGATED) and hangs the child under it with an earlier deadline', () => {
    expect(planReassign(leader, [leader], '2026-12-10', T)).toEqual({ ok: true, parentId: 'lead', deadline: '2026-12-10', updates: [{ id: 'lead', state: DELEGATED }] });
  });
  it("defaults the child's deadline to the leader's", () => {
    const r = planReassign(leader, [leader], null, T);
    expect(r.ok && r.deadline).toBe('2026-12-13');
  });
  it("refuses a deadline later than the leader's, or before today", () => {
    expect(planReassign(leader, [leader], '2026-12-14', T)).toMatchObject({ ok: false, field: 'deadline', message: expect.stringContaining('13/12/2026') });
    expect(planReassign(leader, [leader], '2026-12-06', T)).toMatchObject({ ok: false, field: 'deadline' });
    expect(planReassign(leader, [leader], '2026-13-01', T)).toMatchObject({ ok: false, field: 'deadline' });
  });
  it('accepts the same day as the leader deadline', () => {
    expect(planReassign(leader, [leader], '2026-12-13', T)).toMatchObject({ ok: true, deadline: '2026-12-13' });
  });
  it('re-assigning a child replaces it under the same parent (checked against the leader deadline)', () => {
    const parent = link('lead', { state: DELEGATED });
    const child = link('c1', { parentId: 'lead', userId: 'cv1', deadline: '2026-12-10' });
    expect(planReassign(child, [parent, child], '2026-12-12', T)).toEqual({ ok: true, parentId: 'lead', deadline: '2026-12-12', updates: [{ id: 'c1', active: false }] });
  });
});

describe('completionUpdates', () => {
  const parent = link('lead', { state: DELEGATED });
  const child = link('c1', { parentId: 'lead', userId: 'cv1' });
  const co = link('co', { role: 'COORDINATOR', unitId: 'u-tc' });
  const coDone = link('co2', { role: 'COORDINATOR', unitId: 'u-nc', state: 'DONE' });
  const old = link('old', { active: false });
  it("the lead's completion closes the open phối hợp and completes the delegated parent", () => {
    expect(completionUpdates('c1', true, [parent, child, co, coDone, old])).toEqual({ done: ['lead'], closed: ['co'] });
  });
  it("a co-ordinator's completion closes nothing else", () => {
    const coParent = link('cop', { role: 'COORDINATOR', state: DELEGATED });
    const coChild = link('coc', { role: 'COORDINATOR', parentId: 'cop' });
    expect(completionUpdates('coc', false, [parent, child, coParent, coChild])).toEqual({ done: ['cop'], closed: [] });
  });
  it('ancestorsOf walks up the chain', () => {
    const g = link('g', { parentId: 'c1' });
    expect(ancestorsOf('g', [parent, child, g]).map((a) => a.id)).toEqual(['c1', 'lead']);
  });
  it('CLOSED is a distinct state', () => expect(CLOSED).toBe('CLOSED'));
});

describe('chainTrees', () => {
  it('gives leader → person trees, lead first, inactive links left out', () => {
    const co = link('co', { role: 'COORDINATOR' });
    const parent = link('lead', { state: DELEGATED });
    const child = link('c1', { parentId: 'lead' });
    const replaced = link('c0', { parentId: 'lead', active: false });
    const trees = chainTrees([co, parent, replaced, child]);
    expect(trees.map((t) => [t.link.id, t.children.map((c) => c.link.id)])).toEqual([
      ['lead', ['c1']],
      ['co', []],
    ]);
  });
});
