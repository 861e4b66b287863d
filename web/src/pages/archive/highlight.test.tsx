import { render } from '@testing-library/react';
import { Highlighted, parseHighlight } from './highlight';
import { facetActive, facetFilter, formOf, hitLink, isActive, paramsOf, searchStateOf } from './searchParams';
import { searchFormSchema } from '../../../../schema/validation/search';

describe('search snippets: the server marks are parsed, never injected as HTML', () => {
  it('splits marks and decodes the escaped text', () => {
    expect(parseHighlight('… kế hoạch <mark>bán</mark> đấu &amp; <mark>giá</mark> &lt;b&gt; …')).toEqual([
      { text: '… kế hoạch ', mark: false },
      { text: 'bán', mark: true },
      { text: ' đấu & ', mark: false },
      { text: 'giá', mark: true },
      { text: ' <b> …', mark: false },
    ]);
    expect(parseHighlight('<mark>a</mark><mark>b</mark>')).toEqual([{ text: 'ab', mark: true }]);
    expect(parseHighlight('x <mark>y')).toEqual([
      { text: 'x ', mark: false },
      { text: 'y', mark: true },
    ]);
  });

  it('renders marks as <mark> and any other markup as text', () => {
    const { container } = render(<Highlighted html={'&lt;img src=x onerror=alert(1)&gt; <mark>quyết</mark> <script>x</script>'} />);
    expect(container.querySelectorAll('mark')).toHaveLength(1);
    expect(container.querySelector('mark')!.textContent).toBe('quyết');
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    expect(container.textContent).toBe('<img src=x onerror=alert(1)> quyết <script>x</script>');
  });
});

describe('the search in the URL', () => {
  it('form → URL → state → form round trip, dates dd/mm/yyyy in the form and ISO in the URL', () => {
    const v = searchFormSchema().parse({
      query: 'quyet dinh',
      issuer: 'Sở Tài chính',
      type: 'QĐ',
      signer: '',
      year: '',
      dateFrom: '01/02/2026',
      dateTo: '28/02/2026',
      unitId: '',
      recordId: '',
      direction: 'ARCHIVE',
      hasScan: 'true',
      archived: '',
    });
    const params = paramsOf(v);
    expect(params.toString()).toBe('q=quyet+dinh&issuer=S%E1%BB%9F+T%C3%A0i+ch%C3%ADnh&type=Q%C4%90&from=2026-02-01&to=2026-02-28&direction=ARCHIVE&scan=true');
    const state = searchStateOf(params);
    expect(state.filter).toMatchObject({ issuer: 'Sở Tài chính', type: 'QĐ', dateFrom: '2026-02-01', dateTo: '2026-02-28', direction: 'ARCHIVE', hasScan: true, archived: null });
    expect(formOf(state)).toMatchObject({ query: 'quyet dinh', dateFrom: '01/02/2026', dateTo: '28/02/2026', hasScan: 'true', archived: '' });
    expect(isActive(state)).toBe(true);
    expect(isActive(searchStateOf(new URLSearchParams()))).toBe(false);
  });

  it('refuses what the server refuses, at the field', () => {
    const r = searchFormSchema().safeParse({ query: 'x'.repeat(1001), issuer: '', type: '', signer: '', year: '99', dateFrom: '31/02/2026', dateTo: '', unitId: '', recordId: '', direction: '', hasScan: '', archived: '' });
    expect(r.success).toBe(false);
    const fields = r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
    expect(fields.sort()).toEqual(['dateFrom', 'query', 'year']);
    const order = searchFormSchema().safeParse({ query: '', issuer: '', type: '', signer: '', year: '', dateFrom: '02/02/2026', dateTo: '01/02/2026', unitId: '', recordId: '', direction: '', hasScan: '', archived: '' });
    expect(order.success ? [] : order.error.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['dateTo', '"Từ ngày" phải trước "đến ngày".']]);
  });

  it('facets set and recognise their filter; a hit opens at its page', () => {
    expect(facetFilter('year', '2023')).toEqual({ year: 2023 });
    expect(facetFilter('hasScan', 'false')).toEqual({ hasScan: false });
    expect(facetActive({ year: 2023 }, 'year', '2023')).toBe(true);
    expect(facetActive({ year: 2024 }, 'year', '2023')).toBe(false);
    expect(hitLink('d1', '166/KH-UBND', 2)).toBe('/archive/documents/d1?q=166%2FKH-UBND&page=2');
    expect(hitLink('d1', '', null)).toBe('/archive/documents/d1');
  });
});
