import { PERIOD_LENGTH_MESSAGE, PERIOD_ORDER_MESSAGE, periodSchema } from './period';
import { DRAFT_MESSAGES, draftCopies, draftSubject } from './draft';

describe('periodSchema', () => {
  it('reads dd/mm/yyyy day first and gives YYYY-MM-DD', () => {
    expect(periodSchema().parse({ from: '01/02/2026', to: '06/12/2026' })).toEqual({ from: '2026-02-01', to: '2026-12-06' });
  });
  it('refuses a period in the wrong order or longer than 10 years, at "from"', () => {
    const wrong = periodSchema().safeParse({ from: '31/12/2026', to: '01/01/2026' });
    expect(wrong.success).toBe(false);
    expect(wrong.error!.issues).toEqual([expect.objectContaining({ path: ['from'], message: PERIOD_ORDER_MESSAGE })]);
    const long = periodSchema().safeParse({ from: '01/01/2000', to: '01/01/2026' });
    expect(long.error!.issues).toEqual([expect.objectContaining({ path: ['from'], message: PERIOD_LENGTH_MESSAGE })]);
  });
  it('refuses a day that does not exist', () => {
    const r = periodSchema().safeParse({ from: '30/02/2026', to: '01/03/2026' });
    expect(r.error!.issues[0].path).toEqual(['from']);
  });
});

describe('draft rules', () => {
  it('trims the trích yếu and requires it', () => {
    expect(draftSubject().parse('  Kế hoạch  ')).toBe('Kế hoạch');
    expect(draftSubject().safeParse('   ').error!.issues[0].message).toBe(DRAFT_MESSAGES.subject);
  });
  it('reads số bản as a positive whole number, empty as none', () => {
    expect(draftCopies().parse('')).toBeNull();
    expect(draftCopies().parse(' 12 ')).toBe(12);
    for (const bad of ['0', '-1', '1.5', 'abc', '100001']) expect(draftCopies().safeParse(bad).error!.issues[0].message).toBe(DRAFT_MESSAGES.copies);
  });
});
