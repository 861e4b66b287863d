import { allowedRecordActions, checkFiling, checkRecordAction, checkRetentionChange, fileCodeOf, handlingFinished, retentionExpired, retentionUntilYear, type RecordFacts, type RecordViewer } from './records';

const A = 'agency-A';
const v = (roles: RecordViewer['roles'], extra: Partial<RecordViewer> = {}): RecordViewer => ({ userId: 'u-' + roles.join('-'), agencyId: A, unitId: 'unit-KT', roles, ...extra });
const rec = (extra: Partial<RecordFacts> = {}): RecordFacts => ({
  agencyId: A,
  unitId: 'unit-KT',
  creatorId: 'creator',
  state: 'OPEN',
  year: 2010,
  endYear: 2011,
  retentionYears: 5,
  legalHold: false,
  metadataUnverified: false,
  documentCount: 2,
  ...extra,
});
const NOW = 2026;

describe('hồ sơ rules', () => {
  it('who handles an open hồ sơ: creator, unit head of its unit, văn thư, lưu trữ, lãnh đạo — not other staff, not QUAN_TRI, not another agency', () => {
    expect(checkRecordAction(v(['CHUYEN_VIEN'], { userId: 'creator' }), rec(), 'FILE_DOCUMENT', NOW).ok).toBe(true);
    expect(checkRecordAction(v(['TRUONG_PHONG']), rec(), 'FILE_DOCUMENT', NOW).ok).toBe(true);
    expect(checkRecordAction(v(['TRUONG_PHONG'], { unitId: 'unit-VP' }), rec(), 'FILE_DOCUMENT', NOW)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(checkRecordAction(v(['CHUYEN_VIEN']), rec(), 'CLOSE', NOW)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    for (const role of ['VAN_THU', 'LUU_TRU', 'LANH_DAO'] as const) expect(checkRecordAction(v([role]), rec(), 'CLOSE', NOW).ok).toBe(true);
    expect(checkRecordAction(v(['QUAN_TRI']), rec(), 'FILE_DOCUMENT', NOW)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(checkRecordAction(v(['VAN_THU'], { agencyId: 'agency-B' }), rec(), 'FILE_DOCUMENT', NOW)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  it('states: file/close only when OPEN, an empty hồ sơ is not closed, transfer only when CLOSED, reopen only CLOSED', () => {
    const vt = v(['VAN_THU']);
    expect(checkRecordAction(vt, rec({ state: 'CLOSED' }), 'FILE_DOCUMENT', NOW)).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(checkRecordAction(vt, rec({ documentCount: 0 }), 'CLOSE', NOW)).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(checkRecordAction(vt, rec(), 'TRANSFER', NOW)).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(checkRecordAction(vt, rec({ state: 'CLOSED' }), 'TRANSFER', NOW).ok).toBe(true);
    expect(checkRecordAction(vt, rec({ state: 'TRANSFERRED' }), 'REOPEN', NOW)).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(checkRecordAction(vt, rec({ state: 'CLOSED' }), 'REOPEN', NOW).ok).toBe(true);
    expect(allowedRecordActions(vt, rec({ state: 'TRANSFERRED' }), NOW)).toEqual([]);
  });

  it('archive work is the archivist’s: metadata until confirmed, retention, disposal; legal hold also leaders', () => {
    const lt = v(['LUU_TRU']);
    const transferred = rec({ state: 'TRANSFERRED', metadataUnverified: true });
    expect(allowedRecordActions(lt, transferred, NOW)).toEqual(['UPDATE_METADATA', 'CONFIRM_METADATA', 'PLACE_LEGAL_HOLD', 'EXTEND_RETENTION', 'DISPOSE']);
    expect(checkRecordAction(lt, { ...transferred, metadataUnverified: false }, 'UPDATE_METADATA', NOW)).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(checkRecordAction(v(['VAN_THU']), transferred, 'UPDATE_METADATA', NOW)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(checkRecordAction(v(['LANH_DAO']), transferred, 'PLACE_LEGAL_HOLD', NOW).ok).toBe(true);
    expect(checkRecordAction(v(['LANH_DAO']), transferred, 'DISPOSE', NOW)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  it('disposal: transferred, past retention, not permanent, not under legal hold', () => {
    const lt = v(['LUU_TRU']);
    const t = rec({ state: 'TRANSFERRED' }); // ends 2011, 5 years → kept through 2016
    expect(retentionUntilYear(t)).toBe(2016);
    expect(retentionExpired(t, 2016)).toBe(false);
    expect(retentionExpired(t, 2017)).toBe(true);
    expect(checkRecordAction(lt, t, 'DISPOSE', 2016)).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(checkRecordAction(lt, t, 'DISPOSE', 2017).ok).toBe(true);
    expect(checkRecordAction(lt, { ...t, legalHold: true }, 'DISPOSE', NOW)).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(checkRecordAction(lt, { ...t, retentionYears: null }, 'DISPOSE', NOW)).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(checkRecordAction(lt, rec({ state: 'CLOSED' }), 'DISPOSE', NOW)).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(checkRecordAction(lt, { ...t, state: 'DISPOSED' }, 'DISPOSE', NOW)).toMatchObject({ ok: false, code: 'CONFLICT' });
  });

  it('retention only extends', () => {
    expect(checkRetentionChange(5, 10).ok).toBe(true);
    expect(checkRetentionChange(5, null).ok).toBe(true);
    expect(checkRetentionChange(5, 5)).toMatchObject({ ok: false, code: 'BAD_USER_INPUT', field: 'retentionYears' });
    expect(checkRetentionChange(5, 3)).toMatchObject({ ok: false, code: 'BAD_USER_INPUT' });
    expect(checkRetentionChange(null, 70)).toMatchObject({ ok: false, code: 'CONFLICT' });
  });

  it('filing: own agency, not twice, not into a second hồ sơ, archived only for imported archive documents', () => {
    const r = { agencyId: A };
    const doc = { agencyId: A, recordId: null, archived: false, direction: 'INCOMING' };
    expect(checkFiling(r, doc, 'r1').ok).toBe(true);
    expect(checkFiling(r, { ...doc, agencyId: 'agency-B' }, 'r1')).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(checkFiling(r, { ...doc, recordId: 'r1' }, 'r1')).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(checkFiling(r, { ...doc, recordId: 'r2' }, 'r1')).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(checkFiling(r, { ...doc, archived: true }, 'r1')).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(checkFiling(r, { ...doc, archived: true, direction: 'ARCHIVE' }, 'r1').ok).toBe(true);
  });

  it('mã hồ sơ', () => {
    expect(fileCodeOf('000.00.00.H27', 2026, '01.KT')).toBe('000.00.00.H27.2026.01.KT');
  });

  it('only finished work is transferred: incoming done / for info / refused / annulled, outgoing issued, archive always', () => {
    for (const state of ['DONE', 'FOR_INFO', 'REJECTED', 'ANNULLED']) expect(handlingFinished({ direction: 'INCOMING', state })).toBe(true);
    for (const state of ['RECEIVED', 'REGISTERED', 'SUBMITTED', 'ASSIGNED', 'IN_PROGRESS', 'RETURNED']) expect(handlingFinished({ direction: 'INCOMING', state })).toBe(false);
    expect(handlingFinished({ direction: 'OUTGOING', state: 'ISSUED' })).toBe(true);
    for (const state of ['DRAFT', 'IN_APPROVAL', 'RETURNED_TO_DRAFTER', 'APPROVED', 'SIGNED']) expect(handlingFinished({ direction: 'OUTGOING', state })).toBe(false);
    expect(handlingFinished({ direction: 'ARCHIVE', state: 'ARCHIVED' })).toBe(true);
  });
});
