import { annotateFieldOf, annotateForm } from './document-dialogs';
import { answerRecallForm, reasonForm, updateIssuedForm } from './exchange-business';

const today = '2026-12-01';
const base = { instruction: '', forInfo: false, lead: { target: '', deadline: '' }, coordinators: [], watcherIds: [] };
const fields = (v: unknown) => {
  const r = annotateForm(today).safeParse(v);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
};

describe('bút phê with other agencies (web form, same rule as the server)', () => {
  it('an agency may be the only chủ trì; never two chủ trì', () => {
    expect(fields({ ...base, agencies: [{ agencyCode: '000.00.03.H27', role: 'LEAD', deadline: '10/12/2026' }] })).toEqual([]);
    expect(fields({ ...base, agencies: [{ agencyCode: '000.00.03.H27', role: 'COORDINATOR', deadline: '' }] })).toEqual(['lead.target']);
    expect(fields({ ...base, lead: { target: 'unit:kt', deadline: '' }, agencies: [{ agencyCode: '000.00.03.H27', role: 'LEAD', deadline: '' }] })).toEqual(['agencies.0.role']);
    expect(
      fields({
        ...base,
        agencies: [
          { agencyCode: '000.00.03.H27', role: 'LEAD', deadline: '' },
          { agencyCode: '000.00.02.H27', role: 'LEAD', deadline: '' },
        ],
      }),
    ).toEqual(['agencies.1.role']);
    expect(fields({ ...base, agencies: [{ agencyCode: '000.00.03.H27', role: 'LEAD', deadline: '30/11/2026' }] })).toEqual(['agencies.0.deadline']);
    expect(annotateFieldOf('agencies[1].agencyCode')).toBe('agencies.1.agencyCode');
  });
});

describe('recall / revoke / update dialogs', () => {
  it('require a reason; a refusal needs one, an agreement does not', () => {
    expect(reasonForm.safeParse({ reason: '   ' }).success).toBe(false);
    expect(reasonForm.parse({ reason: ' Gửi  nhầm ' })).toEqual({ reason: 'Gửi nhầm' });
    expect(answerRecallForm.safeParse({ accept: true, reason: '' }).success).toBe(true);
    expect(answerRecallForm.safeParse({ accept: false, reason: ' ' }).success).toBe(false);
    const u = updateIssuedForm.safeParse({ reason: 'Sửa', subject: 'Về việc A', signerName: '', signerTitle: '', pageCount: '0', urgency: 'KHAN' });
    expect(u.success ? [] : u.error.issues.map((i) => i.path.join('.'))).toEqual(['pageCount']);
    expect(updateIssuedForm.parse({ reason: 'Sửa', subject: 'Về việc A', signerName: '', signerTitle: '', pageCount: '3', urgency: 'KHAN' }).pageCount).toBe(3);
  });
});
