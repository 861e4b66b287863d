import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslation } from 'react-i18next';
import { unitSchema, type UnitForm as UnitFormValues } from '../../../../schema/validation/admin-user';
import { Dialog } from '../../components/documents/Dialog';
import { Field, FormError, LoadState, errorField } from '../../components/documents/fields';
import { AdminCreateUnitDocument, AdminSetUnitActiveDocument, AdminUnitsDocument, AdminUpdateUnitDocument } from '../../graphql/generated';
import { useApiMutation, useApiQuery } from '../../graphql/hooks';
import { ActionFeedback } from '../../components/formParts';

const resolver = zodResolver(unitSchema);

/** Thêm / sửa một đơn vị (tên, tên viết tắt dùng trong ký hiệu công văn). */
function UnitForm({ initial, submitLabel, onSubmit, onCancel }: { initial?: UnitFormValues; submitLabel: string; onSubmit: (v: UnitFormValues) => Promise<void>; onCancel?: () => void }) {
  const { t } = useTranslation();
  const [apiError, setApiError] = useState<unknown>(null);
  const { register, handleSubmit, setError, reset, formState } = useForm<UnitFormValues>({ resolver, defaultValues: initial ?? { name: '', abbr: '' } });
  const submit = handleSubmit(async (v) => {
    setApiError(null);
    try {
      await onSubmit(v);
      if (!initial) reset({ name: '', abbr: '' });
    } catch (e) {
      const f = errorField(e);
      if (f === 'name' || f === 'abbr') setError(f, { message: (e as Error).message });
      setApiError(e);
    }
  });
  const f = errorField(apiError);
  return (
    <form className="doc-form" noValidate onSubmit={(e) => void submit(e)} aria-label={submitLabel}>
      <div className="doc-form__grid">
        <Field label={t('admin.units.name')} required error={formState.errors.name?.message}>
          {(p) => <input {...p} autoComplete="off" {...register('name')} />}
        </Field>
        <Field label={t('admin.units.abbr')} required hint={t('admin.units.abbrHint')} error={formState.errors.abbr?.message}>
          {(p) => <input {...p} autoComplete="off" {...register('abbr')} />}
        </Field>
      </div>
      <FormError error={apiError} shownAtField={f === 'name' || f === 'abbr'} />
      <div className="doc-form__actions">
        <button type="submit" className="btn btn--primary" disabled={formState.isSubmitting}>
          {submitLabel}
        </button>
        {onCancel ? (
          <button type="button" className="btn btn--secondary" onClick={onCancel}>
            {t('admin.common.cancel')}
          </button>
        ) : null}
      </div>
    </form>
  );
}

/** Đơn vị: the agency's units (phòng ban), including deactivated ones; add, rename, deactivate. */
export default function UnitsPage() {
  const { t } = useTranslation();
  const q = useApiQuery(AdminUnitsDocument, { includeInactive: true }, { requestPolicy: 'cache-and-network' });
  const [createUnit] = useApiMutation(AdminCreateUnitDocument);
  const [updateUnit] = useApiMutation(AdminUpdateUnitDocument);
  const [setActive] = useApiMutation(AdminSetUnitActiveDocument);
  const [editing, setEditing] = useState<{ id: string; name: string; abbr: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <section aria-labelledby="admin-units-heading">
      <h2 id="admin-units-heading" className="doc-subheading">
        {t('admin.units.heading')}
      </h2>
      <div className="card">
        <h3 className="doc-subheading">{t('admin.units.create')}</h3>
        <UnitForm
          submitLabel={t('admin.units.createSubmit')}
          onSubmit={async (v) => {
            setNotice(null);
            const r = await createUnit({ input: { name: v.name, abbr: v.abbr } });
            setNotice(t('admin.units.created', { name: r.createUnit.name }));
            q.refetch();
          }}
        />
      </div>
      <ActionFeedback error={error} notice={notice} />
      <LoadState loading={q.fetching && !q.data} error={q.error} onRetry={q.refetch} />
      <div className="doc-table-wrap">
        <table className="doc-table">
          <caption className="visually-hidden">{t('admin.units.heading')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.units.name')}</th>
              <th scope="col">{t('admin.units.abbr')}</th>
              <th scope="col">{t('admin.common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {(q.data?.adminUnits ?? []).map((u) => (
              <tr key={u.id}>
                <td className="doc-table__name">
                  {u.name}
                  {!u.active ? <span className="doc-badge doc-badge--muted"> {t('admin.common.inactive')}</span> : null}
                </td>
                <td>{u.abbr}</td>
                <td className="doc-table__actions">
                  <button type="button" className="btn btn--secondary doc-btn--small" onClick={() => setEditing(u)} aria-label={`${t('admin.units.edit')}: ${u.name}`}>
                    {t('admin.units.edit')}
                  </button>
                  <button
                    type="button"
                    className="btn btn--secondary doc-btn--small"
                    aria-label={`${u.active ? t('admin.units.deactivate') : t('admin.units.activate')}: ${u.name}`}
                    onClick={async () => {
                      setError(null);
                      setNotice(null);
                      try {
                        await setActive({ input: { id: u.id, active: !u.active } });
                        q.refetch();
                      } catch (e) {
                        setError(e);
                      }
                    }}
                  >
                    {u.active ? t('admin.units.deactivate') : t('admin.units.activate')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editing ? (
        <Dialog title={`${t('admin.units.edit')}: ${editing.name}`} onClose={() => setEditing(null)}>
          <UnitForm
            initial={{ name: editing.name, abbr: editing.abbr }}
            submitLabel={t('admin.common.save')}
            onCancel={() => setEditing(null)}
            onSubmit={async (v) => {
              await updateUnit({ input: { id: editing.id, name: v.name, abbr: v.abbr } });
              setEditing(null);
              q.refetch();
            }}
          />
        </Dialog>
      ) : null}
    </section>
  );
}
