import type { DemoAgency } from './demo-data';

/**
 * The SECOND demo deployment (issue 13, "Two deployments" in README): another province, started with
 * `CONGVAN_DEMO=peer`, so that two demo deployments can exchange documents through their exchange endpoints.
 * Tỉnh Nghệ An (cấp-1 group H41: the code used in the public edXML samples, vn-standards §2.5 — the real
 * list of codes is NOT VERIFIED here), with the same agency keys as the primary demo (ubnd, vp, snv, stc) so
 * that the demo steps that look agencies up by key work for it too. Logins as in the primary demo (vanthu,
 * snv.vanthu, …, password congvan2026): each deployment has its own users.
 */
export const DEMO_PEER_OPERATOR_CODE = '000.00.00.H41';

const SO_UNITS = (second: { abbr: string; name: string }) => [{ abbr: 'VP', name: 'Văn phòng Sở' }, second];

export const DEMO_PEER_AGENCIES: DemoAgency[] = [
  {
    key: 'ubnd',
    code: DEMO_PEER_OPERATOR_CODE,
    name: 'Ủy ban nhân dân tỉnh Nghệ An',
    abbr: 'UBND',
    place: 'Nghệ An',
    kind: 'UBND_TINH',
    operator: true,
    loginPrefix: null,
    units: [
      { abbr: 'VP', name: 'Văn phòng' },
      { abbr: 'TH', name: 'Phòng Tổng hợp' },
      { abbr: 'KT', name: 'Phòng Kinh tế' },
      { abbr: 'NC', name: 'Phòng Nội chính' },
    ],
  },
  {
    key: 'vp',
    code: '000.00.01.H41',
    name: 'Văn phòng Ủy ban nhân dân tỉnh Nghệ An',
    abbr: 'VPUBND',
    place: 'Nghệ An',
    kind: 'VAN_PHONG',
    parent: 'ubnd',
    loginPrefix: 'vp',
    units: [{ abbr: 'HCTC', name: 'Phòng Hành chính - Tổ chức' }],
  },
  {
    key: 'snv',
    code: '000.00.02.H41',
    name: 'Sở Nội vụ tỉnh Nghệ An',
    abbr: 'SNV',
    place: 'Nghệ An',
    kind: 'SO',
    parent: 'ubnd',
    loginPrefix: 'snv',
    units: SO_UNITS({ abbr: 'TCBC', name: 'Phòng Tổ chức - Biên chế' }),
  },
  {
    key: 'stc',
    code: '000.00.03.H41',
    name: 'Sở Tài chính tỉnh Nghệ An',
    abbr: 'STC',
    place: 'Nghệ An',
    kind: 'SO',
    parent: 'ubnd',
    loginPrefix: 'stc',
    units: SO_UNITS({ abbr: 'NS', name: 'Phòng Quản lý ngân sách' }),
  },
];
