/**
 * Giao ký (issue 12): the agency's recorded delegations — thừa lệnh (TL.) and thừa ủy quyền (TUQ.): who signs,
 * for which head, under which written decision, from–to (dd/mm/yyyy), scope; record and revoke (quản trị).
 * A TL./TUQ. signature is refused by the server without one in force on the signing day.
 */
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { delegationProblemOf } from '../../../../schema/validation/signing-authority';
import { formatVnDate, optionalVnDate, vnDate } from '../../../../schema/validation/dates';
import { DateInput } from '../../components/DateInput';
import { Field, FormError, LoadState } from '../../components/documents/fields';
import { DataTable } from '../../components/DataTable';
import { ActionFeedback, FormActions, useNoticedAction, useServerFieldErrors } from '../../components/formParts';
import { PersonSelect, usePeople } from '../../components/documents/pickers';
import { RecordSigningDelegationDocument, RevokeSigningDelegationDocument, SigningDelegationsDocument } from '../../graphql/generated';
import { useApiMutation, useApiQuery } from '../../graphql/hooks';

const schema = z
  .object({
    delegateId: z.string(),
    mode: z.enum(['TL', 'TUQ']),
    principal: z.string().trim(),
    decisionRef: z.string().trim(),
    scope: z.string().trim(),
    validFrom: vnDate(),
    validTo: optionalVnDate(),
  })
  .superRefine((v, ctx) => {
    const p = delegationProblemOf(v);
    if (p) ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
  });
type FormIn = z.input<typeof schema>;
type FormOut = z.output<typeof schema>;
const FIELDS = ['delegateId', 'mode', 'principal', 'decisionRef', 'scope', 'validFrom', 'validTo'] as const;
const EMPTY: FormIn = { delegateId: '', mode: 'TUQ', principal: '', decisionRef: '', scope: '', validFrom: '', validTo: '' };

function DelegationForm({ onDone }: { onDone: (name: string) => void }) {
  const { t } = useTranslation();
  const { people } = usePeople({});
  const [record] = useApiMutation(RecordSigningDelegationDocument);
  const form = useForm<FormIn, unknown, FormOut>({ resolver: zodResolver(schema), defaultValues: EMPTY });
  const { control, register, handleSubmit, setError, reset, formState } = form;
  const errors = formState.errors;
  const { apiError, guard } = useServerFieldErrors(setError, FIELDS);
  const submit = handleSubmit((v) =>
    guard(async () => {
      const r = await record({ input: { ...v, scope: v.scope || null, validTo: v.validTo ?? null } });
      reset(EMPTY);
      onDone(r.recordSigningDelegation.delegate.fullName);
    }),
  );
  return (
    <form className="doc-form" noValidate onSubmit={(e) => void submit(e)} aria-label={t('issuing.delegations.create')}>
      <FormError error={apiError} />
      <div className="doc-form__grid">
        <Controller
          control={control}
          name="delegateId"
          render={({ field }) => (
            <Field label={t('issuing.delegations.delegate')} required error={errors.delegateId?.message}>
              {(c) => <PersonSelect control={c} people={people} value={field.value} onChange={field.onChange} placeholder={t('issuing.delegations.choose')} />}
            </Field>
          )}
        />
        <Field label={t('issuing.delegations.mode')} required error={errors.mode?.message}>
          {(c) => (
            <select {...c} {...register('mode')}>
              <option value="TUQ">{t('issuing.draft.modes.TUQ')}</option>
              <option value="TL">{t('issuing.draft.modes.TL')}</option>
            </select>
          )}
        </Field>
        <Field label={t('issuing.delegations.principal')} required hint={t('issuing.draft.principalHint')} error={errors.principal?.message}>
          {(c) => <input {...c} type="text" autoComplete="off" {...register('principal')} />}
        </Field>
        <Field label={t('issuing.delegations.decisionRef')} required hint={t('issuing.delegations.decisionRefHint')} error={errors.decisionRef?.message}>
          {(c) => <input {...c} type="text" autoComplete="off" {...register('decisionRef')} />}
        </Field>
        <Controller
          control={control}
          name="validFrom"
          render={({ field }) => (
            <Field label={t('issuing.delegations.validFrom')} required error={errors.validFrom?.message}>
              {(c) => <DateInput {...c} ref={field.ref} value={field.value} onChange={field.onChange} onBlur={field.onBlur} />}
            </Field>
          )}
        />
        <Controller
          control={control}
          name="validTo"
          render={({ field }) => (
            <Field label={t('issuing.delegations.validTo')} hint={t('issuing.delegations.validToHint')} error={errors.validTo?.message}>
              {(c) => <DateInput {...c} ref={field.ref} value={field.value} onChange={field.onChange} onBlur={field.onBlur} />}
            </Field>
          )}
        />
        <Field label={t('issuing.delegations.scope')} className="doc-span-2" error={errors.scope?.message}>
          {(c) => <input {...c} type="text" autoComplete="off" {...register('scope')} />}
        </Field>
      </div>
      <FormActions submitLabel={t('issuing.delegations.submit')} disabled={formState.isSubmitting} />
    </form>
  );
}

