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
} from './domain';
import { AgencySettings } from './entities/misc.entities';

/** The documents settings of one agency, defaults filled in. */
export interface AgencyDocumentSettings {
  agencyId: string;
  /** Outgoing numbering: SHARED (one sequence, the default) or PER_TYPE. Secret documents always have their own. */
  numbering: NumberingPolicy;
  /** Approval chain template copied onto new drafts (default: trưởng phòng of the drafting unit → lãnh đạo). */
  approvalChain: ApprovalStep[];
  /** Decree 30 types merged with the agency's overrides / custom types. */
  documentTypes: DocumentType[];
  /** The agency's raw overrides (for the settings screen). */
  documentTypeOverrides: DocumentTypeOverride[];
  holidays: string[];
}

export interface UpdateAgencySettingsInput {
  outgoingNumbering?: 'SHARED' | 'PER_TYPE';
  /** null = back to the default chain. */
  approvalChain?: ApprovalStep[] | null;
  /** null = only the Decree 30 defaults. */
  documentTypes?: DocumentTypeOverride[] | null;
  holidays?: string[] | null;
}

const NUMBERING = ['SHARED', 'PER_TYPE'] as const;

/** Reads a settings row (or none) into settings with defaults. Stored data was validated when written. */
export function settingsFromRow(agencyId: string, row: AgencySettings | null): AgencyDocumentSettings {
  const overrides = (row?.documentTypes ?? []) as DocumentTypeOverride[];
  const chain = (row?.approvalChain ?? null) as ApprovalStep[] | null;
  const outgoing = row?.outgoingNumbering === 'PER_TYPE' ? 'PER_TYPE' : 'SHARED';
  return {
    agencyId,
    numbering: outgoing === 'SHARED' ? DEFAULT_NUMBERING_POLICY : { outgoing },
    approvalChain: chain && validateApprovalChain(chain).length === 0 ? chain.map((s) => ({ ...s })) : DEFAULT_APPROVAL_CHAIN.map((s) => ({ ...s })),
    documentTypes: overrides.length ? mergeDocumentTypes(overrides) : [...DEFAULT_DOCUMENT_TYPES],
    documentTypeOverrides: overrides,
    holidays: row?.holidays ?? [],
  };
}

/**
 * Per-agency settings of the documents capability: outgoing numbering policy (NĐ 30 Điều 15.1.c leaves
 * it to the head of the agency), the approval-chain template, custom document types and holidays.
 * Read with defaults; changed by the agency's QUAN_TRI.
 */
export class DocumentSettingsService {
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
    if (input.outgoingNumbering !== undefined && !NUMBERING.includes(input.outgoingNumbering)) throw badInput('Cách cấp số không hợp lệ.', 'outgoingNumbering');
    if (input.approvalChain) {
      const problems = validateApprovalChain(input.approvalChain);
      if (problems.length) throw badInput(problems.join(' '), 'approvalChain');
    }
    if (input.documentTypes) mergeDocumentTypes(input.documentTypes); // throws BAD_USER_INPUT when invalid
    if (input.holidays && !input.holidays.every((d) => isPlainDate(d))) throw badInput('Ngày nghỉ không hợp lệ, nhập theo dạng dd/mm/yyyy.', 'holidays');

    return scope.transaction(async (tx) => {
      let row = await tx.em.findOne(AgencySettings, { agency: agencyId });
      if (!row) {
        row = tx.em.create(AgencySettings, { agency: tx.em.getReference(Agency, agencyId), outgoingNumbering: 'SHARED' });
      }
      if (input.outgoingNumbering !== undefined) row.outgoingNumbering = input.outgoingNumbering;
      if (input.approvalChain !== undefined) row.approvalChain = input.approvalChain;
      if (input.documentTypes !== undefined) row.documentTypes = input.documentTypes;
      if (input.holidays !== undefined) row.holidays = input.holidays;
      tx.audit({ action: 'documents.settings_update', targetType: 'agency', targetId: agencyId, agencyId, data: { ...input } as Record<string, unknown> });
      await tx.em.flush();
      return settingsFromRow(agencyId, row);
    });
  }
}
