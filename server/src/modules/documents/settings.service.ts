import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, forbidden } from '../../shared/errors';
import { isUuid } from '../../shared/ids';
import type { Scope } from '../../shared/scope';
import { Agency } from '../identity/entities/agency.entity';
import { canConfigureAgency } from '../identity/identity.policy';
import {
  DEFAULT_APPROVAL_CHAIN,
  DEFAULT_DOCUMENT_TYPES,
  DEFAULT_NUMBERING_POLICY,
  isPlainDate,
  mergeDocumentTypes,
  validateApprovalChain,
  type ApprovalStep,
  type DocumentType,
  type DocumentTypeOverride,
  type NumberingPolicy,
  type OutgoingNumberingMode,
  type WorkingCalendar,
  isOutgoingNumberingMode,
  numberingPolicyFor,
} from './domain';
import {
  formatHolidayEdits,
  holidayDatesOfYears,
  holidaysOfYear,
  parseHolidayEdits,
  setHolidaysOfYear,
  type AgencyHoliday,
  type HolidayEdits,
  type PublicHoliday,
} from './domain/public-holidays';
import { AgencySettings } from './entities/misc.entities';
import { HOLIDAY_NAME_MAX } from '../../../../schema/validation/holidays';
import {
  DEFAULT_INCOMING_REGISTERS,
  incomingRegisterCode,
  incomingRegistersSchema,
  isIncomingRegisterKey,
  type IncomingRegister,
} from '../../../../schema/validation/incoming-registers';
import type { Clock } from '../../services';
import { User } from '../identity/entities/user.entity';

/** The documents settings of one agency, defaults filled in. */
export interface AgencyDocumentSettings {
  agencyId: string;
  /** The administrator's choice: SHARED (default), PER_TYPE or SHARED_EXCEPT_QD. */
  outgoingNumbering: OutgoingNumberingMode;
  /** The sequence policy that follows from it. Secret documents always have their own sequence. */
  numbering: NumberingPolicy;
  /** Approval chain template copied onto new drafts (default: trưởng phòng of the drafting unit → lãnh đạo). */
  approvalChain: ApprovalStep[];
  /** Decree 30 types merged with the agency's overrides / custom types. */
  documentTypes: DocumentType[];
  /** The agency's raw overrides (for the settings screen). */
  documentTypeOverrides: DocumentTypeOverride[];
  /**
   * The agency's edits of the yearly statutory proposal (added and removed days) — the ONE source of the
   * holidays: `DocumentSettings.holidays` (legacy: the added days) and `holidaysOfYear` are derived from it.
   */
  holidayEdits: HolidayEdits;
  /** Sổ văn bản đến (the general register INCOMING first unless reordered); the secret register is apart. */
  incomingRegisters: IncomingRegister[];
}

export interface UpdateAgencySettingsInput {
  outgoingNumbering?: OutgoingNumberingMode;
  /** null = back to the default chain. */
  approvalChain?: ApprovalStep[] | null;
  /** null = only the Decree 30 defaults. */
  documentTypes?: DocumentTypeOverride[] | null;
  /** Replaces the added days (all years); the removed proposal days are kept. */
  holidays?: string[] | null;
  /** Replaces the incoming registers (null = back to only the general one). */
  incomingRegisters?: IncomingRegister[] | null;
}

/** Stored codes (the column holds at most 10 characters). */
const STORED_NUMBERING: Record<OutgoingNumberingMode, string> = { SHARED: 'SHARED', PER_TYPE: 'PER_TYPE', SHARED_EXCEPT_QD: 'SHARED_QD' };
const numberingFromStored = (v: string | undefined | null): OutgoingNumberingMode =>
  v === 'PER_TYPE' ? 'PER_TYPE' : v === STORED_NUMBERING.SHARED_EXCEPT_QD ? 'SHARED_EXCEPT_QD' : 'SHARED';

/** Reads a settings row (or none) into settings with defaults. Stored data was validated when written. */
export function settingsFromRow(agencyId: string, row: AgencySettings | null): AgencyDocumentSettings {
  const overrides = (row?.documentTypes ?? []) as DocumentTypeOverride[];
  const chain = (row?.approvalChain ?? null) as ApprovalStep[] | null;
  const outgoing = numberingFromStored(row?.outgoingNumbering);
  const documentTypes = overrides.length ? mergeDocumentTypes(overrides) : [...DEFAULT_DOCUMENT_TYPES];
  const holidayEdits = parseHolidayEdits(row?.holidays);
  const registers = readIncomingRegisters(row?.incomingRegisters);
  return {
    agencyId,
    outgoingNumbering: outgoing,
    numbering: outgoing === 'SHARED' ? DEFAULT_NUMBERING_POLICY : numberingPolicyFor(outgoing, documentTypes),
    approvalChain: chain && validateApprovalChain(chain).length === 0 ? chain.map((s) => ({ ...s })) : DEFAULT_APPROVAL_CHAIN.map((s) => ({ ...s })),
    documentTypes,
    documentTypeOverrides: overrides,
    holidayEdits,
    incomingRegisters: registers,
  };
}