export default function DelegationsPage() {
  const { t } = useTranslation();
  const [includeRevoked, setIncludeRevoked] = useState(false);
  const q = useApiQuery(SigningDelegationsDocument, { includeRevoked }, { requestPolicy: 'cache-and-network' });
  const [revoke] = useApiMutation(RevokeSigningDelegationDocument);
  const { notice, setNotice, error, act } = useNoticedAction(q.refetch);
  return (
    <section aria-labelledby="admin-delegations-heading">
      <h2 id="admin-delegations-heading" className="doc-subheading">
        {t('issuing.delegations.heading')}
      </h2>
      <p className="doc-muted">{t('issuing.delegations.lead')}</p>
      <div className="card">
        <h3 className="doc-subheading">{t('issuing.delegations.create')}</h3>
        <DelegationForm
          onDone={(name) => {
            setNotice(t('issuing.delegations.recorded', { name }));
            q.refetch();
          }}
        />
      </div>
      <ActionFeedback error={error} notice={notice} />
      <label className="doc-check">
        <input type="checkbox" checked={includeRevoked} onChange={(e) => setIncludeRevoked(e.target.checked)} /> {t('issuing.delegations.includeRevoked')}
      </label>
      <LoadState loading={q.fetching && !q.data} error={q.error} onRetry={q.refetch} />
      <DataTable
        caption={t('issuing.delegations.heading')}
        testId="delegations"
        columns={[
          t('issuing.delegations.delegate'),
          t('issuing.delegations.line'),
          t('issuing.delegations.decisionRef'),
          t('issuing.delegations.period'),
          t('issuing.delegations.scope'),
          t('admin.common.actions'),
        ]}
        empty={q.data && q.data.signingDelegations.length === 0 ? t('issuing.delegations.empty') : null}
      >
        {(q.data?.signingDelegations ?? []).map((d) => (
          <tr key={d.id}>
            <td className="doc-table__name">
              {d.delegate.fullName}
              {d.delegate.title ? <span className="doc-muted"> — {d.delegate.title}</span> : null}
              {d.revokedAt ? <span className="doc-badge doc-badge--muted"> {t('issuing.delegations.revoked')}</span> : null}
            </td>
            <td>
              {d.mode}. {d.principal}
            </td>
            <td>{d.decisionRef}</td>
            <td>{d.validTo ? `${formatVnDate(d.validFrom)} – ${formatVnDate(d.validTo)}` : t('issuing.delegations.from', { date: formatVnDate(d.validFrom) })}</td>
            <td>{d.scope ?? ''}</td>
            <td className="doc-table__actions">
              {!d.revokedAt ? (
                <button
                  type="button"
                  className="btn btn--secondary doc-btn--small"
                  aria-label={`${t('issuing.delegations.revoke')}: ${d.delegate.fullName}`}
                  onClick={() => void act(() => revoke({ id: d.id }), t('issuing.delegations.revokedNotice', { name: d.delegate.fullName }))}
                >
                  {t('issuing.delegations.revoke')}
                </button>
              ) : null}
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
