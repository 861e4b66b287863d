import { INCOMING_MESSAGES, incomingFieldsSchema, issuedDateProblem, receivedDateProblem } from './incoming';

const today = '2026-11-23';
const typed = { issuerName: ' Sở  Nội vụ ', symbol: '', issuedDate: '20/11/2026', subject: 'Về việc\n tuyển dụng', signerName: '', signerTitle: '', pageCount: '2', receivedDate: '21/11/2026' };
const issues = (v: Partial<typeof typed>) => incomingFieldsSchema(today).safeParse({ ...typed, ...v }).error?.issues.map((i) => [i.path.join('.'), i.message]) ?? [];

describe('registration rules shared by the server and the form', () => {
  it('parses typed dd/mm/yyyy dates and cleans text', () => {
    const r = incomingFieldsSchema(today).parse(typed);
    expect(r).toEqual({ issuerName: 'Sở Nội vụ', symbol: null, issuedDate: '2026-11-20', subject: 'Về việc tuyển dụng', signerName: null, signerTitle: null, pageCount: 2, receivedDate: '2026-11-21' });
  });

  it('gives the Vietnamese message at the field', () => {
    expect(issues({ issuedDate: '31/02/2026' })).toEqual([['issuedDate', INCOMING_MESSAGES.issuedDateInvalid]]);
    expect(issues({ issuedDate: '24/11/2026' })).toEqual([['issuedDate', INCOMING_MESSAGES.issuedDateFuture]]);
    expect(issues({ subject: ' ' })).toEqual([['subject', INCOMING_MESSAGES.subjectRequired]]);
    expect(issues({ receivedDate: '24/11/2026' })).toEqual([['receivedDate', INCOMING_MESSAGES.receivedFuture]]);
    expect(issues({ receivedDate: '19/11/2026' })).toEqual([['receivedDate', INCOMING_MESSAGES.receivedBeforeIssued]]);
    expect(issues({ pageCount: '1,5' })).toEqual([['pageCount', INCOMING_MESSAGES.pageCount]]);
    expect(issues({ symbol: 'x'.repeat(81) })).toEqual([['symbol', 'Số, ký hiệu không được dài quá 80 ký tự.']]);
  });

  it('checks dates already in YYYY-MM-DD (the server side)', () => {
    expect(issuedDateProblem('2026-11-23', today)).toBeNull();
    expect(issuedDateProblem('2101-01-01', '2200-01-01')).toBe(INCOMING_MESSAGES.issuedDateInvalid);
    expect(receivedDateProblem('2026-11-20', today, '2026-11-21')).toBe(INCOMING_MESSAGES.receivedBeforeIssued);
    expect(receivedDateProblem('2026-11-23', today, null)).toBeNull();
  });
});
