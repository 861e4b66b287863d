import type { Actor } from './actors';
import type { AnnotationInput } from './annotation';
import {
  allowedIncomingActions,
  leadAssignment,
  receiveElectronic,
  registerPaper,
  transitionIncoming,
  type IncomingAction,
  type IncomingDoc,
  type IncomingResult,
} from './incoming-workflow';
import { A, B, EVERYONE, NOW, P, TODAY, ctxOf, deepFreeze } from './test-fixtures';
import { unwrap, type TransitionFailureCode } from './transition';
import { AppError } from '../../../shared/errors';

// ---- helpers -----------------------------------------------------------------------------------------
function act(doc: IncomingDoc, action: IncomingAction, actor: Actor, ctxExtra = {}): IncomingResult {
  return transitionIncoming(deepFreeze(doc), action, ctxOf(actor, ctxExtra));
}
function ok(doc: IncomingDoc, action: IncomingAction, actor: Actor, ctxExtra = {}) {
  const r = act(doc, action, actor, ctxExtra);
  if (!r.ok) throw new Error(`expected ${action.type} by ${actor.userId} to succeed: ${r.code} ${r.reason}`);
  return r;
}
function refused(doc: IncomingDoc, action: IncomingAction, actor: Actor, code: TransitionFailureCode, ctxExtra = {}) {
  const r = act(doc, action, actor, ctxExtra);
  expect(r).toMatchObject({ ok: false, code });
  if (r.ok) throw new Error('unreachable');
  expect(r.reason.length).toBeGreaterThan(5);
  return r;
}

const annotation: AnnotationInput = {
  instruction: 'Giao Phòng Kinh tế chủ trì, Phòng Tài chính phối hợp',
  lead: { target: 'UNIT', unitId: 'u-kt', deadline: '2026-03-20' },
  coordinators: [{ target: 'UNIT', unitId: 'u-tc', deadline: '2026-03-17' }],
};

const received = () => receiveElectronic(A);
const registered = () => ok(received(), { type: 'REGISTER' }, P.vanThu).next;
const submitted = () => ok(registered(), { type: 'SUBMIT', leader: P.leader }, P.vanThu).next;
const assigned = () => ok(submitted(), { type: 'ANNOTATE', annotation }, P.leader).next;
const lead = (d: IncomingDoc) => leadAssignment(d)!;
const coord = (d: IncomingDoc) => d.assignments.find((a) => a.active && a.role === 'COORDINATOR')!;
/** Assigned, with the KT unit head having designated cv-kt1 as handler. */
const delegated = () => ok(assigned(), { type: 'REASSIGN', assignmentId: 'as-1', to: P.staffKT }, P.headKT).next;

// ---- creation ----------------------------------------------------------------------------------------
describe('creation', () => {
  it('an electronic arrival starts RECEIVED (edXML 01), with no actor', () => {
    expect(received()).toEqual({
      agencyId: A,
      channel: 'ELECTRONIC',
      state: 'RECEIVED',
      submittedToUserId: null,
      annotatedByUserId: null,
      returnedToUserId: null,
      assignments: [],
    });
  });

  it('a paper document is registered at once by the văn thư', () => {
    const r = registerPaper(A, ctxOf(P.vanThu));
    expect(r).toMatchObject({ ok: true, next: { state: 'REGISTERED', channel: 'PAPER' }, events: [{ type: 'REGISTERED', byUserId: 'vt' }] });
  });

  it.each([P.leader, P.staffKT, P.admin, P.outsiderVanThu])('a paper document cannot be registered by %p', (actor) => {
    expect(registerPaper(A, ctxOf(actor))).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });
});

