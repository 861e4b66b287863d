import { PAPER_OUTGOING_MESSAGES, paperIssuedDateProblem, paperOutgoingFields, paperOutgoingTextProblems, recipientLines } from './paper-outgoing';
import { REVOCATION_REASON_TOO_LONG, revocationForm, revocationReasonProblem } from './certificate-revocation';

const base = { type: 'code:BC', subject: 'Báo cáo', signerName: 'Phạm Quốc Hùng', signerTitle: '', issuedDate: '', externalRecipients: '' };

describe('paper outgoing rules (shared by the form and registerPaperOutgoing)', () => {
  it('ngày ký: not after today, this year only', () => {
    expect(paperIssuedDateProblem('2026-12-06', '2026-12-06')).toBeNull();
    expect(paperIssuedDateProblem('2026-12-07', '2026-12-06')).toBe(PAPER_OUTGOING_MESSAGES.future);
    expect(paperIssuedDateProblem('2025-12-31', '2026-12-06')).toBe(PAPER_OUTGOING_MESSAGES.otherYear);
  });

  it('reports every missing text field at its field', () => {
    expect(paperOutgoingTextProblems({ subject: ' ', signerName: '' }).map((p) => p.field)).toEqual(['subject', 'signerName']);
    expect(paperOutgoingTextProblems({ subject: 'x', signerName: 'y', signerTitle: 'z'.repeat(201) })).toEqual([{ field: 'signerTitle', message: PAPER_OUTGOING_MESSAGES.signerTooLong }]);
  });

  it('the form schema parses dd/mm/yyyy and refuses a future date and an unknown format at issuedDate', () => {
    expect(paperOutgoingFields('2026-12-06').safeParse({ ...base, issuedDate: '05/12/2026' }).success).toBe(true);
    const future = paperOutgoingFields('2026-12-06').safeParse({ ...base, issuedDate: '07/12/2026' });
    expect(future.success ? [] : future.error.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['issuedDate', PAPER_OUTGOING_MESSAGES.future]]);
    const bad = paperOutgoingFields('2026-12-06').safeParse({ ...base, type: '', issuedDate: '12/31/2026' });
    expect(bad.success ? [] : bad.error.issues.map((i) => i.path.join('.')).sort()).toEqual(['issuedDate', 'type']);
  });

  it('recipients: one per line, trimmed, distinct', () => {
    expect(recipientLines(' Bộ Nội vụ \n\nVăn phòng  Chính phủ\nBộ Nội vụ')).toEqual(['Bộ Nội vụ', 'Văn phòng Chính phủ']);
  });
});

describe('certificate revocation reason', () => {
  it('is optional, at most 500 characters', () => {
    expect(revocationReasonProblem(null)).toBeNull();
    expect(revocationReasonProblem('x'.repeat(500))).toBeNull();
    expect(revocationReasonProblem('x'.repeat(501))).toBe(REVOCATION_REASON_TOO_LONG);
    expect(revocationForm().safeParse({ reason: 'x'.repeat(501) }).success).toBe(false);
  });
});
