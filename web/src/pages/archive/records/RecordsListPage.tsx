/**
 * Danh mục hồ sơ (issue 10): the agency's hồ sơ of a year, filtered by state or text, a form to add one (shared zod
 * rules with the server: schema/validation/records.ts; server field errors go to the field), and the exports of
 * the Danh mục hồ sơ and the Mục lục hồ sơ nộp lưu of the year.
 */
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader';
import { Field, FormError, LoadState } from '../../../components/documents/fields';
import { useUnits } from '../../../components/documents/pickers';
import { ApiError } from '../../../graphql/client';
import { useApiMutation, useApiQuery } from '../../../graphql/hooks';
import { CreateRecordDocument, RecordsListDocument, RetentionItemsDocument, type RecordState } from '../../../graphql/generated';
import { createRecordFormSchema, type CreateRecordForm } from '../../../../../schema/validation/records';
import type { z } from 'zod';
import { ExportButtons, RecordStateBadge, RetentionText } from './common';
// the hồ sơ tables are drawn as the registers' (register-table): their styles come with these pages too
import '../../registers/registers.css';
import './records.css';

const STATES: readonly RecordState[] = ['OPEN', 'CLOSED', 'TRANSFERRED', 'DISPOSED'];
const PAGE = 50;

export default function RecordsListPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const thisYear = new Date().getFullYear();
  const year = /^\d{4}$/.test(params.get('year') ?? '') ? Number(params.get('year')) : thisYear;
  const state = (STATES as readonly string[]).includes(params.get('state') ?? '') ? (params.get('state') as RecordState) : null;
  const [first, setFirst] = useState(PAGE);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const list = useApiQuery(RecordsListDocument, { filter: { year, state }, first }, { requestPolicy: 'cache-and-network' });
  const years = Array.from({ length: 12 }, (_x, i) => thisYear + 1 - i);

  const setFilter = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setFirst(PAGE);
    setParams(next);
  };
  const data = list.data?.records;

  return (
    <div className="records-page">
      <p className="records-crumbs">
        <Link to="/archive">{t('records.backToSearch')}</Link>
      </p>
      <PageHeader
        title={t('records.title')}
        description={t('records.description')}
        actions={
          <button type="button" className="btn btn--primary" onClick={() => setCreating((c) => !c)} aria-expanded={creating}>
            {t('records.create.open')}
          </button>
        }
      />
      <div role="status" aria-live="polite">
        {notice ? <div className="alert alert--success">{notice}</div> : null}
      </div>
      {creating ? (
        <CreateRecordSection
          year={year}
          onClose={() => setCreating(false)}
          onCreated={({ fileNotation: notation }) => {
            setCreating(false);
            setNotice(t('records.create.created', { notation }));
            list.refetch();
          }}
        />
      ) : null}
      <section className="card doc-section records-filters" aria-label={t('records.filter')}>
        <Field label={t('records.year')}>
          {(c) => (
            <select {...c} value={year} onChange={(e) => setFilter({ year: e.target.value })}>
              {years.map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('records.state')}>
          {(c) => (
            <select {...c} value={state ?? ''} onChange={(e) => setFilter({ state: e.target.value || null })}>
              <option value="">{t('records.allStates')}</option>
              {STATES.map((s) => (
                <option key={s} value={s}>
                  {t(`records.states.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </section>
      <section className="card doc-section">
        <LoadState loading={list.fetching && !data} error={list.error} onRetry={list.refetch} />
        {data ? (
          <>
            <p className="doc-muted">{t('records.total', { count: data.totalCount })}</p>
            {data.edges.length ? (
              <div className="register-table__wrap">
                <table className="register-table records-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('records.columns.notation')}</th>
                      <th scope="col">{t('records.columns.title')}</th>
                      <th scope="col">{t('records.columns.retention')}</th>
                      <th scope="col">{t('records.columns.unit')}</th>
                      <th scope="col">{t('records.columns.documents')}</th>
                      <th scope="col">{t('records.columns.state')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.edges.map(({ node: r }) => (
                      <tr key={r.id}>
                        <td>
                          <Link to={`/archive/records/${r.id}`}>{r.fileNotation}</Link>
                        </td>
                        <td>{r.title}</td>
                        <td>
                          <RetentionText years={r.retentionYears} />
                        </td>
                        <td>{[r.unit?.name, r.creator?.fullName].filter(Boolean).join(' / ')}</td>
                        <td className="records-num">{r.documentCount}</td>
                        <td>
                          <RecordStateBadge state={r.state} legalHold={r.legalHold} unverified={r.metadataUnverified && r.state === 'TRANSFERRED'} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p className="inbox__empty">{t('records.empty')}</p>
            )}
            {data.pageInfo.hasNextPage ? (
              <button type="button" className="btn btn--secondary" onClick={() => setFirst((n) => Math.min(n + PAGE, 200))}>
                {t('records.more')}
              </button>
            ) : null}
          </>
        ) : null}
      </section>
      <section className="card doc-section" aria-labelledby="records-export">
        <h2 id="records-export">{t('records.export.title')}</h2>
        <ExportButtons label={t('records.export.danhMuc', { year })} kind="DANH_MUC_HO_SO" year={year} />
        <ExportButtons label={t('records.export.mucLucHoSo', { year })} kind="MUC_LUC_HO_SO" year={year} />
        <p>
          <Link to="/archive/retention">{t('records.retention.link')}</Link>
        </p>
      </section>
    </div>
  );
}

type CreateField = keyof CreateRecordForm;
const retentionValue = (years: number | null | undefined) => (years == null ? 'VV' : String(years));

/** Thêm hồ sơ vào danh mục (also on the document page: "tạo hồ sơ mới" to file the document into). */
export function CreateRecordSection({
  year,
  onClose,
  onCreated,
  title,
  submitLabel,
}: {
  year: number;
  onClose: () => void;
  onCreated: (record: { id: string; fileNotation: string }) => void | Promise<void>;
  title?: string;
  submitLabel?: string;
}) {
  const { t } = useTranslation();
  const retention = useApiQuery(RetentionItemsDocument, {});
  const { units } = useUnits();
  const [create] = useApiMutation(CreateRecordDocument);
  const [error, setError] = useState<unknown>(null);
  const form = useForm<CreateRecordForm, unknown, z.output<ReturnType<typeof createRecordFormSchema>>>({
    resolver: zodResolver(createRecordFormSchema()),
    defaultValues: { year: String(year), fileNotation: '', title: '', retention: '10', unitId: '' },
  });
  const { register, handleSubmit, formState, setError: setFieldError } = form;
  const items = retention.data?.retentionItems ?? [];

  const onSubmit = handleSubmit(async (v) => {
    setError(null);
    const item = items.find((i) => retentionValue(i.years) === v.retention);
    try {
      const r = await create({
        input: {
          year: v.year,
          fileNotation: v.fileNotation,
          title: v.title,
          retentionYears: v.retention === 'VV' ? null : Number(v.retention),
          retentionCode: item?.code ?? null,
          unitId: v.unitId || null,
        },
      });
      await onCreated({ id: r.createRecord.id, fileNotation: r.createRecord.fileNotation });
    } catch (e) {
      const field = e instanceof ApiError ? (e.field?.replace(/^input\./, '') as string | undefined) : undefined;
      const map: Record<string, CreateField> = { fileNotation: 'fileNotation', title: 'title', year: 'year', retentionYears: 'retention', retentionCode: 'retention', unitId: 'unitId' };
      if (field && map[field]) setFieldError(map[field], { message: (e as ApiError).message }, { shouldFocus: true });
      else setError(e);
    }
  });
  const err = (f: CreateField) => formState.errors[f]?.message ?? null;

  return (
    <section className="card doc-section" aria-labelledby="records-create">
      <h2 id="records-create">{title ?? t('records.create.title')}</h2>
      <form className="records-form" noValidate onSubmit={(e) => void onSubmit(e)} aria-busy={formState.isSubmitting}>
        <FormError error={error} />
        <div className="records-form__grid">
          <Field label={t('records.year')} required error={err('year')}>
            {(c) => <input {...c} inputMode="numeric" {...register('year')} />}
          </Field>
          <Field label={t('records.create.notation')} hint={t('records.create.notationHint')} required error={err('fileNotation')}>
            {(c) => <input {...c} {...register('fileNotation')} />}
          </Field>
          <Field label={t('records.create.titleField')} required error={err('title')} className="records-form__wide">
            {(c) => <textarea {...c} rows={2} {...register('title')} />}
          </Field>
          <Field label={t('records.create.retention')} required error={err('retention')}>
            {(c) => (
              <select {...c} {...register('retention')}>
                {items.map((i) => (
                  <option key={i.id} value={retentionValue(i.years)}>
                    {i.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('records.create.unit')} error={err('unitId')}>
            {(c) => (
              <select {...c} {...register('unitId')}>
                <option value="">{t('records.create.myUnit')}</option>
                {units.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <div className="doc-form__actions">
          <button type="submit" className="btn btn--primary" disabled={formState.isSubmitting}>
            {submitLabel ?? t('records.create.submit')}
          </button>
          <button type="button" className="btn btn--secondary" onClick={onClose}>
            {t('records.create.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
