/** Giao cơ quan khác: the bút phê rule extended to other agencies (documents/domain/annotation.ts, issue 13). */
import { validateAnnotation, type AnnotationInput } from '../../documents/domain/annotation';

const T = '2026-03-10';
const unit = (unitId: string) => ({ target: 'UNIT' as const, unitId });
const errorsOf = (i: AnnotationInput) => {
  const r = validateAnnotation(i, T);
  return r.ok ? [] : r.errors;
};

describe('bút phê naming other agencies', () => {
  it('an agency may be the only chủ trì, with phối hợp agencies and units, each with a deadline', () => {
    const r = validateAnnotation(
      {
        instruction: 'Giao Sở Tài chính chủ trì, phối hợp Sở Nội vụ',
        coordinators: [unit('u-kt')],
        agencies: [
          { agencyCode: '000.00.03.H27', role: 'LEAD', deadline: '2026-03-20' },
          { agencyCode: ' 000.00.02.H27 ', role: 'COORDINATOR' },
        ],
      },
      T,
    );
    expect(r).toMatchObject({
      ok: true,
      value: {
        lead: null,
        coordinators: [{ target: 'UNIT', unitId: 'u-kt' }],
        agencies: [
          { agencyCode: '000.00.03.H27', role: 'LEAD', deadline: '2026-03-20' },
          { agencyCode: '000.00.02.H27', role: 'COORDINATOR', deadline: null },
        ],
      },
    });
  });
  it('exactly one chủ trì in the whole bút phê', () => {
    expect(errorsOf({ agencies: [{ agencyCode: '000.00.02.H27', role: 'COORDINATOR' }] }).map((e) => e.field)).toEqual(['lead']);
    expect(errorsOf({ lead: unit('u-kt'), agencies: [{ agencyCode: '000.00.02.H27', role: 'LEAD' }] }).map((e) => e.field)).toEqual(['agencies[0].role']);
    expect(
      errorsOf({
        agencies: [
          { agencyCode: '000.00.02.H27', role: 'LEAD' },
          { agencyCode: '000.00.03.H27', role: 'LEAD' },
        ],
      }).map((e) => e.field),
    ).toEqual(['agencies[1].role']);
    expect(errorsOf({ lead: unit('u-kt'), agencies: [{ agencyCode: '000.00.02.H27', role: 'COORDINATOR' }] })).toEqual([]);
  });
  it('codes, duplicates, deadlines and "để biết"', () => {
    expect(errorsOf({ lead: unit('u-kt'), agencies: [{ agencyCode: 'sở nội vụ', role: 'COORDINATOR' }] }).map((e) => e.field)).toEqual(['agencies[0].agencyCode']);
    expect(
      errorsOf({
        lead: unit('u-kt'),
        agencies: [
          { agencyCode: '000.00.02.H27', role: 'COORDINATOR' },
          { agencyCode: '000.00.02.H27', role: 'COORDINATOR' },
        ],
      }).map((e) => e.field),
    ).toEqual(['agencies[1].agencyCode']);
    expect(errorsOf({ agencies: [{ agencyCode: '000.00.02.H27', role: 'LEAD', deadline: '2026-03-09' }] }).map((e) => e.field)).toEqual(['agencies[0].deadline']);
    expect(errorsOf({ agencies: [{ agencyCode: '000.00.02.H27', role: 'LEAD', deadline: '10/03/2026' }] }).map((e) => e.field)).toEqual(['agencies[0].deadline']);
    expect(errorsOf({ forInfo: true, agencies: [{ agencyCode: '000.00.02.H27', role: 'COORDINATOR' }] }).map((e) => e.field)).toEqual(['agencies']);
    // without agencies the value is unchanged (no `agencies` key)
    const r = validateAnnotation({ lead: unit('u-kt') }, T);
    expect(r.ok && 'agencies' in r.value).toBe(false);
  });
});
