/** Roles a user can hold (a user may hold several). */
export const ROLES = ['VAN_THU', 'CHUYEN_VIEN', 'TRUONG_PHONG', 'LANH_DAO', 'LUU_TRU', 'QUAN_TRI'] as const;
export type Role = (typeof ROLES)[number];
export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);
