/** Unit tests of the duplicate-before-numbering rule (duplicates.ts). */
import { duplicateProbe, findDuplicates, type DuplicateCandidate } from './duplicates';

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);

describe('duplicateProbe', () => {
  it('folds the issuer and normalises the symbol', () => {
    const a = duplicateProbe({ issuerName: 'UBND huyện Lương Tài', symbol: '05/KH-UBND', issuedDate: '2026-02-05' }, []);
    const b = duplicateProbe({ issuerName: '  ubnd HUYEN luong tai', symbol: 'Số: 5 / kh – ubnd', issuedDate: '2026-02-05' }, []);
    expect(a.key).not.toBeNull();
    expect(b.key).toBe(a.key);
  });

  it('has no reference key without a symbol or a date', () => {
    expect(duplicateProbe({ issuerName: 'X', symbol: null, issuedDate: '2026-02-05' }, []).key).toBeNull();
    expect(duplicateProbe({ issuerName: 'X', symbol: '05/KH-UBND', issuedDate: null }, []).key).toBeNull();
  });

  it('keeps only well-formed hashes, lower-cased and unique', () => {
    expect(duplicateProbe({ issuerName: 'X', symbol: null, issuedDate: null }, [SHA_A.toUpperCase(), SHA_A, 'nope']).sha256s).toEqual([SHA_A]);
  });
});

describe('findDuplicates', () => {
  const probe = duplicateProbe({ issuerName: 'Sở Nội vụ', symbol: '12/SNV-TCBC', issuedDate: '2026-03-01' }, [SHA_A]);
  const cand = (over: Partial<DuplicateCandidate>): DuplicateCandidate => ({ id: 'x', state: 'REGISTERED', key: null, sha256s: [], ...over });

  it('matches the same issuer, symbol and date', () => {
    expect(findDuplicates(probe, [cand({ id: 'd1', key: probe.key })])).toEqual([{ id: 'd1', reasons: ['SAME_REFERENCE'] }]);
  });

  it('matches the same scan (sha256) even with other fields', () => {
    expect(findDuplicates(probe, [cand({ id: 'd2', sha256s: [SHA_B, SHA_A.toUpperCase()] })])).toEqual([{ id: 'd2', reasons: ['SAME_FILE'] }]);
  });

  it('gives both reasons and keeps the candidates order', () => {
    const r = findDuplicates(probe, [cand({ id: 'd3', key: probe.key, sha256s: [SHA_A] }), cand({ id: 'd1', key: probe.key })]);
    expect(r).toEqual([
      { id: 'd3', reasons: ['SAME_REFERENCE', 'SAME_FILE'] },
      { id: 'd1', reasons: ['SAME_REFERENCE'] },
    ]);
  });

  it('ignores records not in the register, and the record itself', () => {
    const r = findDuplicates(
      probe,
      [
        cand({ id: 'r', state: 'RECEIVED', key: probe.key }),
        cand({ id: 'j', state: 'REJECTED', key: probe.key }),
        cand({ id: 'n', state: 'ANNULLED', sha256s: [SHA_A] }),
        cand({ id: 'self', key: probe.key }),
      ],
      'self',
    );
    expect(r).toEqual([]);
  });

  it('does not match a different document', () => {
    const other = duplicateProbe({ issuerName: 'Sở Nội vụ', symbol: '13/SNV-TCBC', issuedDate: '2026-03-01' }, [SHA_B]);
    expect(findDuplicates(probe, [cand({ id: 'o', key: other.key, sha256s: other.sha256s })])).toEqual([]);
    expect(findDuplicates(duplicateProbe({ issuerName: 'X', symbol: null, issuedDate: null }, []), [cand({ id: 'o', key: null })])).toEqual([]);
  });
});
