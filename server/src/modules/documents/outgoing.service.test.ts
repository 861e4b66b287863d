import { Scope, type Actor } from '../../shared/scope';
import type { Role } from '../identity/roles';
import { DEFAULT_APPROVAL_CHAIN, DEFAULT_DOCUMENT_TYPES, mergeDocumentTypes } from './domain';
import type { Document } from './entities/document.entity';
import { allowedOutgoingActionsFor, outgoingSnapshot, resolveDocumentType } from './outgoing.service';

const AGENCY = 'agency-1';
const actor = (userId: string, roles: Role[], unitId: string | null = 'unit-kt', agencyId = AGENCY): Actor => ({
  userId,
  username: userId,
  fullName: userId,
  agencyId,
  unitId,
  roles,
  sessionId: null,
});
const scopeOf = (a: Actor | null) => new Scope({} as never, a);

function doc(p: Partial<Document>): Document {
  return {
    direction: 'OUTGOING',
    state: 'DRAFT',
    agency: { id: AGENCY },
    drafter: { id: 'cv' },
    drafterUnit: { id: 'unit-kt' },
    signer: null,
    approvalChain: [...DEFAULT_APPROVAL_CHAIN],
    approvalStep: null,
    ...p,
  } as unknown as Document;
}

describe('resolveDocumentType', () => {
  it('finds by code (exact, then unambiguous case-insensitive) or by name, diacritics optional for names', () => {
    expect(resolveDocumentType(DEFAULT_DOCUMENT_TYPES, 'QĐ', null).name).toBe('Quyết định');
    expect(resolveDocumentType(DEFAULT_DOCUMENT_TYPES, 'ctr', null).code).toBe('CTr');
    expect(resolveDocumentType(DEFAULT_DOCUMENT_TYPES, null, 'cong van')).toMatchObject({ code: null, name: 'Công văn' });
    expect(resolveDocumentType(DEFAULT_DOCUMENT_TYPES, 'KH', 'Kế hoạch').code).toBe('KH');
  });

  it('refuses a missing, unknown, inactive or contradictory type', () => {
    expect(() => resolveDocumentType(DEFAULT_DOCUMENT_TYPES, null, '  ')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', extra: { field: 'typeCode' } }));
    expect(() => resolveDocumentType(DEFAULT_DOCUMENT_TYPES, 'XYZ', null)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(resolveDocumentType(DEFAULT_DOCUMENT_TYPES, 'DA', null).name).toBe('Dự án');
    expect(() => resolveDocumentType(DEFAULT_DOCUMENT_TYPES, 'QĐ', 'Kế hoạch')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    const types = mergeDocumentTypes([{ key: 'BAO_CAO', active: false }]);
    expect(() => resolveDocumentType(types, 'BC', null)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});

describe('allowedOutgoingActionsFor (Document.allowedActions of outgoing documents)', () => {
  it('maps the domain actions to the mutations; nothing for incoming documents or anonymous callers', () => {
    expect(allowedOutgoingActionsFor(scopeOf(actor('cv', ['CHUYEN_VIEN'])), doc({})).sort()).toEqual(['COMMENT', 'SUBMIT', 'UPDATE_DRAFT']);
    expect(allowedOutgoingActionsFor(scopeOf(null), doc({}))).toEqual([]);
    expect(allowedOutgoingActionsFor(scopeOf(actor('cv', ['CHUYEN_VIEN'])), doc({ direction: 'INCOMING' }))).toEqual([]);
  });

  it('follows the chain: step owner, signer, văn thư; another agency gets nothing', () => {
    const atStep0 = doc({ state: 'IN_APPROVAL', approvalStep: 0 });
    expect(allowedOutgoingActionsFor(scopeOf(actor('tp', ['TRUONG_PHONG'])), atStep0).sort()).toEqual(['APPROVE', 'COMMENT', 'REJECT', 'UPDATE_DRAFT']);
    expect(allowedOutgoingActionsFor(scopeOf(actor('tp-other', ['TRUONG_PHONG'], 'unit-vp')), atStep0)).toEqual([]);
    expect(allowedOutgoingActionsFor(scopeOf(actor('ld', ['LANH_DAO'], null)), atStep0)).toEqual(['COMMENT']);
    // The drafter may not withdraw through the API (no mutation): WITHDRAW is never offered.
    expect(allowedOutgoingActionsFor(scopeOf(actor('cv', ['CHUYEN_VIEN'])), atStep0)).toEqual(['COMMENT']);
    const approved = doc({ state: 'APPROVED', signer: { id: 'ld2' } as never });
    expect(allowedOutgoingActionsFor(scopeOf(actor('ld', ['LANH_DAO'], null)), approved)).toEqual(['COMMENT']);
    expect(allowedOutgoingActionsFor(scopeOf(actor('ld2', ['LANH_DAO'], null)), approved).sort()).toEqual(['COMMENT', 'REJECT', 'SIGN']);
    expect(allowedOutgoingActionsFor(scopeOf(actor('vt', ['VAN_THU'], 'unit-vp')), doc({ state: 'SIGNED' }))).toEqual(['ISSUE', 'RETURN_FOR_CORRECTION']);
    expect(allowedOutgoingActionsFor(scopeOf(actor('vt', ['VAN_THU'], 'unit-vp', 'agency-2')), doc({ state: 'SIGNED' }))).toEqual([]);
    expect(allowedOutgoingActionsFor(scopeOf(actor('vt', ['VAN_THU'], 'unit-vp')), doc({ state: 'ISSUED' }))).toEqual(['MAKE_COPY']);
    expect(allowedOutgoingActionsFor(scopeOf(actor('vt', ['VAN_THU'], 'unit-vp')), doc({ state: 'ISSUED', secrecy: 'MAT' }))).toEqual([]);
    expect(allowedOutgoingActionsFor(scopeOf(actor('ld', ['LANH_DAO'], null)), doc({ state: 'ISSUED' }))).toEqual([]);
  });

  it('snapshots a record for the domain', () => {
    expect(outgoingSnapshot(doc({ state: 'IN_APPROVAL', approvalStep: 1 }))).toEqual({
      agencyId: AGENCY,
      state: 'IN_APPROVAL',
      drafterUserId: 'cv',
      drafterUnitId: 'unit-kt',
      signerUserId: null,
      chain: [...DEFAULT_APPROVAL_CHAIN],
      currentStep: 1,
    });
  });
});
