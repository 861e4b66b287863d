/**
 * Lưu trữ & tra cứu (issue 10): one search over everything the user may read — the query (with or without
 * diacritics, "phrases", prefixes*, số ký hiệu as written), filters (issuer, type, year or dd/mm/yyyy date range,
 * signer, unit, hồ sơ, direction, has scan, archived), facets with counts, capped counts ("hơn 10.000 kết quả"),
 * highlighted snippets (parsed, never injected as HTML) and pages of results. The search lives in the URL so that
 * the header's search box and the back button lead here. Opening a hit shows the document at the page of the hit
 * with the words highlighted on the scan (hitLink → DocumentPage + SearchHitView).
 */
import { useEffect, useMemo, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { DateInput } from '../../components/DateInput';
import { PageHeader } from '../../components/PageHeader';
import { Field, FormError, LoadState } from '../../components/documents/fields';
import { useApiQuery } from '../../graphql/hooks';
import { DocumentTypesDocument, SearchDocument, SearchRecordChoicesDocument, UnitsOfDocument, type SearchFilter, type SearchQuery } from '../../graphql/generated';
import { formatVnDate } from '../../../../schema/validation/dates';
import { searchFormSchema, EMPTY_SEARCH_FORM, type SearchForm, type SearchFormValues } from '../../../../schema/validation/search';
import { Highlighted } from './highlight';
import { facetActive, facetFilter, formOf, hitLink, isActive, paramsOf, paramsOfState, searchStateOf } from './searchParams';
import './archive.css';

const PAGE_SIZE = 20;
const DIRECTIONS = ['INCOMING', 'OUTGOING', 'ARCHIVE'] as const;
type FormField = keyof SearchForm;

export default function ArchiveHomePage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => searchStateOf(params), [params]);
  const active = isActive(state);
  const searchKey = params.toString();

  // Pages: the cursors of the pages before the current one (reset by a new search).
  const [cursors, setCursors] = useState<{ key: string; stack: (string | null)[] }>({ key: searchKey, stack: [null] });
  const stack = cursors.key === searchKey ? cursors.stack : [null];
  const after = stack[stack.length - 1];

  const form = useForm<SearchForm, unknown, SearchFormValues>({ resolver: zodResolver(searchFormSchema()), defaultValues: formOf(state) });
  const { control, register, handleSubmit, formState, reset } = form;
  // A search started elsewhere (the header's box, a facet, back/forward): the form shows it.
  useEffect(() => reset(formOf(searchStateOf(new URLSearchParams(searchKey)))), [searchKey, reset]);

  const result = useApiQuery(SearchDocument, { query: state.query, filter: state.filter, first: PAGE_SIZE, after }, { pause: !active, requestPolicy: 'cache-and-network' });
  const types = useApiQuery(DocumentTypesDocument, {});
  const units = useApiQuery(UnitsOfDocument, {});
  const records = useApiQuery(SearchRecordChoicesDocument, {});

  // A BAD_USER_INPUT of the server goes to its field ("query", "filter.dateTo" …), else above the results.
  const errorField = result.error?.field?.replace(/^filter\./, '') as FormField | undefined;
  const fieldError = (name: FormField) => formState.errors[name]?.message ?? (errorField === name ? result.error?.message : undefined);
  const shownAtField = !!errorField && errorField in EMPTY_SEARCH_FORM;

  const go = (next: URLSearchParams) => setParams(next);
  const onSubmit = handleSubmit((v) => go(paramsOf(v)));
  const setFilter = (patch: Partial<SearchFilter>) => go(paramsOfState({ query: state.query, filter: { ...state.filter, ...patch } }));
  const data = active ? result.data?.search : undefined;
  const number = (n: number) => n.toLocaleString(i18n.language === 'vi' ? 'vi-VN' : 'en-US');

  return (
    <>
      <PageHeader
        title={t('archive.search.title')}
        description={t('archive.search.description')}
        actions={
          <Link to="/archive/records" className="btn btn--secondary">
            {t('archive.search.records')}
          </Link>
        }
      />
      <section className="card doc-section search-form" aria-label={t('archive.search.filters')}>
        <form role="search" aria-label={t('archive.search.title')} noValidate onSubmit={(e) => void onSubmit(e)}>
          <div className="search-form__main">
            <Field label={t('archive.search.query')} hint={t('archive.search.queryHint')} error={fieldError('query')} className="search-form__query">
              {(c) => <input {...c} {...register('query')} type="search" autoComplete="off" />}
            </Field>
            <button type="submit" className="btn btn--primary search-form__submit">
              {t('archive.search.submit')}
            </button>
          </div>
          <fieldset className="search-form__filters">
            <legend>{t('archive.search.filters')}</legend>
            <Field label={t('archive.search.issuer')} error={fieldError('issuer')}>
              {(c) => <input {...c} {...register('issuer')} />}
            </Field>
            <Field label={t('archive.search.type')} error={fieldError('type')}>
              {(c) => (
                <select {...c} {...register('type')}>
                  <option value="">{t('archive.search.any')}</option>
                  {(types.data?.documentTypes ?? []).map((d) => (
                    <option key={d.name} value={d.code ?? d.name}>
                      {d.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('archive.search.signer')} error={fieldError('signer')}>
              {(c) => <input {...c} {...register('signer')} />}
            </Field>
            <Field label={t('archive.search.year')} error={fieldError('year')}>
              {(c) => <input {...c} {...register('year')} inputMode="numeric" maxLength={4} />}
            </Field>
            {(['dateFrom', 'dateTo'] as const).map((name) => (
              <Controller
                key={name}
                control={control}
                name={name}
                render={({ field }) => (
                  <Field label={t(`archive.search.${name}`)} error={fieldError(name)}>
                    {(c) => <DateInput {...c} ref={field.ref} name={field.name} value={field.value} onChange={field.onChange} onBlur={field.onBlur} />}
                  </Field>
                )}
              />
            ))}
            <Field label={t('archive.search.unit')} error={fieldError('unitId')}>
              {(c) => (
                <select {...c} {...register('unitId')}>
                  <option value="">{t('archive.search.any')}</option>
                  {(units.data?.units ?? []).map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('archive.search.direction')} error={fieldError('direction')}>
              {(c) => (
                <select {...c} {...register('direction')}>
                  <option value="">{t('archive.search.any')}</option>
                  {DIRECTIONS.map((d) => (
                    <option key={d} value={d}>
                      {t(`archive.search.dir.${d}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('archive.search.hasScan')} error={fieldError('hasScan')}>
              {(c) => (
                <select {...c} {...register('hasScan')}>
                  <option value="">{t('archive.search.any')}</option>
                  <option value="true">{t('archive.search.scan.true')}</option>
                  <option value="false">{t('archive.search.scan.false')}</option>
                </select>
              )}
            </Field>
            <Field label={t('archive.search.archived')} error={fieldError('archived')}>
              {(c) => (
                <select {...c} {...register('archived')}>
                  <option value="">{t('archive.search.any')}</option>
                  <option value="true">{t('archive.search.arch.true')}</option>
                  <option value="false">{t('archive.search.arch.false')}</option>
                </select>
              )}
            </Field>
            <Field label={t('archive.search.record')} error={fieldError('recordId')}>
              {(c) => (
                <select {...c} {...register('recordId')}>
                  <option value="">{t('archive.search.any')}</option>
                  {(records.data?.records.edges ?? []).map(({ node: r }) => (
                    <option key={r.id} value={r.id}>
                      {r.fileNotation} ({r.year}) — {r.title}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </fieldset>
          <div className="search-form__actions">
            <button
              type="button"
              className="btn btn--secondary"
              onClick={() => {
                reset(EMPTY_SEARCH_FORM);
                go(new URLSearchParams(state.query ? { q: state.query } : {}));
              }}
            >
              {t('archive.search.clear')}
            </button>
          </div>
        </form>
      </section>

      {!active ? (
        <p className="doc-muted search-start">{t('archive.search.start')}</p>
      ) : result.error && !data ? (
        shownAtField ? null : <FormError error={result.error} />
      ) : !data ? (
        <LoadState loading={result.fetching} error={result.error} onRetry={result.refetch} />
      ) : (
        <div className="search-layout">
          <aside className="search-layout__facets card doc-section" aria-labelledby="search-facets">
            <h2 id="search-facets">{t('archive.search.facets')}</h2>
            <Facets data={data} filter={state.filter} onPick={setFilter} />
          </aside>
          <section className="search-layout__results" aria-labelledby="search-results">
            <h2 id="search-results" className="visually-hidden">
              {t('archive.search.results')}
            </h2>
            <p className="search-count" role="status">
              {data.totalCountCapped
                ? t('archive.search.countCapped', { formatted: number(data.totalCount - 1) })
                : data.edges.length === 0 && !after
                  ? t('archive.search.none')
                  : t('archive.search.count', { count: data.totalCount, formatted: number(data.totalCount) })}
            </p>
            {data.mode === 'SIMILAR' && data.edges.length ? <p className="alert alert--info">{t('archive.search.similar')}</p> : null}
            <ol className="search-hits" start={(stack.length - 1) * PAGE_SIZE + 1}>
              {data.edges.map((e) => (
                <SearchHitItem key={e.cursor} hit={e.node} query={state.query} />
              ))}
            </ol>
            {data.candidatesCapped && !data.pageInfo.hasNextPage ? <p className="doc-muted doc-small">{t('archive.search.candidatesCapped')}</p> : null}
            <nav className="search-pager" aria-label={t('archive.search.pageOf', { page: stack.length })}>
              <button type="button" className="btn btn--secondary" disabled={stack.length <= 1} onClick={() => setCursors({ key: searchKey, stack: stack.slice(0, -1) })}>
                {t('archive.search.prev')}
              </button>
              <span className="doc-muted">{t('archive.search.page', { page: stack.length })}</span>
              <button
                type="button"
                className="btn btn--secondary"
                disabled={!data.pageInfo.hasNextPage || !data.pageInfo.endCursor}
                onClick={() => setCursors({ key: searchKey, stack: [...stack, data.pageInfo.endCursor ?? null] })}
              >
                {t('archive.search.next')}
              </button>
            </nav>
          </section>
        </div>
      )}
    </>
  );
}

type SearchData = SearchQuery['search'];
type Hit = SearchData['edges'][number]['node'];

function Facets({ data, filter, onPick }: { data: SearchData; filter: SearchFilter; onPick: (patch: Partial<SearchFilter>) => void }) {
  const { t, i18n } = useTranslation();
  const number = (n: number) => n.toLocaleString(i18n.language === 'vi' ? 'vi-VN' : 'en-US');
  const label = (field: string, value: string, fallback: string) => {
    if (field === 'direction' && (DIRECTIONS as readonly string[]).includes(value)) return t(`archive.search.dir.${value as (typeof DIRECTIONS)[number]}`);
    if (field === 'hasScan' && (value === 'true' || value === 'false')) return t(`archive.search.scan.${value}`);
    if (field === 'archived' && (value === 'true' || value === 'false')) return t(`archive.search.arch.${value}`);
    return fallback;
  };
  const known = ['direction', 'type', 'year', 'issuer', 'signer', 'unit', 'record', 'hasScan', 'archived'] as const;
  return (
    <>
      {data.facets.map((f) => {
        const field = (known as readonly string[]).includes(f.field) ? (f.field as (typeof known)[number]) : null;
        if (!field) return null;
        return (
          <div key={f.field} className="search-facet" role="group" aria-labelledby={`facet-${f.field}`}>
            <h3 id={`facet-${f.field}`}>{t(`archive.search.facet.${field}`)}</h3>
            <ul>
              {f.buckets.map((b) => {
                const on = facetActive(filter, f.field, b.value);
                const patch = facetFilter(f.field, b.value);
                const text = label(f.field, b.value, b.label);
                return (
                  <li key={b.value}>
                    <button
                      type="button"
                      className="search-facet__bucket"
                      aria-pressed={on}
                      onClick={() => patch && onPick(on ? Object.fromEntries(Object.keys(patch).map((k) => [k, null])) : patch)}
                    >
                      <span>{text}</span> <span className="search-facet__count">{number(b.count)}</span>
                    </button>
                  </li>
                );
              })}
            </ul>
          </div>
        );
      })}
      {data.totalCountCapped ? <p className="doc-muted doc-small">{t('archive.search.facetsNote', { formatted: number(data.totalCount - 1) })}</p> : null}
    </>
  );
}

function SearchHitItem({ hit, query }: { hit: Hit; query: string }) {
  const { t } = useTranslation();
  const d = hit.document;
  const date = d.issuedDate ?? d.receivedDate?.slice(0, 10) ?? null;
  return (
    <li className="search-hit">
      <h3 className="search-hit__title">
        <Link to={hitLink(d.id, query, hit.page)}>
          <span className="search-hit__symbol">{d.symbol ?? t('archive.search.noSymbol')}</span> — {d.subject}
        </Link>
      </h3>
      <p className="search-hit__meta doc-small doc-muted">
        {[
          (DIRECTIONS as readonly string[]).includes(d.direction) ? t(`archive.search.dir.${d.direction as (typeof DIRECTIONS)[number]}`) : d.direction,
          d.typeName,
          d.issuer?.name,
          d.signerName,
          date ? formatVnDate(date) : null,
        ]
          .filter(Boolean)
          .join(' · ')}
        {hit.page ? <span className="badge badge--info search-hit__page">{t('archive.search.hitPage', { page: hit.page })}</span> : null}
        {d.metadataUnverified ? <span className="badge search-hit__unverified search-hit__page">{t('archive.search.unverified')}</span> : null}
        {d.record ? (
          <span className="search-hit__page">
            {t('archive.search.inRecord', { record: `${d.record.fileNotation} — ${d.record.title}` })}
          </span>
        ) : null}
      </p>
      {hit.snippets.map((s, i) => (
        <p key={i} className="search-hit__snippet">
          <Highlighted html={s} />
        </p>
      ))}
    </li>
  );
}
