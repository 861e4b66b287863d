import { Controller, useFormContext } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { DateInput } from '../../../../components/DateInput';
import { URGENCIES } from '../../../../components/documents/Badges';
import { Field } from '../../../../components/documents/fields';
import { TypeSelect } from '../../../../components/documents/pickers';
import type { RegistrationContext, RegistrationValues } from '../form';
import { span2, type AutoProps } from './auto';

/** Số ký hiệu, ngày ban hành (dd/mm/yyyy), loại, số trang, trích yếu, mức độ khẩn. */
export function DocumentSection({ auto, typeOptions }: { auto: AutoProps; typeOptions: readonly { code?: string | null; name: string }[] }) {
  const { t } = useTranslation();
  const { control, register, formState } = useFormContext<RegistrationValues, RegistrationContext, RegistrationValues>();
  const e = formState.errors;
  return (
    <fieldset className="doc-fieldset reg-section">
      <legend>{t('registration.sections.document')}</legend>
      <Field label={t('doc.field.symbol')} error={e.symbol?.message} {...auto('symbol', t('doc.register.symbolHint'))}>
        {(c) => <input {...c} {...register('symbol')} data-field="symbol" type="text" autoComplete="off" />}
      </Field>
      <Field label={t('doc.field.issuedDate')} error={e.issuedDate?.message} {...auto('issuedDate', t('registration.dateHint'))}>
        {(c) => (
          <Controller
            control={control}
            name="issuedDate"
            render={({ field }) => <DateInput {...c} ref={field.ref} name={field.name} onBlur={field.onBlur} data-field="issuedDate" value={field.value} onChange={field.onChange} />}
          />
        )}
      </Field>
      <Field label={t('doc.field.type')} required error={e.type?.message} {...auto('type')}>
        {(c) => (
          <Controller
            control={control}
            name="type"
            render={({ field }) => <TypeSelect control={c} value={field.value} options={typeOptions} placeholder={t('doc.form.choose')} onChange={field.onChange} />}
          />
        )}
      </Field>
      <Field label={t('doc.field.pageCount')} error={e.pageCount?.message} {...auto('pageCount')}>
        {(c) => <input {...c} {...register('pageCount')} data-field="pageCount" type="text" inputMode="numeric" />}
      </Field>
      <Field label={t('doc.field.subject')} required error={e.subject?.message} {...span2(auto('subject'))}>
        {(c) => <textarea {...c} {...register('subject')} data-field="subject" rows={3} />}
      </Field>
      <Field label={t('doc.field.urgency')} error={e.urgency?.message} {...auto('urgency')}>
        {(c) => (
          <select {...c} {...register('urgency')} data-field="urgency">
            {URGENCIES.map((u) => (
              <option key={u} value={u}>
                {t(`doc.urgency.${u}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
    </fieldset>
  );
}
