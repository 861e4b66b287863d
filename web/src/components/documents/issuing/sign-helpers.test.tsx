import { render, screen } from '@testing-library/react';
import { AuthorityFields, EMPTY_AUTHORITY, previewLines } from './AuthorityFields';
import { fileToSign, signatureFromText } from './SignDialog';
import { blocksRegistration } from '../../signatures/ScanSignatures';

describe('sign dialog helpers', () => {
  it('signs the latest draft version, as the server does', () => {
    const files = [
      { id: 'b', kind: 'DRAFT', version: 2, contentType: 'application/pdf' },
      { id: 'a', kind: 'DRAFT', version: 1, contentType: 'application/pdf' },
      { id: 'c', kind: 'ATTACHMENT', version: 3, contentType: 'application/pdf' },
    ];
    expect(fileToSign(files)?.id).toBe('b');
    expect(fileToSign([])).toBeNull();
  });

  it('reads a signature value pasted as base64 (whitespace, PEM armour) and refuses other text', () => {
    expect(signatureFromText(' QUJD\nREVG ')).toBe('QUJDREVG');
    expect(signatureFromText('-----BEGIN SIGNATURE-----\nQUJDREVG\n-----END SIGNATURE-----')).toBe('QUJDREVG');
    expect(signatureFromText('not base64!')).toBeNull();
    expect(signatureFromText('')).toBeNull();
  });

  it('"chưa kiểm tra" does not block registration; invalid, untrusted or revoked does', () => {
    const sig = { index: 0, kind: 'AGENCY' as const, signerName: 'X', organization: null, valid: true, trusted: true, revocation: 'NOT_CHECKED' as const, signedAt: null, reason: null, coversWholeFile: true, errors: [] };
    expect(blocksRegistration([sig])).toBe(false);
    expect(blocksRegistration([{ ...sig, trusted: false }])).toBe(true);
    expect(blocksRegistration([{ ...sig, valid: false }])).toBe(true);
    expect(blocksRegistration([{ ...sig, revocation: 'REVOKED' }])).toBe(true);
  });
});

describe('AuthorityFields', () => {
  it('previews the printed lines, upper case', () => {
    expect(previewLines({ mode: 'KT', collective: 'Ủy ban nhân dân', principal: 'Chủ tịch' })).toEqual(['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH']);
    expect(previewLines({ mode: 'TM', collective: 'Ủy ban nhân dân', principal: 'ignored' })).toEqual(['TM. ỦY BAN NHÂN DÂN']);
    expect(previewLines(EMPTY_AUTHORITY)).toEqual([]);
  });

  it('shows the fields each mode needs', () => {
    const props = { onChange: () => undefined, legalNormative: false, onLegalNormativeChange: () => undefined };
    const { rerender } = render(
<AuthorityFields {...props} value={{ mode: 'TM', collective: '', principal: '' }} />,
    );
    expect(screen.getByLabelText(/Tên tập thể/)).toBeTruthy();
    expect(screen.queryByLabelText(/Chức vụ người đứng đầu/)).toBeNull();
    rerender(
<AuthorityFields {...props} value={{ mode: 'TUQ', collective: '', principal: '' }} errors={{ principal: 'Thiếu chức vụ' }} />,
    );
    expect(screen.queryByLabelText(/Tên tập thể/)).toBeNull();
    expect(screen.getByText('Thiếu chức vụ')).toBeTruthy();
    expect(screen.getByRole('checkbox', { name: /Văn bản quy phạm pháp luật/ })).toBeTruthy();
  });
});
