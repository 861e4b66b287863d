import {
  ACCESS_RULES,
  accessGrant,
  canView,
  canViewScan,
  facetShowsFile,
  facetShowsHistory,
  facetShowsInternal,
  facetShowsRecipient,
  viewFacet,
  type AccessViewer,
  type DocumentAccessInfo,
} from './access';
import { SECRECIES } from './markings';
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
const viewers = (d: DocumentAccessInfo) => EVERYONE.filter((v) => canView(v, d)).map((v) => v.userId);

describe('canView: non-secret documents', () => {
  it('by default only the agency’s văn thư and leaders', () => {
    expect(viewers(doc())).toEqual(['vt', 'ld1', 'ld2']);
    expect(accessGrant(P.vanThu, doc())).toBe('AGENCY_VAN_THU');
    expect(accessGrant(P.leader, doc())).toBe('AGENCY_LEADER');
  });

  it('not unit heads, staff, administrators or archivists without a relation', () => {
    for (const v of [P.headKT, P.staffKT, P.chanhVP, P.admin, P.archivist]) expect(canView(v, doc())).toBe(false);
  });

  it('assignees (people) see it', () => {
    const d = doc({ assigneeUserIds: ['cv-kt1'] });
    expect(viewers(d)).toEqual(['vt', 'ld1', 'ld2', 'cv-kt1']);
    expect(accessGrant(P.staffKT, d)).toBe('ASSIGNEE');
  });

  it('assigned units: their head sees it, other members do not', () => {
    const d = doc({ assigneeUnitIds: ['u-kt'] });
    expect(viewers(d)).toEqual(['vt', 'ld1', 'ld2', 'tp-kt']);
    expect(accessGrant(P.headKT, d)).toBe('UNIT_HEAD');
    expect(canView(P.staffKT2, d)).toBe(false);
    expect(canView(P.headTC, d)).toBe(false);
  });

  it('a staff member who is not a head gains nothing from being in an assigned unit', () => {
    const notHead: AccessViewer = { ...P.staffKT, roles: ['CHUYEN_VIEN'] };
    expect(canView(notHead, doc({ assigneeUnitIds: ['u-kt'] }))).toBe(false);
  });

  it('watchers, participants and named readers see it', () => {
    expect(accessGrant(P.staffTC, doc({ watcherIds: ['cv-tc'] }))).toBe('WATCHER');
    expect(accessGrant(P.staffTC, doc({ participantUserIds: ['cv-tc'] }))).toBe('PARTICIPANT');
    expect(accessGrant(P.staffTC, doc({ namedReaderIds: ['cv-tc'] }))).toBe('NAMED_READER');
    expect(canView(P.staffTC, doc({ participantUserIds: undefined }))).toBe(false);
  });

  it('relations never cross the agency line', () => {
    const d = doc({
      assigneeUserIds: ['vt-b', 'ld-b'],
      assigneeUnitIds: ['u-b'],
      watcherIds: ['vt-b', 'ld-b'],
      participantUserIds: ['vt-b', 'ld-b'],
      namedReaderIds: ['vt-b', 'ld-b'],
    });
    expect(canView(P.outsiderVanThu, d)).toBe(false);
    expect(canView(P.outsiderLeader, d)).toBe(false);
    // a foreign unit head whose unit id collides with an assigned unit
    const foreignHead: AccessViewer = { userId: 'tp-b', agencyId: B, unitId: 'u-kt', roles: ['TRUONG_PHONG'] };
    expect(canView(foreignHead, doc({ assigneeUnitIds: ['u-kt'] }))).toBe(false);
  });

  it('recipient agencies: their văn thư and leaders, once delivered', () => {
    expect(canView(P.outsiderVanThu, doc())).toBe(false);
    expect(canView(P.outsiderVanThu, doc({ deliveredToAgencyIds: [B] }))).toBe(true);
    expect(accessGrant(P.outsiderLeader, doc({ deliveredToAgencyIds: [B] }))).toBe('RECIPIENT_AGENCY');
    const recipientStaff: AccessViewer = { userId: 'cv-b', agencyId: B, unitId: 'u-b', roles: ['CHUYEN_VIEN'] };
    expect(canView(recipientStaff, doc({ deliveredToAgencyIds: [B] }))).toBe(false);
    const recipientHead: AccessViewer = { userId: 'tp-b', agencyId: B, unitId: 'u-b', roles: ['TRUONG_PHONG'] };
    expect(canView(recipientHead, doc({ deliveredToAgencyIds: [B] }))).toBe(false);
    // delivered elsewhere only
    expect(canView(P.outsiderVanThu, doc({ deliveredToAgencyIds: ['agency-C'] }))).toBe(false);
  });
});

