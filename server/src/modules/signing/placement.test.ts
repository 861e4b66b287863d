import { agencySealRect, agencySignatureText, topRightRect, vnIsoTime } from './placement';

describe('signature placement (Phụ lục I)', () => {
  it('the seal covers the left third of the signer image (reaching out to the left), centred vertically', () => {
    const signer = { x: 360, y: 200, width: 150, height: 60 };
    const r = agencySealRect(signer, 90, 150);
    expect(r.x + 45).toBe(385); // seal centre = centre of the signer image's left third
    expect(r.y + 45).toBe(230);
    expect(r.x).toBeLessThan(signer.x);
    expect(r.width).toBe(240);
  });
  it('attachments: top-right of an A4 page', () => {
    expect(topRightRect({ width: 595, height: 842 })).toEqual({ x: 365, y: 774, width: 210, height: 48 });
  });
  it('time in ISO 8601, Vietnam time; the number first on attachments', () => {
    const at = new Date('2026-12-31T20:05:09Z');
    expect(vnIsoTime(at)).toBe('2027-01-01T03:05:09+07:00');
    expect(agencySignatureText('UBND tỉnh Bắc Ninh', at, '12/QĐ-UBND')).toEqual(['Số: 12/QĐ-UBND', 'UBND tỉnh Bắc Ninh', 'Thời gian ký: 2027-01-01T03:05:09+07:00']);
  });
});
