import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { useTranslation } from 'react-i18next';
import { validateAgencyCode } from '../../../../schema/validation/agency-code';
import { useCurrentUser } from '../../auth/session';
import { Dialog } from '../../components/documents/Dialog';
import { Field, FormError, LoadState, errorField } from '../../components/documents/fields';
import { AdminAgencyTreeDocument, AdminCreateAgencyDocument, AdminSetAgencyActiveDocument, AdminUpdateAgencyDocument, type AdminAgencyTreeQuery } from '../../graphql/generated';
import { useApiMutation, useApiQuery } from '../../graphql/hooks';

type TreeAgency = AdminAgencyTreeQuery['agencyTree'][number]['agency'];

const agencySchema = (codeOf: (id: string) => string | null) =>
  z
    .object({
      code: z.string().trim(),
      name: z.string().trim().min(1, { message: 'Vui lòng nhập tên cơ quan.' }).max(300, { message: 'Tên cơ quan không được dài quá 300 ký tự.' }),
      abbr: z
        .string()
        .trim()
        .min(1, { message: 'Vui lòng nhập tên viết tắt.' })
        .max(20, { message: 'Tên viết tắt không được dài quá 20 ký tự.' }),
      place: z.string().trim().max(100, { message: 'Địa danh không được dài quá 100 ký tự.' }),
      parentId: z.string(),
    })
    .superRefine((v, ctx) => {
      const r = validateAgencyCode(v.code, v.parentId ? codeOf(v.parentId) : null);
      if (!r.ok) ctx.addIssue({ code: 'custom', path: ['code'], message: r.message });
    });
type AgencyForm = z.input<ReturnType<typeof agencySchema>>;
const FIELDS = ['code', 'name', 'abbr', 'place', 'parentId'] as const;

