import {
  INBOX_BOXES,
  INBOX_BOXES_ORDERED,
  INBOX_ORDER,
  boxesOf,
  compareInboxItems,
  evaluateInboxPredicate,
  matchesBox,
  sortInbox,
  urgencyRank,
  type InboxPredicate,
  type InboxRow,
} from './inbox';
import { B, EVERYONE, P, TODAY, A } from './test-fixtures';

const base: InboxRow = {
  id: 'd1',
  direction: 'INCOMING',
  agencyId: A,
  state: 'RECEIVED',
  urgency: 'THUONG',
  deadline: null,
  receivedAt: new Date('2026-03-10T01:00:00Z'),
  submittedToUserId: null,
  returnedToUserId: null,
  annotatedByUserId: null,
  assignmentId: null,
  assignmentTarget: null,
  assignmentUnitId: null,
  assignmentUserId: null,
  assignmentState: null,
  drafterUserId: null,
  approverUserId: null,
  approverRole: null,
  approverUnitId: null,
  signerUserId: null,
  watcherUserIds: [],
  withdrawnAt: null,
};
const row = (patch: Partial<InboxRow>): InboxRow => ({ ...base, ...patch });
const assignmentRow = (patch: Partial<InboxRow>): InboxRow =>
  row({ state: 'ASSIGNED', annotatedByUserId: 'ld1', submittedToUserId: 'ld1', assignmentId: 'as-1', assignmentTarget: 'UNIT', assignmentUnitId: 'u-kt', assignmentState: 'PENDING', ...patch });
const outgoingRow = (patch: Partial<InboxRow>): InboxRow => row({ direction: 'OUTGOING', state: 'DRAFT', drafterUserId: 'cv-kt1', ...patch });

/** Who sees the row in that box. */
const who = (box: (typeof INBOX_BOXES_ORDERED)[number], r: InboxRow, today = TODAY) =>
  EVERYONE.filter((v) => matchesBox(box, r, v, today)).map((v) => v.userId);

