import type { Actor } from './actors';
import {
  DEFAULT_APPROVAL_CHAIN,
  allowedOutgoingActions,
  currentApprovalStep,
  newOutgoingDraft,
  transitionOutgoing,
  validateApprovalChain,
  type ApprovalStep,
  type OutgoingAction,
  type OutgoingDoc,
  type OutgoingResult,
} from './outgoing-workflow';
import { A, EVERYONE, P, ctxOf, deepFreeze } from './test-fixtures';
import type { TransitionFailureCode } from './transition';

function act(doc: OutgoingDoc, action: OutgoingAction, actor: Actor): OutgoingResult {
  return transitionOutgoing(deepFreeze(doc), action, ctxOf(actor));
}
function ok(doc: OutgoingDoc, action: OutgoingAction, actor: Actor) {
  const r = act(doc, action, actor);
  if (!r.ok) throw new Error(`expected ${action.type} by ${actor.userId} to succeed: ${r.code} ${r.reason}`);
  return r;
}
function refused(doc: OutgoingDoc, action: OutgoingAction, actor: Actor, code: TransitionFailureCode) {
  const r = act(doc, action, actor);
  expect(r).toMatchObject({ ok: false, code });
  return r;
}
function draft(by: Actor = P.staffKT, opts: { chain?: readonly ApprovalStep[]; signerUserId?: string | null } = { signerUserId: 'ld1' }): OutgoingDoc {
  const r = newOutgoingDraft(by, opts);
  if (!r.ok) throw new Error(r.reason);
  return r.next;
}
const atStep0 = () => ok(draft(), { type: 'SUBMIT' }, P.staffKT).next;
const atStep1 = () => ok(atStep0(), { type: 'APPROVE' }, P.headKT).next;
const approved = () => ok(atStep1(), { type: 'APPROVE', comment: 'Đồng ý' }, P.leader2).next;
const signed = () => ok(approved(), { type: 'SIGN' }, P.leader).next;
const issued = () => ok(signed(), { type: 'ISSUE' }, P.vanThu).next;

describe('drafting', () => {
  it('a new draft copies the default chain (trưởng phòng → lãnh đạo)', () => {
    expect(draft()).toEqual({
      agencyId: A,
      state: 'DRAFT',
      drafterUserId: 'cv-kt1',
      drafterUnitId: 'u-kt',
      signerUserId: 'ld1',
      chain: DEFAULT_APPROVAL_CHAIN,
      currentStep: null,
    });
    expect(draft(P.staffKT, {}).signerUserId).toBeNull();
  });

  it('validates a configured chain', () => {
    expect(validateApprovalChain(DEFAULT_APPROVAL_CHAIN)).toEqual([]);
    expect(validateApprovalChain([])).toEqual([]);
    expect(validateApprovalChain([{ kind: 'USER', userId: '' }])).toHaveLength(1);
    expect(validateApprovalChain([{ kind: 'ROLE', role: 'BOSS' as never, scope: 'AGENCY' }])).toHaveLength(1);
    expect(validateApprovalChain([{ kind: 'ROLE', role: 'LANH_DAO', scope: 'GALAXY' as never }])).toHaveLength(1);
    expect(validateApprovalChain([{ kind: 'GROUP' } as never])).toHaveLength(1);
    expect(validateApprovalChain(Array.from({ length: 21 }, () => ({ kind: 'USER', userId: 'x' }) as ApprovalStep))).toHaveLength(1);
    expect(newOutgoingDraft(P.staffKT, { chain: [{ kind: 'USER', userId: '' }] })).toMatchObject({ ok: false, code: 'BAD_USER_INPUT', field: 'chain' });
  });
});