// ---- văn thư ------------------------------------------------------------------------------------------
describe('REGISTER / REJECT (văn thư)', () => {
  it('registers a received document', () => {
    const r = ok(received(), { type: 'REGISTER' }, P.vanThu);
    expect(r.next.state).toBe('REGISTERED');
    expect(r.events).toEqual([{ type: 'STATE_CHANGED', from: 'RECEIVED', to: 'REGISTERED' }, { type: 'REGISTERED', byUserId: 'vt' }]);
  });

  it('refuses to register twice (CONFLICT)', () => {
    refused(registered(), { type: 'REGISTER' }, P.vanThu, 'CONFLICT');
  });

  it.each([P.leader, P.headKT, P.staffKT, P.admin, P.outsiderVanThu, P.outsiderLeader])('only the agency’s văn thư registers: %p', (actor) => {
    refused(received(), { type: 'REGISTER' }, actor, 'FORBIDDEN');
  });

  it('rejects (từ chối nhận, edXML 02) with a trimmed reason', () => {
    const r = ok(received(), { type: 'REJECT', reason: '  Gửi nhầm   cơ quan ' }, P.vanThu);
    expect(r.next.state).toBe('REJECTED');
    expect(r.events).toContainEqual({ type: 'REJECTED', byUserId: 'vt', reason: 'Gửi nhầm cơ quan' });
  });

  it('rejecting needs a reason', () => {
    const r = refused(received(), { type: 'REJECT', reason: '   ' }, P.vanThu, 'BAD_USER_INPUT');
    expect(r.field).toBe('reason');
    refused(received(), { type: 'REJECT', reason: 'x'.repeat(2001) }, P.vanThu, 'BAD_USER_INPUT');
  });

  it('cannot reject once registered, and a rejected document is final', () => {
    refused(registered(), { type: 'REJECT', reason: 'Sai' }, P.vanThu, 'CONFLICT');
    const rejected = ok(received(), { type: 'REJECT', reason: 'Sai' }, P.vanThu).next;
    for (const action of [{ type: 'REGISTER' }, { type: 'SUBMIT', leader: P.leader }] as IncomingAction[]) {
      refused(rejected, action, P.vanThu, 'CONFLICT');
    }
  });

  it.each([P.leader, P.outsiderVanThu])('only the văn thư rejects: %p', (actor) => {
    refused(received(), { type: 'REJECT', reason: 'Sai' }, actor, 'FORBIDDEN');
  });
});

describe('ANNUL (hủy vào sổ, văn thư)', () => {
  it('annuls a registered document with a trimmed reason', () => {
    const r = ok(registered(), { type: 'ANNUL', reason: '  Vào sổ trùng   số đến 12 ' }, P.vanThu);
    expect(r.next.state).toBe('ANNULLED');
    expect(r.events).toEqual([
      { type: 'STATE_CHANGED', from: 'REGISTERED', to: 'ANNULLED' },
      { type: 'ANNULLED', byUserId: 'vt', reason: 'Vào sổ trùng số đến 12', closedAssignmentIds: [] },
    ]);
  });

  it('closes the open assignments of an assigned document (kept, inactive)', () => {
    const doc = assigned();
    const open = doc.assignments.filter((a) => a.active).map((a) => a.id);
    expect(open.length).toBeGreaterThan(0);
    const r = ok(doc, { type: 'ANNUL', reason: 'Trùng' }, P.vanThu);
    expect(r.next.assignments.every((a) => !a.active)).toBe(true);
    expect(r.next.assignments).toHaveLength(doc.assignments.length);
    expect(r.events).toContainEqual({ type: 'ANNULLED', byUserId: 'vt', reason: 'Trùng', closedAssignmentIds: open });
    for (const id of open) expect(r.events).toContainEqual({ type: 'ASSIGNMENT_SUPERSEDED', assignmentId: id });
  });

  it('needs a reason', () => {
    expect(refused(registered(), { type: 'ANNUL', reason: '  ' }, P.vanThu, 'BAD_USER_INPUT').field).toBe('reason');
  });

  it('refuses what is not registered, already annulled, or finished (CONFLICT)', () => {
    refused(received(), { type: 'ANNUL', reason: 'Sai' }, P.vanThu, 'CONFLICT');
    const annulled = ok(submitted(), { type: 'ANNUL', reason: 'Sai' }, P.vanThu).next;
    refused(annulled, { type: 'ANNUL', reason: 'Sai' }, P.vanThu, 'CONFLICT');
    for (const action of [{ type: 'SUBMIT', leader: P.leader }, { type: 'REGISTER' }] as IncomingAction[]) refused(annulled, action, P.vanThu, 'CONFLICT');
    const forInfo = ok(submitted(), { type: 'ANNOTATE', annotation: { ...annotation, forInfo: true, lead: null, coordinators: [] } }, P.leader).next;
    expect(forInfo.state).toBe('FOR_INFO');
    refused(forInfo, { type: 'ANNUL', reason: 'Sai' }, P.vanThu, 'CONFLICT');
  });

  it.each([P.leader, P.headKT, P.staffKT, P.outsiderVanThu])('only the agency’s văn thư annuls: %p', (actor) => {
    refused(registered(), { type: 'ANNUL', reason: 'Sai' }, actor, 'FORBIDDEN');
  });
});

