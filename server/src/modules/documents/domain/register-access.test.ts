import type { DocumentAccessInfo } from './access';
import { canViewStatistics, registerExportScope, registerShowsRow, statisticsNeedsOperatorCheck, statisticsScope } from './register-access';
import { A, B, EVERYONE, P } from './test-fixtures';

const doc = (patch: Partial<DocumentAccessInfo> = {}): DocumentAccessInfo => ({
  agencyId: A,
  secrecy: 'THUONG',
  assigneeUserIds: [],
  assigneeUnitIds: [],
  watcherIds: [],
  participantUserIds: [],
  namedReaderIds: [],
  deliveredToAgencyIds: [],
  ...patch,
});

describe('registers', () => {
  it('văn thư, leaders and archivists print the agency’s registers; a unit head only their unit’s follow-up', () => {
    expect(EVERYONE.filter((v) => registerExportScope(v, 'INCOMING')?.kind === 'AGENCY').map((v) => v.userId)).toEqual(['vt', 'ld1', 'ld2', 'lt', 'vt-b', 'ld-b']);
    expect(registerExportScope(P.headKT, 'FOLLOW_UP')).toEqual({ kind: 'UNIT', unitId: 'u-kt' });
    expect(registerExportScope(P.headKT, 'OUTGOING')).toBeNull();
    expect(registerExportScope(P.staffKT, 'FOLLOW_UP')).toBeNull();
    expect(registerExportScope(P.admin, 'INCOMING')).toBeNull();
  });

  it('rows: every ordinary document of the agency; a secret one only for those the access rule names', () => {
    expect(registerShowsRow(P.archivist, doc())).toBe(true);
    expect(registerShowsRow(P.outsiderVanThu, doc())).toBe(false);
    expect(registerShowsRow(P.vanThu, doc({ secrecy: 'MAT' }))).toBe(false);
    expect(registerShowsRow(P.vanThu, doc({ secrecy: 'TUYET_MAT', namedReaderIds: ['vt'] }))).toBe(true);
  });
});

describe('statistics', () => {
  it('leaders, văn thư and archivists of the agency; the operator’s administrator for any agency', () => {
    expect(canViewStatistics(P.leader, A, false)).toBe(true);
    expect(canViewStatistics(P.leader, B, false)).toBe(false);
    expect(statisticsScope(P.leader, A, false)).toEqual({ kind: 'AGENCY' });
    expect(statisticsScope(P.vanThu, A, false)).toEqual({ kind: 'AGENCY' });
    expect(canViewStatistics(P.admin, B, false)).toBe(false);
    expect(canViewStatistics(P.admin, B, true)).toBe(true);
    expect(statisticsNeedsOperatorCheck(P.admin, A)).toBe(true);
    expect(statisticsNeedsOperatorCheck(P.leader, A)).toBe(false);
  });

  it('a unit head sees their unit’s figures, a specialist their own, nobody another agency’s', () => {
    expect(statisticsScope(P.headKT, A, false)).toEqual({ kind: 'UNIT', unitId: 'u-kt' });
    expect(statisticsScope(P.staffKT, A, false)).toEqual({ kind: 'SELF', userId: P.staffKT.userId });
    expect(canViewStatistics(P.staffKT, A, false)).toBe(true);
    expect(statisticsScope(P.staffKT, B, false)).toBeNull();
    expect(statisticsScope(P.headKT, B, false)).toBeNull();
  });
});
