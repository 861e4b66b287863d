/**
 * The search lives in the URL (/archive?q=…&issuer=…): the header's search box links to it, the browser's back
 * button returns to the results, and a result list can be shared. Pure conversions URL ⇄ form ⇄ API filter.
 */
import { formatVnDate } from '../../../../schema/validation/dates';
import { EMPTY_SEARCH_FORM, type SearchForm, type SearchFormValues } from '../../../../schema/validation/search';
import type { DocumentDirection, SearchFilter } from '../../graphql/generated';

/** URL parameter of each form field (dates as YYYY-MM-DD in the URL, dd/mm/yyyy in the form). */
const PARAMS = {
  query: 'q',
  issuer: 'issuer',
  type: 'type',
  signer: 'signer',
  year: 'year',
  dateFrom: 'from',
  dateTo: 'to',
  unitId: 'unit',
  recordId: 'record',
  direction: 'direction',
  hasScan: 'scan',
  archived: 'archived',
} as const satisfies Record<keyof SearchForm, string>;

export interface SearchState {
  query: string;
  filter: SearchFilter;
}

const bool = (v: string | null): boolean | null => (v === 'true' ? true : v === 'false' ? false : null);
const iso = (v: string | null): string | null => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null);

/** What to search for, from the URL. */
export function searchStateOf(params: URLSearchParams): SearchState {
  const text = (k: string) => params.get(k)?.trim() || null;
  const year = text(PARAMS.year);
  return {
    query: params.get(PARAMS.query) ?? '',
    filter: {
      issuer: text(PARAMS.issuer),
      type: text(PARAMS.type),
      signer: text(PARAMS.signer),
      year: year && /^\d{1,4}$/.test(year) ? Number(year) : null,
      dateFrom: iso(params.get(PARAMS.dateFrom)),
      dateTo: iso(params.get(PARAMS.dateTo)),
      unitId: text(PARAMS.unitId),
      recordId: text(PARAMS.recordId),
      direction: (text(PARAMS.direction) as DocumentDirection | null) ?? null,
      hasScan: bool(params.get(PARAMS.hasScan)),
      archived: bool(params.get(PARAMS.archived)),
    },
  };
}

/** Is there anything to search for (a query or a filter)? */
export const isActive = (s: SearchState): boolean => s.query.trim() !== '' || Object.values(s.filter).some((v) => v != null && v !== '');

/** The form's initial values for a state. */
export function formOf(s: SearchState): SearchForm {
  const f = s.filter;
  const b = (v: boolean | null | undefined): '' | 'true' | 'false' => (v == null ? '' : v ? 'true' : 'false');
  return {
    ...EMPTY_SEARCH_FORM,
    query: s.query,
    issuer: f.issuer ?? '',
    type: f.type ?? '',
    signer: f.signer ?? '',
    year: f.year != null ? String(f.year) : '',
    dateFrom: formatVnDate(f.dateFrom),
    dateTo: formatVnDate(f.dateTo),
    unitId: f.unitId != null ? String(f.unitId) : '',
    recordId: f.recordId != null ? String(f.recordId) : '',
    direction: f.direction ?? '',
    hasScan: b(f.hasScan),
    archived: b(f.archived),
  };
}

/** The URL parameters of a validated form. */
export function paramsOf(v: SearchFormValues): URLSearchParams {
  const p = new URLSearchParams();
  for (const [field, name] of Object.entries(PARAMS) as [keyof SearchFormValues, string][]) {
    const value = v[field];
    if (value == null || value === '') continue;
    p.set(name, String(value));
  }
  return p;
}

/** The URL parameters of a state (a facet clicked: the state with one filter changed). */
export function paramsOfState(s: SearchState): URLSearchParams {
  const f = s.filter;
  return paramsOf({
    query: s.query,
    issuer: f.issuer ?? null,
    type: f.type ?? null,
    signer: f.signer ?? null,
    year: f.year ?? null,
    dateFrom: f.dateFrom ?? null,
    dateTo: f.dateTo ?? null,
    unitId: f.unitId != null ? String(f.unitId) : null,
    recordId: f.recordId != null ? String(f.recordId) : null,
    direction: f.direction ?? null,
    hasScan: f.hasScan ?? null,
    archived: f.archived ?? null,
  });
}

/** The facet's field → the filter key it sets, and how its bucket value is read. */
export function facetFilter(field: string, value: string): Partial<SearchFilter> | null {
  switch (field) {
    case 'issuer':
    case 'type':
    case 'signer':
      return { [field]: value };
    case 'year':
      return { year: Number(value) };
    case 'direction':
      return { direction: value as DocumentDirection };
    case 'hasScan':
    case 'archived':
      return { [field]: value === 'true' };
    case 'unit':
      return { unitId: value };
    case 'record':
      return { recordId: value };
    default:
      return null;
  }
}

/** Is this facet bucket the filter in force? */
export function facetActive(filter: SearchFilter, field: string, value: string): boolean {
  const f = facetFilter(field, value);
  if (!f) return false;
  return Object.entries(f).every(([k, v]) => filter[k as keyof SearchFilter] === v);
}

/** The link that opens a hit: the document at the page of the hit, the query's words highlighted on the scan. */
export function hitLink(documentId: string, query: string, page: number | null | undefined): string {
  const p = new URLSearchParams();
  if (query.trim()) p.set('q', query);
  if (page) p.set('page', String(page));
  const qs = p.toString();
  return `/archive/documents/${documentId}${qs ? `?${qs}` : ''}`;
}
