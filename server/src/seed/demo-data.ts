import type { Role } from '../modules/identity/roles';

/**
 * The demo province as a Vietnamese clerk sees it in 2026: tỉnh Bắc Ninh after the 2025 merger (it absorbed
 * Bắc Giang), two-level local government (tỉnh → xã/phường, no UBND huyện since 01/7/2025), the Sở as merged
 * in 2025 (Sở Tài chính absorbed Sở KH&ĐT, Sở KH&CN absorbed Sở TT&TT, Sở NN&MT = NN&PTNT + TN&MT, Sở Nội vụ
 * absorbed Sở LĐ-TB&XH).
 *
 * Mã định danh (QĐ 20/2020; QCVN 102:2016 + SĐ1:2022): `[cấp 4].[cấp 3].[cấp 2].[cấp 1]`. The UBND tỉnh is
 * cấp 1 (`000.00.00.H27`); each body directly under it (Văn phòng, Sở, UBND xã/phường) is cấp 2 and uses the
 * cấp-2 group (`000.00.NN.H27`); a body under a Sở is cấp 3 (`000.NN.06.H27`). demo-rules.ts checks this.
 * Numbering inside a group is illustrative: 01–39 for the province's own bodies, 41– for xã/phường.
 * NOT VERIFIED: the cấp-1 group H27 (kept because tests depend on it; see README "Demo province").
 */
export type DemoAgencyKind = 'UBND_TINH' | 'VAN_PHONG' | 'SO' | 'DON_VI' | 'UBND_XA';

export interface DemoAgency {
  key: string;
  code: string;
  name: string;
  abbr: string;
  /** Địa danh printed on its documents ("Bắc Ninh, ngày …"). */
  place: string;
  kind: DemoAgencyKind;
  parent?: string;
  operator?: boolean;
  /** Login prefix for this agency's demo users (`snv.vanthu`); none for the provincial office. */
  loginPrefix: string | null;
  units: { abbr: string; name: string }[];
}

export const DEMO_PASSWORD = 'congvan2026';

/** Cấp-1 group of the demo province (see the note above: not verified against the published list). */
export const DEMO_PROVINCE_GROUP = 'H27';

const SO_UNITS = (second: { abbr: string; name: string }, ...more: { abbr: string; name: string }[]) => [{ abbr: 'VP', name: 'Văn phòng Sở' }, second, ...more];
// Since 01/7/2025 a UBND xã has a Văn phòng HĐND và UBND and two phòng; a phường has Kinh tế, Hạ tầng và Đô thị.
const XA_UNITS = [
  { abbr: 'VP', name: 'Văn phòng HĐND và UBND' },
  { abbr: 'KT', name: 'Phòng Kinh tế' },
  { abbr: 'VHXH', name: 'Phòng Văn hóa - Xã hội' },
];
const PHUONG_UNITS = [
  { abbr: 'VP', name: 'Văn phòng HĐND và UBND' },
  { abbr: 'KTHTĐT', name: 'Phòng Kinh tế, Hạ tầng và Đô thị' },
  { abbr: 'VHXH', name: 'Phòng Văn hóa - Xã hội' },
];

