/**
 * Phòng họp không giấy over GraphQL HTTP (issue 11): a meeting prepared, held and concluded by its chair
 * (lanhdao), secretary (vanthu), members (chuyenvien, truongphong) and a guest of another agency
 * (snv.lanhdao); every bad input of the issue (not invited, another agency, voting twice / after close /
 * as a non-member, stale current item) gives a typed error and changes nothing; a secret vote's choices are
 * nowhere in the API or the database; the files, the work calendar and the lobby display.
 */
import { gql, loginToken } from '../support/gql';
import { startTestServer, type TestServer } from '../support/server';
import { gqlUpload, uniquePdf } from './documents-incoming-helpers';

let s: TestServer;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};
const USERS = ['vanthu', 'lanhdao', 'chuyenvien', 'truongphong', 'luutru', 'snv.lanhdao', 'stc.vanthu'];

async function call<T = Record<string, unknown>>(user: string | null, query: string, variables: Record<string, unknown> = {}) {
  return gql<T>(s.url, query, variables, user ? { token: tokens[user] } : {});
}
// GraphQL answers are read field by field in the assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function ok<T = Record<string, any>>(user: string | null, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const r = await call<T>(user, query, variables);
  if (r.errors) throw new Error(`${user}: ${JSON.stringify(r.errors)}`);
  return r.data!;
}
async function code(user: string | null, query: string, variables: Record<string, unknown> = {}) {
  const r = await call(user, query, variables);
  return { code: r.errors?.[0]?.extensions?.code, field: r.errors?.[0]?.extensions?.field, message: r.errors?.[0]?.message };
}

const MEETING = `id status version title myRole allowedActions location
  chair { id } secretary { id }
  participants { user { username } role attendance { checkedInAt checkedInBy { username } } }
  attendance { invited present votingMembers votingPresent quorum quorumMet }
  currentItem { id }
  speakers { id user { username } status order speakingStartedAt speakingSeconds }
  openVote { id }
  agenda { id order title status allowedActions positions { user { username } kind opinion } myPosition { kind opinion }
    positionSummary { agree otherOpinion requestToSpeak none } conclusion minutes
    documents { id title fileName url myNote }
    votes { id status secret tally { agree disagree abstain notVoted cast eligible } ballots { user { username } choice } hasVoted myChoice passed }
    tasks { title assignee { username } deadline done overdue } }`;
const GET = `query($id: ID!){ meeting(id: $id){ ${MEETING} } }`;
const VOTE = 'id status secret tally { agree disagree abstain notVoted cast eligible } ballots { user { username } choice } hasVoted myChoice passed allowedActions';

const future = (days: number, hour: number) => {
  const d = new Date(Date.now() + days * 86_400_000);
  const ymd = new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
  return `${ymd}T${String(hour).padStart(2, '0')}:00:00+07:00`;
};

beforeAll(async () => {
  s = await startTestServer();
  for (const u of USERS) tokens[u] = await loginToken(s.url, u);
  for (const u of USERS) ids[u] = (await ok<{ me: { id: string } }>(u, '{ me { id } }')).me.id;
}, 120_000);
afterAll(async () => s?.stop());