function AgencyFormView({
  agencies,
  initial,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  agencies: readonly TreeAgency[];
  initial: AgencyForm;
  submitLabel: string;
  onSubmit: (v: AgencyForm) => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [apiError, setApiError] = useState<unknown>(null);
  const resolver = useMemo(() => zodResolver(agencySchema((id) => agencies.find((a) => a.id === id)?.code ?? null)), [agencies]);
  const { register, handleSubmit, setError, formState } = useForm<AgencyForm>({ resolver, defaultValues: initial });
  const errors = formState.errors;
  const submit = handleSubmit(async (v) => {
    setApiError(null);
    try {
      await onSubmit(v);
    } catch (e) {
      const f = errorField(e);
      if (f && (FIELDS as readonly string[]).includes(f)) setError(f as (typeof FIELDS)[number], { message: (e as Error).message });
      setApiError(e);
    }
  });
  return (
    <form className="doc-form" noValidate onSubmit={(e) => void submit(e)}>
      <div className="doc-form__grid">
        <Field label={t('admin.agencies.code')} required hint={t('admin.agencies.codeHint')} error={errors.code?.message}>
          {(p) => <input {...p} autoComplete="off" {...register('code')} />}
        </Field>
        <Field label={t('admin.agencies.name')} required error={errors.name?.message}>
          {(p) => <input {...p} autoComplete="off" {...register('name')} />}
        </Field>
        <Field label={t('admin.agencies.abbr')} required error={errors.abbr?.message}>
          {(p) => <input {...p} autoComplete="off" {...register('abbr')} />}
        </Field>
        <Field label={t('admin.agencies.place')} error={errors.place?.message}>
          {(p) => <input {...p} autoComplete="off" {...register('place')} />}
        </Field>
        <Field label={t('admin.agencies.parent')} error={errors.parentId?.message}>
          {(p) => (
            <select {...p} {...register('parentId')}>
              <option value="">{t('admin.agencies.topLevel')}</option>
              {agencies
                .filter((a) => a.active)
                .map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.code} — {a.name}
                  </option>
                ))}
            </select>
          )}
        </Field>
      </div>
      <FormError error={apiError} shownAtField={(FIELDS as readonly string[]).includes(errorField(apiError) ?? '')} />
      <div className="doc-form__actions">
        <button type="submit" className="btn btn--primary" disabled={formState.isSubmitting}>
          {submitLabel}
        </button>
        <button type="button" className="btn btn--secondary" onClick={onCancel}>
          {t('admin.common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** Whether the user may add, edit and deactivate agencies: an administrator (QUAN_TRI) of the operator agency. */
export function canManageAgencies(user: { roles: readonly string[]; agency: { operator: boolean } }): boolean {
  return user.agency.operator && user.roles.includes('QUAN_TRI');
}

/** The agency tree (depth-first, indented); the management buttons only when `canManage`. */
export function AgencyTree({
  items,
  canManage,
  onCreate,
  onEdit,
  onToggleActive,
}: {
  items: readonly { agency: TreeAgency; depth: number }[];
  canManage: boolean;
  onCreate: () => void;
  onEdit: (a: TreeAgency) => void;
  onToggleActive: (a: TreeAgency) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <div className="doc-toolbar">
        <h2 id="admin-agencies-heading" className="doc-subheading">
          {t('admin.agencies.heading')}
        </h2>
        {canManage ? (
          <button type="button" className="btn btn--primary" onClick={onCreate}>
            {t('admin.agencies.create')}
          </button>
        ) : null}
      </div>
      <ul className="doc-list" aria-label={t('admin.agencies.heading')}>
        {items.map(({ agency: a, depth }) => (
          <li key={a.id} style={{ paddingInlineStart: `${depth * 1.5}rem` }} className="doc-row">
            <span className="doc-row__main">
              <strong>{a.name}</strong>{' '}
              <span className="doc-muted">
                {a.code} · {a.abbr}
              </span>
              {a.operator ? <span className="doc-badge doc-badge--info"> {t('admin.agencies.operator')}</span> : null}
              {!a.active ? <span className="doc-badge doc-badge--muted"> {t('admin.common.inactive')}</span> : null}
            </span>
            {canManage ? (
              <span className="doc-table__actions">
                <button type="button" className="btn btn--secondary doc-btn--small" aria-label={`${t('admin.agencies.edit')}: ${a.name}`} onClick={() => onEdit(a)}>
                  {t('admin.agencies.edit')}
                </button>
                {!a.operator ? (
                  <button
                    type="button"
                    className="btn btn--secondary doc-btn--small"
                    aria-label={`${a.active ? t('admin.agencies.deactivate') : t('admin.agencies.activate')}: ${a.name}`}
                    onClick={() => onToggleActive(a)}
                  >
                    {a.active ? t('admin.agencies.deactivate') : t('admin.agencies.activate')}
                  </button>
                ) : null}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * Cơ quan: the agency tree. The operator's administrators add, rename, move and deactivate agencies (the
 * server enforces it; the buttons follow the caller's agency being the operator).
 */
export default function AgenciesPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const canManage = canManageAgencies(me);
  const q = useApiQuery(AdminAgencyTreeDocument, { includeInactive: canManage }, { requestPolicy: 'cache-and-network' });
  const [createAgency] = useApiMutation(AdminCreateAgencyDocument);
  const [updateAgency] = useApiMutation(AdminUpdateAgencyDocument);
  const [setActive] = useApiMutation(AdminSetAgencyActiveDocument);
  const [dialog, setDialog] = useState<{ kind: 'create' } | { kind: 'edit'; agency: TreeAgency } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const tree = q.data?.agencyTree ?? [];
  const agencies = tree.map((i) => i.agency);

  return (
    <section aria-labelledby="admin-agencies-heading">
      <AgencyTree
        items={tree}
        canManage={canManage}
        onCreate={() => setDialog({ kind: 'create' })}
        onEdit={(a) => setDialog({ kind: 'edit', agency: a })}
        onToggleActive={async (a) => {
          setError(null);
          try {
            await setActive({ input: { id: a.id, active: !a.active } });
            q.refetch();
          } catch (e) {
            setError(e);
          }
        }}
      />
      <LoadState loading={q.fetching && !q.data} error={q.error} onRetry={q.refetch} />
      <FormError error={error} />
      {dialog ? (
        <Dialog title={dialog.kind === 'create' ? t('admin.agencies.create') : `${t('admin.agencies.edit')}: ${dialog.agency.name}`} onClose={() => setDialog(null)} wide>
          <AgencyFormView
            agencies={agencies.filter((a) => dialog.kind === 'create' || a.id !== dialog.agency.id)}
            initial={
              dialog.kind === 'create'
                ? { code: '', name: '', abbr: '', place: '', parentId: me.agency.id }
                : { code: dialog.agency.code, name: dialog.agency.name, abbr: dialog.agency.abbr, place: dialog.agency.place ?? '', parentId: dialog.agency.parent?.id ?? '' }
            }
            submitLabel={dialog.kind === 'create' ? t('admin.agencies.createSubmit') : t('admin.common.save')}
            onCancel={() => setDialog(null)}
            onSubmit={async (v) => {
              const input = { code: v.code, name: v.name, abbr: v.abbr, place: v.place || null, parentId: v.parentId || null };
              if (dialog.kind === 'create') await createAgency({ input });
              else await updateAgency({ input: { id: dialog.agency.id, ...input } });
              setDialog(null);
              q.refetch();
            }}
          />
        </Dialog>
      ) : null}
    </section>
  );
}
