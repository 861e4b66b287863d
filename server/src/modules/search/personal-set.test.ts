import type { AccessViewer } from '../documents/domain/access';
import type { Role } from '../identity/roles';
import { SqlParams } from '../documents/inbox-sql';
import { personalAnchors, personalSetSql } from './personal-set';

const viewer = (roles: Role[], unitId: string | null = 'u1'): AccessViewer => ({ userId: 'me', agencyId: 'a1', unitId, roles });

describe('personal access set (search narrowing)', () => {
  it('no narrowing for an agency-wide grant: văn thư, leader, archivist', () => {
    for (const r of ['VAN_THU', 'LANH_DAO', 'LUU_TRU'] as Role[]) expect(personalAnchors(viewer([r]))).toBeNull();
    expect(personalAnchors(viewer(['CHUYEN_VIEN', 'LANH_DAO']))).toBeNull();
  });

  it('a chuyên viên: assignments, memberships and the chain', () => {
    expect([...personalAnchors(viewer(['CHUYEN_VIEN']))!].sort()).toEqual(['assigneeUserIds', 'namedReaderIds', 'participantUserIds', 'watcherIds']);
  });

  it('a trưởng phòng adds the unit’s assignments, only with a unit', () => {
    expect(personalAnchors(viewer(['TRUONG_PHONG']))!.has('assigneeUnitIds')).toBe(true);
    expect(personalAnchors(viewer(['TRUONG_PHONG'], null))!.has('assigneeUnitIds')).toBe(false);
  });

  it('SQL: one index-backed sub-query per anchor, parameters in text order', () => {
    const p = new SqlParams();
    const sql = personalSetSql(viewer(['TRUONG_PHONG']), p)!;
    expect(sql).toMatch(/^s\.document_id IN \(/);
    expect(sql).toContain('FROM assignment xa WHERE xa.user_id');
    expect(sql).toContain('FROM assignment xu WHERE xu.unit_id');
    expect(sql).toContain('document_member xm');
    expect(sql).toContain('d.approval_chain @>');
    expect((sql.match(/\?/g) ?? []).length).toBe(p.values.length);
    expect(p.values).toEqual(['me', 'u1', 'me', 'WATCHER', 'READER', 'me', 'me']);
    expect(personalSetSql(viewer(['VAN_THU']), new SqlParams())).toBeNull();
  });
});