describe('inbox boxes', () => {
  it('defines the nine boxes with Vietnamese labels and a level', () => {
    expect(INBOX_BOXES_ORDERED).toEqual(['TO_REGISTER', 'TO_ANNOTATE', 'TO_PROCESS', 'IN_PROGRESS', 'OVERDUE', 'TO_APPROVE', 'TO_SIGN', 'TO_ISSUE', 'WATCHING', 'DRAFTS']);
    for (const b of INBOX_BOXES_ORDERED) {
      expect(INBOX_BOXES[b].box).toBe(b);
      expect(INBOX_BOXES[b].label).toMatch(/\S/);
    }
    expect(INBOX_BOXES_ORDERED.filter((b) => INBOX_BOXES[b].level === 'ASSIGNMENT')).toEqual(['TO_PROCESS', 'IN_PROGRESS', 'OVERDUE']);
  });

  it('is JSON-serialisable (pure description for the SQL layer)', () => {
    expect(JSON.parse(JSON.stringify(INBOX_BOXES))).toEqual(INBOX_BOXES);
  });

  describe('TO_REGISTER', () => {
    it('received, registered and returned-to-văn-thư documents of the agency, for its văn thư only', () => {
      expect(who('TO_REGISTER', row({ state: 'RECEIVED' }))).toEqual(['vt']);
      expect(who('TO_REGISTER', row({ state: 'REGISTERED' }))).toEqual(['vt']);
      expect(who('TO_REGISTER', row({ state: 'RETURNED', returnedToUserId: null }))).toEqual(['vt']);
      expect(who('TO_REGISTER', row({ state: 'RETURNED', returnedToUserId: 'ld1' }))).toEqual([]);
      expect(who('TO_REGISTER', row({ state: 'SUBMITTED' }))).toEqual([]);
      expect(who('TO_REGISTER', row({ agencyId: B }))).toEqual(['vt-b']);
      expect(who('TO_REGISTER', outgoingRow({ state: 'DRAFT' }))).toEqual([]);
    });
    it('a record the sender took back (lấy lại, thu hồi, thay thế) waits in no box: it is locked', () => {
      const withdrawnAt = new Date('2026-03-11T01:00:00Z');
      expect(who('TO_REGISTER', row({ state: 'RECEIVED', withdrawnAt }))).toEqual([]);
      expect(who('TO_REGISTER', row({ state: 'REGISTERED', withdrawnAt }))).toEqual([]);
      expect(who('TO_ANNOTATE', row({ state: 'SUBMITTED', submittedToUserId: 'ld1', withdrawnAt }))).toEqual([]);
    });
  });

  describe('TO_ANNOTATE', () => {
    it('documents submitted or returned to the viewer', () => {
      expect(who('TO_ANNOTATE', row({ state: 'SUBMITTED', submittedToUserId: 'ld1' }))).toEqual(['ld1']);
      expect(who('TO_ANNOTATE', row({ state: 'RETURNED', returnedToUserId: 'ld2', submittedToUserId: 'ld1' }))).toEqual(['ld2']);
      expect(who('TO_ANNOTATE', row({ state: 'ASSIGNED', submittedToUserId: 'ld1' }))).toEqual([]);
      // an id from another agency never matches across the agency line
      expect(who('TO_ANNOTATE', row({ agencyId: B, state: 'SUBMITTED', submittedToUserId: 'ld1' }))).toEqual([]);
    });
  });

  describe('TO_PROCESS / IN_PROGRESS / OVERDUE', () => {
    it('an undistributed unit assignment waits at the unit head', () => {
      const r = assignmentRow({});
      expect(who('TO_PROCESS', r)).toEqual(['tp-kt']);
      expect(who('IN_PROGRESS', r)).toEqual([]);
    });

    it('a designated assignment waits at the handler; the unit head follows it under IN_PROGRESS', () => {
      const r = assignmentRow({ assignmentUserId: 'cv-kt1' });
      expect(who('TO_PROCESS', r)).toEqual(['cv-kt1']);
      expect(who('IN_PROGRESS', r)).toEqual(['tp-kt']);
    });

    it('work in progress shows for the handler and the unit head', () => {
      const r = assignmentRow({ assignmentUserId: 'cv-kt1', assignmentState: 'IN_PROGRESS' });
      expect(who('TO_PROCESS', r)).toEqual([]);
      expect(who('IN_PROGRESS', r)).toEqual(['tp-kt', 'cv-kt1']);
    });

    it('a personal assignment goes to that person', () => {
      const r = assignmentRow({ assignmentTarget: 'USER', assignmentUnitId: 'u-tc', assignmentUserId: 'cv-tc' });
      expect(who('TO_PROCESS', r)).toEqual(['cv-tc']);
    });

    it('done, returned and document-level rows are not work', () => {
      expect(who('TO_PROCESS', assignmentRow({ assignmentState: 'DONE' }))).toEqual([]);
      expect(who('IN_PROGRESS', assignmentRow({ assignmentState: 'RETURNED', assignmentUserId: 'cv-kt1' }))).toEqual([]);
      expect(who('TO_PROCESS', row({ state: 'ASSIGNED', assignmentUnitId: 'u-kt', assignmentState: 'PENDING' }))).toEqual([]);
    });

    it('overdue: open assignments whose deadline is before today', () => {
      expect(who('OVERDUE', assignmentRow({ deadline: '2026-03-09', assignmentUserId: 'cv-kt1' }))).toEqual(['tp-kt', 'cv-kt1']);
      expect(who('OVERDUE', assignmentRow({ deadline: TODAY }))).toEqual([]);
      expect(who('OVERDUE', assignmentRow({ deadline: null }))).toEqual([]);
      expect(who('OVERDUE', assignmentRow({ deadline: '2026-03-01', assignmentState: 'DONE' }))).toEqual([]);
      expect(who('OVERDUE', assignmentRow({ deadline: '2026-03-09' }), '2026-03-09')).toEqual([]);
    });

    it('unit heads of other agencies never see it, even with a colliding unit id', () => {
      const foreignHead = { userId: 'tp-b', agencyId: B, unitId: 'u-kt', roles: ['TRUONG_PHONG'] as const };
      expect(matchesBox('TO_PROCESS', assignmentRow({}), foreignHead, TODAY)).toBe(false);
    });
  });

  describe('TO_APPROVE / TO_SIGN / TO_ISSUE', () => {
    it('a drafting-unit role step is for the head of that unit', () => {
      const r = outgoingRow({ state: 'IN_APPROVAL', approverRole: 'TRUONG_PHONG', approverUnitId: 'u-kt' });
      expect(who('TO_APPROVE', r)).toEqual(['tp-kt']);
    });
    it('an agency-wide role step is for every holder of the role in the agency', () => {
      const r = outgoingRow({ state: 'IN_APPROVAL', approverRole: 'LANH_DAO' });
      expect(who('TO_APPROVE', r)).toEqual(['ld1', 'ld2']);
    });
    it('a user step is for that user only', () => {
      expect(who('TO_APPROVE', outgoingRow({ state: 'IN_APPROVAL', approverUserId: 'tp-vp' }))).toEqual(['tp-vp']);
      expect(who('TO_APPROVE', outgoingRow({ state: 'APPROVED', approverUserId: 'tp-vp' }))).toEqual([]);
    });
    it('to sign: the named signer, or any leader when none is named', () => {
      expect(who('TO_SIGN', outgoingRow({ state: 'APPROVED', signerUserId: 'ld2' }))).toEqual(['ld2']);
      expect(who('TO_SIGN', outgoingRow({ state: 'APPROVED' }))).toEqual(['ld1', 'ld2']);
      expect(who('TO_SIGN', outgoingRow({ state: 'SIGNED', signerUserId: 'ld2' }))).toEqual([]);
    });
    it('to issue: the văn thư of the agency', () => {
      expect(who('TO_ISSUE', outgoingRow({ state: 'SIGNED' }))).toEqual(['vt']);
      expect(who('TO_ISSUE', outgoingRow({ state: 'ISSUED' }))).toEqual([]);
      expect(who('TO_ISSUE', outgoingRow({ state: 'SIGNED', agencyId: B }))).toEqual(['vt-b']);
    });
  });

  describe('WATCHING', () => {
    it('watchers, the annotating leader until done, the drafter until issued', () => {
      expect(who('WATCHING', row({ state: 'DONE', watcherUserIds: ['cv-tc', 'ld-b'] }))).toEqual(['cv-tc']);
      expect(who('WATCHING', row({ state: 'IN_PROGRESS', annotatedByUserId: 'ld1' }))).toEqual(['ld1']);
      expect(who('WATCHING', row({ state: 'DONE', annotatedByUserId: 'ld1' }))).toEqual([]);
      expect(who('WATCHING', outgoingRow({ state: 'APPROVED' }))).toEqual(['cv-kt1']);
      expect(who('WATCHING', outgoingRow({ state: 'DRAFT' }))).toEqual([]);
      expect(who('WATCHING', outgoingRow({ state: 'ISSUED' }))).toEqual([]);
    });
  });

  it('boxesOf lists every box a row is in', () => {
    const r = assignmentRow({ assignmentUserId: 'cv-kt1', assignmentState: 'IN_PROGRESS', deadline: '2026-03-01' });
    expect(boxesOf(r, P.staffKT, TODAY)).toEqual(['IN_PROGRESS', 'OVERDUE']);
    expect(boxesOf(r, P.staffTC, TODAY)).toEqual([]);
  });
});

