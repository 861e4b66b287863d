import { itemActions, meetingActions, voteActions, canSeeMeeting } from './access';
import type { MeetingData, StateItem, StateVote } from './model';
import * as rules from './rules';

const v = (userId: string, roles: string[] = ['CHUYEN_VIEN']) => ({ userId, agencyId: 'A', roles });
const item = (id: string, extra: Partial<StateItem> = {}): StateItem => ({
  id,
  order: 1,
  title: id,
  presenterId: null,
  durationMinutes: null,
  status: 'PENDING',
  minutes: null,
  conclusion: null,
  concludedAt: null,
  documents: [],
  positions: [],
  votes: [],
  speakers: [],
  tasks: [],
  ...extra,
});
const vote = (extra: Partial<StateVote> = {}): StateVote => ({
  id: 'v1',
  itemId: 'i1',
  question: 'q',
  secret: true,
  status: 'OPEN',
  eligible: 3,
  agree: 1,
  disagree: 1,
  abstain: 0,
  openedAt: new Date(),
  closedAt: null,
  voters: new Map([
    ['chair', null],
    ['m1', null],
  ]),
  ...extra,
});
const meeting = (extra: Partial<MeetingData> = {}): MeetingData => ({
  id: 'm',
  agencyId: 'A',
  title: 't',
  startsAt: new Date(),
  endsAt: new Date(),
  location: null,
  status: 'IN_PROGRESS',
  chairId: 'chair',
  secretaryId: 'sec',
  createdById: 'sec',
  speakingSeconds: 180,
  currentItemId: 'i1',
  displayDocumentId: null,
  displayPage: null,
  invitationDocumentId: null,
  conclusionDocumentId: null,
  version: 1,
  publishedAt: null,
  participants: [
    { id: 'p1', userId: 'chair', role: 'CHAIR', checkedInAt: new Date(), checkedInById: 'chair' },
    { id: 'p2', userId: 'sec', role: 'SECRETARY', checkedInAt: new Date(), checkedInById: 'sec' },
    { id: 'p3', userId: 'm1', role: 'MEMBER', checkedInAt: null, checkedInById: null },
    { id: 'p4', userId: 'm2', role: 'MEMBER', checkedInAt: new Date(), checkedInById: 'sec' },
    { id: 'p5', userId: 'g', role: 'GUEST', checkedInAt: null, checkedInById: null },
  ],
  items: [item('i1'), item('i2')],
  ...extra,
});

