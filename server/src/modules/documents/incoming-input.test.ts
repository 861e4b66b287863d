import { AppError } from '../../shared/errors';
import { incomingFieldsSchema } from '../../../../schema/validation/incoming';
import { DEFAULT_DOCUMENT_TYPES } from './domain';
import { cleanFileName } from './files';
import { cleanIdempotencyKey, normalizeReceivedAt, normalizeRegistration, type RegistrationForm } from './incoming-input';

const ctx = { types: DEFAULT_DOCUMENT_TYPES, today: '2026-11-23' };
const base: RegistrationForm = { issuerName: 'Sở Nội vụ tỉnh Bắc Ninh', symbol: '05/KH-SNV', issuedDate: '2026-11-20', subject: 'Về việc tuyển dụng' };

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('BAD_USER_INPUT');
    return (e as AppError).extra.field as string;
  }
  throw new Error('expected a BAD_USER_INPUT');
}

describe('registration form of an incoming document', () => {
  it('normalises the symbol and takes the type from it', () => {
    const f = normalizeRegistration({ ...base, symbol: 'Số:  5 / kh – snv.', subject: '  Về  việc   tuyển dụng ' }, ctx);
    expect(f).toMatchObject({ symbol: '05/KH-SNV', number: 5, typeCode: 'KH', typeName: 'Kế hoạch', subject: 'Về việc tuyển dụng', urgency: 'THUONG', secrecy: 'THUONG' });
    expect(normalizeRegistration({ ...base, symbol: '12/UBND-VP' }, ctx)).toMatchObject({ typeCode: null, typeName: 'Công văn' });
    expect(normalizeRegistration({ ...base, symbol: '12/QyĐ-UBND' }, ctx)).toMatchObject({ typeCode: 'QyĐ', typeName: 'Quy định' });
    expect(normalizeRegistration({ ...base, symbol: null, typeName: 'quyet dinh' }, ctx)).toMatchObject({ typeCode: 'QĐ', typeName: 'Quyết định', symbol: null, number: null });
    expect(normalizeRegistration({ ...base, symbol: null, typeName: 'Thư mời họp' }, ctx)).toMatchObject({ typeCode: null, typeName: 'Thư mời họp' });
  });

  it('keeps Vietnamese text in NFC', () => {
    const f = normalizeRegistration({ ...base, subject: 'Về việc tuyển dụng'.normalize('NFD'), issuerName: 'Sở Nội vụ'.normalize('NFD') }, ctx);
    expect(f.subject).toBe('Về việc tuyển dụng'.normalize('NFC'));
    expect(f.issuerName).toBe('Sở Nội vụ'.normalize('NFC'));
  });

  it('uses the issuing agency of the deployment and the prefilled values of an electronic arrival', () => {
    expect(normalizeRegistration({ ...base, issuerName: null }, { ...ctx, issuerAgencyName: 'Sở Tài chính' }).issuerName).toBe('Sở Tài chính');
    const pre = { issuerName: 'Sở Y tế', symbol: '03/SYT-VP', typeName: 'Công văn', typeCode: null, subject: 'Phòng dịch', issuedDate: '2026-11-01', urgency: 'KHAN' as const };
    expect(normalizeRegistration({}, { ...ctx, prefill: pre })).toMatchObject({ issuerName: 'Sở Y tế', symbol: '03/SYT-VP', subject: 'Phòng dịch', urgency: 'KHAN', typeName: 'Công văn' });
  });

  it('names the offending field', () => {
    expect(fieldOf(() => normalizeRegistration({ ...base, subject: ' ' }, ctx))).toBe('subject');
    expect(fieldOf(() => normalizeRegistration({ ...base, subject: 'x'.repeat(2001) }, ctx))).toBe('subject');
    expect(fieldOf(() => normalizeRegistration({ ...base, issuerName: '' }, ctx))).toBe('issuerName');
    expect(fieldOf(() => normalizeRegistration({ ...base, symbol: 'số năm' }, ctx))).toBe('symbol');
    expect(fieldOf(() => normalizeRegistration({ ...base, typeCode: 'QĐ' }, ctx))).toBe('typeCode');
    expect(fieldOf(() => normalizeRegistration({ ...base, typeCode: 'ZZ' }, ctx))).toBe('typeCode');
    expect(fieldOf(() => normalizeRegistration({ ...base, typeName: 'Quyết định' }, ctx))).toBe('typeName');
    expect(fieldOf(() => normalizeRegistration({ ...base, symbol: null }, ctx))).toBe('typeName');
    expect(fieldOf(() => normalizeRegistration({ ...base, issuedDate: '2026-11-24' }, ctx))).toBe('issuedDate');
    expect(fieldOf(() => normalizeRegistration({ ...base, issuedDate: '2026-02-30' }, ctx))).toBe('issuedDate');
    expect(fieldOf(() => normalizeRegistration({ ...base, urgency: 'GAP' }, ctx))).toBe('urgency');
    expect(fieldOf(() => normalizeRegistration({ ...base, secrecy: 'BI_MAT' }, ctx))).toBe('secrecy');
    expect(fieldOf(() => normalizeRegistration({ ...base, pageCount: 1.5 }, ctx))).toBe('pageCount');
    expect(fieldOf(() => normalizeRegistration({ ...base, signerName: 'x'.repeat(201) }, ctx))).toBe('signerName');
  });

  it('accepts an issue date of today', () => {
    expect(normalizeRegistration({ ...base, issuedDate: '2026-11-23' }, ctx).issuedDate).toBe('2026-11-23');
  });

  it('refuses what the web form refuses, with the same message (schema/validation/incoming.ts)', () => {
    const messageOf = (fn: () => unknown): string => {
      try {
        fn();
      } catch (e) {
        return (e as AppError).message;
      }
      throw new Error('expected a BAD_USER_INPUT');
    };
    const form = incomingFieldsSchema('2026-11-23');
    const typed = { issuerName: 'Sở Nội vụ', symbol: '', issuedDate: '20/11/2026', subject: 'Về việc', signerName: '', signerTitle: '', pageCount: '', receivedDate: '' };
    const webMessage = (v: Partial<typeof typed>, field: string): string | undefined =>
      form.safeParse({ ...typed, ...v }).error?.issues.find((i) => i.path[0] === field)?.message;
    const cases: [Partial<typeof typed>, RegistrationForm, string][] = [
      [{ subject: '   ' }, { subject: '   ' }, 'subject'],
      [{ subject: 'x'.repeat(2001) }, { subject: 'x'.repeat(2001) }, 'subject'],
      [{ issuerName: '' }, { issuerName: '' }, 'issuerName'],
      [{ issuedDate: '24/11/2026' }, { issuedDate: '2026-11-24' }, 'issuedDate'],
      [{ issuedDate: '30/02/2026' }, { issuedDate: '2026-02-30' }, 'issuedDate'],
      [{ issuedDate: '01/01/1899' }, { issuedDate: '1899-01-01' }, 'issuedDate'],
      [{ pageCount: '0' }, { pageCount: 0 }, 'pageCount'],
      [{ signerTitle: 'x'.repeat(201) }, { signerTitle: 'x'.repeat(201) }, 'signerTitle'],
    ];
    for (const [web, api, field] of cases) {
      const server = messageOf(() => normalizeRegistration({ ...base, ...api }, ctx));
      expect([field, webMessage(web, field)]).toEqual([field, server]);
    }
  });
});