describe('meetings: prepare, hold, conclude', () => {
  let meetingId = '';
  const items: string[] = [];
  let secretVote = '';

  it('createMeeting validates its input (typed errors, field) and creates a DRAFT seen only by the organisers', async () => {
    const base = { title: 'Giao ban tuần', startsAt: future(2, 8), endsAt: future(2, 10), location: 'Phòng họp số 1', chairId: ids.lanhdao, secretaryId: ids.vanthu, memberIds: [ids.chuyenvien, ids.truongphong], guestIds: [ids['snv.lanhdao']] };
    const M = 'mutation($i: CreateMeetingInput!){ createMeeting(input: $i){ id status } }';
    expect(await code('vanthu', M, { i: { ...base, endsAt: future(2, 7) } })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'endsAt' });
    expect(await code('vanthu', M, { i: { ...base, title: '  ' } })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'title' });
    expect(await code('vanthu', M, { i: { ...base, secretaryId: ids.lanhdao } })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'secretaryId' });
    expect(await code('vanthu', M, { i: { ...base, memberIds: [ids['stc.vanthu']] } })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'memberIds' });
    const created = await ok('vanthu', M, { i: base });
    meetingId = created.createMeeting.id;
    expect(created.createMeeting.status).toBe('DRAFT');
    expect((await code('chuyenvien', GET, { id: meetingId })).code).toBe('NOT_FOUND');
    const chair = (await ok('lanhdao', GET, { id: meetingId })).meeting;
    expect(chair.myRole).toBe('CHAIR');
    expect(chair.allowedActions).toEqual(expect.arrayContaining(['UPDATE', 'ADD_AGENDA_ITEM', 'PUBLISH']));
    // Publishing without an agenda is refused.
    expect(await code('vanthu', 'mutation($m: ID!){ publishMeeting(meetingId: $m){ id } }', { m: meetingId })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'agenda' });
  });

  it('builds the agenda with documents (upload and from the inbox) and publishes', async () => {
    const A = 'mutation($m: ID!, $i: AgendaItemInput!){ addAgendaItem(meetingId: $m, input: $i){ id order title presenter { username } } }';
    for (const [t, p] of [
      ['Kế hoạch chuyển đổi số 2026', ids.chuyenvien],
      ['Dự toán ngân sách quý I', ids.truongphong],
      ['Báo cáo công tác tháng', null],
    ] as const)
      items.push((await ok('vanthu', A, { m: meetingId, i: { title: t, presenterId: p, durationMinutes: 20 } })).addAgendaItem.id);
    expect((await code('chuyenvien', A, { m: meetingId, i: { title: 'x' } })).code).toBe('NOT_FOUND');
    expect(await code('vanthu', A, { m: meetingId, i: { title: 'x', durationMinutes: 0 } })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'durationMinutes' });
    const up = await gqlUpload<{ attachDocument: { id: string; fileName: string } }>(
      s.url,
      'mutation($i: ID!, $in: AttachDocumentInput!){ attachDocument(itemId: $i, input: $in){ id fileName title } }',
      { i: items[0], in: { file: null, title: 'Dự thảo kế hoạch' } },
      [{ path: 'variables.in.file', name: 'du-thao.pdf', bytes: uniquePdf(), type: 'application/pdf' }],
      tokens.vanthu,
    );
    expect(up.errors).toBeUndefined();
    ids.doc = up.data!.attachDocument.id;
    // Neither or both → BAD_USER_INPUT.
    expect((await code('vanthu', 'mutation($i: ID!){ attachDocument(itemId: $i, input: {}){ id } }', { i: items[0] })).code).toBe('BAD_USER_INPUT');
    const pub = await ok('vanthu', 'mutation($m: ID!){ publishMeeting(meetingId: $m){ status version } }', { m: meetingId });
    expect(pub.publishMeeting.status).toBe('PUBLISHED');
  });

  it('invited users see it; a colleague not invited and another agency get NOT_FOUND', async () => {
    expect((await ok('chuyenvien', GET, { id: meetingId })).meeting.myRole).toBe('MEMBER');
    expect((await ok('snv.lanhdao', GET, { id: meetingId })).meeting.myRole).toBe('GUEST');
    expect((await code('luutru', GET, { id: meetingId })).code).toBe('NOT_FOUND');
    expect((await code('stc.vanthu', GET, { id: meetingId })).code).toBe('NOT_FOUND');
    expect((await code('stc.vanthu', 'mutation($m: ID!){ checkIn(meetingId: $m){ id } }', { m: meetingId })).code).toBe('NOT_FOUND');
    expect((await code('luutru', 'mutation($m: ID!){ checkIn(meetingId: $m){ id } }', { m: meetingId })).code).toBe('NOT_FOUND');
    const list = await ok('chuyenvien', '{ meetings(first: 10){ totalCount edges { node { id } } } }');
    expect(list.meetings.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(meetingId);
    expect((await ok('luutru', '{ meetings(first: 10){ totalCount } }')).meetings.totalCount).toBe(0);
  });

  it('members record positions and private notes; only the chair and secretary see the positions', async () => {
    const P = 'mutation($i: ID!, $in: PositionInput!){ recordPosition(itemId: $i, input: $in){ kind opinion user { username } } }';
    await ok('chuyenvien', P, { i: items[0], in: { kind: 'AGREE' } });
    await ok('truongphong', P, { i: items[1], in: { kind: 'OTHER_OPINION', opinion: 'Đề nghị bổ sung thuyết minh' } });
    expect(await code('truongphong', P, { i: items[1], in: { kind: 'OTHER_OPINION' } })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'opinion' });
    expect((await code('snv.lanhdao', P, { i: items[0], in: { kind: 'AGREE' } })).code).toBe('FORBIDDEN');
    expect((await code('luutru', P, { i: items[0], in: { kind: 'AGREE' } })).code).toBe('NOT_FOUND');
    await ok('chuyenvien', 'mutation($d: ID!){ saveDocumentNote(meetingDocumentId: $d, text: "Lưu ý mục 3"){ myNote } }', { d: ids.doc });
    const chair = (await ok('lanhdao', GET, { id: meetingId })).meeting;
    expect(chair.agenda[1].positions).toEqual([{ user: { username: 'truongphong' }, kind: 'OTHER_OPINION', opinion: 'Đề nghị bổ sung thuyết minh' }]);
    expect(chair.agenda[0].documents[0].myNote).toBeNull();
    const member = (await ok('chuyenvien', GET, { id: meetingId })).meeting;
    expect(member.agenda[1].positions).toBeNull();
    expect(member.agenda[1].positionSummary).toEqual({ agree: 0, otherOpinion: 1, requestToSpeak: 0, none: 1 });
    expect(member.agenda[0].myPosition).toEqual({ kind: 'AGREE', opinion: null });
    expect(member.agenda[0].documents[0].myNote).toBe('Lưu ý mục 3');
    expect(member.agenda[0].documents[0].url).toMatch(/^http/);
  });

  it('check-in (self, or by the secretary) and quorum; twice → CONFLICT', async () => {
    const C = 'mutation($m: ID!, $u: ID){ checkIn(meetingId: $m, userId: $u){ user { username } checkedInBy { username } } }';
    expect((await ok('chuyenvien', C, { m: meetingId })).checkIn).toEqual({ user: { username: 'chuyenvien' }, checkedInBy: { username: 'chuyenvien' } });
    expect((await ok('vanthu', C, { m: meetingId, u: ids.lanhdao })).checkIn.checkedInBy.username).toBe('vanthu');
    expect((await code('chuyenvien', C, { m: meetingId })).code).toBe('CONFLICT');
    expect((await code('chuyenvien', C, { m: meetingId, u: ids.truongphong })).code).toBe('FORBIDDEN');
    expect(await code('vanthu', C, { m: meetingId, u: ids.luutru })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'userId' });
    const m = (await ok('lanhdao', GET, { id: meetingId })).meeting;
    expect(m.attendance).toEqual({ invited: 5, present: 2, votingMembers: 3, votingPresent: 2, quorum: 2, quorumMet: true });
  });

  it('the chair runs the meeting: current item (stale → CONFLICT), speakers with countdown', async () => {
    expect((await code('chuyenvien', 'mutation($m: ID!){ startMeeting(meetingId: $m){ id } }', { m: meetingId })).code).toBe('FORBIDDEN');
    await ok('vanthu', 'mutation($m: ID!){ startMeeting(meetingId: $m){ status } }', { m: meetingId });
    const SET = 'mutation($m: ID!, $i: ID!, $e: ID){ setCurrentItem(meetingId: $m, itemId: $i, expectedItemId: $e){ currentItem { id } version } }';
    expect((await ok('lanhdao', SET, { m: meetingId, i: items[0], e: null })).setCurrentItem.currentItem.id).toBe(items[0]);
    const before = (await ok('lanhdao', GET, { id: meetingId })).meeting.version;
    // A console that still shows "no current item" acts: CONFLICT, nothing changed.
    expect((await code('lanhdao', SET, { m: meetingId, i: items[1], e: null })).code).toBe('CONFLICT');
    expect((await code('chuyenvien', SET, { m: meetingId, i: items[1], e: items[0] })).code).toBe('FORBIDDEN');
    const after = (await ok('lanhdao', GET, { id: meetingId })).meeting;
    expect(after.version).toBe(before);
    expect(after.currentItem.id).toBe(items[0]);

    const R = 'mutation($m: ID!, $i: ID!){ requestToSpeak(meetingId: $m, itemId: $i){ id status order user { username } } }';
    expect((await code('chuyenvien', R, { m: meetingId, i: items[1] })).code).toBe('CONFLICT');
    expect((await ok('chuyenvien', R, { m: meetingId, i: items[0] })).requestToSpeak).toMatchObject({ status: 'WAITING', user: { username: 'chuyenvien' } });
    expect((await code('chuyenvien', R, { m: meetingId, i: items[0] })).code).toBe('CONFLICT');
    await ok('snv.lanhdao', R, { m: meetingId, i: items[0] });
    expect((await code('vanthu', R, { m: meetingId, i: items[0] })).code).toBe('FORBIDDEN');
    const N = 'mutation($m: ID!, $i: ID!){ nextSpeaker(meetingId: $m, itemId: $i){ speakers { user { username } status speakingStartedAt speakingSeconds } } }';
    const sp = (await ok('lanhdao', N, { m: meetingId, i: items[0] })).nextSpeaker.speakers;
    expect(sp[0]).toMatchObject({ user: { username: 'chuyenvien' }, status: 'SPEAKING', speakingSeconds: 180 });
    expect(sp[0].speakingStartedAt).toBeTruthy();
    expect(sp[1]).toMatchObject({ user: { username: 'snv.lanhdao' }, status: 'WAITING' });
    expect((await code('chuyenvien', N, { m: meetingId, i: items[0] })).code).toBe('FORBIDDEN');
  });

  it('a secret vote: one ballot each, typed errors, split hidden until closed, no choice stored with a voter', async () => {
    const O = `mutation($i: ID!, $in: OpenVoteInput!){ openVote(itemId: $i, input: $in){ ${VOTE} } }`;
    expect((await code('vanthu', O, { i: items[0], in: { question: 'Thông qua kế hoạch?', secret: true } })).code).toBe('FORBIDDEN');
    expect((await code('lanhdao', O, { i: items[1], in: { question: 'Sai nội dung', secret: true } })).code).toBe('CONFLICT');
    const opened = (await ok('lanhdao', O, { i: items[0], in: { question: 'Thông qua kế hoạch?', secret: true } })).openVote;
    secretVote = opened.id;
    expect(opened.tally).toEqual({ agree: null, disagree: null, abstain: null, notVoted: 3, cast: 0, eligible: 3 });
    expect((await code('lanhdao', O, { i: items[0], in: { question: 'Thêm một', secret: false } })).code).toBe('CONFLICT');
    const V = `mutation($v: ID!, $c: VoteChoice!){ castVote(voteId: $v, choice: $c){ ${VOTE} } }`;
    const mine = (await ok('chuyenvien', V, { v: secretVote, c: 'AGREE' })).castVote;
    expect(mine).toMatchObject({ hasVoted: true, myChoice: null, ballots: [], tally: { agree: null, cast: 1, notVoted: 2 } });
    expect((await code('chuyenvien', V, { v: secretVote, c: 'DISAGREE' })).code).toBe('CONFLICT');
    expect((await code('vanthu', V, { v: secretVote, c: 'AGREE' })).code).toBe('FORBIDDEN');
    expect((await code('snv.lanhdao', V, { v: secretVote, c: 'AGREE' })).code).toBe('FORBIDDEN');
    expect((await code('luutru', V, { v: secretVote, c: 'AGREE' })).code).toBe('NOT_FOUND');
    expect((await code('stc.vanthu', V, { v: secretVote, c: 'AGREE' })).code).toBe('NOT_FOUND');
    expect(await code('lanhdao', V, { v: secretVote, c: 'MAYBE' })).toMatchObject({ code: 'BAD_USER_INPUT' });
    // The chair sees the count, not the split, and not who chose what.
    const chairView = (await ok('lanhdao', GET, { id: meetingId })).meeting.agenda[0].votes[0];
    expect(chairView.tally).toEqual({ agree: null, disagree: null, abstain: null, notVoted: 2, cast: 1, eligible: 3 });
    await ok('lanhdao', V, { v: secretVote, c: 'DISAGREE' });
    expect((await code('chuyenvien', `mutation($v: ID!){ closeVote(voteId: $v){ id } }`, { v: secretVote })).code).toBe('FORBIDDEN');
    const closed = (await ok('lanhdao', `mutation($v: ID!){ closeVote(voteId: $v){ ${VOTE} } }`, { v: secretVote })).closeVote;
    expect(closed).toMatchObject({ status: 'CLOSED', passed: false, ballots: [], tally: { agree: 1, disagree: 1, abstain: 0, notVoted: 1, cast: 2, eligible: 3 } });
    const versionBefore = (await ok('lanhdao', GET, { id: meetingId })).meeting.version;
    expect((await code('truongphong', V, { v: secretVote, c: 'AGREE' })).code).toBe('CONFLICT');
    expect((await ok('lanhdao', GET, { id: meetingId })).meeting.version).toBe(versionBefore);

    // In the database: voters without choices; nothing else mentions the vote's choices with a voter.
    const db = s.runtime.rt.orm.em.fork();
    const voters = await db.execute<{ user_id: string; choice: string | null }[]>('select user_id, choice from meeting_vote_voter where vote_id = ?', [secretVote]);
    expect(voters.map((v) => v.choice)).toEqual([null, null]);
    expect(new Set(voters.map((v) => v.user_id))).toEqual(new Set([ids.chuyenvien, ids.lanhdao]));
    const audits = await db.execute<{ data: unknown }[]>(`select data from audit_event where action = 'meeting.vote.cast' and target_id = ?`, [meetingId]);
    expect(audits).toHaveLength(2);
    for (const a of audits) expect(JSON.stringify(a.data)).not.toMatch(/AGREE|DISAGREE|ABSTAIN|choice/);
    // No column of the meetings tables other than the named-vote choice holds a VoteChoice.
    const cols = await db.execute<{ table_name: string; column_name: string }[]>(
      `select table_name, column_name from information_schema.columns where table_name like 'meeting%' and column_name in ('choice', 'user_id', 'voter_id')`,
    );
    const withChoice = new Set(cols.filter((c) => c.column_name === 'choice').map((c) => c.table_name));
    expect([...withChoice]).toEqual(['meeting_vote_voter']);
  });

  it('a named vote shows who chose what, live', async () => {
    const open = (await ok('lanhdao', `mutation($i: ID!){ openVote(itemId: $i, input: { question: "Giao Sở TT-TT chủ trì?", secret: false }){ id } }`, { i: items[0] })).openVote;
    await ok('truongphong', 'mutation($v: ID!){ castVote(voteId: $v, choice: ABSTAIN){ id } }', { v: open.id });
    const v = (await ok('chuyenvien', `mutation($v: ID!){ castVote(voteId: $v, choice: AGREE){ ${VOTE} } }`, { v: open.id })).castVote;
    expect(v.myChoice).toBe('AGREE');
    expect(v.tally).toMatchObject({ agree: 1, abstain: 1, disagree: 0, notVoted: 1 });
    expect(v.ballots).toEqual(expect.arrayContaining([{ user: { username: 'truongphong' }, choice: 'ABSTAIN' }, { user: { username: 'chuyenvien' }, choice: 'AGREE' }]));
    await ok('lanhdao', 'mutation($v: ID!){ closeVote(voteId: $v){ id } }', { v: open.id });
  });

  it('passes items without objection in one action (an item with an objection → CONFLICT, nothing changed)', async () => {
    const PASS = 'mutation($m: ID!, $i: [ID!]!){ passItemsWithoutObjection(meetingId: $m, itemIds: $i){ agenda { id status } } }';
    expect((await code('lanhdao', PASS, { m: meetingId, i: [items[2], items[1]] })).code).toBe('CONFLICT');
    expect((await ok('lanhdao', GET, { id: meetingId })).meeting.agenda.map((i: { status: string }) => i.status)).toEqual(['CURRENT', 'PENDING', 'PENDING']);
    expect((await code('vanthu', PASS, { m: meetingId, i: [items[2]] })).code).toBe('FORBIDDEN');
    const r = await ok('lanhdao', PASS, { m: meetingId, i: [items[2]] });
    expect(r.passItemsWithoutObjection.agenda.map((i: { status: string }) => i.status)).toEqual(['CURRENT', 'PENDING', 'PASSED']);
  });

  it('minutes, conclusion with tasks, the Thông báo kết luận drafted in the outgoing flow', async () => {
    await ok('vanthu', 'mutation($i: ID!){ saveMinutes(itemId: $i, minutes: "Đồng chí chuyên viên trình bày kế hoạch."){ minutes } }', { i: items[0] });
    const deadline = future(10, 8).slice(0, 10);
    const CON = 'mutation($i: ID!, $in: ConcludeItemInput!){ concludeItem(itemId: $i, input: $in){ status conclusion tasks { title assignee { username } deadline done } } }';
    expect(await code('vanthu', CON, { i: items[0], in: { conclusion: 'x', tasks: [{ title: 'Hoàn thiện', assigneeId: ids.chuyenvien, deadline: '2020-01-01' }] } })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'tasks.deadline',
    });
    expect((await ok('lanhdao', GET, { id: meetingId })).meeting.agenda[0].status).toBe('CURRENT');
    const c = await ok('vanthu', CON, { i: items[0], in: { conclusion: 'Giao Văn phòng hoàn thiện kế hoạch.', tasks: [{ title: 'Hoàn thiện kế hoạch', assigneeId: ids.chuyenvien, deadline }] } });
    expect(c.concludeItem).toMatchObject({ status: 'CONCLUDED', tasks: [{ title: 'Hoàn thiện kế hoạch', assignee: { username: 'chuyenvien' }, deadline, done: false }] });
    expect((await code('vanthu', CON, { i: items[0], in: { conclusion: 'again' } })).code).toBe('CONFLICT');
    const mine = await ok('chuyenvien', '{ meetingTasks(mine: true, openOnly: true){ id title canComplete overdue } }');
    expect(mine.meetingTasks).toEqual([expect.objectContaining({ title: 'Hoàn thiện kế hoạch', canComplete: true, overdue: false })]);
    // Văn thư may not draft outgoing documents: the chair drafts the notice.
    expect((await code('vanthu', 'mutation($m: ID!){ draftConclusionNotice(meetingId: $m){ id } }', { m: meetingId })).code).toBe('FORBIDDEN');
    const d = await ok('lanhdao', 'mutation($m: ID!){ draftConclusionNotice(meetingId: $m){ id status typeCode subject direction files { fileName } } }', { m: meetingId });
    expect(d.draftConclusionNotice).toMatchObject({ status: 'DRAFT', typeCode: 'TB', direction: 'OUTGOING', files: [{ fileName: 'thong-bao-ket-luan.pdf' }] });
    expect(d.draftConclusionNotice.subject).toContain('Giao ban tuần');
    const m = await ok('lanhdao', 'query($id: ID!){ meeting(id: $id){ conclusionDocument { id } } }', { id: meetingId });
    expect(m.meeting.conclusionDocument.id).toBe(d.draftConclusionNotice.id);
  });

  it('exports the biên bản (PDF) and the vote results (CSV) to the organisers only', async () => {
    const Q = 'query($m: ID!, $k: MeetingReportKind!, $f: MeetingReportFormat!){ meetingReport(meetingId: $m, kind: $k, format: $f){ fileName contentType url rows } }';
    const pdf = (await ok('vanthu', Q, { m: meetingId, k: 'MINUTES', f: 'PDF' })).meetingReport;
    const bytes = Buffer.from(await (await fetch(pdf.url)).arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const csv = (await ok('lanhdao', Q, { m: meetingId, k: 'VOTE_RESULTS', f: 'CSV' })).meetingReport;
    const text = (await (await fetch(csv.url)).text()).replace(/^\uFEFF/, '');
    const lines = text.trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('Thông qua kế hoạch?,Kín,1,1,0,1,3,Không thông qua');
    expect(text).not.toMatch(/Nguyễn|chuyenvien/);
    expect((await code('chuyenvien', Q, { m: meetingId, k: 'MINUTES', f: 'PDF' })).code).toBe('FORBIDDEN');
    expect((await code('stc.vanthu', Q, { m: meetingId, k: 'MINUTES', f: 'PDF' })).code).toBe('NOT_FOUND');
    expect((await code('vanthu', Q, { m: meetingId, k: 'MINUTES', f: 'CSV' })).field).toBe('format');
  });

  it('the work calendar shows the meeting and other engagements, with a printable PDF', async () => {
    const week = future(2, 8).slice(0, 10);
    const E = 'mutation($i: EngagementInput!){ createEngagement(input: $i){ id title leaders { username } canEdit } }';
    const eng = { title: 'Làm việc với Sở Tài chính', startsAt: future(2, 14), endsAt: future(2, 16), location: 'Trụ sở tiếp công dân', leaderIds: [ids.lanhdao] };
    expect((await code('chuyenvien', E, { i: eng })).code).toBe('FORBIDDEN');
    expect(await code('vanthu', E, { i: { ...eng, leaderIds: [ids['stc.vanthu']] } })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'leaderIds' });
    await ok('vanthu', E, { i: eng });
    const Q = 'query($w: Date){ workCalendar(week: $w){ from to weekNumber canAddEngagement days { date entries { kind title meetingId leaders { username } } } } }';
    const cal = (await ok('luutru', Q, { w: week })).workCalendar;
    const day = cal.days.find((d: { date: string }) => d.date === week);
    // (The demo seed's own meeting and engagement may fall on the same day: only ours are compared.)
    const ours = (e: { title: string }) => ['Giao ban tuần', 'Làm việc với Sở Tài chính'].includes(e.title);
    expect(day.entries.filter(ours).map((e: { kind: string; title: string; meetingId: string | null }) => [e.kind, e.title, e.meetingId])).toEqual([
      ['MEETING', 'Giao ban tuần', null],
      ['ENGAGEMENT', 'Làm việc với Sở Tài chính', null],
    ]);
    const cv = (await ok('chuyenvien', Q, { w: week })).workCalendar.days.find((d: { date: string }) => d.date === week).entries.filter(ours);
    expect(cv[0].meetingId).toBe(meetingId);
    expect((await ok('stc.vanthu', Q, { w: week })).workCalendar.days.flatMap((d: { entries: unknown[] }) => d.entries)).toEqual([]);
    expect((await code('vanthu', Q, { w: '31/12/2026' })).code).toBe('BAD_USER_INPUT');
    const pdf = (await ok('vanthu', 'query($w: Date){ workCalendarPdf(week: $w){ url rows } }', { w: week })).workCalendarPdf;
    expect(pdf.rows).toBeGreaterThanOrEqual(2);
    expect(Buffer.from(await (await fetch(pdf.url)).arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('a lobby display works with only its token', async () => {
    expect((await code('chuyenvien', 'mutation{ issueDisplayToken(room: "Phòng họp số 1"){ token } }')).code).toBe('FORBIDDEN');
    const { token } = (await ok('vanthu', 'mutation{ issueDisplayToken(room: "Phòng họp số 1"){ token displayToken { id room } } }')).issueDisplayToken;
    // The meeting is in two days: move it to today so that the lobby lists it.
    await s.runtime.rt.orm.em.fork().execute(`update meeting set starts_at = now(), ends_at = now() + interval '1 hour' where id = ?`, [meetingId]);
    const Q = 'query($t: String!){ lobbyDisplay(token: $t){ agencyName room meetings { id title status chairName currentItemTitle currentItemOrder } } }';
    const lobby = (await ok(null, Q, { t: token })).lobbyDisplay;
    expect(lobby.room).toBe('Phòng họp số 1');
    expect(lobby.meetings).toEqual([expect.objectContaining({ id: meetingId, status: 'IN_PROGRESS', currentItemTitle: 'Kế hoạch chuyển đổi số 2026', currentItemOrder: 1 })]);
    expect((await code(null, Q, { t: 'cvd_wrong' })).code).toBe('UNAUTHENTICATED');
    // The token reads the lobby, nothing else.
    expect((await code(null, GET, { id: meetingId })).code).toBe('UNAUTHENTICATED');
  });
});

describe('meetings: what the caller may do, and the people picker for guests of other agencies', () => {
  const CAPS = '{ meetingCapabilities }';
  const PICK = 'query($q: String!, $n: Int){ meetingInvitees(search: $q, first: $n){ id fullName title unitName agencyId agencyName } }';

  it('meetingCapabilities drives "Tạo cuộc họp" and the lobby displays; the same rule refuses the mutations', async () => {
    expect((await ok('vanthu', CAPS)).meetingCapabilities).toEqual(['CREATE_MEETING', 'MANAGE_DISPLAYS']);
    expect((await ok('chuyenvien', CAPS)).meetingCapabilities).toEqual(['CREATE_MEETING']);
    expect((await ok('luutru', CAPS)).meetingCapabilities).toEqual([]);
    // luutru may not create a meeting, not even one they would take part in.
    const M = 'mutation($i: CreateMeetingInput!){ createMeeting(input: $i){ id } }';
    const i = { title: 'Họp kho lưu trữ', startsAt: future(4, 8), endsAt: future(4, 9), chairId: ids.lanhdao, secretaryId: ids.luutru, memberIds: [ids.chuyenvien] };
    expect((await code('luutru', M, { i })).code).toBe('FORBIDDEN');
    expect((await code('chuyenvien', 'mutation{ issueDisplayToken(room: "P1"){ token } }')).code).toBe('FORBIDDEN');
    expect((await code(null, CAPS)).code).toBe('UNAUTHENTICATED');
  });

  it('finds people of other agencies by name (accents ignored) or agency, shows only name, title, unit and agency, and they can be invited', async () => {
    const guest = (await ok('snv.lanhdao', '{ me { id fullName agency { id name } } }')).me;
    const plain = (x: string) => x.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
    const byName = (await ok('vanthu', PICK, { q: plain(guest.fullName).toLowerCase() })).meetingInvitees;
    expect(byName).toContainEqual(expect.objectContaining({ id: guest.id, fullName: guest.fullName, agencyId: guest.agency.id, agencyName: guest.agency.name }));
    const byAgency = (await ok('vanthu', PICK, { q: guest.agency.name, n: 50 })).meetingInvitees;
    expect((await ok('vanthu', PICK, { q: plain(guest.agency.name).toLowerCase(), n: 50 })).meetingInvitees.map((p: { id: string }) => p.id)).toContain(guest.id);
    expect(byAgency.map((p: { id: string }) => p.id)).toContain(guest.id);
    expect(new Set(byAgency.map((p: { agencyId: string }) => p.agencyId))).toEqual(new Set([guest.agency.id]));
    // No contact data in the type at all.
    const noUsername = await code('vanthu', 'query{ meetingInvitees(search: "so noi vu"){ id username } }');
    expect(noUsername.code).toBe('BAD_USER_INPUT');
    expect(noUsername.message).toMatch(/username/);
    expect(await code('vanthu', PICK, { q: 'a' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'search' });
    expect((await code('luutru', PICK, { q: guest.fullName })).code).toBe('FORBIDDEN');
    // The one found is invited as a guest.
    const created = await ok('vanthu', 'mutation($i: CreateMeetingInput!){ createMeeting(input: $i){ id participants { role user { id } } } }', {
      i: { title: 'Làm việc với Sở Nội vụ', startsAt: future(4, 14), endsAt: future(4, 15), chairId: ids.lanhdao, secretaryId: ids.vanthu, guestIds: [guest.id] },
    });
    expect(created.createMeeting.participants).toContainEqual({ role: 'GUEST', user: { id: guest.id } });
  });
});
