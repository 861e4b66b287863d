import { render, screen, within } from '@testing-library/react';
import type { FileSignatureInfoFragment } from '../../graphql/generated';
import { SignatureList, signatureVerdict } from './FileSignatures';

const base: FileSignatureInfoFragment = {
  index: 0,
  kind: 'PERSONAL',
  signerName: 'Phạm Quốc Hùng',
  organization: 'Ủy ban nhân dân tỉnh Bắc Ninh',
  valid: true,
  trusted: true,
  revocation: 'NOT_CHECKED',
  signedAt: '2026-12-06T02:30:00.000Z',
  reason: 'Ký duyệt',
  coversWholeFile: false,
  errors: [],
};

describe('SignatureList', () => {
  it('an intact, trusted signature whose revocation was not checked is never shown as "Hợp lệ"', () => {
    render(<SignatureList signatures={[base]} />);
    const item = screen.getByTestId('file-signature');
    expect(item.textContent).toContain('chưa kiểm tra');
    expect(within(item).queryByText('Hợp lệ')).toBeNull();
    expect(item.textContent).toContain('Phạm Quốc Hùng');
    expect(item.textContent).toContain('06/12/2026 09:30');
    expect(item.textContent).toContain('Chữ ký của người có thẩm quyền');
  });

  it('valid only when intact, trusted and checked not revoked', () => {
    expect(signatureVerdict({ valid: true, trusted: true, revocation: 'GOOD' }).key).toBe('valid');
    expect(signatureVerdict({ valid: true, trusted: true, revocation: 'REVOKED' }).key).toBe('revoked');
    expect(signatureVerdict({ valid: true, trusted: false, revocation: 'NOT_CHECKED' }).key).toBe('untrusted');
    expect(signatureVerdict({ valid: false, trusted: true, revocation: 'GOOD' }).key).toBe('invalid');
  });

  it('a tampered agency signature shows "Không hợp lệ" with the server reasons', () => {
    render(
      <SignatureList
        signatures={[
          { ...base, index: 1, kind: 'AGENCY', signerName: 'UBND tỉnh Bắc Ninh', valid: false, errors: ['Nội dung tệp đã bị thay đổi sau khi ký (giá trị băm không khớp).'] },
        ]}
      />,
    );
    expect(screen.getByText('Không hợp lệ')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('đã bị thay đổi');
    expect(screen.getByText(/Chữ ký số của cơ quan/)).toBeTruthy();
  });

  it('a file without signatures says so', () => {
    render(<SignatureList signatures={[]} />);
    expect(screen.getByText('Tệp không có chữ ký số.')).toBeTruthy();
  });
});