describe('SUBMIT / FORWARD', () => {
  it('submits a registered document to a leader', () => {
    const r = ok(registered(), { type: 'SUBMIT', leader: P.leader }, P.vanThu);
    expect(r.next).toMatchObject({ state: 'SUBMITTED', submittedToUserId: 'ld1' });
    expect(r.events).toContainEqual({ type: 'SUBMITTED', byUserId: 'vt', leaderUserId: 'ld1' });
  });

  it('may submit to a unit head (e.g. Chánh Văn phòng)', () => {
    expect(ok(registered(), { type: 'SUBMIT', leader: P.chanhVP }, P.vanThu).next.submittedToUserId).toBe('tp-vp');
  });

  it.each([P.staffKT, P.vanThu, P.admin, P.outsiderLeader])('refuses to submit to a non-leader or another agency’s leader: %p', (target) => {
    const r = refused(registered(), { type: 'SUBMIT', leader: target }, P.vanThu, 'BAD_USER_INPUT');
    expect(r.field).toBe('leader');
  });

  it('cannot submit before registering or twice', () => {
    refused(received(), { type: 'SUBMIT', leader: P.leader }, P.vanThu, 'CONFLICT');
    refused(submitted(), { type: 'SUBMIT', leader: P.leader }, P.vanThu, 'CONFLICT');
  });

  it('only the văn thư submits', () => {
    refused(registered(), { type: 'SUBMIT', leader: P.leader }, P.leader, 'FORBIDDEN');
  });

  it('the leader may forward to another leader, who then holds it', () => {
    const r = ok(submitted(), { type: 'FORWARD', leader: P.leader2, note: ' Kính chuyển ' }, P.leader);
    expect(r.next).toMatchObject({ state: 'SUBMITTED', submittedToUserId: 'ld2' });
    expect(r.events).toEqual([{ type: 'FORWARDED', byUserId: 'ld1', toUserId: 'ld2', note: 'Kính chuyển' }]);
    refused(r.next, { type: 'ANNOTATE', annotation }, P.leader, 'FORBIDDEN');
    expect(ok(r.next, { type: 'ANNOTATE', annotation }, P.leader2).next.annotatedByUserId).toBe('ld2');
  });

  it('forward: only by the holder, not to oneself, not to a non-leader, only while waiting', () => {
    refused(submitted(), { type: 'FORWARD', leader: P.leader2 }, P.leader2, 'FORBIDDEN');
    refused(submitted(), { type: 'FORWARD', leader: P.leader }, P.leader, 'BAD_USER_INPUT');
    refused(submitted(), { type: 'FORWARD', leader: P.staffKT }, P.leader, 'BAD_USER_INPUT');
    refused(assigned(), { type: 'FORWARD', leader: P.leader2 }, P.leader, 'CONFLICT');
  });
});