/** Stored registers (validated when written); anything unreadable falls back to the general register only. */
function readIncomingRegisters(stored: unknown[] | null | undefined): IncomingRegister[] {
  if (!Array.isArray(stored) || !stored.length) return DEFAULT_INCOMING_REGISTERS.map((r) => ({ ...r }));
  const rows = stored as Partial<IncomingRegister>[];
  const parsed = incomingRegistersSchema.safeParse(
    rows.map((r) => ({ code: typeof r.key === 'string' ? (incomingRegisterCode(r.key) ?? '?') : '?', name: String(r.name ?? ''), active: r.active !== false })),
  );
  return parsed.success ? parsed.data : DEFAULT_INCOMING_REGISTERS.map((r) => ({ ...r }));
}

/** The added days of the agency's holiday edits (all years, YYYY-MM-DD): the legacy `DocumentSettings.holidays`. */
export const addedHolidayDates = (s: Pick<AgencyDocumentSettings, 'holidayEdits'>): string[] => s.holidayEdits.added.map((h) => h.date);

/**
 * Non-working days of an agency for `years` from its settings row (or none): Vietnam's public holidays merged
 * with the agency's edits. For jobs that read many rows at once (deadline reminders).
 */
export function holidayDatesFromRow(row: Pick<AgencySettings, 'holidays'> | null | undefined, years: readonly number[]): string[] {
  return holidayDatesOfYears(years, parseHolidayEdits(row?.holidays));
}

/**
 * Per-agency settings of the documents capability: outgoing numbering policy (NĐ 30 Điều 15.1.c leaves
 * it to the head of the agency), the approval-chain template, custom document types and holidays.
 * Read with defaults; changed by the agency's QUAN_TRI.
 */
export class DocumentSettingsService {
  /** The services' clock (the working calendar's default years follow it; tests move it). */
  constructor(private readonly clock: Clock = { now: () => new Date() }) {}

  /** Settings of `agencyId` with defaults (no row = all defaults). Uses `em` so it can run inside a transaction. */
  async get(em: EntityManager, agencyId: string): Promise<AgencyDocumentSettings> {
    const row = await em.findOne(AgencySettings, { agency: agencyId });
    return settingsFromRow(agencyId, row);
  }

  /** Settings of the caller's agency. */
  async mine(scope: Scope): Promise<AgencyDocumentSettings> {
    const actor = scope.requireActor();
    return this.get(scope.em, actor.agencyId);
  }

  /** Active document types of the caller's agency (Query.documentTypes). */
  async documentTypes(scope: Scope): Promise<DocumentType[]> {
    const s = await this.mine(scope);
    return s.documentTypes.filter((t) => t.active);
  }

  /** Change the settings of an agency (QUAN_TRI of that agency). Validates everything before writing. */
  async update(scope: Scope, agencyId: string, input: UpdateAgencySettingsInput): Promise<AgencyDocumentSettings> {
    const actor = scope.requireActor();
    if (!isUuid(agencyId)) throw badInput('Mã cơ quan không hợp lệ.', 'agencyId');
    if (!canConfigureAgency(actor, agencyId)) throw forbidden('Chỉ quản trị của cơ quan mới được thay đổi cấu hình văn bản.');
    if (input.outgoingNumbering !== undefined && !isOutgoingNumberingMode(input.outgoingNumbering)) throw badInput('Cách cấp số không hợp lệ.', 'outgoingNumbering');
    if (input.approvalChain) {
      const problems = validateApprovalChain(input.approvalChain);
      if (problems.length) throw badInput(problems.join(' '), 'approvalChain');
    }
    if (input.documentTypes) mergeDocumentTypes(input.documentTypes); // throws BAD_USER_INPUT when invalid
    if (input.holidays && !input.holidays.every((d) => isPlainDate(d))) throw badInput('Ngày nghỉ không hợp lệ, nhập theo dạng dd/mm/yyyy.', 'holidays');
    const registers = input.incomingRegisters ? checkIncomingRegisters(input.incomingRegisters) : input.incomingRegisters;

    return scope.transaction(async (tx) => {
      if (input.approvalChain) await checkChainUsers(tx.em, agencyId, input.approvalChain);
      let row = await tx.em.findOne(AgencySettings, { agency: agencyId });
      if (!row) {
        row = tx.em.create(AgencySettings, { agency: tx.em.getReference(Agency, agencyId), outgoingNumbering: 'SHARED' });
      }
      if (input.outgoingNumbering !== undefined) row.outgoingNumbering = STORED_NUMBERING[input.outgoingNumbering];
      if (input.approvalChain !== undefined) row.approvalChain = input.approvalChain;
      if (input.documentTypes !== undefined) row.documentTypes = input.documentTypes;
      if (registers !== undefined) row.incomingRegisters = registers;
      if (input.holidays !== undefined) {
        const kept = parseHolidayEdits(row.holidays).removed;
        row.holidays = formatHolidayEdits({ added: parseHolidayEdits(input.holidays ?? []).added, removed: kept });
      }
      tx.audit({ action: 'documents.settings_update', targetType: 'agency', targetId: agencyId, agencyId, data: { ...input } as Record<string, unknown> });
      await tx.em.flush();
      return settingsFromRow(agencyId, row);
    });
  }
  /** Holidays of `year` for the caller's agency: Vietnam's public holidays (pre-filled) merged with the agency's edits. */
  async holidaysOfYear(scope: Scope, year: number): Promise<AgencyHoliday[]> {
    checkYear(year);
    const s = await this.mine(scope);
    return holidaysOfYear(year, s.holidayEdits);
  }