describe('approval chain', () => {
  it('submit enters step 0: the head of the drafting unit', () => {
    const r = ok(draft(), { type: 'SUBMIT' }, P.staffKT);
    expect(r.next).toMatchObject({ state: 'IN_APPROVAL', currentStep: 0 });
    expect(currentApprovalStep(r.next)).toEqual(DEFAULT_APPROVAL_CHAIN[0]);
    expect(r.events).toEqual([
      { type: 'STATE_CHANGED', from: 'DRAFT', to: 'IN_APPROVAL' },
      { type: 'SUBMITTED', byUserId: 'cv-kt1' },
      { type: 'STEP_ENTERED', step: 0 },
    ]);
  });

  it.each([P.staffKT2, P.headKT, P.leader, P.vanThu])('only the drafter submits: %p', (actor) => {
    refused(draft(), { type: 'SUBMIT' }, actor, 'FORBIDDEN');
  });

  it('the head of ANOTHER unit is not the owner of a drafting-unit step', () => {
    refused(atStep0(), { type: 'APPROVE' }, P.headTC, 'FORBIDDEN');
    refused(atStep0(), { type: 'APPROVE' }, P.leader, 'FORBIDDEN'); // not yet the leader's turn
    refused(atStep0(), { type: 'APPROVE' }, P.staffKT, 'FORBIDDEN'); // not the drafter either
  });

  it('approve moves to the next step, then to APPROVED (chờ ký)', () => {
    const r1 = ok(atStep0(), { type: 'APPROVE', comment: '  Được ' }, P.headKT);
    expect(r1.next).toMatchObject({ state: 'IN_APPROVAL', currentStep: 1 });
    expect(r1.events).toEqual([
      { type: 'STEP_APPROVED', step: 0, byUserId: 'tp-kt', comment: 'Được' },
      { type: 'STEP_ENTERED', step: 1 },
    ]);
    const r2 = ok(r1.next, { type: 'APPROVE' }, P.leader2); // any leader owns an agency-wide LANH_DAO step
    expect(r2.next).toMatchObject({ state: 'APPROVED', currentStep: null });
    expect(r2.events).toEqual([
      { type: 'STATE_CHANGED', from: 'IN_APPROVAL', to: 'APPROVED' },
      { type: 'STEP_APPROVED', step: 1, byUserId: 'ld2', comment: null },
    ]);
    refused(r2.next, { type: 'APPROVE' }, P.leader2, 'CONFLICT');
  });

  it('reject sends it back to the drafter with a reason; resubmission restarts at step 0', () => {
    refused(atStep1(), { type: 'REJECT', reason: '  ' }, P.leader, 'BAD_USER_INPUT');
    const r = ok(atStep1(), { type: 'REJECT', reason: 'Sửa lại căn cứ' }, P.leader);
    expect(r.next).toMatchObject({ state: 'RETURNED_TO_DRAFTER', currentStep: null });
    expect(r.events).toContainEqual({ type: 'REJECTED', byUserId: 'ld1', step: 1, reason: 'Sửa lại căn cứ' });
    refused(r.next, { type: 'APPROVE' }, P.leader, 'CONFLICT');
    expect(ok(r.next, { type: 'SUBMIT' }, P.staffKT).next).toMatchObject({ state: 'IN_APPROVAL', currentStep: 0 });
  });

  it('only the current step owner rejects', () => {
    refused(atStep1(), { type: 'REJECT', reason: 'x' }, P.headKT, 'FORBIDDEN');
    refused(draft(), { type: 'REJECT', reason: 'x' }, P.leader, 'CONFLICT');
  });

  it('the drafter may withdraw while in approval', () => {
    const r = ok(atStep1(), { type: 'WITHDRAW' }, P.staffKT);
    expect(r.next).toMatchObject({ state: 'DRAFT', currentStep: null });
    refused(r.next, { type: 'WITHDRAW' }, P.staffKT, 'CONFLICT');
    refused(atStep1(), { type: 'WITHDRAW' }, P.headKT, 'FORBIDDEN');
  });

  it('a USER step is owned only by that user', () => {
    const doc = ok(draft(P.staffKT, { chain: [{ kind: 'USER', userId: 'tp-vp' }] }), { type: 'SUBMIT' }, P.staffKT).next;
    refused(doc, { type: 'APPROVE' }, P.leader, 'FORBIDDEN');
    refused(doc, { type: 'APPROVE' }, P.headKT, 'FORBIDDEN');
    expect(ok(doc, { type: 'APPROVE' }, P.chanhVP).next.state).toBe('APPROVED');
  });

  it('steps the drafter owns at the start of the chain are skipped', () => {
    const r = ok(draft(P.headKT), { type: 'SUBMIT' }, P.headKT);
    expect(r.next).toMatchObject({ state: 'IN_APPROVAL', currentStep: 1 });
    expect(r.events).toContainEqual({ type: 'STEP_SKIPPED', step: 0 });
  });

  it('an empty chain (or one the drafter owns entirely) goes straight to signing', () => {
    expect(ok(draft(P.staffKT, { chain: [] }), { type: 'SUBMIT' }, P.staffKT).next).toMatchObject({ state: 'APPROVED', currentStep: null });
    const r = ok(draft(P.leader, { chain: [{ kind: 'ROLE', role: 'LANH_DAO', scope: 'AGENCY' }] }), { type: 'SUBMIT' }, P.leader);
    expect(r.next.state).toBe('APPROVED');
    expect(r.events.map((e) => e.type)).toEqual(['STATE_CHANGED', 'SUBMITTED', 'STEP_SKIPPED']);
  });

  it('a drafting-unit step cannot be owned when the drafter has no unit', () => {
    const doc = ok(draft(P.leader, { chain: [{ kind: 'ROLE', role: 'TRUONG_PHONG', scope: 'DRAFTING_UNIT' }] }), { type: 'SUBMIT' }, P.leader).next;
    for (const head of [P.headKT, P.headTC, P.chanhVP]) refused(doc, { type: 'APPROVE' }, head, 'FORBIDDEN');
  });
});