// ---- bút phê --------------------------------------------------------------------------------------------
describe('ANNOTATE (bút phê)', () => {
  it('creates one lead and the co-ordinators, with ids from ctx.newId', () => {
    const r = ok(submitted(), { type: 'ANNOTATE', annotation }, P.leader);
    expect(r.next.state).toBe('ASSIGNED');
    expect(r.next.annotatedByUserId).toBe('ld1');
    expect(r.next.assignments).toEqual([
      { id: 'as-1', role: 'LEAD', target: 'UNIT', unitId: 'u-kt', userId: null, deadline: '2026-03-20', state: 'PENDING', active: true },
      { id: 'as-2', role: 'COORDINATOR', target: 'UNIT', unitId: 'u-tc', userId: null, deadline: '2026-03-17', state: 'PENDING', active: true },
    ]);
    expect(r.events.map((e) => e.type)).toEqual(['STATE_CHANGED', 'ANNOTATED', 'ASSIGNMENT_CREATED', 'ASSIGNMENT_CREATED']);
    expect(r.events[1]).toEqual({
      type: 'ANNOTATED',
      byUserId: 'ld1',
      instruction: 'Giao Phòng Kinh tế chủ trì, Phòng Tài chính phối hợp',
      forInfo: false,
      watcherUserIds: [],
    });
  });

  it('uses UUIDs when no id source is given', () => {
    const r = ok(submitted(), { type: 'ANNOTATE', annotation }, P.leader, { newId: undefined });
    expect(r.next.assignments[0].id).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.next.assignments[0].id).not.toBe(r.next.assignments[1].id);
  });

  it('"để biết" → FOR_INFO without assignments', () => {
    const r = ok(submitted(), { type: 'ANNOTATE', annotation: { forInfo: true, instruction: 'Để biết', watcherUserIds: ['cv-kt1'] } }, P.leader);
    expect(r.next).toMatchObject({ state: 'FOR_INFO', assignments: [] });
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'ANNOTATED', forInfo: true, watcherUserIds: ['cv-kt1'] }));
  });

  it('refuses invalid annotations (BAD_USER_INPUT)', () => {
    refused(submitted(), { type: 'ANNOTATE', annotation: { coordinators: [{ target: 'UNIT', unitId: 'u-tc' }] } }, P.leader, 'BAD_USER_INPUT');
    const r = refused(
      submitted(),
      { type: 'ANNOTATE', annotation: { lead: { target: 'UNIT', unitId: 'u-kt' }, coordinators: [{ target: 'UNIT', unitId: 'u-kt' }] } },
      P.leader,
      'BAD_USER_INPUT',
    );
    expect(r.field).toBe('coordinators[0]');
  });

  it('judges "today" in Vietnam time, not UTC', () => {
    // 01:00 on 10 March in Hà Nội = 18:00 on 9 March UTC: a deadline of 9 March is already in the past.
    const early = { now: new Date('2026-03-09T18:00:00Z') };
    const ann = (deadline: string): IncomingAction => ({ type: 'ANNOTATE', annotation: { lead: { target: 'UNIT', unitId: 'u-kt', deadline } } });
    refused(submitted(), ann('2026-03-09'), P.leader, 'BAD_USER_INPUT', early);
    ok(submitted(), ann('2026-03-10'), P.leader, early);
    // …but for an agency configured in UTC it is still the 9th
    ok(submitted(), ann('2026-03-09'), P.leader, { ...early, timeZone: 'UTC' });
  });

  it.each([P.leader2, P.vanThu, P.headKT, P.outsiderLeader])('only the leader it was submitted to annotates: %p', (actor) => {
    refused(submitted(), { type: 'ANNOTATE', annotation }, actor, 'FORBIDDEN');
  });

  it('cannot annotate before submission or after completion', () => {
    refused(registered(), { type: 'ANNOTATE', annotation }, P.leader, 'CONFLICT');
    const done = ok(assigned(), { type: 'COMPLETE', assignmentId: 'as-1' }, P.headKT).next;
    refused(done, { type: 'ANNOTATE', annotation }, P.leader, 'CONFLICT');
  });

  it('the annotating leader may re-annotate while in progress: earlier assignments are superseded', () => {
    const inProgress = ok(assigned(), { type: 'START', assignmentId: 'as-1' }, P.headKT).next;
    const r = ok(
      inProgress,
      { type: 'ANNOTATE', annotation: { lead: { target: 'USER', userId: 'cv-tc', unitId: 'u-tc', deadline: '2026-03-25' } } },
      P.leader,
      { newId: () => 'as-9' },
    );
    expect(r.next.state).toBe('ASSIGNED');
    expect(r.next.assignments.filter((a) => a.active).map((a) => a.id)).toEqual(['as-9']);
    expect(r.next.assignments.filter((a) => !a.active).map((a) => a.id)).toEqual(['as-1', 'as-2']);
    expect(r.events.filter((e) => e.type === 'ASSIGNMENT_SUPERSEDED')).toEqual([
      { type: 'ASSIGNMENT_SUPERSEDED', assignmentId: 'as-1' },
      { type: 'ASSIGNMENT_SUPERSEDED', assignmentId: 'as-2' },
    ]);
    // a superseded assignment can no longer be acted on
    refused(r.next, { type: 'COMPLETE', assignmentId: 'as-1' }, P.headKT, 'CONFLICT');
    refused(inProgress, { type: 'ANNOTATE', annotation }, P.leader2, 'FORBIDDEN');
  });
});

