/**
 * Giao cơ quan khác (issue 13) in the bút phê dialog: other agencies from the exchange directory (ours and peer
 * deployments', by mã định danh) as chủ trì or phối hợp, each with a deadline typed dd/mm/yyyy. The rules are
 * the shared annotateForm's (schema/validation/document-dialogs.ts) and the server's (domain/annotation.ts).
 */
import { useContext, useState } from 'react';
import { Controller, useFieldArray, type Control, type FieldErrors, type UseFormRegister } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { AnnotateFormInput, AnnotateFormOutput } from '../../../../schema/validation/document-dialogs';
import { SessionContext } from '../../auth/session';
import { ExchangeDirectoryDocument } from '../../graphql/generated';
import { useApiQuery } from '../../graphql/hooks';
import { DateInput, type DateShortcut } from '../DateInput';
import { Field } from '../documents/fields';
import './exchange.css';

export function AgencyAssigneesFieldset({
  control,
  register,
  errors,
  shortcuts,
  defaultDeadline,
}: {
  control: Control<AnnotateFormInput, unknown, AnnotateFormOutput>;
  register: UseFormRegister<AnnotateFormInput>;
  errors: FieldErrors<AnnotateFormInput>['agencies'];
  shortcuts?: DateShortcut[];
  defaultDeadline: () => string;
}) {
  const { t } = useTranslation();
  // the caller's own agency is not offered (its units and people are above); tolerant outside a session (tests)
  const session = useContext(SessionContext);
  const ownCode = session?.state.status === 'authenticated' ? session.state.user.agency.code : null;
  const [search, setSearch] = useState('');
  const { data } = useApiQuery(ExchangeDirectoryDocument, { search: search.trim() || null });
  const rows = useFieldArray({ control, name: 'agencies' });
  const directory = (data?.exchangeDirectory ?? []).filter((d) => d.code !== ownCode);
  return (
    <fieldset className="doc-fieldset" data-testid="agency-assignees">
      <legend>{t('exchangeBusiness.agencies.legend')}</legend>
      <p className="doc-muted">{t('exchangeBusiness.agencies.hint')}</p>
      {rows.fields.length ? (
        <Field label={t('exchangeBusiness.agencies.search')}>{(c) => <input {...c} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />}</Field>
      ) : null}
      {rows.fields.map((row, i) => {
        const e = errors?.[i];
        return (
          <div key={row.id} className="doc-assignee-row exchange-agency-row">
            <Field label={t('exchangeBusiness.agencies.agencyN', { n: i + 1 })} required error={e?.agencyCode?.message}>
              {(c) => (
                <select {...c} {...register(`agencies.${i}.agencyCode`)}>
                  <option value="">{t('doc.form.choose')}</option>
                  {row.agencyCode && !directory.some((d) => d.code === row.agencyCode) ? <option value={row.agencyCode}>{row.agencyCode}</option> : null}
                  {directory.map((d) => (
                    <option key={d.code} value={d.code}>
                      {d.name} ({d.code}){d.peerName ? ` — ${d.peerName}` : ''}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('exchangeBusiness.agencies.role')} error={e?.role?.message}>
              {(c) => (
                <select {...c} {...register(`agencies.${i}.role`)}>
                  <option value="COORDINATOR">{t('exchangeBusiness.agencies.COORDINATOR')}</option>
                  <option value="LEAD">{t('exchangeBusiness.agencies.LEAD')}</option>
                </select>
              )}
            </Field>
            <Controller
              control={control}
              name={`agencies.${i}.deadline`}
              render={({ field }) => (
                <Field label={t('doc.field.deadline')} error={e?.deadline?.message}>
                  {(c) => <DateInput {...c} ref={field.ref} name={field.name} value={field.value ?? ''} onChange={field.onChange} onBlur={field.onBlur} shortcuts={shortcuts} />}
                </Field>
              )}
            />
            <button type="button" className="btn btn--secondary doc-btn--small doc-assignee-row__remove" onClick={() => rows.remove(i)} aria-label={t('exchangeBusiness.agencies.remove', { n: i + 1 })}>
              {t('doc.form.remove')}
            </button>
          </div>
        );
      })}
      <button type="button" className="btn btn--secondary doc-btn--small" onClick={() => rows.append({ agencyCode: '', role: 'COORDINATOR', deadline: defaultDeadline() }, { shouldFocus: false })}>
        {t('exchangeBusiness.agencies.add')}
      </button>
    </fieldset>
  );
}
