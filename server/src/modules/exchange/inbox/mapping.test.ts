import { validNewDocument } from '../edxml/testing';
import { codeOf, edxmlDocumentIdOf, responseForOf } from '../outbox/package';
import { decideStatus, dedupKey, incomingFieldsOf } from './mapping';

describe('status ordering (codes only move forward; a status never overtakes its document)', () => {
  it.each([
    [null, '01', 'APPLY'],
    [null, '05', 'HOLD'],
    [null, '03', 'HOLD'],
    [null, '02', 'APPLY'],
    ['01', '02', 'APPLY'],
    ['01', '03', 'APPLY'],
    ['01', '05', 'APPLY'],
    ['05', '03', 'STALE'],
    ['05', '05', 'STALE'],
    ['05', '06', 'APPLY'],
    ['03', '02', 'STALE'],
    ['02', '01', 'STALE'],
    ['02', '03', 'STALE'],
    ['06', '06', 'STALE'],
    ['01', '13', 'STALE'],
  ])('current %s + received %s → %s', (cur, code, want) => {
    expect(decideStatus(cur, code)).toBe(want);
  });
});

describe('dedup key', () => {
  const base = { senderCode: '000.00.00.H27', edxmlDocumentId: '000.00.00.H27,2026/11/20,01/KH-UBND', kind: 'DOCUMENT' as const, type: '0', sequence: '0', recipientCode: '000.00.02.H27' };
  it('is stable for the same message and differs per recipient, business type and sequence', () => {
    expect(dedupKey(base)).toBe(dedupKey({ ...base }));
    expect(dedupKey(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(dedupKey({ ...base, recipientCode: '000.00.03.H27' })).not.toBe(dedupKey(base));
    expect(dedupKey({ ...base, type: '1' })).not.toBe(dedupKey(base));
    expect(dedupKey({ ...base, kind: 'STATUS', type: '05', sequence: '2' })).not.toBe(dedupKey({ ...base, kind: 'STATUS', type: '05', sequence: '1' }));
  });
});

describe('document identity on the wire', () => {
  it('keeps the written number of the symbol (01/KH-UBND) in CodeNumber and DocumentId', () => {
    expect(codeOf(1, '01/KH-UBND')).toEqual({ codeNumber: '01', codeNotation: 'KH-UBND' });
    expect(codeOf(125, 'UBND-KT')).toEqual({ codeNumber: '125', codeNotation: 'UBND-KT' });
    expect(codeOf(null, null)).toBeNull();
    expect(edxmlDocumentIdOf('000.00.00.H27', { number: 1, symbol: '01/KH-UBND', issuedDate: '2026-12-01' })).toBe('000.00.00.H27,2026/12/01,01/KH-UBND');
    expect(edxmlDocumentIdOf('000.00.00.H27', { number: null, symbol: null, issuedDate: null })).toBeNull();
    expect(responseForOf('000.00.00.H27', { number: 1, symbol: '01/KH-UBND', issuedDate: '2026-12-01' })).toEqual({
      organId: '000.00.00.H27',
      code: '01/KH-UBND',
      promulgationDate: '2026-12-01',
      documentId: '000.00.00.H27,2026/12/01,01/KH-UBND',
    });
  });

  it('maps a received header to the incoming record fields', () => {
    const p = { ...validNewDocument(), attachments: [] };
    expect(incomingFieldsOf(p as never)).toMatchObject({
      issuerCode: '000.00.00.H27',
      symbol: '125/UBND-KT',
      number: 125,
      issuedDate: '2026-12-01',
      typeName: 'Công văn',
      signerName: 'Nguyễn Văn An',
      signerTitle: 'Phó Chủ tịch',
      urgency: 'KHAN',
      pageCount: 3,
    });
  });
});
