/**
 * Bảng thời hạn bảo quản (issue 10): the retention table the hồ sơ form offers — the deployment's defaults
 * (Thông tư 10/2022) and the agency's own items, which replace a default with the same code. The archivist or
 * the administrator (Query.canEditRetentionTable) adds an item, adjusts a default for the agency, or removes
 * the agency's item. Rules shared with the server: schema/validation/retention.ts; server field errors go to the field.
 */
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader';
import { Field, FormError, LoadState } from '../../../components/documents/fields';
import { ApiError } from '../../../graphql/client';
import { useApiMutation, useApiQuery } from '../../../graphql/hooks';
import { DeleteRetentionItemDocument, RetentionTableDocument, SaveRetentionItemDocument } from '../../../graphql/generated';
import { retentionItemFormSchema, type RetentionItemForm, type RetentionItemInput } from '../../../../../schema/validation/retention';
import './records.css';

const EMPTY: RetentionItemForm = { code: '', name: '', permanent: false, years: '' };

export default function RetentionPage() {
  const { t } = useTranslation();
  const table = useApiQuery(RetentionTableDocument, {}, { requestPolicy: 'cache-and-network' });
  const [save] = useApiMutation(SaveRetentionItemDocument);
  const [remove] = useApiMutation(DeleteRetentionItemDocument);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<unknown>(null);
  const form = useForm<RetentionItemForm, unknown, RetentionItemInput>({ resolver: zodResolver(retentionItemFormSchema()), defaultValues: EMPTY });
  const { register, handleSubmit, formState, setError: setFieldError, reset, control, watch } = form;
  const items = table.data?.retentionItems ?? [];
  const canEdit = table.data?.canEditRetentionTable ?? false;

  const onSubmit = handleSubmit(async (v) => {
    setError(null);
    try {
      await save({ input: v });
      setNotice(t('records.retention.saved', { code: v.code }));
      reset(EMPTY);
      table.refetch();
    } catch (e) {
      const f = e instanceof ApiError ? e.field?.split('.').pop() : undefined;
      if (f === 'code' || f === 'name' || f === 'years') setFieldError(f, { message: (e as ApiError).message }, { shouldFocus: true });
      else setError(e);
    }
  });

  return (
    <>
      <PageHeader title={t('records.retention.title')} description={t('records.retention.description')} />
      <p>
        <Link to="/archive/records">{t('records.title')}</Link>
      </p>
      <div role="status" aria-live="polite">
        {notice ? <div className="alert alert--success">{notice}</div> : null}
      </div>
      <FormError error={error} />
      {canEdit ? (
        <section className="card doc-section" aria-labelledby="retention-form">
          <h2 id="retention-form">{t('records.retention.formTitle')}</h2>
          <p className="doc-muted">{t('records.retention.formLead')}</p>
          <form className="records-form" noValidate onSubmit={(e) => void onSubmit(e)} aria-busy={formState.isSubmitting}>
            <div className="records-form__grid">
              <Field label={t('records.retention.code')} required error={formState.errors.code?.message}>
                {(c) => <input {...c} {...register('code')} />}
              </Field>
              <Field label={t('records.retention.name')} required error={formState.errors.name?.message} className="records-form__wide">
                {(c) => <textarea {...c} rows={2} {...register('name')} />}
              </Field>
              <Controller
                control={control}
                name="permanent"
                render={({ field }) => (
                  <label className="records-form__check">
                    <input type="checkbox" checked={field.value} onChange={(e) => field.onChange(e.target.checked)} onBlur={field.onBlur} ref={field.ref} name={field.name} />{' '}
                    {t('records.permanent')}
                  </label>
                )}
              />
              <Field label={t('records.retention.years')} error={formState.errors.years?.message}>
                {(c) => <input {...c} inputMode="numeric" disabled={watch('permanent')} {...register('years')} />}
              </Field>
            </div>
            <div className="doc-form__actions">
              <button type="submit" className="btn btn--primary" disabled={formState.isSubmitting}>
                {t('records.retention.save')}
              </button>
              <button type="button" className="btn btn--secondary" onClick={() => reset(EMPTY)}>
                {t('records.create.cancel')}
              </button>
            </div>
          </form>
        </section>
      ) : null}
      <section className="card doc-section" aria-labelledby="retention-list">
        <h2 id="retention-list">{t('records.retention.listTitle')}</h2>
        {!table.data ? (
          <LoadState loading={table.fetching} error={table.error} onRetry={table.refetch} />
        ) : (
          <table className="doc-table">
            <thead>
              <tr>
                <th scope="col">{t('records.retention.code')}</th>
                <th scope="col">{t('records.retention.name')}</th>
                <th scope="col">{t('records.retention.years')}</th>
                <th scope="col">{t('records.retention.source')}</th>
                {canEdit ? <th scope="col">{t('records.retention.actions')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id}>
                  <td>{i.code}</td>
                  <td>{i.name}</td>
                  <td>{i.years == null ? t('records.permanent') : t('records.years', { count: i.years })}</td>
                  <td>{i.agencyOwned ? t('records.retention.own') : t('records.retention.default')}</td>
                  {canEdit ? (
                    <td>
                      <button
                        type="button"
                        className="btn btn--secondary btn--small"
                        aria-label={t('records.retention.editOf', { code: i.code })}
                        onClick={() => reset({ code: i.code, name: i.name, permanent: i.years == null, years: i.years == null ? '' : String(i.years) })}
                      >
                        {i.agencyOwned ? t('records.retention.edit') : t('records.retention.adjust')}
                      </button>{' '}
                      {i.agencyOwned ? (
                        <button
                          type="button"
                          className="btn btn--secondary btn--small"
                          aria-label={t('records.retention.deleteOf', { code: i.code })}
                          onClick={() => {
                            setError(null);
                            remove({ id: i.id }).then(
                              () => {
                                setNotice(t('records.retention.deleted', { code: i.code }));
                                table.refetch();
                              },
                              (e: unknown) => setError(e),
                            );
                          }}
                        >
                          {t('records.retention.delete')}
                        </button>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