  /**
   * Save the holidays of one year of an agency (QUAN_TRI of that agency): the list becomes exactly `holidays`;
   * the difference with the statutory proposal is kept as the agency's edits of that year.
   */
  async setHolidaysOfYear(scope: Scope, agencyId: string, year: number, holidays: readonly PublicHoliday[]): Promise<AgencyHoliday[]> {
    const actor = scope.requireActor();
    if (!isUuid(agencyId)) throw badInput('Mã cơ quan không hợp lệ.', 'agencyId');
    if (!canConfigureAgency(actor, agencyId)) throw forbidden('Chỉ quản trị của cơ quan mới được thay đổi ngày nghỉ.');
    checkYear(year);
    const seen = new Set<string>();
    for (const h of holidays) {
      if (!isPlainDate(h.date) || !h.date.startsWith(`${year}-`)) throw badInput(`Ngày nghỉ ${h.date} không thuộc năm ${year}.`, 'holidays');
      if (seen.has(h.date)) throw badInput(`Ngày nghỉ ${h.date} bị trùng.`, 'holidays');
      if (!h.name.trim()) throw badInput('Vui lòng nhập tên ngày nghỉ.', 'holidays');
      if (h.name.length > HOLIDAY_NAME_MAX) throw badInput(`Tên ngày nghỉ dài quá ${HOLIDAY_NAME_MAX} ký tự.`, 'holidays');
      seen.add(h.date);
    }
    return scope.transaction(async (tx) => {
      let row = await tx.em.findOne(AgencySettings, { agency: agencyId });
      if (!row) {
        row = tx.em.create(AgencySettings, { agency: tx.em.getReference(Agency, agencyId), outgoingNumbering: 'SHARED' });
      }
      const edits = setHolidaysOfYear(parseHolidayEdits(row.holidays), year, holidays.map((h) => ({ date: h.date, name: h.name.normalize('NFC') })));
      row.holidays = formatHolidayEdits(edits);
      const result = holidaysOfYear(year, edits);
      tx.audit({ action: 'documents.holidays_update', targetType: 'agency', targetId: agencyId, agencyId, data: { year, holidays: result.map((h) => h.date) } });
      await tx.em.flush();
      return result;
    });
  }

  /**
   * The working calendar of an agency for deadlines and reminders: the merged holidays (public + the agency's
   * edits) of the given years (default: the year before, this one and the next two, Vietnam time).
   */
  async workingCalendar(em: EntityManager, agencyId: string, years?: readonly number[]): Promise<WorkingCalendar> {
    const row = await em.findOne(AgencySettings, { agency: agencyId });
    const y = Number(new Date(this.clock.now().getTime() + 7 * 3600_000).toISOString().slice(0, 4));
    return { holidays: holidayDatesFromRow(row, years ?? [y - 1, y, y + 1, y + 2]) };
  }
}

/** The incoming registers as given (API shape) through the shared rules; BAD_USER_INPUT with the field. */
function checkIncomingRegisters(list: readonly IncomingRegister[]): IncomingRegister[] {
  const bad = list.findIndex((r) => !isIncomingRegisterKey(r.key));
  if (bad >= 0) throw badInput(`Sổ thứ ${bad + 1}: mã sổ "${list[bad].key}" không hợp lệ (INCOMING hoặc INCOMING:<MÃ>).`, `incomingRegisters.${bad}.key`);
  const parsed = incomingRegistersSchema.safeParse(list.map((r) => ({ code: incomingRegisterCode(r.key) ?? '', name: r.name, active: r.active })));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.map((p) => (p === 'code' ? 'key' : String(p)));
    throw badInput(issue.message, ['incomingRegisters', ...path].join('.'));
  }
  return parsed.data;
}

/** USER steps of an approval chain must name active users of the agency. */
async function checkChainUsers(em: EntityManager, agencyId: string, chain: readonly ApprovalStep[]): Promise<void> {
  for (const [i, step] of chain.entries()) {
    if (step.kind !== 'USER') continue;
    const user = isUuid(step.userId) ? await em.findOne(User, { id: step.userId }) : null;
    if (!user || !user.active || user.agency.id !== agencyId) throw badInput(`Bước ${i + 1}: người duyệt không thuộc cơ quan hoặc không còn hoạt động.`, `approvalChain.${i}.userId`);
  }
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw badInput('Năm không hợp lệ (2000–2100).', 'year');
}
