import { registerFilterSchema, EMPTY_REGISTER_FILTER, NUMBER_ORDER_MESSAGE, DATE_ORDER_MESSAGE } from './registers';

describe('register filter (dd/mm/yyyy, number range)', () => {
  const parse = (over: Record<string, string>) => registerFilterSchema().safeParse({ ...EMPTY_REGISTER_FILTER, ...over });

  it('reads dates as dd/mm/yyyy and numbers as whole numbers; empty = no filter', () => {
    const r = parse({ receivedFrom: '03/02/2031', receivedTo: '05/02/2031', numberFrom: '2', numberTo: ' 10 ', issuer: '  Sở Nội vụ ' });
    expect(r.success && r.data).toEqual({
      receivedFrom: '2031-02-03',
      receivedTo: '2031-02-05',
      issuedFrom: null,
      issuedTo: null,
      numberFrom: 2,
      numberTo: 10,
      issuer: 'Sở Nội vụ',
      typeName: null,
      unitId: null,
      state: null,
    });
  });

  it('puts each problem at its field', () => {
    const issues = (over: Record<string, string>) => {
      const r = parse(over);
      return r.success ? [] : r.error.issues.map((i) => [i.path.join('.'), i.message]);
    };
    // 13/02 is a day in February, not month 13 (an en-US reading would refuse it)
    expect(issues({ receivedFrom: '13/02/2031' })).toEqual([]);
    expect(issues({ receivedFrom: '02/13/2031' })[0][0]).toBe('receivedFrom');
    expect(issues({ numberFrom: '0' })[0][0]).toBe('numberFrom');
    expect(issues({ numberFrom: '1.5' })[0][0]).toBe('numberFrom');
    expect(issues({ numberFrom: '9', numberTo: '3' })).toEqual([['numberTo', NUMBER_ORDER_MESSAGE]]);
    expect(issues({ issuedFrom: '10/03/2031', issuedTo: '09/03/2031' })).toEqual([['issuedTo', DATE_ORDER_MESSAGE]]);
  });
});