// ---- assignments ---------------------------------------------------------------------------------------
describe('assignment work', () => {
  it('says why an assignment no longer open cannot be acted on (delegated in the unit, closed with the document)', () => {
    const base = assigned();
    const withState = (state: string): IncomingDoc =>
      ({ ...base, assignments: base.assignments.map((a) => (a.id === 'as-1' ? { ...a, state: state as (typeof a)['state'] } : a)) }) as IncomingDoc;
    expect(refused(withState('DELEGATED'), { type: 'COMPLETE', assignmentId: 'as-1' }, P.headKT, 'CONFLICT').reason).toMatch(/giao tiếp trong đơn vị/);
    expect(refused(withState('CLOSED'), { type: 'COMPLETE', assignmentId: 'as-1' }, P.headKT, 'CONFLICT').reason).toMatch(/đã đóng/);
    expect(refused(withState('RETURNED'), { type: 'COMPLETE', assignmentId: 'as-1' }, P.headKT, 'CONFLICT').reason).toMatch(/trả lại/);
  });

  it('the head of the lead unit starts: assignment and document go IN_PROGRESS', () => {
    const r = ok(assigned(), { type: 'START', assignmentId: 'as-1' }, P.headKT);
    expect(lead(r.next).state).toBe('IN_PROGRESS');
    expect(r.next.state).toBe('IN_PROGRESS');
    expect(r.events).toEqual([
      { type: 'STATE_CHANGED', from: 'ASSIGNED', to: 'IN_PROGRESS' },
      { type: 'ASSIGNMENT_STATE_CHANGED', assignmentId: 'as-1', from: 'PENDING', to: 'IN_PROGRESS' },
    ]);
    refused(r.next, { type: 'START', assignmentId: 'as-1' }, P.headKT, 'CONFLICT');
  });

  it('a co-ordinator starting also marks the document in progress', () => {
    expect(ok(assigned(), { type: 'START', assignmentId: 'as-2' }, P.headTC).next.state).toBe('IN_PROGRESS');
  });

  it.each([P.staffKT, P.headTC, P.leader, P.vanThu, P.outsiderLeader])('others cannot act on the lead assignment: %p', (actor) => {
    refused(assigned(), { type: 'START', assignmentId: 'as-1' }, actor, 'FORBIDDEN');
    refused(assigned(), { type: 'COMPLETE', assignmentId: 'as-1' }, actor, 'FORBIDDEN');
  });

  it('unknown or missing assignment ids are refused', () => {
    refused(assigned(), { type: 'START', assignmentId: 'nope' }, P.headKT, 'CONFLICT');
    refused(assigned(), { type: 'START' } as unknown as IncomingAction, P.headKT, 'BAD_USER_INPUT');
  });

  it('the unit head re-assigns inside the unit; the colleague may then act', () => {
    const r = ok(assigned(), { type: 'REASSIGN', assignmentId: 'as-1', to: P.staffKT, note: 'Đ/c Hùng xử lý' }, P.headKT);
    expect(lead(r.next)).toMatchObject({ userId: 'cv-kt1', state: 'PENDING' });
    expect(r.events).toEqual([{ type: 'REASSIGNED', assignmentId: 'as-1', byUserId: 'tp-kt', fromUserId: null, toUserId: 'cv-kt1', note: 'Đ/c Hùng xử lý' }]);
    ok(r.next, { type: 'START', assignmentId: 'as-1' }, P.staffKT);
    refused(r.next, { type: 'START', assignmentId: 'as-1' }, P.staffKT2, 'FORBIDDEN');
    // and may be moved to another colleague
    const again = ok(r.next, { type: 'REASSIGN', assignmentId: 'as-1', to: P.staffKT2 }, P.headKT);
    expect(lead(again.next).userId).toBe('cv-kt2');
    refused(again.next, { type: 'START', assignmentId: 'as-1' }, P.staffKT, 'FORBIDDEN');
  });

  it('re-assignment: only the unit head, only inside the unit, not to the same person', () => {
    refused(assigned(), { type: 'REASSIGN', assignmentId: 'as-1', to: P.staffKT }, P.staffKT, 'FORBIDDEN');
    refused(assigned(), { type: 'REASSIGN', assignmentId: 'as-1', to: P.staffKT }, P.headTC, 'FORBIDDEN');
    refused(assigned(), { type: 'REASSIGN', assignmentId: 'as-1', to: P.staffKT }, P.leader, 'FORBIDDEN');
    refused(assigned(), { type: 'REASSIGN', assignmentId: 'as-1', to: P.staffTC }, P.headKT, 'BAD_USER_INPUT');
    refused(assigned(), { type: 'REASSIGN', assignmentId: 'as-1', to: { ...P.staffKT, agencyId: B } }, P.headKT, 'BAD_USER_INPUT');
    refused(delegated(), { type: 'REASSIGN', assignmentId: 'as-1', to: P.staffKT }, P.headKT, 'CONFLICT');
  });

  it('a person assigned directly may be replaced by the head of their unit', () => {
    const doc = ok(
      submitted(),
      { type: 'ANNOTATE', annotation: { lead: { target: 'USER', userId: 'cv-kt1', unitId: 'u-kt' } } },
      P.leader,
    ).next;
    ok(doc, { type: 'START', assignmentId: 'as-1' }, P.staffKT);
    expect(lead(ok(doc, { type: 'REASSIGN', assignmentId: 'as-1', to: P.staffKT2 }, P.headKT).next).userId).toBe('cv-kt2');
  });

  it('progress notes need text and imply start', () => {
    refused(delegated(), { type: 'ADD_PROGRESS', assignmentId: 'as-1', note: '  ' }, P.staffKT, 'BAD_USER_INPUT');
    const r = ok(delegated(), { type: 'ADD_PROGRESS', assignmentId: 'as-1', note: 'Đã làm việc với Sở' }, P.staffKT);
    expect(lead(r.next).state).toBe('IN_PROGRESS');
    expect(r.events).toContainEqual({ type: 'PROGRESS_NOTED', assignmentId: 'as-1', byUserId: 'cv-kt1', note: 'Đã làm việc với Sở' });
    // a second note keeps it in progress, no state events
    const r2 = ok(r.next, { type: 'ADD_PROGRESS', assignmentId: 'as-1', note: 'Tiếp' }, P.staffKT);
    expect(r2.events).toEqual([{ type: 'PROGRESS_NOTED', assignmentId: 'as-1', byUserId: 'cv-kt1', note: 'Tiếp' }]);
  });

  it('a draft reply can be attached by the assignee', () => {
    refused(delegated(), { type: 'ATTACH_DRAFT', assignmentId: 'as-1', fileId: '' }, P.staffKT, 'BAD_USER_INPUT');
    const r = ok(delegated(), { type: 'ATTACH_DRAFT', assignmentId: 'as-1', fileId: 'file-1' }, P.staffKT);
    expect(r.events).toContainEqual({ type: 'DRAFT_ATTACHED', assignmentId: 'as-1', byUserId: 'cv-kt1', fileId: 'file-1' });
  });

  it('a co-ordinator’s completion does NOT complete the document', () => {
    const r = ok(assigned(), { type: 'COMPLETE', assignmentId: 'as-2', note: 'Đã góp ý' }, P.headTC);
    expect(coord(r.next).state).toBe('DONE');
    expect(r.next.state).toBe('IN_PROGRESS');
    expect(r.events).toContainEqual({ type: 'COMPLETED', assignmentId: 'as-2', byUserId: 'tp-tc', lead: false, note: 'Đã góp ý' });
  });

  it('the lead’s completion completes the document, even with co-ordinators still open', () => {
    const r = ok(delegated(), { type: 'COMPLETE', assignmentId: 'as-1' }, P.staffKT);
    expect(r.next.state).toBe('DONE');
    expect(lead(r.next).state).toBe('DONE');
    expect(coord(r.next)).toMatchObject({ state: 'PENDING', active: true });
    expect(r.events).toEqual([
      { type: 'STATE_CHANGED', from: 'ASSIGNED', to: 'DONE' },
      { type: 'ASSIGNMENT_STATE_CHANGED', assignmentId: 'as-1', from: 'PENDING', to: 'DONE' },
      { type: 'COMPLETED', assignmentId: 'as-1', byUserId: 'cv-kt1', lead: true, note: null },
    ]);
    // finished work cannot be redone; the co-ordinator may still close theirs
    refused(r.next, { type: 'COMPLETE', assignmentId: 'as-1' }, P.staffKT, 'CONFLICT');
    refused(r.next, { type: 'ADD_PROGRESS', assignmentId: 'as-1', note: 'x' }, P.staffKT, 'CONFLICT');
    const after = ok(r.next, { type: 'COMPLETE', assignmentId: 'as-2' }, P.headTC);
    expect(after.next.state).toBe('DONE');
  });
});

