import { DEFAULT_APPROVAL_CHAIN, DEFAULT_DOCUMENT_TYPES } from './domain';
import type { AgencySettings } from './entities/misc.entities';
import { holidayDatesFromRow, settingsFromRow } from './settings.service';

const row = (r: Partial<AgencySettings>) => r as AgencySettings;

describe('settingsFromRow (documents settings with defaults)', () => {
  it('no row: shared numbering, trưởng phòng → lãnh đạo, the Decree 30 types', () => {
    const s = settingsFromRow('a1', null);
    expect(s.numbering).toEqual({ outgoing: 'SHARED' });
    expect(s.approvalChain).toEqual(DEFAULT_APPROVAL_CHAIN);
    expect(s.documentTypes).toEqual([...DEFAULT_DOCUMENT_TYPES]);
    expect(s.holidayEdits.added).toEqual([]);
    expect(s.incomingRegisters).toEqual([{ key: 'INCOMING', name: 'Sổ văn bản đến', active: true }]);
  });

  it('reads PER_TYPE, an empty chain (straight to signing) and custom types', () => {
    const s = settingsFromRow('a1', row({ outgoingNumbering: 'PER_TYPE', approvalChain: [], documentTypes: [{ key: 'PHIEU_TRINH', code: 'PTr', name: 'Phiếu trình' }] }));
    expect(s.numbering).toEqual({ outgoing: 'PER_TYPE' });
    expect(s.approvalChain).toEqual([]);
    expect(s.documentTypes.find((t) => t.code === 'PTr')).toMatchObject({ name: 'Phiếu trình', category: 'CUSTOM', active: true });
  });

  it('falls back to the default chain when the stored one is invalid, and to SHARED for unknown values', () => {
    const s = settingsFromRow('a1', row({ outgoingNumbering: 'WHATEVER', approvalChain: [{ kind: 'ROLE', role: 'NOPE', scope: 'AGENCY' }] }));
    expect(s.numbering).toEqual({ outgoing: 'SHARED' });
    expect(s.approvalChain).toEqual(DEFAULT_APPROVAL_CHAIN);
  });

  it('returns copies: changing the result never changes the defaults', () => {
    const s = settingsFromRow('a1', null);
    (s.approvalChain[0] as { label?: string }).label = 'changed';
    expect(DEFAULT_APPROVAL_CHAIN[0].label).toBe('Trưởng phòng');
  });

  it('reads "dùng chung, riêng Quyết định" (stored SHARED_QD): QĐ numbered apart', () => {
    const s = settingsFromRow('a1', row({ outgoingNumbering: 'SHARED_QD' }));
    expect(s.outgoingNumbering).toBe('SHARED_EXCEPT_QD');
    expect(s.numbering).toEqual({ outgoing: 'SHARED', ownSequenceTypes: ['QĐ'] });
  });

  it('merges the public holidays with the agency edits for working days', () => {
    const dates = holidayDatesFromRow(row({ holidays: ['2027-04-26|Nghỉ riêng', '-2027-04-16'] }), [2027]);
    expect(dates).toContain('2027-02-06'); // mùng 1 Tết, from the lunar calendar
    expect(dates).toContain('2027-04-26');
    expect(dates).not.toContain('2027-04-16');
    expect(holidayDatesFromRow(null, [2027])).toContain('2027-04-16');
  });
});
