import { Controller, type Control, type FieldValues, type Path } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { DateInput } from '../../components/DateInput';
import { Field } from '../../components/documents/fields';

/**
 * "Từ ngày – Đến ngày" typed as dd/mm/yyyy (DateInput), for any react-hook-form whose values have `from` and
 * `to` (the statistics period, the register export). Errors come from the form's resolver (shared zod rules).
 */
export function PeriodFields<T extends FieldValues & { from: string; to: string }, C, O>({ control }: { control: Control<T, C, O> }) {
  const { t } = useTranslation();
  return (
    <>
      {(['from', 'to'] as const).map((name) => (
        <Controller
          key={name}
          control={control}
          name={name as Path<T>}
          render={({ field, fieldState }) => (
            <Field label={name === 'from' ? t('doc.reports.from') : t('doc.reports.to')} error={fieldState.error?.message}>
              {(c) => <DateInput {...c} ref={field.ref} name={field.name} value={field.value as string} onChange={field.onChange} onBlur={field.onBlur} />}
            </Field>
          )}
        />
      ))}
    </>
  );
}