// ---- returns ------------------------------------------------------------------------------------------
describe('RETURN (anyone in the chain, with a reason)', () => {
  it('the leader returns a submitted document to the văn thư, who may re-submit', () => {
    const r = ok(submitted(), { type: 'RETURN', reason: 'Trình nhầm lãnh đạo' }, P.leader);
    expect(r.next).toMatchObject({ state: 'RETURNED', returnedToUserId: null });
    expect(r.events).toContainEqual({ type: 'RETURNED', byUserId: 'ld1', reason: 'Trình nhầm lãnh đạo', to: { kind: 'VAN_THU' }, assignmentId: null });
    const again = ok(r.next, { type: 'SUBMIT', leader: P.leader2 }, P.vanThu);
    expect(again.next).toMatchObject({ state: 'SUBMITTED', submittedToUserId: 'ld2' });
  });

  it('a return always needs a reason', () => {
    refused(submitted(), { type: 'RETURN', reason: '' }, P.leader, 'BAD_USER_INPUT');
    refused(assigned(), { type: 'RETURN', reason: ' ', assignmentId: 'as-1' }, P.headKT, 'BAD_USER_INPUT');
  });

  it('the designated handler returns to the unit head: PENDING again, document unchanged', () => {
    const started = ok(delegated(), { type: 'START', assignmentId: 'as-1' }, P.staffKT).next;
    const r = ok(started, { type: 'RETURN', assignmentId: 'as-1', reason: 'Không thuộc lĩnh vực' }, P.staffKT);
    expect(lead(r.next)).toMatchObject({ userId: null, state: 'PENDING', active: true });
    expect(r.next.state).toBe('IN_PROGRESS');
    expect(r.events).toContainEqual({ type: 'RETURNED', byUserId: 'cv-kt1', reason: 'Không thuộc lĩnh vực', to: { kind: 'UNIT_HEAD', unitId: 'u-kt' }, assignmentId: 'as-1' });
  });

  it('the lead unit returns: document RETURNED to the annotating leader, who re-annotates', () => {
    const r = ok(assigned(), { type: 'RETURN', assignmentId: 'as-1', reason: 'Đề nghị giao Phòng TC' }, P.headKT);
    expect(r.next).toMatchObject({ state: 'RETURNED', returnedToUserId: 'ld1' });
    expect(lead(r.next).state).toBe('RETURNED');
    expect(r.events).toContainEqual({ type: 'RETURNED', byUserId: 'tp-kt', reason: 'Đề nghị giao Phòng TC', to: { kind: 'LEADER', userId: 'ld1' }, assignmentId: 'as-1' });

    refused(r.next, { type: 'ANNOTATE', annotation }, P.leader2, 'FORBIDDEN');
    refused(r.next, { type: 'SUBMIT', leader: P.leader }, P.vanThu, 'CONFLICT'); // it is with the leader, not the văn thư
    const re = ok(r.next, { type: 'ANNOTATE', annotation: { lead: { target: 'UNIT', unitId: 'u-tc' } } }, P.leader, { newId: () => 'as-3' });
    expect(re.next).toMatchObject({ state: 'ASSIGNED', returnedToUserId: null });
    expect(re.next.assignments.filter((a) => a.active)).toEqual([expect.objectContaining({ id: 'as-3', unitId: 'u-tc', role: 'LEAD' })]);
    // the open co-ordinator of the previous round was superseded
    expect(re.events).toContainEqual({ type: 'ASSIGNMENT_SUPERSEDED', assignmentId: 'as-2' });
  });

  it('a leader holding a returned document may pass it back to the văn thư', () => {
    const ret = ok(assigned(), { type: 'RETURN', assignmentId: 'as-1', reason: 'Sai' }, P.headKT).next;
    const r = ok(ret, { type: 'RETURN', reason: 'Văn bản không thuộc thẩm quyền' }, P.leader);
    expect(r.next).toMatchObject({ state: 'RETURNED', returnedToUserId: null });
    expect(r.events).toEqual([{ type: 'RETURNED', byUserId: 'ld1', reason: 'Văn bản không thuộc thẩm quyền', to: { kind: 'VAN_THU' }, assignmentId: null }]);
    refused(r.next, { type: 'RETURN', reason: 'x' }, P.leader, 'CONFLICT');
  });

  it('a co-ordinator’s return affects only its assignment', () => {
    const r = ok(assigned(), { type: 'RETURN', assignmentId: 'as-2', reason: 'Không liên quan' }, P.headTC);
    expect(r.next.state).toBe('ASSIGNED');
    expect(coord(r.next).state).toBe('RETURNED');
    expect(lead(r.next).state).toBe('PENDING');
    refused(r.next, { type: 'COMPLETE', assignmentId: 'as-2' }, P.headTC, 'CONFLICT');
  });

  it('without an assignment id an assignee returns their own open assignment', () => {
    const r = ok(assigned(), { type: 'RETURN', reason: 'Không liên quan' }, P.headTC);
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'RETURNED', assignmentId: 'as-2' }));
    expect(r.next.state).toBe('ASSIGNED');
  });

  it('strangers cannot return', () => {
    refused(assigned(), { type: 'RETURN', reason: 'x' }, P.staffTC, 'FORBIDDEN');
    refused(assigned(), { type: 'RETURN', reason: 'x', assignmentId: 'as-1' }, P.headTC, 'FORBIDDEN');
    refused(submitted(), { type: 'RETURN', reason: 'x' }, P.leader2, 'FORBIDDEN');
    refused(registered(), { type: 'RETURN', reason: 'x' }, P.vanThu, 'CONFLICT');
    refused(assigned(), { type: 'RETURN', reason: 'x' }, P.outsiderLeader, 'FORBIDDEN');
  });
});

