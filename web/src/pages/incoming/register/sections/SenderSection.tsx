import { Controller, useFormContext } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Field } from '../../../../components/documents/fields';
import { IssuerInput } from '../../../../components/documents/pickers';
import type { RegistrationContext, RegistrationValues } from '../form';
import { span2, type AutoProps } from './auto';

/** Cơ quan ban hành, người ký and chức vụ. */
export function SenderSection({ auto }: { auto: AutoProps }) {
  const { t } = useTranslation();
  const { control, register, formState } = useFormContext<RegistrationValues, RegistrationContext, RegistrationValues>();
  const e = formState.errors;
  return (
    <fieldset className="doc-fieldset reg-section">
      <legend>{t('registration.sections.sender')}</legend>
      <Field label={t('doc.field.issuer')} required error={e.issuer?.message} {...span2(auto('issuer', t('doc.register.issuerHint')))}>
        {(c) => (
          <Controller
            control={control}
            name="issuer"
            render={({ field }) => <IssuerInput control={{ ...c, 'data-field': 'issuer' } as typeof c} value={field.value} onChange={field.onChange} />}
          />
        )}
      </Field>
      <Field label={t('doc.field.signerName')} error={e.signerName?.message} {...auto('signerName')}>
        {(c) => <input {...c} {...register('signerName')} data-field="signerName" type="text" />}
      </Field>
      <Field label={t('doc.field.signerTitle')} error={e.signerTitle?.message} {...auto('signerTitle')}>
        {(c) => <input {...c} {...register('signerTitle')} data-field="signerTitle" type="text" />}
      </Field>
    </fieldset>
  );
}
