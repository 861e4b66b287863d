import type { Role } from '../modules/identity/roles';

/** The demo province: plausible agencies of tỉnh Bắc Ninh with identifier codes (QĐ 20/2020 shape). */
export interface DemoAgency {
  key: string;
  code: string;
  name: string;
  abbr: string;
  place: string;
  parent?: string;
  operator?: boolean;
  /** Login prefix for this agency's demo users (`snv.vanthu`); none for the provincial office. */
  loginPrefix: string | null;
  units: { abbr: string; name: string }[];
}

export const DEMO_PASSWORD = 'congvan2026';

export const DEMO_AGENCIES: DemoAgency[] = [
  {
    key: 'ubnd',
    code: '000.00.00.H27',
    name: 'Ủy ban nhân dân tỉnh Bắc Ninh',
    abbr: 'UBND',
    place: 'Bắc Ninh',
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
    parent: 'ubnd',
    loginPrefix: 'snv',
    units: [
      { abbr: 'VP', name: 'Văn phòng Sở' },
      { abbr: 'TCBC', name: 'Phòng Tổ chức - Biên chế' },
      { abbr: 'CCHC', name: 'Phòng Cải cách hành chính' },
    ],
  },
  {
    key: 'stc',
    code: '000.00.03.H27',
    name: 'Sở Tài chính tỉnh Bắc Ninh',
    abbr: 'STC',
    place: 'Bắc Ninh',
    parent: 'ubnd',
    loginPrefix: 'stc',
    units: [
      { abbr: 'VP', name: 'Văn phòng Sở' },
      { abbr: 'NS', name: 'Phòng Quản lý ngân sách' },
    ],
  },
  {
    key: 'skhdt',
    code: '000.00.04.H27',
    name: 'Sở Kế hoạch và Đầu tư tỉnh Bắc Ninh',
    abbr: 'SKHĐT',
    place: 'Bắc Ninh',
    parent: 'ubnd',
    loginPrefix: 'skhdt',
    units: [
      { abbr: 'VP', name: 'Văn phòng Sở' },
      { abbr: 'TH', name: 'Phòng Tổng hợp - Quy hoạch' },
    ],
  },
  {
    key: 'sgddt',
    code: '000.00.05.H27',
    name: 'Sở Giáo dục và Đào tạo tỉnh Bắc Ninh',
    abbr: 'SGDĐT',
    place: 'Bắc Ninh',
    parent: 'ubnd',
    loginPrefix: 'sgddt',
    units: [
      { abbr: 'VP', name: 'Văn phòng Sở' },
      { abbr: 'GDTrH', name: 'Phòng Giáo dục Trung học' },
    ],
  },
  {
    key: 'syt',
    code: '000.00.06.H27',
    name: 'Sở Y tế tỉnh Bắc Ninh',
    abbr: 'SYT',
    place: 'Bắc Ninh',
    parent: 'ubnd',
    loginPrefix: 'syt',
    units: [
      { abbr: 'VP', name: 'Văn phòng Sở' },
      { abbr: 'NVY', name: 'Phòng Nghiệp vụ Y' },
    ],
  },
  {
    key: 'stttt',
    code: '000.00.07.H27',
    name: 'Sở Thông tin và Truyền thông tỉnh Bắc Ninh',
    abbr: 'STTTT',
    place: 'Bắc Ninh',
    parent: 'ubnd',
    loginPrefix: 'stttt',
    units: [
      { abbr: 'VP', name: 'Văn phòng Sở' },
      { abbr: 'CNTT', name: 'Phòng Công nghệ thông tin' },
    ],
  },
  {
    key: 'luongtai',
    code: '000.10.00.H27',
    name: 'Ủy ban nhân dân huyện Lương Tài',
    abbr: 'UBND',
    place: 'Lương Tài',
    parent: 'ubnd',
    loginPrefix: 'luongtai',
    units: [
      { abbr: 'VP', name: 'Văn phòng HĐND và UBND huyện' },
      { abbr: 'NV', name: 'Phòng Nội vụ' },
      { abbr: 'TCKH', name: 'Phòng Tài chính - Kế hoạch' },
    ],
  },
  {
    key: 'giabinh',
    code: '000.11.00.H27',
    name: 'Ủy ban nhân dân huyện Gia Bình',
    abbr: 'UBND',
    place: 'Gia Bình',
    parent: 'ubnd',
    loginPrefix: 'giabinh',
    units: [
      { abbr: 'VP', name: 'Văn phòng HĐND và UBND huyện' },
      { abbr: 'NV', name: 'Phòng Nội vụ' },
    ],
  },
  {
    key: 'trungchinh',
    code: '001.10.00.H27',
    name: 'Ủy ban nhân dân xã Trung Chính',
    abbr: 'UBND',
    place: 'Trung Chính',
    parent: 'luongtai',
    loginPrefix: 'trungchinh',
    units: [{ abbr: 'VP', name: 'Văn phòng - Thống kê' }],
  },
];