// ---- general properties -------------------------------------------------------------------------------
describe('general properties', () => {
  it('never mutates its input (inputs are deep-frozen in every test)', () => {
    const doc = assigned();
    const before = JSON.stringify(doc);
    ok(doc, { type: 'COMPLETE', assignmentId: 'as-1' }, P.headKT);
    expect(JSON.stringify(doc)).toBe(before);
  });

  it('every action by another agency is FORBIDDEN', () => {
    const docs = [received(), registered(), submitted(), assigned()];
    const actions: IncomingAction[] = [
      { type: 'REGISTER' },
      { type: 'REJECT', reason: 'x' },
      { type: 'SUBMIT', leader: P.leader },
      { type: 'FORWARD', leader: P.leader2 },
      { type: 'ANNOTATE', annotation },
      { type: 'RETURN', reason: 'x' },
      { type: 'START', assignmentId: 'as-1' },
      { type: 'COMPLETE', assignmentId: 'as-1' },
      { type: 'REASSIGN', assignmentId: 'as-1', to: P.staffKT },
    ];
    for (const d of docs) for (const a of actions) for (const who of [P.outsiderVanThu, P.outsiderLeader]) refused(d, a, who, 'FORBIDDEN');
  });

  it('unwrap() turns a failure into an AppError with the same code and message', () => {
    const r = act(received(), { type: 'REGISTER' }, P.leader);
    expect(() => unwrap(r)).toThrow(AppError);
    try {
      unwrap(r);
    } catch (e) {
      expect(e).toMatchObject({ code: 'FORBIDDEN', message: (r as { reason: string }).reason });
    }
    expect(unwrap(act(received(), { type: 'REGISTER' }, P.vanThu)).next.state).toBe('REGISTERED');
  });

  it('the clock is only what the context says', () => {
    expect(ctxOf(P.vanThu).now).toBe(NOW);
    expect(TODAY).toBe('2026-03-10');
  });
});