describe('signing and issuing', () => {
  it('the named signer signs; nobody else', () => {
    refused(approved(), { type: 'SIGN' }, P.leader2, 'FORBIDDEN');
    refused(approved(), { type: 'SIGN' }, P.vanThu, 'FORBIDDEN');
    const r = ok(approved(), { type: 'SIGN' }, P.leader);
    expect(r.next.state).toBe('SIGNED');
    expect(r.events).toEqual([{ type: 'STATE_CHANGED', from: 'APPROVED', to: 'SIGNED' }, { type: 'SIGNED', byUserId: 'ld1' }]);
    refused(r.next, { type: 'SIGN' }, P.leader, 'CONFLICT');
  });

  it('without a named signer any leader of the agency signs', () => {
    const doc = ok(draft(P.staffKT, { chain: [] }), { type: 'SUBMIT' }, P.staffKT).next;
    expect(ok(doc, { type: 'SIGN' }, P.leader2).next.state).toBe('SIGNED');
    refused(doc, { type: 'SIGN' }, P.headKT, 'FORBIDDEN');
    refused(doc, { type: 'SIGN' }, P.outsiderLeader, 'FORBIDDEN');
  });

  it('cannot sign before approval', () => {
    refused(atStep1(), { type: 'SIGN' }, P.leader, 'CONFLICT');
  });

  it('the signer may refuse to sign (back to the drafter)', () => {
    const r = ok(approved(), { type: 'REJECT', reason: 'Chưa đủ căn cứ' }, P.leader);
    expect(r.next.state).toBe('RETURNED_TO_DRAFTER');
    expect(r.events).toContainEqual({ type: 'REJECTED', byUserId: 'ld1', step: null, reason: 'Chưa đủ căn cứ' });
    refused(approved(), { type: 'REJECT', reason: 'x' }, P.leader2, 'FORBIDDEN');
  });

  it('the văn thư issues a signed document (the service then numbers and delivers it)', () => {
    const r = ok(signed(), { type: 'ISSUE' }, P.vanThu);
    expect(r.next.state).toBe('ISSUED');
    expect(r.events).toEqual([{ type: 'STATE_CHANGED', from: 'SIGNED', to: 'ISSUED' }, { type: 'ISSUED', byUserId: 'vt' }]);
    refused(r.next, { type: 'ISSUE' }, P.vanThu, 'CONFLICT');
    refused(approved(), { type: 'ISSUE' }, P.vanThu, 'CONFLICT');
    for (const who of [P.leader, P.staffKT, P.outsiderVanThu, P.admin]) refused(signed(), { type: 'ISSUE' }, who, 'FORBIDDEN');
  });
});

describe('versions and comments', () => {
  it('the drafter uploads versions while drafting; the current approver while approving', () => {
    expect(ok(draft(), { type: 'ADD_VERSION', fileId: 'v2', note: 'Bản 2' }, P.staffKT).events).toEqual([
      { type: 'VERSION_ADDED', byUserId: 'cv-kt1', fileId: 'v2', note: 'Bản 2' },
    ]);
    refused(draft(), { type: 'ADD_VERSION', fileId: '' }, P.staffKT, 'BAD_USER_INPUT');
    refused(draft(), { type: 'ADD_VERSION', fileId: 'v' }, P.headKT, 'FORBIDDEN');
    refused(atStep0(), { type: 'ADD_VERSION', fileId: 'v' }, P.staffKT, 'FORBIDDEN');
    expect(ok(atStep0(), { type: 'ADD_VERSION', fileId: 'v3' }, P.headKT).next.state).toBe('IN_APPROVAL');
    refused(approved(), { type: 'ADD_VERSION', fileId: 'v' }, P.leader, 'CONFLICT');
  });

  it('anyone in the chain comments until issued; others may not', () => {
    for (const who of [P.staffKT, P.headKT, P.leader, P.leader2]) {
      expect(ok(atStep1(), { type: 'COMMENT', comment: 'Ý kiến' }, who).events).toEqual([{ type: 'COMMENTED', byUserId: who.userId, comment: 'Ý kiến' }]);
    }
    refused(atStep1(), { type: 'COMMENT', comment: 'x' }, P.staffTC, 'FORBIDDEN');
    refused(atStep1(), { type: 'COMMENT', comment: 'x' }, P.headTC, 'FORBIDDEN');
    refused(atStep1(), { type: 'COMMENT', comment: 'x' }, P.outsiderLeader, 'FORBIDDEN');
    refused(atStep1(), { type: 'COMMENT', comment: '  ' }, P.leader, 'BAD_USER_INPUT');
    refused(atStep1(), { type: 'COMMENT', comment: 'x'.repeat(2001) }, P.leader, 'BAD_USER_INPUT');
    refused(issued(), { type: 'COMMENT', comment: 'x' }, P.leader, 'CONFLICT');
  });
});