describe('idempotency keys and file names', () => {
  it('cleans keys and refuses odd ones', () => {
    expect(cleanIdempotencyKey(undefined)).toBeNull();
    expect(cleanIdempotencyKey('  ')).toBeNull();
    expect(cleanIdempotencyKey(' abc-123 ')).toBe('abc-123');
    expect(fieldOf(() => cleanIdempotencyKey('có dấu'))).toBe('idempotencyKey');
    expect(fieldOf(() => cleanIdempotencyKey('x'.repeat(101)))).toBe('idempotencyKey');
  });

  it('keeps Vietnamese file names (NFC) and drops paths and control characters', () => {
    expect(cleanFileName('C:\\Users\\Hà\\Công văn số 12.pdf'.normalize('NFD'))).toBe('Công văn số 12.pdf');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('a\u0000b\nc.pdf')).toBe('abc.pdf');
    const long = cleanFileName(`${'Tờ trình '.repeat(40)}.docx`);
    expect(long.length).toBeLessThanOrEqual(255);
    expect(long.endsWith('.docx')).toBe(true);
  });
});

describe('ngày đến of a paper document received earlier', () => {
  const now = new Date('2026-03-10T03:00:00Z'); // 10:00 10/03/2026 (UTC+7)
  const ctx = { now, timeZone: 'Asia/Ho_Chi_Minh', issuedDate: '2026-03-02' };
  const fieldOf = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e instanceof AppError ? `${e.code}:${String(e.extra.field)}` : 'other';
    }
    return 'none';
  };

  it('is absent by default', () => {
    expect(normalizeReceivedAt(null, ctx)).toBeNull();
    expect(normalizeReceivedAt(undefined, ctx)).toBeNull();
  });

  it('accepts an earlier day, as a Date or an ISO string', () => {
    expect(normalizeReceivedAt('2026-03-05T01:30:00Z', ctx)?.toISOString()).toBe('2026-03-05T01:30:00.000Z');
    expect(normalizeReceivedAt(new Date('2026-03-02T00:00:00+07:00'), ctx)?.toISOString()).toBe('2026-03-01T17:00:00.000Z');
  });

  it('refuses the future, a day before the issue date, and garbage', () => {
    expect(fieldOf(() => normalizeReceivedAt('2026-03-10T03:00:01Z', ctx))).toBe('BAD_USER_INPUT:receivedAt');
    expect(fieldOf(() => normalizeReceivedAt('2026-03-01T16:59:59Z', ctx))).toBe('BAD_USER_INPUT:receivedAt');
    expect(fieldOf(() => normalizeReceivedAt('hôm qua', ctx))).toBe('BAD_USER_INPUT:receivedAt');
  });
});