// ---- allowedIncomingActions agrees with transitionIncoming ------------------------------------------------
describe('allowedIncomingActions', () => {
  const returnedToLeader = () => ok(assigned(), { type: 'RETURN', assignmentId: 'as-1', reason: 'x' }, P.headKT).next;
  const returnedToVanThu = () => ok(submitted(), { type: 'RETURN', reason: 'x' }, P.leader).next;
  const inProgress = () => ok(delegated(), { type: 'START', assignmentId: 'as-1' }, P.staffKT).next;
  const done = () => ok(inProgress(), { type: 'COMPLETE', assignmentId: 'as-1' }, P.staffKT).next;
  const forInfo = () => ok(submitted(), { type: 'ANNOTATE', annotation: { forInfo: true } }, P.leader).next;
  const rejected = () => ok(received(), { type: 'REJECT', reason: 'x' }, P.vanThu).next;

  const states: Record<string, () => IncomingDoc> = {
    received,
    registered,
    submitted,
    assigned,
    delegated,
    inProgress,
    done,
    forInfo,
    rejected,
    returnedToLeader,
    returnedToVanThu,
  };

  /** A valid payload for each action type, given the actor and the document. */
  function candidates(doc: IncomingDoc, actor: Actor): IncomingAction[] {
    const out: IncomingAction[] = [
      { type: 'REGISTER' },
      { type: 'REJECT', reason: 'Lý do' },
      { type: 'SUBMIT', leader: P.leader },
      { type: 'FORWARD', leader: actor.userId === 'ld2' ? P.leader : P.leader2 },
      { type: 'ANNOTATE', annotation },
      { type: 'RETURN', reason: 'Lý do' },
    ];
    for (const a of doc.assignments) {
      const colleague = [P.staffKT, P.staffKT2, P.staffTC, P.headKT, P.headTC].find((p) => p.unitId === a.unitId && p.userId !== a.userId)!;
      out.push(
        { type: 'START', assignmentId: a.id },
        { type: 'ADD_PROGRESS', assignmentId: a.id, note: 'Tiến độ' },
        { type: 'ATTACH_DRAFT', assignmentId: a.id, fileId: 'f' },
        { type: 'COMPLETE', assignmentId: a.id },
        { type: 'RETURN', assignmentId: a.id, reason: 'Lý do' },
        { type: 'REASSIGN', assignmentId: a.id, to: colleague },
      );
    }
    return out;
  }

  it('lists exactly the actions that succeed, for every reachable state × actor', () => {
    let checked = 0;
    for (const [, make] of Object.entries(states)) {
      const doc = make();
      for (const actor of EVERYONE) {
        const allowed = allowedIncomingActions(doc, actor).map((x) => `${x.type}${x.assignmentId ? `@${x.assignmentId}` : ''}`);
        for (const action of candidates(doc, actor)) {
          const id = 'assignmentId' in action && action.assignmentId ? `@${action.assignmentId}` : '';
          const r = act(doc, action, actor);
          const key = `${action.type}${id}`;
          // a document-level RETURN by an assignee is allowed via their assignment; the list shows it per assignment
          const listed = allowed.includes(key) || (key === 'RETURN' && allowed.some((k) => k.startsWith('RETURN@')));
          if (listed !== r.ok) {
            throw new Error(`${make.name} / ${actor.userId} / ${key}: listed=${listed} but result=${JSON.stringify(r)}`);
          }
          if (!r.ok) expect(['FORBIDDEN', 'CONFLICT']).toContain(r.code);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('gives the expected buttons in typical situations', () => {
    expect(allowedIncomingActions(received(), P.vanThu)).toEqual([{ type: 'REGISTER' }, { type: 'REJECT' }]);
    expect(allowedIncomingActions(registered(), P.vanThu)).toEqual([{ type: 'SUBMIT' }]);
    expect(allowedIncomingActions(submitted(), P.leader)).toEqual([{ type: 'FORWARD' }, { type: 'ANNOTATE' }, { type: 'RETURN' }]);
    expect(allowedIncomingActions(assigned(), P.headKT).map((a) => `${a.type}@${a.assignmentId}`)).toEqual([
      'START@as-1',
      'ADD_PROGRESS@as-1',
      'ATTACH_DRAFT@as-1',
      'COMPLETE@as-1',
      'RETURN@as-1',
      'REASSIGN@as-1',
    ]);
    expect(allowedIncomingActions(assigned(), P.leader)).toEqual([{ type: 'ANNOTATE' }]);
    expect(allowedIncomingActions(assigned(), P.staffTC)).toEqual([]);
    expect(allowedIncomingActions(assigned(), P.outsiderLeader)).toEqual([]);
  });
});
