import { assigneeKey, validateAnnotation, type AnnotationInput } from './annotation';

const T = '2026-03-10';
const unit = (unitId: string, deadline: string | null = null) => ({ target: 'UNIT' as const, unitId, deadline });
const user = (userId: string, unitId: string | null = null, deadline: string | null = null) => ({ target: 'USER' as const, userId, unitId, deadline });

function errorsOf(input: AnnotationInput, today = T) {
  const r = validateAnnotation(input, today);
  return r.ok ? [] : r.errors;
}

describe('validateAnnotation', () => {
  it('accepts one lead with co-ordinators, each with its own deadline', () => {
    const r = validateAnnotation(
      { instruction: '  Giao phòng KT   chủ trì ', lead: unit('u-kt', '2026-03-20'), coordinators: [unit('u-tc', '2026-03-15'), user('cv-x', 'u-kt')] },
      T,
    );
    expect(r).toEqual({
      ok: true,
      value: {
        instruction: 'Giao phòng KT chủ trì',
        forInfo: false,
        lead: { target: 'UNIT', unitId: 'u-kt', userId: null, deadline: '2026-03-20' },
        coordinators: [
          { target: 'UNIT', unitId: 'u-tc', userId: null, deadline: '2026-03-15' },
          { target: 'USER', unitId: 'u-kt', userId: 'cv-x', deadline: null },
        ],
        watcherUserIds: [],
      },
    });
  });

  it('requires exactly one lead unless "để biết"', () => {
    expect(errorsOf({ coordinators: [unit('u-tc')] })).toEqual([expect.objectContaining({ field: 'lead' })]);
    expect(errorsOf({})).toEqual([expect.objectContaining({ field: 'lead' })]);
  });

  it('"để biết" takes no lead and no co-ordinators, but may name watchers', () => {
    expect(validateAnnotation({ forInfo: true, instruction: 'Để biết', watcherUserIds: ['a', 'a', 'b'] }, T)).toEqual({
      ok: true,
      value: { instruction: 'Để biết', forInfo: true, lead: null, coordinators: [], watcherUserIds: ['a', 'b'] },
    });
    expect(errorsOf({ forInfo: true, lead: unit('u-kt') }).map((e) => e.field)).toEqual(['lead']);
    expect(errorsOf({ forInfo: true, coordinators: [unit('u-kt')] }).map((e) => e.field)).toEqual(['coordinators']);
  });

  it('rejects deadlines before today, allows today', () => {
    expect(errorsOf({ lead: unit('u-kt', '2026-03-09') })).toEqual([expect.objectContaining({ field: 'lead.deadline' })]);
    expect(errorsOf({ lead: unit('u-kt', T) })).toEqual([]);
    expect(errorsOf({ lead: unit('u-kt'), coordinators: [unit('u-tc', '2026-01-01')] })).toEqual([
      expect.objectContaining({ field: 'coordinators[0].deadline' }),
    ]);
  });

  it('rejects malformed deadlines', () => {
    expect(errorsOf({ lead: unit('u-kt', '20/03/2026') })).toEqual([expect.objectContaining({ field: 'lead.deadline' })]);
    expect(errorsOf({ lead: unit('u-kt', '2026-02-30') })).toEqual([expect.objectContaining({ field: 'lead.deadline' })]);
  });

  it('a co-ordinator cannot also be the lead', () => {
    expect(errorsOf({ lead: unit('u-kt'), coordinators: [unit('u-kt')] })).toEqual([expect.objectContaining({ field: 'coordinators[0]' })]);
    expect(errorsOf({ lead: user('p1'), coordinators: [unit('u-tc'), user('p1')] })).toEqual([expect.objectContaining({ field: 'coordinators[1]' })]);
  });

  it('rejects duplicate co-ordinators', () => {
    expect(errorsOf({ lead: unit('u-kt'), coordinators: [unit('u-tc'), unit('u-tc', '2026-04-01')] })).toEqual([
      expect.objectContaining({ field: 'coordinators[1]' }),
    ]);
  });

  it('a person and their unit are different assignees', () => {
    expect(errorsOf({ lead: unit('u-kt'), coordinators: [user('cv-kt1', 'u-kt')] })).toEqual([]);
    expect(assigneeKey({ target: 'UNIT', unitId: 'x', userId: null })).not.toBe(assigneeKey({ target: 'USER', unitId: null, userId: 'x' }));
  });

  it('requires the unit or person of each assignee', () => {
    expect(errorsOf({ lead: { target: 'UNIT' } }).map((e) => e.field)).toEqual(['lead.unitId']);
    expect(errorsOf({ lead: { target: 'USER', unitId: 'u-kt' } }).map((e) => e.field)).toEqual(['lead.userId']);
    expect(errorsOf({ lead: { target: 'GROUP' as never, unitId: 'u' } }).map((e) => e.field)).toEqual(['lead.target']);
  });

  it('limits the instruction length', () => {
    expect(errorsOf({ lead: unit('u-kt'), instruction: 'x'.repeat(2001) }).map((e) => e.field)).toEqual(['instruction']);
    expect(errorsOf({ lead: unit('u-kt'), instruction: 'x'.repeat(2000) })).toEqual([]);
  });

  it('collects several errors at once, with Vietnamese messages', () => {
    const errs = errorsOf({ lead: unit('u-kt', '2020-01-01'), coordinators: [unit('u-kt')], instruction: 'x'.repeat(3000) });
    expect(errs.map((e) => e.field).sort()).toEqual(['coordinators[0]', 'instruction', 'lead.deadline']);
    expect(errs.every((e) => /[ạảãàáâậầấẩẫăắằặẳẵêếềệểễôốồộổỗơớờợởỡưứừựửữíìịỉĩýỳỵỷỹđ]/i.test(e.message))).toBe(true);
  });
});