describe('canView: secret documents', () => {
  const secret = SECRECIES.filter((s) => s !== 'THUONG');

  it.each(secret)('%s: nobody by role, not even văn thư or leaders', (secrecy) => {
    expect(viewers(doc({ secrecy }))).toEqual([]);
  });

  it.each(secret)('%s: assignees, unit heads, watchers and participants are NOT enough', (secrecy) => {
    const d = doc({ secrecy, assigneeUserIds: ['cv-kt1'], assigneeUnitIds: ['u-kt'], watcherIds: ['cv-tc'], participantUserIds: ['tp-vp'] });
    expect(viewers(d)).toEqual([]);
  });

  it.each(secret)('%s: only named people of the agency', (secrecy) => {
    const d = doc({ secrecy, namedReaderIds: ['ld1', 'cv-kt1'] });
    expect(viewers(d)).toEqual(['ld1', 'cv-kt1']);
    expect(accessGrant(P.leader, d)).toBe('NAMED_READER');
  });

  it('a named person of another agency only if it was delivered there', () => {
    const d = doc({ secrecy: 'MAT', namedReaderIds: ['vt-b'] });
    expect(canView(P.outsiderVanThu, d)).toBe(false);
    expect(canView(P.outsiderVanThu, { ...d, deliveredToAgencyIds: [B] })).toBe(true);
    // delivery alone does not open a secret document to the recipient's gatekeepers
    expect(canView(P.outsiderLeader, { ...d, deliveredToAgencyIds: [B] })).toBe(false);
  });

  it('rejects unknown secrecy values rather than guessing', () => {
    expect(() => canView(P.vanThu, doc({ secrecy: 'SECRET' as never }))).toThrow(RangeError);
  });
});

describe('canView: exhaustive grid', () => {
  it('for every relation × viewer, access is granted exactly by the rule', () => {
    const relations: Array<[string, Partial<DocumentAccessInfo>]> = [
      ['none', {}],
      ['assignee', { assigneeUserIds: ['cv-kt1'] }],
      ['unit', { assigneeUnitIds: ['u-kt'] }],
      ['watcher', { watcherIds: ['cv-kt1'] }],
      ['participant', { participantUserIds: ['cv-kt1'] }],
      ['named', { namedReaderIds: ['cv-kt1'] }],
      ['delivered', { deliveredToAgencyIds: [B] }],
    ];
    for (const secrecy of SECRECIES) {
      for (const [name, rel] of relations) {
        const d = doc({ secrecy, ...rel });
        for (const v of EVERYONE) {
          const own = v.agencyId === A;
          const gate = v.roles.includes('VAN_THU') || v.roles.includes('LANH_DAO');
          const related =
            (name === 'assignee' || name === 'watcher' || name === 'participant' || name === 'named') && v.userId === 'cv-kt1'
              ? true
              : name === 'unit' && v.userId === 'tp-kt';
          const expected =
            secrecy === 'THUONG' ? (own && (gate || related)) || (!own && name === 'delivered' && gate) : name === 'named' && v.userId === 'cv-kt1';
          expect({ secrecy, name, v: v.userId, can: canView(v, d) }).toEqual({ secrecy, name, v: v.userId, can: expected });
        }
      }
    }
  });
});

