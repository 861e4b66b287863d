/**
 * Xuất sổ đăng ký: register, period (dd/mm/yyyy), format → the signed URL of the generated PDF/XLSX.
 * Only the registers the user may print are offered (statistics.ts exportableRegisters).
 */
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslation } from 'react-i18next';
import { useClient } from 'urql';
import { z } from 'zod';
import { CombinedError } from '@urql/core';
import { Icon } from '../../components/Icon';
import { Field, FormError } from '../../components/documents/fields';
import { RegisterReportDocument, RegistrationRegistersDocument, type RegisterReportQuery, type ReportFormat } from '../../graphql/generated';
import { useApiQuery } from '../../graphql/hooks';
import { toApiError } from '../../graphql/urql';
import { formatVnDate, optionalVnDate } from '../../../../schema/validation/dates';
import { PERIOD_ORDER_MESSAGE } from '../../../../schema/validation/period';
import type { RegisterExportKind } from './statistics';
import { PeriodFields } from './PeriodFields';

const exportSchema = z
  .object({
    kind: z.enum(['INCOMING', 'OUTGOING', 'FOLLOW_UP']),
    from: optionalVnDate(),
    to: optionalVnDate(),
    format: z.enum(['PDF', 'XLSX']),
    /** one of the agency's incoming registers ('' = the general one for the sổ đăng ký, all for the sổ theo dõi) */
    registerKey: z.string(),
  })
  .superRefine((v, ctx) => {
    if (v.from && v.to && v.from > v.to) ctx.addIssue({ code: 'custom', path: ['from'], message: PERIOD_ORDER_MESSAGE });
  });
type ExportInput = z.input<typeof exportSchema>;
type ExportValues = z.output<typeof exportSchema>;

export function RegisterExportSection({ kinds, defaultRange }: { kinds: readonly RegisterExportKind[]; defaultRange: { from: string; to: string } }) {
  const { t } = useTranslation();
  const client = useClient();
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<RegisterReportQuery['registerReport'] | null>(null);
  const { control, register, handleSubmit, formState, watch } = useForm<ExportInput, unknown, ExportValues>({
    resolver: zodResolver(exportSchema),
    defaultValues: { kind: kinds[0], from: formatVnDate(defaultRange.from), to: formatVnDate(defaultRange.to), format: 'PDF', registerKey: '' },
  });
  // The agency's incoming registers (Cấu hình văn bản): a picker only when it keeps more than one.
  const registers = useApiQuery(RegistrationRegistersDocument, {}).data?.documentSettings.incomingRegisters ?? [];
  const kind = watch('kind');
  const pickRegister = registers.length > 1 && (kind === 'INCOMING' || kind === 'FOLLOW_UP');

  const onSubmit = async (v: ExportValues) => {
    setError(null);
    setResult(null);
    // A new file each time: never from the cache.
    const registerKey = pickRegister && v.registerKey ? v.registerKey : null;
    const r = await client.query(RegisterReportDocument, { kind: v.kind, from: v.from, to: v.to, format: v.format, registerKey }, { requestPolicy: 'network-only' }).toPromise();
    if (r.data) setResult(r.data.registerReport);
    else setError(toApiError(r.error ?? new CombinedError({})));
  };
  const pending = formState.isSubmitting;

  return (
    <section className="card doc-section" aria-labelledby="export-heading">
      <h2 id="export-heading">{t('doc.reports.exportTitle')}</h2>
      <p className="doc-muted">{t('doc.reports.exportLead')}</p>
      <form className="doc-export" onSubmit={(e) => void handleSubmit(onSubmit)(e)} noValidate aria-busy={pending}>
        <FormError error={error} />
        <div className="doc-export__grid">
          <Field label={t('doc.reports.register')}>
            {(c) => (
              <select {...c} {...register('kind')}>
                {kinds.map((k) => (
                  <option key={k} value={k}>
                    {t(`doc.reports.kind.${k}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {pickRegister ? (
            <Field label={t('doc.reports.incomingRegister')}>
              {(c) => (
                <select {...c} {...register('registerKey')}>
                  {kind === 'FOLLOW_UP' ? <option value="">{t('doc.reports.allIncomingRegisters')}</option> : null}
                  {registers.map((r) => (
                    <option key={r.key} value={kind === 'INCOMING' && r.key === 'INCOMING' ? '' : r.key}>
                      {r.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
          <PeriodFields control={control} />
          <fieldset className="doc-fieldset doc-fieldset--inline">
            <legend>{t('doc.reports.format')}</legend>
            {(['PDF', 'XLSX'] as const satisfies readonly ReportFormat[]).map((f) => (
              <label key={f} className="doc-check">
                <input type="radio" value={f} {...register('format')} />
                <span>{f === 'PDF' ? t('doc.reports.pdf') : t('doc.reports.xlsx')}</span>
              </label>
            ))}
          </fieldset>
        </div>
        <div className="doc-form__actions">
          <button type="submit" className="btn btn--primary" disabled={pending}>
            {pending ? t('doc.reports.exporting') : t('doc.reports.export')}
          </button>
        </div>
      </form>
      <div role="status" aria-live="polite">
        {result ? (
          <div className="alert alert--success">
            <Icon name="info" />
            <span>
              {t('doc.reports.ready', { rows: result.rows })}{' '}
              <a href={result.url} target="_blank" rel="noopener noreferrer" download={result.fileName}>
                {t('doc.reports.download', { name: result.fileName })}
              </a>
            </span>
          </div>
        ) : null}
      </div>
    </section>
  );
}
