import {
  allowedReceiverActions,
  allowedSenderActions,
  diffUpdate,
  guardIssued,
  holdingRecipients,
  kindOfBusinessDocType,
  planRecall,
  planRecallAnswer,
  planSend,
  receivedEffect,
  senderOutcome,
  withdrawnNote,
  type BusinessActor,
  type SenderDoc,
  type SenderRecipient,
} from './domain';

const A = 'agency-a';
const vanThu: BusinessActor = { userId: 'u1', agencyId: A, roles: ['VAN_THU'] };
const leader: BusinessActor = { userId: 'u2', agencyId: A, roles: ['LANH_DAO'] };
const expert: BusinessActor = { userId: 'u3', agencyId: A, roles: ['CHUYEN_VIEN'] };
const otherVanThu: BusinessActor = { userId: 'u4', agencyId: 'agency-b', roles: ['VAN_THU'] };
const issued: SenderDoc & { id: string } = { id: 'd1', agencyId: A, direction: 'OUTGOING', state: 'ISSUED', secret: false, archived: false, withdrawnKind: null };
const r = (id: string, statusCode: string | null, extra: Partial<SenderRecipient> = {}): SenderRecipient => ({ id, electronic: true, statusCode, recallPending: false, ...extra });

describe('sender guard', () => {
  it('lets the văn thư and the leaders of the issuing agency act on an issued document only', () => {
    expect(guardIssued(vanThu, issued).ok).toBe(true);
    expect(guardIssued(leader, issued).ok).toBe(true);
    expect(guardIssued(expert, issued)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(guardIssued(otherVanThu, issued)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(guardIssued(vanThu, { ...issued, state: 'SIGNED' })).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(guardIssued(vanThu, { ...issued, direction: 'INCOMING' })).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(guardIssued(vanThu, { ...issued, archived: true })).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(guardIssued(vanThu, { ...issued, withdrawnKind: 'REVOKED' })).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(guardIssued(vanThu, { ...issued, secret: true })).toMatchObject({ ok: false, code: 'CONFLICT' });
  });
});

describe('recall (13)', () => {
  it('goes to the recipients still holding the document, with a reason', () => {
    const recipients = [r('a', '01'), r('b', '03'), r('c', '02'), r('d', '15'), r('e', null), r('f', '05', { electronic: false }), r('g', '06', { recallPending: true })];
    expect(holdingRecipients(recipients).map((x) => x.id)).toEqual(['a', 'b', 'g']);
    const p = planRecall(vanThu, issued, recipients, '  Gửi nhầm   nơi nhận ');
    expect(p).toEqual({ ok: true, value: { reason: 'Gửi nhầm nơi nhận', recipientIds: ['a', 'b'] } });
  });
  it('needs a reason and someone to ask', () => {
    expect(planRecall(vanThu, issued, [r('a', '01')], ' ')).toMatchObject({ ok: false, code: 'BAD_USER_INPUT', field: 'reason' });
    expect(planRecall(vanThu, issued, [r('a', '02'), r('b', '01', { recallPending: true })], 'x')).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(planRecall(vanThu, issued, [r('a', '01')], 'x'.repeat(1001))).toMatchObject({ ok: false, field: 'reason' });
  });
  it('a recipient answers 15 (withdrawn) or 16 with a reason, once, by its văn thư', () => {
    const incoming = { agencyId: 'agency-b', direction: 'INCOMING', withdrawnKind: null, archived: false };
    expect(planRecallAnswer(otherVanThu, incoming, true, true, null)).toEqual({ ok: true, value: { code: '15', reason: null, withdraw: 'RECALLED' } });
    expect(planRecallAnswer(otherVanThu, incoming, true, false, '')).toMatchObject({ ok: false, field: 'reason' });
    expect(planRecallAnswer(otherVanThu, incoming, true, false, 'Đã xử lý xong')).toEqual({ ok: true, value: { code: '16', reason: 'Đã xử lý xong', withdraw: null } });
    expect(planRecallAnswer(otherVanThu, incoming, false, true, null)).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(planRecallAnswer(vanThu, incoming, true, true, null)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(planRecallAnswer({ ...otherVanThu, roles: ['LANH_DAO'] }, incoming, true, true, null)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(allowedReceiverActions(otherVanThu, incoming, true)).toEqual(['ANSWER_RECALL']);
    expect(allowedReceiverActions(otherVanThu, incoming, false)).toEqual([]);
  });
  it('the sender outcome moves only from REQUESTED', () => {
    expect(senderOutcome('REQUESTED', '15')).toBe('ACCEPTED');
    expect(senderOutcome('REQUESTED', '16')).toBe('REFUSED');
    expect(senderOutcome('ACCEPTED', '16')).toBeNull();
    expect(senderOutcome('REQUESTED', '05')).toBeNull();
  });
});

describe('revoke / update / replace (BussinessDocType 1/2/3)', () => {
  const recipients = [r('a', '03'), r('b', '02'), r('c', '01', { recallPending: true })];
  it('revoke withdraws the sender record and goes to every holding recipient', () => {
    expect(planSend(vanThu, issued, recipients, 'REVOKE', { reason: 'Ban hành sai thẩm quyền' })).toEqual({
      ok: true,
      value: { kind: 'REVOKE', reason: 'Ban hành sai thẩm quyền', recipientIds: ['a', 'c'], withdraw: 'REVOKED', changes: [] },
    });
    expect(planSend(vanThu, issued, recipients, 'REVOKE', { reason: '' })).toMatchObject({ ok: false, field: 'reason' });
  });
  it('replace needs an issued outgoing document of the same agency', () => {
    const repl = { id: 'd2', agencyId: A, direction: 'OUTGOING', state: 'ISSUED', withdrawnKind: null };
    expect(planSend(vanThu, issued, recipients, 'REPLACE', { reason: 'Sai sót', replacement: repl })).toMatchObject({ ok: true, value: { withdraw: 'REPLACED' } });
    expect(planSend(vanThu, issued, recipients, 'REPLACE', { reason: 'Sai sót', replacement: null })).toMatchObject({ ok: false, field: 'replacementId' });
    expect(planSend(vanThu, issued, recipients, 'REPLACE', { reason: 'Sai sót', replacement: { ...repl, id: 'd1' } })).toMatchObject({ ok: false, field: 'replacementId' });
    expect(planSend(vanThu, issued, recipients, 'REPLACE', { reason: 'Sai sót', replacement: { ...repl, state: 'SIGNED' } })).toMatchObject({ ok: false, field: 'replacementId' });
    expect(planSend(vanThu, issued, recipients, 'REPLACE', { reason: 'Sai sót', replacement: { ...repl, agencyId: 'x' } })).toMatchObject({ ok: false, field: 'replacementId' });
    expect(planSend(vanThu, issued, recipients, 'REPLACE', { reason: 'Sai sót', replacement: { ...repl, withdrawnKind: 'REVOKED' } })).toMatchObject({ ok: false, field: 'replacementId' });
  });
  it('update carries the real changes only, validated', () => {
    const before = { subject: 'Về việc A', pageCount: 2, urgency: 'THUONG', signerName: 'Nguyễn Văn A', signerTitle: null };
    const p = planSend(vanThu, issued, recipients, 'UPDATE', { reason: 'Sửa trích yếu', before, changes: { subject: ' Về việc  B ', pageCount: 2 } });
    expect(p).toMatchObject({ ok: true, value: { withdraw: null, changes: [{ field: 'subject', from: 'Về việc A', to: 'Về việc B' }] } });
    expect(diffUpdate(before, { subject: 'Về việc A' })).toMatchObject({ ok: false, field: 'changes' });
    expect(diffUpdate(before, { subject: ' ' })).toMatchObject({ ok: false, field: 'subject' });
    expect(diffUpdate(before, { pageCount: 0 })).toMatchObject({ ok: false, field: 'pageCount' });
    expect(diffUpdate(before, { urgency: 'RAT_KHAN' })).toMatchObject({ ok: false, field: 'urgency' });
    expect(diffUpdate(before, { urgency: 'KHAN', signerTitle: 'KT. CHỦ TỊCH' })).toMatchObject({ ok: true, value: [{ field: 'signerTitle' }, { field: 'urgency', from: 'THUONG', to: 'KHAN' }] });
  });
  it('maps business doc types and received effects', () => {
    expect([0, 1, 2, 3, 4].map(kindOfBusinessDocType)).toEqual([null, 'REVOKE', 'UPDATE', 'REPLACE', null]);
    expect(receivedEffect('REVOKE')).toEqual({ state: 'APPLIED', withdraw: 'REVOKED' });
    expect(receivedEffect('REPLACE')).toEqual({ state: 'APPLIED', withdraw: 'REPLACED' });
    expect(receivedEffect('UPDATE')).toEqual({ state: 'APPLIED', withdraw: null });
    expect(receivedEffect('RECALL')).toEqual({ state: 'PENDING', withdraw: null });
    expect(withdrawnNote('REPLACED', 'Sai sót', '12/QĐ-UBND')).toBe('Đã bị thay thế bằng văn bản 12/QĐ-UBND: Sai sót (số vẫn giữ trong sổ)');
    expect(withdrawnNote('REVOKED', null)).toBe('Đã thu hồi (số vẫn giữ trong sổ)');
  });
});

describe('allowed actions', () => {
  it('drives the buttons', () => {
    expect(allowedSenderActions(vanThu, issued, [r('a', '01')])).toEqual(['EXPORT_EDXML', 'REQUEST_RECALL', 'REVOKE_ISSUED', 'UPDATE_ISSUED', 'REPLACE_ISSUED']);
    expect(allowedSenderActions(vanThu, issued, [r('a', '02')])).toEqual(['EXPORT_EDXML', 'REVOKE_ISSUED', 'UPDATE_ISSUED', 'REPLACE_ISSUED']);
    expect(allowedSenderActions(vanThu, { ...issued, withdrawnKind: 'REVOKED' }, [r('a', '01')])).toEqual(['EXPORT_EDXML']);
    expect(allowedSenderActions(expert, issued, [r('a', '01')])).toEqual([]);
    expect(allowedSenderActions(vanThu, { ...issued, secret: true }, [])).toEqual([]);
  });
});