describe('predicate interpreter (SQL semantics)', () => {
  const v = P.leader; // unitId null
  it('eq with NULL on either side never matches', () => {
    const p: InboxPredicate = { op: 'eq', field: 'assignmentUnitId', to: { viewer: 'unitId' } };
    expect(evaluateInboxPredicate(p, row({ assignmentUnitId: null }), v, TODAY)).toBe(false);
    expect(evaluateInboxPredicate(p, row({ assignmentUnitId: 'u' }), v, TODAY)).toBe(false);
    expect(evaluateInboxPredicate(p, row({ assignmentUnitId: 'u' }), { ...v, unitId: 'u' }, TODAY)).toBe(true);
  });
  it('lt is false on NULL; not/or/and compose', () => {
    const lt: InboxPredicate = { op: 'lt', field: 'deadline', to: { today: true } };
    expect(evaluateInboxPredicate(lt, row({ deadline: null }), v, TODAY)).toBe(false);
    expect(evaluateInboxPredicate({ op: 'not', of: lt }, row({ deadline: null }), v, TODAY)).toBe(true);
    expect(evaluateInboxPredicate({ op: 'or', of: [] }, row({}), v, TODAY)).toBe(false);
    expect(evaluateInboxPredicate({ op: 'and', of: [] }, row({}), v, TODAY)).toBe(true);
    expect(evaluateInboxPredicate({ op: 'eq', field: 'urgency', to: { value: 'KHAN' } }, row({ urgency: 'KHAN' }), v, TODAY)).toBe(true);
  });
});

describe('sort order', () => {
  const item = (id: string, urgency: InboxRow['urgency'], deadline: string | null, received: string) => ({ id, urgency, deadline, receivedAt: new Date(received) });

  it('urgency, then deadline (nulls last), then received time (oldest first), then id', () => {
    const items = [
      item('a', 'THUONG', null, '2026-03-01T00:00:00Z'),
      item('b', 'KHAN', '2026-03-20', '2026-03-05T00:00:00Z'),
      item('c', 'HOA_TOC', null, '2026-03-09T00:00:00Z'),
      item('d', 'THUONG_KHAN', '2026-03-30', '2026-03-01T00:00:00Z'),
      item('e', 'THUONG', '2026-03-12', '2026-03-09T00:00:00Z'),
      item('f', 'THUONG', '2026-03-12', '2026-03-02T00:00:00Z'),
      item('g', 'THUONG', null, '2026-02-01T00:00:00Z'),
      item('h', 'KHAN', '2026-03-15', '2026-03-06T00:00:00Z'),
      item('i', 'THUONG', null, '2026-02-01T00:00:00Z'),
    ];
    expect(sortInbox(items).map((x) => x.id)).toEqual(['c', 'd', 'h', 'b', 'f', 'e', 'g', 'i', 'a']);
    expect(items[0].id).toBe('a'); // sortInbox copies
    expect(compareInboxItems(items[6], items[8])).toBeLessThan(0);
    expect(compareInboxItems(items[6], items[6])).toBe(0);
  });

  it('exposes the rank and the declarative order', () => {
    expect(['THUONG', 'KHAN', 'THUONG_KHAN', 'HOA_TOC'].map((u) => urgencyRank(u as never))).toEqual([0, 1, 2, 3]);
    expect(INBOX_ORDER.map((o) => `${o.key} ${o.direction}${o.nulls ? ` NULLS ${o.nulls}` : ''}`)).toEqual([
      'urgencyRank DESC',
      'deadline ASC NULLS LAST',
      'receivedAt ASC',
      'id ASC',
    ]);
  });
});