describe('meeting rules', () => {
  it('quorum: more than half of chair + members (secretary and guests do not count)', () => {
    expect(rules.attendance(meeting())).toEqual({ invited: 5, present: 3, votingMembers: 3, votingPresent: 2, quorum: 2, quorumMet: true });
    const m = meeting();
    m.participants[3].checkedInAt = null;
    expect(rules.attendance(m).quorumMet).toBe(false);
  });

  it('a secret tally hides its split while open; a named one never does', () => {
    expect(rules.tally(vote())).toEqual({ agree: null, disagree: null, abstain: null, cast: 2, notVoted: 1, eligible: 3 });
    expect(rules.tally(vote({ status: 'CLOSED' }))).toEqual({ agree: 1, disagree: 1, abstain: 0, cast: 2, notVoted: 1, eligible: 3 });
    expect(rules.tally(vote({ secret: false })).agree).toBe(1);
    expect(rules.votePassed(vote())).toBeNull();
    expect(rules.votePassed(vote({ status: 'CLOSED' }))).toBe(false);
    expect(rules.votePassed(vote({ status: 'CLOSED', agree: 2 }))).toBe(true);
  });

  it('casting: members and chair once, while open', () => {
    const m = meeting();
    expect(rules.canCast(m, vote(), 'm2').ok).toBe(true);
    expect(rules.canCast(m, vote(), 'm1')).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(rules.canCast(m, vote({ status: 'CLOSED' }), 'm2')).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(rules.canCast(m, vote(), 'sec')).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(rules.canCast(m, vote(), 'g')).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(voteActions(m, vote(), v('m2'))).toEqual(['CAST']);
    expect(voteActions(m, vote(), v('chair'))).toEqual(['CLOSE']);
  });

  it('stale clients: the item they saw must still be current', () => {
    expect(rules.expectCurrent(meeting(), 'i1').ok).toBe(true);
    expect(rules.expectCurrent(meeting(), 'i2')).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(rules.expectCurrent(meeting({ status: 'ENDED' }), 'i1')).toMatchObject({ ok: false, code: 'CONFLICT' });
  });

  it('speakers: next one starts, the speaking one is done; moving reorders the waiting list', () => {
    const sp = (id: string, status: 'WAITING' | 'SPEAKING' | 'DONE', order: number) => ({ id, itemId: 'i1', userId: id, status, order, requestedAt: new Date(), startedAt: null, speakingSeconds: 60 });
    expect(rules.nextSpeakerPlan([sp('a', 'DONE', 1), sp('b', 'SPEAKING', 2), sp('c', 'WAITING', 4), sp('d', 'WAITING', 3)])).toEqual({ done: 'b', start: 'd' });
    expect(rules.nextSpeakerPlan([sp('a', 'DONE', 1)])).toEqual({ done: null, start: null });
    const moved = rules.must(rules.moveSpeakerPlan([sp('a', 'WAITING', 1), sp('b', 'WAITING', 2), sp('c', 'WAITING', 3)], 'c', 1));
    expect([...moved.orders.entries()].sort((x, y) => x[1] - y[1]).map(([id]) => id)).toEqual(['c', 'a', 'b']);
    expect(rules.moveSpeakerPlan([sp('a', 'WAITING', 1)], 'a', 2)).toMatchObject({ ok: false, code: 'BAD_USER_INPUT', field: 'order' });
  });

  it('pass without objection: all listed items or none', () => {
    const m = meeting({ items: [item('i1'), item('i2', { positions: [{ id: 'p', userId: 'm1', kind: 'OTHER_OPINION', opinion: 'x', updatedAt: new Date() }] })] });
    expect(rules.passWithoutObjectionPlan(m, 'chair', ['i1', 'i2'])).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(rules.passWithoutObjectionPlan(m, 'sec', ['i1'])).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(rules.passWithoutObjectionPlan(m, 'chair', [])).toMatchObject({ ok: false, code: 'BAD_USER_INPUT' });
    expect(rules.must(rules.passWithoutObjectionPlan(m, 'chair', ['i1'])).items.map((i) => i.id)).toEqual(['i1']);
  });

  it('visibility and actions by role', () => {
    const draft = meeting({ status: 'DRAFT' });
    expect(canSeeMeeting(draft, v('m1'))).toBe(false);
    expect(canSeeMeeting(draft, v('sec'))).toBe(true);
    expect(canSeeMeeting(meeting(), v('outsider'))).toBe(false);
    expect(meetingActions(meeting(), v('m1'))).toEqual(['CHECK_IN', 'REQUEST_TO_SPEAK']);
    expect(meetingActions(meeting(), v('chair', ['LANH_DAO']))).toEqual(expect.arrayContaining(['END', 'SET_CURRENT_ITEM', 'PASS_WITHOUT_OBJECTION', 'VIEW_POSITIONS', 'DRAFT_INVITATION']));
    expect(meetingActions(meeting(), v('sec', ['VAN_THU']))).not.toContain('DRAFT_INVITATION');
    expect(itemActions(meeting(), item('i1'), v('chair'))).toContain('OPEN_VOTE');
    expect(itemActions(meeting(), item('i2'), v('chair'))).not.toContain('OPEN_VOTE');
    expect(itemActions(meeting({ status: 'PUBLISHED' }), item('i1'), v('m1'))).toEqual(['RECORD_POSITION']);
    expect(itemActions(meeting({ status: 'PUBLISHED' }), item('i1'), v('g'))).toEqual([]);
  });

  it('composition: chair, secretary and members of the agency; guests from anywhere; no duplicates', () => {
    const agencyOf = (id: string) => ({ c: 'A', s: 'A', m: 'A', x: 'B' })[id] ?? null;
    expect(rules.composition({ chairId: 'c', secretaryId: 's', memberIds: ['m', 'c'], guestIds: ['x'] }, agencyOf, 'A')).toMatchObject({
      ok: true,
      list: [
        { userId: 'c', role: 'CHAIR' },
        { userId: 's', role: 'SECRETARY' },
        { userId: 'm', role: 'MEMBER' },
        { userId: 'x', role: 'GUEST' },
      ],
    });
    expect(rules.composition({ chairId: 'c', secretaryId: 's', memberIds: ['x'], guestIds: [] }, agencyOf, 'A')).toMatchObject({ ok: false, field: 'memberIds' });
    expect(rules.composition({ chairId: 'c', secretaryId: 'c', memberIds: [], guestIds: [] }, agencyOf, 'A')).toMatchObject({ ok: false, field: 'secretaryId' });
    expect(rules.composition({ chairId: 'c', secretaryId: 's', memberIds: ['nobody'], guestIds: [] }, agencyOf, 'A')).toMatchObject({ ok: false, field: 'memberIds' });
  });

  it('the work-calendar week: Monday to Sunday, ISO week number', () => {
    expect(rules.weekOf('2026-12-06')).toEqual({ from: '2026-11-30', to: '2026-12-06', weekNumber: 49 });
    expect(rules.weekOf('2026-12-07')).toEqual({ from: '2026-12-07', to: '2026-12-13', weekNumber: 50 });
    expect(rules.weekOf('2027-01-01')).toEqual({ from: '2026-12-28', to: '2027-01-03', weekNumber: 53 });
    expect(rules.weekOf('2026-01-01').weekNumber).toBe(1);
  });

  it('time slots and texts', () => {
    const t = new Date('2026-12-07T01:00:00Z');
    expect(rules.timeSlot(t, t)).toMatchObject({ ok: false, field: 'endsAt' });
    expect(rules.timeSlot(t, new Date(t.getTime() + 8 * 86_400_000))).toMatchObject({ ok: false, field: 'endsAt' });
    expect(rules.requiredText(' Họp ', 'title', 'Tên').ok).toBe(true);
    expect(rules.requiredText('', 'title', 'Tên')).toMatchObject({ ok: false, code: 'BAD_USER_INPUT', field: 'title' });
  });
});
