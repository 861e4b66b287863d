import { useState } from 'react';
import { useFieldArray, useForm, type Path } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { incomingRegisterRows, incomingRegistersSchema, type IncomingRegister, type IncomingRegisterRowInput } from '../../../../../schema/validation/incoming-registers';
import { FormError } from '../../../components/documents/fields';
import { ApiError } from '../../../graphql/client';
import { AdminUpdateIncomingRegistersDocument } from '../../../graphql/generated';
import { useApiMutation } from '../../../graphql/hooks';
import { CellError, serverFieldPath } from './cells';

const formSchema = z.object({ registers: incomingRegistersSchema });
type FormInput = { registers: IncomingRegisterRowInput[] };
type FormOutput = z.output<typeof formSchema>;

/**
 * Sổ văn bản đến of the agency: the general register (always there, active) and others — "Sổ VB đến của
 * Đảng", "Sổ đơn thư"… — each with its own số đến per year. The văn thư picks one when registering.
 */
export function IncomingRegistersSection({ registers }: { registers: readonly IncomingRegister[] }) {
  const [save] = useApiMutation(AdminUpdateIncomingRegistersDocument);
  return <IncomingRegistersForm registers={registers} onSave={async (list) => (await save({ registers: list })).updateDocumentSettings.incomingRegisters} />;
}

/** The form (presentational): `onSave` stores the list and gives back what was stored, or throws the ApiError. */
export function IncomingRegistersForm({ registers, onSave }: { registers: readonly IncomingRegister[]; onSave: (list: IncomingRegister[]) => Promise<readonly IncomingRegister[]> }) {
  const { t } = useTranslation();
  const [error, setFormError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { control, register, handleSubmit, reset, setError, formState } = useForm<FormInput, unknown, FormOutput>({
    resolver: zodResolver(formSchema),
    defaultValues: { registers: incomingRegisterRows(registers) },
  });
  const rows = useFieldArray({ control, name: 'registers' });
  const errors = formState.errors.registers;

  const submit = handleSubmit(async (v) => {
    setFormError(null);
    setNotice(null);
    try {
      reset({ registers: incomingRegisterRows(await onSave(v.registers)) });
      setNotice(t('admin.settings.registers.saved'));
    } catch (e) {
      // "incomingRegisters.1.key" → registers.1.code
      const path = e instanceof ApiError ? serverFieldPath(e.field, 'incomingRegisters', 'registers', { key: 'code' }) : null;
      if (path && path !== 'registers') setError(path as Path<FormInput>, { message: (e as ApiError).message });
      else setFormError(e);
    }
  });

  return (
    <form className="card doc-section" noValidate onSubmit={(e) => void submit(e)} aria-labelledby="admin-registers-heading">
      <h3 id="admin-registers-heading" className="doc-subheading">
        {t('admin.settings.registers.heading')}
      </h3>
      <p className="doc-field__hint">{t('admin.settings.registers.hint')}</p>
      <FormError error={error ?? (errors?.root?.message || errors?.message ? new Error(errors?.root?.message ?? errors?.message) : null)} />
      {notice ? (
        <div className="alert alert--success" role="status">
          {notice}
        </div>
      ) : null}
      <div className="doc-table-wrap">
        <table className="doc-table">
          <thead>
            <tr>
              <th scope="col">{t('admin.settings.registers.code')}</th>
              <th scope="col">{t('admin.settings.registers.name')}</th>
              <th scope="col">{t('admin.settings.registers.active')}</th>
              <th scope="col">{t('admin.common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.fields.map((row, i) => {
              const general = row.code === '' && i === rows.fields.findIndex((r) => r.code === '');
              const e = errors?.[i];
              return (
                <tr key={row.id}>
                  <td>
                    {general ? (
                      <span>{t('admin.settings.registers.general')}</span>
                    ) : (
                      <>
                        <input aria-label={`${t('admin.settings.registers.code')} ${i + 1}`} aria-invalid={e?.code ? true : undefined} autoComplete="off" {...register(`registers.${i}.code`)} />
                        <CellError message={e?.code?.message} />
                      </>
                    )}
                  </td>
                  <td>
                    <input aria-label={`${t('admin.settings.registers.name')} ${i + 1}`} aria-invalid={e?.name ? true : undefined} autoComplete="off" {...register(`registers.${i}.name`)} />
                    <CellError message={e?.name?.message} />
                  </td>
                  <td>
                    {general ? (
                      <span>{t('admin.settings.registers.alwaysActive')}</span>
                    ) : (
                      <input type="checkbox" aria-label={`${t('admin.settings.registers.active')} ${i + 1}`} {...register(`registers.${i}.active`)} />
                    )}
                    <CellError message={e?.active?.message} />
                  </td>
                  <td className="doc-table__actions">
                    {general ? null : (
                      <button type="button" className="btn btn--secondary doc-btn--small" onClick={() => rows.remove(i)}>
                        {t('admin.settings.remove')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="doc-form__actions">
        <button type="button" className="btn btn--secondary" onClick={() => rows.append({ code: '', name: '', active: true }, { shouldFocus: false })}>
          {t('admin.settings.registers.add')}
        </button>
        <button type="submit" className="btn btn--primary" disabled={formState.isSubmitting}>
          {t('admin.settings.registers.save')}
        </button>
      </div>
    </form>
  );
}
