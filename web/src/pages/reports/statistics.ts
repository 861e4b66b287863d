/** Pure helpers of the Thống kê page. */
import type { Role, StatisticsScope } from '../../graphql/generated';

/**
 * The statistics scope the server gives a user (domain/register-access.ts statisticsScope), known before the
 * answer so that the page can title itself: the agency for lãnh đạo, văn thư, lưu trữ (and the operator's
 * quản trị), the unit for a trưởng phòng, one's own work for a chuyên viên. The answer's `scope` is authoritative.
 */
export function expectedScope(roles: readonly Role[]): StatisticsScope | null {
  if (roles.some((r) => r === 'LANH_DAO' || r === 'VAN_THU' || r === 'LUU_TRU')) return 'AGENCY';
  if (roles.includes('TRUONG_PHONG')) return 'UNIT';
  if (roles.includes('CHUYEN_VIEN')) return 'SELF';
  if (roles.includes('QUAN_TRI')) return 'AGENCY';
  return null;
}

/** Roles that see Thống kê (the quản trị only when their agency operates the system: the server decides). */
export const STATISTICS_AREA_ROLES: readonly Role[] = ['LANH_DAO', 'VAN_THU', 'LUU_TRU', 'TRUONG_PHONG', 'CHUYEN_VIEN', 'QUAN_TRI'];

/** A share (0–1) as a whole percentage; "—" when there is none (nothing was due), never "0 %". */
export const percent = (x: number | null | undefined): string => (x == null ? '—' : `${Math.round(x * 100)}%`);

/** handledOnTime / handled, or null when nothing was handled. */
export const onTimeRate = (onTime: number, late: number): number | null => (onTime + late > 0 ? onTime / (onTime + late) : null);

export type RegisterExportKind = 'INCOMING' | 'OUTGOING' | 'FOLLOW_UP';

/**
 * The registers a user may print (domain/register-access.ts registerExportScope): all for văn thư, lãnh đạo
 * and lưu trữ; the sổ theo dõi giải quyết (their unit's part) for a trưởng phòng; none otherwise.
 */
export function exportableRegisters(roles: readonly Role[]): RegisterExportKind[] {
  if (roles.some((r) => r === 'VAN_THU' || r === 'LANH_DAO' || r === 'LUU_TRU')) return ['INCOMING', 'OUTGOING', 'FOLLOW_UP'];
  if (roles.includes('TRUONG_PHONG')) return ['FOLLOW_UP'];
  return [];
}
