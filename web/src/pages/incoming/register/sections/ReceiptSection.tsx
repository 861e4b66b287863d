import { Controller, useFormContext } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { DateInput } from '../../../../components/DateInput';
import { Field } from '../../../../components/documents/fields';
import { FilesInput } from '../../../../components/documents/FilesInput';
import { ACCEPTED_SCANS } from '../../../../components/documents/pickers';
import { SCAN_ERROR_TYPE, type RegistrationContext, type RegistrationValues } from '../form';

/**
 * Tiếp nhận: ngày đến (dd/mm/yyyy, default today, not in the future), hình thức nhận (with a scan / "Văn bản
 * giấy, không có bản quét") and more files. An electronic arrival has its own ngày đến (not editable) and may
 * get more files.
 */
export function ReceiptSection({
  today,
  received,
  withScan,
  secret,
  registers = [],
}: {
  today: string;
  received: boolean;
  withScan: boolean;
  secret: boolean;
  /** The agency's active sổ văn bản đến: a picker when there are several (not for secret documents). */
  registers?: readonly { key: string; name: string }[];
}) {
  const { t } = useTranslation();
  const { control, register, formState, watch } = useFormContext<RegistrationValues, RegistrationContext, RegistrationValues>();
  const e = formState.errors;
  const paperOnly = watch('paperOnly');
  return (
    <fieldset className="doc-fieldset reg-section">
      <legend>{t('registration.sections.receipt')}</legend>
      {registers.length > 1 && !secret ? (
        <Field label={t('registration.register')} error={e.registerKey?.message} hint={t('registration.registerHint')} className="doc-span-2">
          {(c) => (
            <select {...c} {...register('registerKey')} data-field="registerKey">
              {registers.map((r, i) => (
                <option key={r.key} value={i === 0 ? '' : r.key}>
                  {r.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      {!received ? (
        <Field label={t('registration.receivedDate')} error={e.receivedDate?.message} hint={t('registration.receivedDateHint')} className="doc-span-2">
          {(c) => (
            <Controller
              control={control}
              name="receivedDate"
              render={({ field }) => (
                <DateInput
                  {...c}
                  ref={field.ref}
                  name={field.name}
                  onBlur={field.onBlur}
                  data-field="receivedDate"
                  value={field.value}
                  onChange={field.onChange}
                  shortcuts={[{ label: t('registration.today'), value: today }]}
                />
              )}
            />
          )}
        </Field>
      ) : null}
      {!received && !secret && !withScan ? (
        <div className="doc-span-2">
          <label className="doc-check">
            <input type="checkbox" {...register('paperOnly')} data-field="paperOnly" aria-describedby="reg-paper-hint" />
            <span>{t('registration.paperOnly')}</span>
          </label>
          <p id="reg-paper-hint" className="doc-field__hint">
            {t('registration.paperOnlyHint')}
          </p>
        </div>
      ) : null}
      {!secret && (received || (withScan && !paperOnly)) ? (
        <Field
          label={received ? t('doc.register.moreFiles') : t('doc.ocr.moreFiles')}
          error={e.files?.type === SCAN_ERROR_TYPE ? undefined : e.files?.message}
          hint={received ? t('doc.register.filesHint') : t('doc.ocr.moreFilesHint')}
          className="doc-span-2"
        >
          {(c) => (
            <Controller
              control={control}
              name="files"
              render={({ field }) => <FilesInput control={{ ...c, 'data-field': 'files' } as typeof c} files={field.value} onChange={field.onChange} accept={ACCEPTED_SCANS} />}
            />
          )}
        </Field>
      ) : null}
    </fieldset>
  );
}