describe('facets: what a viewer sees of a document they may see', () => {
  it('the owning agency sees the whole record; a delivered agency the record as sent; others nothing', () => {
    const d = doc({ deliveredToAgencyIds: [B] });
    expect(viewFacet(P.vanThu, d)).toBe('FULL');
    expect(viewFacet(P.outsiderVanThu, d)).toBe('RECIPIENT');
    expect(viewFacet(P.staffKT, d)).toBeNull();
    // a reader named at the recipient agency of a secret document still sees only what was sent
    expect(viewFacet(P.outsiderLeader, doc({ secrecy: 'MAT', deliveredToAgencyIds: [B], namedReaderIds: ['ld-b'] }))).toBe('RECIPIENT');
  });

  it('a recipient sees the issued files and the delivery facts, not drafts, comments or the internal history', () => {
    expect(['MAIN', 'ATTACHMENT', 'DRAFT', 'REPLY_DRAFT'].filter((k) => facetShowsFile('RECIPIENT', k))).toEqual(['MAIN', 'ATTACHMENT']);
    expect(['MAIN', 'ATTACHMENT', 'DRAFT', 'REPLY_DRAFT'].filter((k) => facetShowsFile('FULL', k))).toHaveLength(4);
    const ev = (action: string, targetType = 'document', data: Record<string, unknown> | null = null) => ({ action, targetType, data });
    expect(facetShowsHistory('RECIPIENT', ev('document.issue'), B)).toBe(true);
    expect(facetShowsHistory('RECIPIENT', ev('document.recipient_status', 'document', { recipientAgencyId: B }), B)).toBe(true);
    expect(facetShowsHistory('RECIPIENT', ev('document.recipient_status', 'document', { recipientAgencyId: 'agency-C' }), B)).toBe(false);
    expect(facetShowsHistory('RECIPIENT', ev('document.draft_update'), B)).toBe(false);
    expect(facetShowsHistory('RECIPIENT', ev('document.progress', 'assignment'), B)).toBe(false);
    expect(facetShowsHistory('FULL', ev('document.progress', 'assignment'), A)).toBe(true);
    expect([facetShowsRecipient('RECIPIENT', B, B), facetShowsRecipient('RECIPIENT', 'agency-C', B), facetShowsRecipient('RECIPIENT', null, B)]).toEqual([true, false, false]);
    expect(facetShowsRecipient('FULL', 'agency-C', A)).toBe(true);
    expect([facetShowsInternal('FULL'), facetShowsInternal('RECIPIENT')]).toEqual([true, false]);
  });
});

describe('ACCESS_RULES: the rule as data', () => {
  it('every grant is reachable, and secret documents are granted only by the named-reader rule', () => {
    expect(new Set(ACCESS_RULES.map((r) => r.grant)).size).toBe(9);
    for (const r of ACCESS_RULES) {
      const secret = r.when.some((c) => 'doc' in c && c.doc === 'SECRET');
      const notSecret = r.when.some((c) => 'doc' in c && c.doc === 'NOT_SECRET');
      expect({ grant: r.grant, decided: secret !== notSecret }).toEqual({ grant: r.grant, decided: true });
      if (secret) expect(r.grant).toBe('NAMED_READER');
    }
  });
});

describe('canViewScan: secrecy follows the bytes', () => {
  const scan = (patch: Partial<Parameters<typeof canViewScan>[1]> = {}) => ({ agencyId: A, uploaderId: 'cv-kt1', attachedVisible: [] as boolean[], ...patch });
  it('before registration: its uploader and the agency’s văn thư; never another agency', () => {
    expect(EVERYONE.filter((v) => canViewScan(v, scan())).map((v) => v.userId)).toEqual(['vt', 'cv-kt1']);
    expect(EVERYONE.filter((v) => canViewScan(v, scan({ uploaderId: null }))).map((v) => v.userId)).toEqual(['vt']);
  });
  it('once in a document: exactly those who may see one of the documents holding it (the uploader too)', () => {
    expect(canViewScan(P.staffKT, scan({ attachedVisible: [false] }))).toBe(false);
    expect(canViewScan(P.vanThu, scan({ attachedVisible: [false] }))).toBe(false);
    expect(canViewScan(P.staffKT2, scan({ attachedVisible: [false, true] }))).toBe(true);
    expect(canViewScan(P.outsiderVanThu, scan({ attachedVisible: [true] }))).toBe(false);
  });
});

describe('canView: the agency archive (issue 10)', () => {
  it('the agency’s archivists see what is in its archive; leaders and văn thư as before; nobody else more', () => {
    const archived = doc({ archived: true });
    expect(accessGrant(P.archivist, archived)).toBe('ARCHIVIST');
    expect(new Set(viewers(archived))).toEqual(new Set([...viewers(doc()), P.archivist.userId]));
    expect(canView(P.archivist, doc({ archived: false }))).toBe(false);
    for (const v of [P.headKT, P.staffKT, P.admin]) expect(canView(v, archived)).toBe(false);
  });

  it('never another agency’s archive, never a secret document without being named', () => {
    const otherArchivist: AccessViewer = { ...P.archivist, userId: 'lt-B', agencyId: B };
    expect(canView(otherArchivist, doc({ archived: true }))).toBe(false);
    expect(canView(otherArchivist, doc({ archived: true, deliveredToAgencyIds: [B] }))).toBe(false);
    expect(canView(P.archivist, doc({ archived: true, secrecy: 'MAT' }))).toBe(false);
    expect(canView(P.archivist, doc({ archived: true, secrecy: 'MAT', namedReaderIds: [P.archivist.userId] }))).toBe(true);
  });
});