describe('allowedOutgoingActions', () => {
  const states: Record<string, () => OutgoingDoc> = {
    draft: () => draft(),
    atStep0,
    atStep1,
    approved,
    signed,
    issued,
    returned: () => ok(atStep1(), { type: 'REJECT', reason: 'x' }, P.leader).next,
    unsignedAnyLeader: () => ok(draft(P.staffKT, { chain: [] }), { type: 'SUBMIT' }, P.staffKT).next,
  };
  const candidates: OutgoingAction[] = [
    { type: 'SUBMIT' },
    { type: 'WITHDRAW' },
    { type: 'APPROVE' },
    { type: 'REJECT', reason: 'Lý do' },
    { type: 'ADD_VERSION', fileId: 'f' },
    { type: 'COMMENT', comment: 'Ý kiến' },
    { type: 'SIGN' },
    { type: 'ISSUE' },
  ];

  it('lists exactly the actions that succeed, for every state × actor', () => {
    let checked = 0;
    for (const [name, make] of Object.entries(states)) {
      const doc = make();
      for (const actor of EVERYONE) {
        const allowed = allowedOutgoingActions(doc, actor);
        for (const action of candidates) {
          const r = act(doc, action, actor);
          if (allowed.includes(action.type) !== r.ok) throw new Error(`${name} / ${actor.userId} / ${action.type}: ${JSON.stringify(r)}`);
          if (!r.ok) expect(['FORBIDDEN', 'CONFLICT']).toContain(r.code);
          checked++;
        }
      }
    }
    expect(checked).toBe(Object.keys(states).length * EVERYONE.length * candidates.length);
  });

  it('gives the expected buttons', () => {
    expect(allowedOutgoingActions(draft(), P.staffKT)).toEqual(['SUBMIT', 'ADD_VERSION', 'COMMENT']);
    expect(allowedOutgoingActions(atStep0(), P.headKT)).toEqual(['APPROVE', 'REJECT', 'ADD_VERSION', 'COMMENT']);
    expect(allowedOutgoingActions(approved(), P.leader)).toEqual(['REJECT', 'COMMENT', 'SIGN']);
    expect(allowedOutgoingActions(signed(), P.vanThu)).toEqual(['ISSUE', 'RETURN_FOR_CORRECTION']);
    expect(allowedOutgoingActions(issued(), P.leader)).toEqual([]);
    expect(allowedOutgoingActions(issued(), P.vanThu)).toEqual([]);
  });

  it('the văn thư returns a signed document with a thể thức error to the drafter, with the reason (not once issued)', () => {
    const r = transitionOutgoing(signed(), { type: 'RETURN_FOR_CORRECTION', reason: '  Thiếu dòng "KT. CHỦ TỊCH"  ' }, { ...P.vanThu, now: new Date(), timeZone: 'Asia/Ho_Chi_Minh' });
    expect(r).toMatchObject({ ok: true, next: { state: 'RETURNED_TO_DRAFTER', currentStep: null } });
    expect(r.ok && r.events).toEqual([
      { type: 'STATE_CHANGED', from: 'SIGNED', to: 'RETURNED_TO_DRAFTER' },
      { type: 'RETURNED_FOR_CORRECTION', byUserId: P.vanThu.userId, reason: 'Thiếu dòng "KT. CHỦ TỊCH"' },
    ]);
    const ctx = { ...P.vanThu, now: new Date(), timeZone: 'Asia/Ho_Chi_Minh' };
    expect(transitionOutgoing(signed(), { type: 'RETURN_FOR_CORRECTION', reason: ' ' }, ctx)).toMatchObject({ ok: false, code: 'BAD_USER_INPUT', field: 'reason' });
    expect(transitionOutgoing(issued(), { type: 'RETURN_FOR_CORRECTION', reason: 'x' }, ctx)).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(transitionOutgoing(signed(), { type: 'RETURN_FOR_CORRECTION', reason: 'x' }, { ...P.leader, now: new Date(), timeZone: 'Asia/Ho_Chi_Minh' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });
});