/** Parents come before their children. */
export const DEMO_AGENCIES: DemoAgency[] = [
  {
    key: 'ubnd',
    code: '000.00.00.H27',
    name: 'Ủy ban nhân dân tỉnh Bắc Ninh',
    abbr: 'UBND',
    place: 'Bắc Ninh',
    kind: 'UBND_TINH',
    operator: true,
    loginPrefix: null,
    // The provincial office's departments act for the UBND tỉnh (công văn 07/UBND-KT).
    units: [
      { abbr: 'VP', name: 'Văn phòng' },
      { abbr: 'HCTC', name: 'Phòng Hành chính - Tổ chức' },
      { abbr: 'TH', name: 'Phòng Tổng hợp' },
      { abbr: 'KT', name: 'Phòng Kinh tế' },
      { abbr: 'KGVX', name: 'Phòng Khoa giáo - Văn xã' },
      { abbr: 'NC', name: 'Phòng Nội chính' },
    ],
  },
  {
    key: 'vp',
    code: '000.00.01.H27',
    name: 'Văn phòng Ủy ban nhân dân tỉnh Bắc Ninh',
    abbr: 'VPUBND',
    place: 'Bắc Ninh',
    kind: 'VAN_PHONG',
    parent: 'ubnd',
    loginPrefix: 'vp',
    units: [
      { abbr: 'HCTC', name: 'Phòng Hành chính - Tổ chức' },
      { abbr: 'QTTV', name: 'Phòng Quản trị - Tài vụ' },
    ],
  },
  {
    key: 'snv',
    code: '000.00.02.H27',
    name: 'Sở Nội vụ tỉnh Bắc Ninh',
    abbr: 'SNV',
    place: 'Bắc Ninh',
    kind: 'SO',
    parent: 'ubnd',
    loginPrefix: 'snv',
    units: SO_UNITS({ abbr: 'TCBC', name: 'Phòng Tổ chức - Biên chế' }, { abbr: 'CCHC', name: 'Phòng Cải cách hành chính' }, { abbr: 'LĐVL', name: 'Phòng Lao động - Việc làm' }),
  },
  {
    key: 'stc',
    code: '000.00.03.H27',
    name: 'Sở Tài chính tỉnh Bắc Ninh',
    abbr: 'STC',
    place: 'Bắc Ninh',
    kind: 'SO',
    parent: 'ubnd',
    loginPrefix: 'stc',
    units: SO_UNITS({ abbr: 'NS', name: 'Phòng Quản lý ngân sách' }, { abbr: 'ĐT', name: 'Phòng Quản lý đầu tư' }),
  },
  {
    key: 'skhcn',
    code: '000.00.04.H27',
    name: 'Sở Khoa học và Công nghệ tỉnh Bắc Ninh',
    abbr: 'SKHCN',
    place: 'Bắc Ninh',
    kind: 'SO',
    parent: 'ubnd',
    loginPrefix: 'skhcn',
    units: SO_UNITS({ abbr: 'CĐS', name: 'Phòng Chuyển đổi số' }, { abbr: 'BCVT', name: 'Phòng Bưu chính - Viễn thông' }),
  },
  {
    key: 'sgddt',
    code: '000.00.05.H27',
    name: 'Sở Giáo dục và Đào tạo tỉnh Bắc Ninh',
    abbr: 'SGDĐT',
    place: 'Bắc Ninh',
    kind: 'SO',
    parent: 'ubnd',
    loginPrefix: 'sgddt',
    units: SO_UNITS({ abbr: 'GDTrH', name: 'Phòng Giáo dục Trung học' }),
  },
  {
    key: 'syt',
    code: '000.00.06.H27',
    name: 'Sở Y tế tỉnh Bắc Ninh',
    abbr: 'SYT',
    place: 'Bắc Ninh',
    kind: 'SO',
    parent: 'ubnd',
    loginPrefix: 'syt',
    units: SO_UNITS({ abbr: 'NVY', name: 'Phòng Nghiệp vụ Y' }),
  },
  {
    key: 'snnmt',
    code: '000.00.07.H27',
    name: 'Sở Nông nghiệp và Môi trường tỉnh Bắc Ninh',
    abbr: 'SNNMT',
    place: 'Bắc Ninh',
    kind: 'SO',
    parent: 'ubnd',
    loginPrefix: 'snnmt',
    units: SO_UNITS({ abbr: 'QLĐĐ', name: 'Phòng Quản lý đất đai' }, { abbr: 'TL', name: 'Phòng Thủy lợi' }),
  },
  {
    // A public body under a Sở: cấp 3, under Sở Y tế's groups.
    key: 'ksbt',
    code: '000.01.06.H27',
    name: 'Trung tâm Kiểm soát bệnh tật tỉnh Bắc Ninh',
    abbr: 'KSBT',
    place: 'Bắc Ninh',
    kind: 'DON_VI',
    parent: 'syt',
    loginPrefix: 'ksbt',
    units: [
      { abbr: 'HCTH', name: 'Phòng Hành chính - Tổng hợp' },
      { abbr: 'PCBTN', name: 'Khoa Phòng, chống bệnh truyền nhiễm' },
    ],
  },
  // Xã and phường that exist after the 2025 rearrangement of Bắc Ninh (checked against the 2026 ward list).
  {
    key: 'luongtai',
    code: '000.00.41.H27',
    name: 'Ủy ban nhân dân xã Lương Tài',
    abbr: 'UBND',
    place: 'Lương Tài',
    kind: 'UBND_XA',
    parent: 'ubnd',
    loginPrefix: 'luongtai',
    units: XA_UNITS,
  },
  {
    key: 'giabinh',
    code: '000.00.42.H27',
    name: 'Ủy ban nhân dân xã Gia Bình',
    abbr: 'UBND',
    place: 'Gia Bình',
    kind: 'UBND_XA',
    parent: 'ubnd',
    loginPrefix: 'giabinh',
    units: XA_UNITS,
  },
  {
    key: 'trungchinh',
    code: '000.00.43.H27',
    name: 'Ủy ban nhân dân xã Trung Chính',
    abbr: 'UBND',
    place: 'Trung Chính',
    kind: 'UBND_XA',
    parent: 'ubnd',
    loginPrefix: 'trungchinh',
    units: XA_UNITS,
  },
  {
    key: 'kinhbac',
    code: '000.00.44.H27',
    name: 'Ủy ban nhân dân phường Kinh Bắc',
    abbr: 'UBND',
    place: 'Kinh Bắc',
    kind: 'UBND_XA',
    parent: 'ubnd',
    loginPrefix: 'kinhbac',
    units: PHUONG_UNITS,
  },
];

