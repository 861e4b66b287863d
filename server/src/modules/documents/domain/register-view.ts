/**
 * Register views (sổ văn bản đến / đi on screen, issue 9) — who may open which register, and the filter's
 * rules (pure).
 *
 * - Ordinary registers (sổ văn bản đến, sổ văn bản đi, and the per-type outgoing registers such as
 *   OUTGOING:QĐ): whoever may print them (register-access.ts REGISTER_ROLES: VAN_THU, LANH_DAO, LUU_TRU of the
 *   agency). They list only ordinary documents (secrecy THUONG); every row of such a register is shown
 *   (registerShowsRow).
 * - The secret registers (sổ văn bản mật: INCOMING_SECRET, OUTGOING_SECRET — documents Mật, Tối mật, Tuyệt mật
 *   are registered and numbered in their own registers, NĐ 30/2020 Điều 15.2, 22.4): VAN_THU and LANH_DAO of
 *   the agency only (register-access.ts SECRET_REGISTER_ROLES, the rule of the secret exports); and even
 *   for them each row only when the access rule lets them see that document (access.ts: the people named on
 *   it). LUU_TRU does not open the secret register.
 * - Anyone else (chuyên viên, trưởng phòng, quản trị): FORBIDDEN — they find their documents through their
 *   boxes and the search across boxes.
 */
import type { AccessViewer } from './access';
import { isPlainDate } from './calendar';
import { REGISTER_ROLES, canExportSecretRegister } from './register-access';
import type { Direction } from './numbering';
import { isIncomingRegisterKey } from '../../../../../schema/validation/incoming-registers';

/**
 * May the viewer open the (ordinary or secret) registers of their agency? The same people who may print them
 * (register-access.ts: REGISTER_ROLES; the secret books canExportSecretRegister).
 */
export function canOpenRegister(viewer: Pick<AccessViewer, 'roles'>, secret: boolean): boolean {
  return secret ? canExportSecretRegister(viewer) : REGISTER_ROLES.some((r) => viewer.roles.includes(r));
}

/** Is a register key one of the secret registers? */
export const isSecretRegisterKey = (key: string): boolean => key.endsWith('_SECRET');

/** Is `key` a register of `direction`: INCOMING, INCOMING:<MÃ> (the agency's own incoming registers), INCOMING_SECRET; OUTGOING, OUTGOING:<type>, OUTGOING_SECRET? */
export function registerKeyOf(direction: Direction, key: string): boolean {
  return direction === 'INCOMING'
    ? key === 'INCOMING_SECRET' || isIncomingRegisterKey(key)
    : key === 'OUTGOING' || key === 'OUTGOING_SECRET' || key.startsWith('OUTGOING:');
}

export interface RegisterFilterInput {
  receivedFrom?: string | null;
  receivedTo?: string | null;
  issuedFrom?: string | null;
  issuedTo?: string | null;
  numberFrom?: number | null;
  numberTo?: number | null;
  issuer?: string | null;
  issuerAgencyId?: string | null;
  typeName?: string | null;
  unitId?: string | null;
  states?: readonly string[] | null;
}

export type RegisterFilterProblem = { field: string; reason: string } | null;

export const MIN_REGISTER_YEAR = 1990;
export const MAX_REGISTER_YEAR = 2200;
const MAX_NUMBER = 2_147_483_647;

/** The first problem of a register query's arguments (null: fine). Field names are the GraphQL argument paths. */
export function registerQueryProblem(year: number, filter: RegisterFilterInput | null | undefined): RegisterFilterProblem {
  if (!Number.isInteger(year) || year < MIN_REGISTER_YEAR || year > MAX_REGISTER_YEAR) return { field: 'year', reason: 'Năm của sổ không hợp lệ.' };
  if (!filter) return null;
  const dates: [string, string | null | undefined][] = [
    ['receivedFrom', filter.receivedFrom],
    ['receivedTo', filter.receivedTo],
    ['issuedFrom', filter.issuedFrom],
    ['issuedTo', filter.issuedTo],
  ];
  for (const [name, value] of dates) {
    if (value != null && !isPlainDate(value)) return { field: `filter.${name}`, reason: 'Ngày không hợp lệ (dd/mm/yyyy).' };
  }
  if (filter.receivedFrom && filter.receivedTo && filter.receivedFrom > filter.receivedTo)
    return { field: 'filter.receivedTo', reason: 'Ngày đến "đến ngày" phải sau hoặc bằng "từ ngày".' };
  if (filter.issuedFrom && filter.issuedTo && filter.issuedFrom > filter.issuedTo)
    return { field: 'filter.issuedTo', reason: 'Ngày văn bản "đến ngày" phải sau hoặc bằng "từ ngày".' };
  for (const name of ['numberFrom', 'numberTo'] as const) {
    const n = filter[name];
    if (n != null && (!Number.isInteger(n) || n < 1 || n > MAX_NUMBER)) return { field: `filter.${name}`, reason: 'Số phải là số nguyên dương.' };
  }
  if (filter.numberFrom != null && filter.numberTo != null && filter.numberFrom > filter.numberTo)
    return { field: 'filter.numberTo', reason: '"Đến số" phải lớn hơn hoặc bằng "từ số".' };
  if (filter.issuer != null && filter.issuer.length > 200) return { field: 'filter.issuer', reason: 'Nơi ban hành không được dài quá 200 ký tự.' };
  if (filter.typeName != null && filter.typeName.length > 100) return { field: 'filter.typeName', reason: 'Tên loại văn bản không được dài quá 100 ký tự.' };
  return null;
}
