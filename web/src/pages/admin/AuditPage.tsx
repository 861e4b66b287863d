import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { useTranslation } from 'react-i18next';
import { optionalVnDate } from '../../../../schema/validation/dates';
import { useCurrentUser } from '../../auth/session';
import { DateInput } from '../../components/DateInput';
import { Field, FormError, LoadState, errorField } from '../../components/documents/fields';
import { AdminAuditEventsDocument, AdminExportAuditDocument, AdminUsersDocument, type AuditEventFilter, type AuditExportFormat } from '../../graphql/generated';
import { useApiMutation, useApiQuery } from '../../graphql/hooks';
import { formatDateTime } from './format';
import { usePaging } from './usePaging';

const PAGE_SIZE = 50;

const filterSchema = z
  .object({
    actorId: z.string(),
    action: z.string().trim().max(100, { message: 'Tên thao tác quá dài.' }),
    documentId: z
      .string()
      .trim()
      .refine((v) => v === '' || /^[0-9a-f-]{36}$/i.test(v), { message: 'Mã văn bản không hợp lệ.' }),
    from: optionalVnDate(),
    to: optionalVnDate(),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { path: ['from'], message: 'Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.' });
type FilterInput = z.input<typeof filterSchema>;
type FilterValues = z.output<typeof filterSchema>;

const toFilter = (v: FilterValues): AuditEventFilter => ({
  actorId: v.actorId || null,
  action: v.action || null,
  documentId: v.documentId || null,
  from: v.from,
  to: v.to,
});

/** Nhật ký hệ thống: the agency's audit log filtered by person, action, document and dates; paged; exportable. */
export default function AuditPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const [filter, setFilter] = useState<AuditEventFilter>({});
  const paging = usePaging();
  const people = useApiQuery(AdminUsersDocument, { agencyId: me.agency.id, first: 200 });
  const q = useApiQuery(AdminAuditEventsDocument, { filter, first: PAGE_SIZE, after: paging.after }, { requestPolicy: 'cache-and-network' });
  const [exportAudit, { fetching: exporting }] = useApiMutation(AdminExportAuditDocument);
  const [error, setError] = useState<unknown>(null);
  const { control, register, handleSubmit, setError: setFieldError, formState } = useForm<FilterInput, unknown, FilterValues>({
    resolver: zodResolver(filterSchema),
    defaultValues: { actorId: '', action: '', documentId: '', from: '', to: '' },
  });
  const errors = formState.errors;

  const apply = handleSubmit((v) => {
    paging.reset();
    setFilter(toFilter(v));
  });
  const doExport = (format: AuditExportFormat) =>
    handleSubmit(async (v) => {
      setError(null);
      try {
        const r = await exportAudit({ filter: toFilter(v), format });
        window.location.assign(r.exportAuditEvents.url);
      } catch (e) {
        const f = errorField(e);
        if (f === 'from' || f === 'to') setFieldError(f, { message: (e as Error).message });
        setError(e);
      }
    })();

  const conn = q.data?.auditEvents;
  return (
    <section aria-labelledby="admin-audit-heading">
      <h2 id="admin-audit-heading" className="doc-subheading">
        {t('admin.audit.heading')}
      </h2>
      <form className="doc-form card" noValidate onSubmit={(e) => void apply(e)} aria-label={t('admin.audit.filter')}>
        <div className="doc-form__grid">
          <Field label={t('admin.audit.actor')}>
            {(p) => (
              <select {...p} {...register('actorId')}>
                <option value="">{t('admin.common.all')}</option>
                {(people.data?.users.edges ?? []).map(({ node }) => (
                  <option key={node.id} value={node.id}>
                    {node.fullName} ({node.username})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('admin.audit.action')} hint={t('admin.audit.actionHint')} error={errors.action?.message}>
            {(p) => <input {...p} {...register('action')} />}
          </Field>
          <Field label={t('admin.audit.document')} error={errors.documentId?.message}>
            {(p) => <input {...p} {...register('documentId')} />}
          </Field>
          <Controller
            control={control}
            name="from"
            render={({ field }) => (
              <Field label={t('admin.audit.from')} error={errors.from?.message}>
                {(c) => <DateInput {...c} ref={field.ref} name={field.name} value={field.value} onChange={field.onChange} onBlur={field.onBlur} />}
              </Field>
            )}
          />
          <Controller
            control={control}
            name="to"
            render={({ field }) => (
              <Field label={t('admin.audit.to')} error={errors.to?.message}>
                {(c) => <DateInput {...c} ref={field.ref} name={field.name} value={field.value} onChange={field.onChange} onBlur={field.onBlur} />}
              </Field>
            )}
          />
        </div>
        <div className="doc-form__actions">
          <button type="submit" className="btn btn--primary">
            {t('admin.audit.apply')}
          </button>
          <button type="button" className="btn btn--secondary" disabled={exporting} onClick={() => void doExport('CSV')}>
            {t('admin.audit.exportCsv')}
          </button>
          <button type="button" className="btn btn--secondary" disabled={exporting} onClick={() => void doExport('XLSX')}>
            {t('admin.audit.exportXlsx')}
          </button>
        </div>
      </form>
      <FormError error={error} shownAtField={['from', 'to'].includes(errorField(error) ?? '')} />
      <LoadState loading={q.fetching && !q.data} error={q.error} onRetry={q.refetch} />
      {conn ? (
        <>
          <div className="doc-table-wrap">
            <table className="doc-table">
              <caption className="visually-hidden">{t('admin.audit.heading')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.audit.at')}</th>
                  <th scope="col">{t('admin.audit.actor')}</th>
                  <th scope="col">{t('admin.audit.action')}</th>
                  <th scope="col">{t('admin.audit.target')}</th>
                  <th scope="col">{t('admin.audit.ip')}</th>
                </tr>
              </thead>
              <tbody>
                {conn.edges.map(({ node: e }) => (
                  <tr key={e.id}>
                    <td>{formatDateTime(e.at)}</td>
                    <td>{e.actor ? `${e.actor.fullName} (${e.actor.username})` : t('admin.audit.system')}</td>
                    <td>
                      <code className="doc-code">{e.action}</code>
                    </td>
                    <td>
                      {e.targetType}
                      {e.targetLabel ? <span> {e.targetLabel}</span> : e.targetId ? <span className="doc-muted"> {e.targetId.slice(0, 8)}</span> : null}
                    </td>
                    <td>{e.ip ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {conn.edges.length === 0 ? <p className="inbox__empty">{t('admin.audit.empty')}</p> : null}
          <nav className="doc-toolbar" aria-label={t('admin.common.paging')}>
            <button type="button" className="btn btn--secondary" disabled={paging.page === 0} onClick={paging.previous}>
              {t('admin.common.previous')}
            </button>
            <span>{t('admin.common.page', { page: paging.page + 1 })}</span>
            <button type="button" className="btn btn--secondary" disabled={!conn.pageInfo.hasNextPage} onClick={() => paging.next(conn.pageInfo.endCursor)}>
              {t('admin.common.next')}
            </button>
          </nav>
        </>
      ) : null}
    </section>
  );
}