/**
 * Bodies outside the province that send documents to it (by the national axis, not users of this system):
 * ministries after the 2025 mergers. Only the Văn phòng Chính phủ's code (G22) is verified (vn-standards §2.5);
 * the others are given by name only.
 */
export const DEMO_EXTERNAL_ISSUERS = {
  bnv: { name: 'Bộ Nội vụ', abbr: 'BNV', place: 'Hà Nội' },
  btc: { name: 'Bộ Tài chính', abbr: 'BTC', place: 'Hà Nội' },
  bkhcn: { name: 'Bộ Khoa học và Công nghệ', abbr: 'BKHCN', place: 'Hà Nội' },
  vpcp: { name: 'Văn phòng Chính phủ', abbr: 'VPCP', place: 'Hà Nội', code: '000.00.00.G22' },
} as const;

export interface DemoUser {
  login: string;
  fullName: string;
  title: string;
  roles: Role[];
  unit: string | null;
}

/** Demo staff per role in the provincial office; the unit abbreviation must exist in the agency (falls back to its first unit). */
export const DEMO_STAFF: DemoUser[] = [
  { login: 'vanthu', fullName: 'Nguyễn Thị Hà', title: 'Văn thư', roles: ['VAN_THU'], unit: 'VP' },
  { login: 'chuyenvien', fullName: 'Trần Văn Minh', title: 'Chuyên viên', roles: ['CHUYEN_VIEN'], unit: 'KT' },
  { login: 'truongphong', fullName: 'Lê Thị Thu Hương', title: 'Trưởng phòng', roles: ['TRUONG_PHONG'], unit: 'KT' },
  { login: 'lanhdao', fullName: 'Phạm Quốc Hùng', title: 'Phó Chủ tịch', roles: ['LANH_DAO'], unit: null },
  { login: 'luutru', fullName: 'Đỗ Thị Lan', title: 'Lưu trữ viên', roles: ['LUU_TRU'], unit: 'VP' },
  { login: 'quantri', fullName: 'Hoàng Văn Nam', title: 'Quản trị hệ thống', roles: ['QUAN_TRI'], unit: 'VP' },
];

/** The title of a demo user by role and kind of body (Chủ tịch/Phó Chủ tịch for a UBND, Giám đốc for a Sở…). */
export function demoTitle(role: string, kind: DemoAgencyKind): string {
  if (role === 'lanhdao') return kind === 'SO' || kind === 'DON_VI' ? 'Phó Giám đốc' : kind === 'VAN_PHONG' ? 'Chánh Văn phòng' : 'Phó Chủ tịch';
  return DEMO_STAFF.find((s) => s.login === role)?.title ?? 'Chuyên viên';
}