export interface DemoUser {
  login: string;
  fullName: string;
  title: string;
  roles: Role[];
  unit: string | null;
}

/** Demo staff per role; the unit abbreviation must exist in the agency (falls back to its first unit). */
export const DEMO_STAFF: DemoUser[] = [
  { login: 'vanthu', fullName: 'Nguyễn Thị Hà', title: 'Văn thư', roles: ['VAN_THU'], unit: 'VP' },
  { login: 'chuyenvien', fullName: 'Trần Văn Minh', title: 'Chuyên viên', roles: ['CHUYEN_VIEN'], unit: 'KT' },
  { login: 'truongphong', fullName: 'Lê Thị Thu Hương', title: 'Trưởng phòng', roles: ['TRUONG_PHONG'], unit: 'KT' },
  { login: 'lanhdao', fullName: 'Phạm Quốc Hùng', title: 'Phó Chủ tịch', roles: ['LANH_DAO'], unit: null },
  { login: 'luutru', fullName: 'Đỗ Thị Lan', title: 'Lưu trữ viên', roles: ['LUU_TRU'], unit: 'VP' },
  { login: 'quantri', fullName: 'Hoàng Văn Nam', title: 'Quản trị hệ thống', roles: ['QUAN_TRI'], unit: 'VP' },
];

/** Vietnamese names for the other agencies' staff, by role. */
export const OTHER_NAMES: Record<string, string[]> = {
  vanthu: ['Bùi Thị Mai', 'Vũ Thị Hồng', 'Ngô Thị Thanh', 'Đặng Thị Huyền', 'Trịnh Thị Ngọc', 'Phan Thị Yến', 'Lý Thị Hạnh', 'Dương Thị Nga', 'Mai Thị Loan', 'Tạ Thị Hoa'],
  chuyenvien: ['Nguyễn Văn Dũng', 'Trần Đức Anh', 'Lê Văn Tuấn', 'Phạm Thị Vân', 'Hoàng Minh Đức', 'Vũ Văn Hải', 'Đỗ Văn Long', 'Bùi Văn Khánh', 'Ngô Văn Thắng', 'Đinh Văn Sơn'],
  truongphong: ['Nguyễn Thị Thanh Bình', 'Trần Văn Thành', 'Lê Quang Vinh', 'Phạm Văn Toàn', 'Hoàng Thị Lệ', 'Vũ Đình Phúc', 'Đỗ Mạnh Cường', 'Bùi Thị Nhung', 'Ngô Đức Trọng', 'Đinh Thị Hiền'],
  lanhdao: ['Nguyễn Văn Quang', 'Trần Thị Kim Oanh', 'Lê Văn Hòa', 'Phạm Minh Chính', 'Hoàng Văn Thụ', 'Vũ Thị Bích', 'Đỗ Văn Chiến', 'Bùi Quang Huy', 'Ngô Văn Hiệp', 'Đinh Công Tráng'],
  luutru: ['Nguyễn Thị Duyên', 'Trần Thị Hằng', 'Lê Thị Thủy', 'Phạm Thị Lý', 'Hoàng Thị Liên', 'Vũ Thị Tâm', 'Đỗ Thị Quyên', 'Bùi Thị Thoa', 'Ngô Thị Nhàn', 'Đinh Thị Hải'],
  quantri: ['Nguyễn Văn Tiến', 'Trần Văn Bảo', 'Lê Minh Tâm', 'Phạm Đức Lợi', 'Hoàng Văn Kiên', 'Vũ Văn Lực', 'Đỗ Đức Thịnh', 'Bùi Văn Tùng', 'Ngô Quang Sáng', 'Đinh Văn Phong'],
};
