import { parseSymbol } from './numbering';
import { canExportSecretRegister } from './register-access';
import {
  circulationText,
  isSecretSymbol,
  normalizeCirculation,
  outgoingSymbol,
  registerTitle,
  secretFileProblem,
  secretScanProblem,
} from './secrecy';
import { EVERYONE } from './test-fixtures';

describe('metadata only', () => {
  it('refuses uploads, attached scans and documents already holding files when secret; ordinary ones pass', () => {
    expect(secretFileProblem({ secrecy: 'THUONG', uploads: 2, fileIds: 1, existingFiles: 3 })).toBeNull();
    expect(secretFileProblem({ secrecy: 'MAT' })).toBeNull();
    expect(secretFileProblem({ secrecy: 'MAT', uploads: 1 })).toMatchObject({ field: 'files', reason: expect.stringContaining('Mật') });
    expect(secretFileProblem({ secrecy: 'TOI_MAT', uploads: 1, uploadField: 'file' })).toMatchObject({ field: 'file' });
    expect(secretFileProblem({ secrecy: 'TUYET_MAT', fileIds: 1 })).toMatchObject({ field: 'fileIds', reason: expect.stringContaining('Tuyệt mật') });
    expect(secretFileProblem({ secrecy: 'MAT', existingFiles: 1 })).toMatchObject({ field: 'secrecy', reason: expect.stringContaining('mật') });
  });

  it('a scan declared secret is never stored', () => {
    expect(secretScanProblem(null)).toBeNull();
    expect(secretScanProblem('THUONG')).toBeNull();
    expect(secretScanProblem('TOI_MAT')).toMatchObject({ field: 'secrecy' });
  });
});

describe('circulation markings', () => {
  it('keeps known values once, in the canonical order; refuses unknown ones', () => {
    expect(normalizeCirculation(null)).toEqual({ ok: true, value: [] });
    expect(normalizeCirculation(['LUU_HANH_NOI_BO', 'XEM_XONG_TRA_LAI', 'LUU_HANH_NOI_BO'])).toEqual({ ok: true, value: ['XEM_XONG_TRA_LAI', 'LUU_HANH_NOI_BO'] });
    expect(normalizeCirculation(['KHONG_PHO_BIEN'])).toMatchObject({ ok: false, field: 'circulation' });
  });

  it('prints them as the decree writes them', () => {
    expect(circulationText(['LUU_HANH_NOI_BO', 'XEM_XONG_TRA_LAI'])).toBe('XEM XONG TRẢ LẠI; LƯU HÀNH NỘI BỘ');
    expect(circulationText(['TRA_LAI_SAU_KHI_HOP', 'nonsense'])).toBe('TRẢ LẠI SAU KHI HỌP (HỘI NGHỊ)');
    expect(circulationText(null)).toBe('');
  });
});

describe('secret symbols and registers', () => {
  it('a secret outgoing symbol carries "-M" and never equals the ordinary one of the same number', () => {
    const parts = { number: 1, typeCode: 'BC', agencyAbbr: 'UBND' };
    expect(outgoingSymbol(parts, 'THUONG')).toBe('01/BC-UBND');
    expect(outgoingSymbol(parts, 'MAT')).toBe('01/BC-UBND-M');
    expect(outgoingSymbol({ number: 7, agencyAbbr: 'UBND', unitAbbr: 'KT' }, 'TUYET_MAT')).toBe('07/UBND-KT-M');
    expect(outgoingSymbol({ number: 7, agencyAbbr: 'UBND' }, 'TOI_MAT')).toBe('07/UBND-M');
    for (let n = 1; n <= 50; n++) {
      for (const p of [{ typeCode: 'QĐ' }, { unitAbbr: 'VP' }, {}]) {
        const ordinary = outgoingSymbol({ number: n, agencyAbbr: 'UBND', ...p }, 'THUONG');
        const secret = outgoingSymbol({ number: n, agencyAbbr: 'UBND', ...p }, 'MAT');
        expect(secret).not.toBe(ordinary);
        expect([isSecretSymbol(ordinary), isSecretSymbol(secret)]).toEqual([false, true]);
      }
    }
  });

  it('a secret symbol is still a valid số, ký hiệu for the receiving agency', () => {
    expect(parseSymbol('01/BC-UBND-M')).toMatchObject({ number: 1, typeCode: 'BC', canonical: '01/BC-UBND-M' });
    expect(parseSymbol('07/UBND-KT-M')).toMatchObject({ number: 7, issuerAbbr: 'UBND', canonical: '07/UBND-KT-M' });
  });

  it('secret registers: own titles; printed by văn thư and leaders only', () => {
    expect(registerTitle('INCOMING', true)).toBe('SỔ ĐĂNG KÝ VĂN BẢN ĐẾN MẬT');
    expect(registerTitle('OUTGOING', false)).toBe('SỔ ĐĂNG KÝ VĂN BẢN ĐI');
    expect(EVERYONE.filter((v) => canExportSecretRegister(v)).map((v) => v.userId)).toEqual(['vt', 'ld1', 'ld2', 'vt-b', 'ld-b']);
  });
});