/** The signing block (quyền hạn, chức vụ) of a body's leader as printed (Decree 30, App. I). */
export function demoSignerBlock(kind: DemoAgencyKind, title: string): string[] {
  if (kind === 'UBND_TINH' || kind === 'UBND_XA') return title === 'Chủ tịch' ? ['TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH'] : ['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'];
  if (kind === 'VAN_PHONG') return title === 'Chánh Văn phòng' ? ['CHÁNH VĂN PHÒNG'] : ['KT. CHÁNH VĂN PHÒNG', 'PHÓ CHÁNH VĂN PHÒNG'];
  return title === 'Giám đốc' ? ['GIÁM ĐỐC'] : ['KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC'];
}

/**
 * Vietnamese names for the other agencies' staff, by role (one per agency, by its index). Made-up names: none is
 * a living national leader (demo-rules.ts keeps a list of names that must not appear).
 */
export const OTHER_NAMES: Record<string, string[]> = {
  vanthu: ['Bùi Thị Mai', 'Vũ Thị Hồng', 'Ngô Thị Thanh', 'Đặng Thị Huyền', 'Trịnh Thị Ngọc', 'Phan Thị Yến', 'Lý Thị Hạnh', 'Dương Thị Nga', 'Mai Thị Loan', 'Tạ Thị Hoa', 'Kiều Thị Duyên', 'Lương Thị Thảo', 'Hà Thị Phượng', 'Cao Thị Liễu'],
  chuyenvien: ['Nguyễn Văn Dũng', 'Trần Đức Anh', 'Lê Văn Tuấn', 'Phạm Thị Vân', 'Hoàng Minh Đức', 'Vũ Văn Hải', 'Đỗ Văn Long', 'Bùi Văn Khánh', 'Ngô Văn Thắng', 'Đinh Văn Sơn', 'Lưu Quang Huy', 'Tô Thị Hằng', 'Phùng Văn Định', 'Nghiêm Thị Hậu'],
  truongphong: ['Nguyễn Thị Thanh Bình', 'Trần Văn Thành', 'Lê Quang Vinh', 'Phạm Văn Toàn', 'Hoàng Thị Lệ', 'Vũ Đình Phúc', 'Đỗ Mạnh Cường', 'Bùi Thị Nhung', 'Ngô Đức Trọng', 'Đinh Thị Hiền', 'Kiều Văn Tiến', 'Lương Đức Mạnh', 'Hà Văn Quyết', 'Cao Xuân Trường'],
  lanhdao: ['Nguyễn Văn Quang', 'Trần Thị Kim Oanh', 'Lê Văn Hòa', 'Phạm Đức Thuận', 'Hoàng Văn Khải', 'Vũ Thị Bích', 'Đỗ Văn Cẩn', 'Bùi Quang Thiều', 'Ngô Văn Hiệp', 'Đinh Công Tuấn', 'Kiều Xuân Thủy', 'Lương Văn Tân', 'Hà Thị Minh Nguyệt', 'Cao Văn Thịnh'],
  luutru: ['Nguyễn Thị Duyên', 'Trần Thị Hằng', 'Lê Thị Thủy', 'Phạm Thị Lý', 'Hoàng Thị Liên', 'Vũ Thị Tâm', 'Đỗ Thị Quyên', 'Bùi Thị Thoa', 'Ngô Thị Nhàn', 'Đinh Thị Hải', 'Kiều Thị Oanh', 'Lương Thị Huệ', 'Hà Thị Chinh', 'Cao Thị Mến'],
  quantri: ['Nguyễn Văn Tiến', 'Trần Văn Bảo', 'Lê Minh Tâm', 'Phạm Đức Lợi', 'Hoàng Văn Kiên', 'Vũ Văn Lực', 'Đỗ Đức Thịnh', 'Bùi Văn Tùng', 'Ngô Quang Sáng', 'Đinh Văn Phong', 'Kiều Minh Hiếu', 'Lương Văn Bằng', 'Hà Quang Đạt', 'Cao Minh Khoa'],
};
