import { useState } from 'react';
import { useFieldArray, useForm, type Path } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslation } from 'react-i18next';
import { customTypeKey, documentTypesSchema, type DocumentTypesFormInput, type DocumentTypesFormOutput } from '../../../../../schema/validation/document-settings';
import { ApiError } from '../../../graphql/client';
import { AdminUpdateDocumentTypesDocument } from '../../../graphql/generated';
import { useApiMutation } from '../../../graphql/hooks';
import { CellError } from './cells';
import { ActionFeedback } from '../../../components/formParts';

export interface DocumentTypeSettingView {
  key: string;
  code?: string | null;
  name: string;
  category: string;
  active: boolean;
}

const typeRows = (types: readonly DocumentTypeSettingView[]): DocumentTypesFormInput['types'] =>
  types.map((x) => ({ key: x.key, custom: x.category === 'CUSTOM', code: x.code ?? '', name: x.name, active: x.active }));

/**
 * Loại văn bản: the Decree 30 types (may be switched off, not renamed) and the agency's own types (name,
 * abbreviation, on/off). Switched-off types stay on old documents but are not offered for new ones.
 */
export function DocumentTypesSection({ types }: { types: readonly DocumentTypeSettingView[] }) {
  const [save] = useApiMutation(AdminUpdateDocumentTypesDocument);
  return <DocumentTypesForm types={types} onSave={async (list) => (await save({ types: list })).updateDocumentSettings.documentTypeSettings} />;
}

export type DocumentTypeOverride = { key: string; code?: string | null; name?: string; active: boolean };

/** The form (presentational): `onSave` stores the overrides and gives back every type, or throws the ApiError. */
export function DocumentTypesForm({
  types,
  onSave,
}: {
  types: readonly DocumentTypeSettingView[];
  onSave: (list: DocumentTypeOverride[]) => Promise<readonly DocumentTypeSettingView[]>;
}) {
  const { t } = useTranslation();
  const [error, setFormError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { control, register, handleSubmit, reset, setError, getValues, formState } = useForm<DocumentTypesFormInput, unknown, DocumentTypesFormOutput>({
    resolver: zodResolver(documentTypesSchema),
    defaultValues: { types: typeRows(types) },
  });
  const rows = useFieldArray({ control, name: 'types' });
  const errors = formState.errors.types;

  const submit = handleSubmit(async (v) => {
    setFormError(null);
    setNotice(null);
    // A new type gets its key from its code or name (unique among the rows).
    const keys = new Set(v.types.filter((x) => x.key).map((x) => x.key));
    const input = v.types.map((x) => {
      if (x.key) return x;
      let key = customTypeKey(x.code ?? '', x.name ?? '');
      for (let n = 2; keys.has(key); n++) key = `${customTypeKey(x.code ?? '', x.name ?? '')}_${n}`;
      keys.add(key);
      return { ...x, key };
    });
    try {
      reset({ types: typeRows(await onSave(input)) });
      setNotice(t('admin.settings.types.saved'));
    } catch (e) {
      // The server names the list (documentTypes): shown above the table.
      if (e instanceof ApiError && e.field && /^documentTypes\.\d+\.(code|name)$/.test(e.field)) setError(e.field.replace(/^documentTypes/, 'types') as Path<DocumentTypesFormInput>, { message: e.message });
      else setFormError(e);
    }
  });

  return (
    <form className="card doc-section" noValidate onSubmit={(e) => void submit(e)} aria-labelledby="admin-types-heading">
      <h3 id="admin-types-heading" className="doc-subheading">
        {t('admin.settings.documentTypes')}
      </h3>
      <p className="doc-field__hint">{t('admin.settings.types.hint')}</p>
      <ActionFeedback error={error} notice={notice} />
      <div className="doc-table-wrap">
        <table className="doc-table">
          <thead>
            <tr>
              <th scope="col">{t('admin.settings.types.name')}</th>
              <th scope="col">{t('admin.settings.types.code')}</th>
              <th scope="col">{t('admin.settings.types.active')}</th>
              <th scope="col">{t('admin.common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.fields.map((row, i) => {
              const e = errors?.[i];
              const name = row.name || t('admin.settings.types.newType');
              return (
                <tr key={row.id}>
                  <td>
                    {row.custom ? (
                      <>
                        <input aria-label={`${t('admin.settings.types.name')} ${i + 1}`} aria-invalid={e?.name ? true : undefined} autoComplete="off" {...register(`types.${i}.name`)} />
                        <CellError message={e?.name?.message} />
                      </>
                    ) : (
                      row.name
                    )}
                  </td>
                  <td>
                    {row.custom ? (
                      <>
                        <input aria-label={`${t('admin.settings.types.code')} ${i + 1}`} aria-invalid={e?.code ? true : undefined} autoComplete="off" size={6} {...register(`types.${i}.code`)} />
                        <CellError message={e?.code?.message} />
                      </>
                    ) : (
                      (row.code ?? '')
                    )}
                  </td>
                  <td>
                    <input type="checkbox" aria-label={`${t('admin.settings.types.active')}: ${name}`} {...register(`types.${i}.active`)} />
                  </td>
                  <td className="doc-table__actions">
                    {row.custom && !types.some((x) => x.key === getValues(`types.${i}.key`)) ? (
                      <button type="button" className="btn btn--secondary doc-btn--small" onClick={() => rows.remove(i)}>
                        {t('admin.settings.remove')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="doc-form__actions">
        <button type="button" className="btn btn--secondary" onClick={() => rows.append({ key: '', custom: true, code: '', name: '', active: true })}>
          {t('admin.settings.types.add')}
        </button>
        <button type="submit" className="btn btn--primary" disabled={formState.isSubmitting}>
          {t('admin.settings.types.save')}
        </button>
      </div>
    </form>
  );
}
