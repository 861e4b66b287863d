import { Controller, useFormContext } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../../../components/Icon';
import { SECRECIES } from '../../../../components/documents/Badges';
import { Field } from '../../../../components/documents/fields';
import type { Person } from '../../../../components/documents/pickers';
import { CIRCULATION_MARKINGS, isSecret, type RegistrationContext, type RegistrationValues } from '../form';

/**
 * Độ mật. Mật, Tối mật, Tuyệt mật: registered as information only into the secret register — no file, no
 * scan, no OCR (the paper circulates by hand) — with the named people who may see it.
 */
export function SecrecySection({ people, peopleUnavailable }: { people: readonly Person[]; peopleUnavailable: boolean }) {
  const { t } = useTranslation();
  const { control, register, formState, watch } = useFormContext<RegistrationValues, RegistrationContext, RegistrationValues>();
  const e = formState.errors;
  const secret = isSecret(watch('secrecy'));
  return (
    <fieldset className="doc-fieldset reg-section">
      <legend>{t('registration.sections.secrecy')}</legend>
      <Field label={t('doc.field.secrecy')} error={e.secrecy?.message}>
        {(c) => (
          <select {...c} {...register('secrecy')} data-field="secrecy">
            {SECRECIES.map((s) => (
              <option key={s} value={s}>
                {t(`doc.secrecy.${s}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Controller
        control={control}
        name="circulation"
        render={({ field }) => (
          <fieldset className="doc-fieldset doc-fieldset--inline" aria-describedby="reg-circulation-hint" data-field="circulation" tabIndex={-1}>
            <legend>{t('registration.markings')}</legend>
            {CIRCULATION_MARKINGS.map((m) => (
              <label key={m} className="doc-check">
                <input
                  type="checkbox"
                  checked={field.value.includes(m)}
                  onChange={(ev) => field.onChange(ev.target.checked ? CIRCULATION_MARKINGS.filter((x) => x === m || field.value.includes(x)) : field.value.filter((x) => x !== m))}
                />
                <span>{t(`registration.circulation.${m}`)}</span>
              </label>
            ))}
            <p id="reg-circulation-hint" className="doc-field__hint">
              {t('registration.markingsHint')}
            </p>
            {e.circulation?.message ? (
              <p className="doc-field__error">
                <Icon name="alert" /> {e.circulation.message}
              </p>
            ) : null}
          </fieldset>
        )}
      />
      {secret ? (
        <>
          <div className="alert alert--warning doc-span-2 reg-secret-note" role="note">
            <Icon name="alert" />
            <span>{t('registration.secretNote')}</span>
          </div>
          <fieldset className="doc-fieldset doc-span-2" aria-describedby="readers-hint">
            <legend>{t('doc.register.readers')}</legend>
            <p id="readers-hint" className="doc-field__hint">
              {peopleUnavailable ? t('doc.people.unavailable') : t('doc.register.readersHint')}
            </p>
            <Controller
              control={control}
              name="readerIds"
              render={({ field }) => (
                <div className="doc-checklist" data-field="readerIds" tabIndex={-1}>
                  {people.map((p) => (
                    <label key={p.id} className="doc-check">
                      <input
                        type="checkbox"
                        checked={field.value.includes(p.id)}
                        onChange={(ev) => field.onChange(ev.target.checked ? [...field.value, p.id] : field.value.filter((x) => x !== p.id))}
                      />
                      <span>
                        {p.fullName}
                        {p.title ? ` — ${p.title}` : ''}
                      </span>
                    </label>
                  ))}
                </div>
              )}
            />
            {e.readerIds?.message ? (
              <p className="doc-field__error">
                <Icon name="alert" /> {e.readerIds.message}
              </p>
            ) : null}
          </fieldset>
        </>
      ) : null}
    </fieldset>
  );
}
