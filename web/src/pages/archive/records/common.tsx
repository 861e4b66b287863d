/** Small pieces shared by the hồ sơ pages: retention text, state badge, the export buttons. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient } from 'urql';
import { CombinedError } from '@urql/core';
import { FormError } from '../../../components/documents/fields';
import { RecordReportDocument, type RecordReportKind, type RecordReportQuery, type RecordState, type ReportFormat } from '../../../graphql/generated';
import { toApiError } from '../../../graphql/urql';

export function RetentionText({ years, until }: { years: number | null | undefined; until?: number | null }) {
  const { t } = useTranslation();
  if (years == null) return <>{t('records.permanent')}</>;
  return (
    <>
      {t('records.years', { count: years })}
      {until ? <span className="doc-muted doc-small"> ({t('records.until', { year: until })})</span> : null}
    </>
  );
}

export function RecordStateBadge({ state, legalHold, unverified }: { state: RecordState; legalHold?: boolean; unverified?: boolean }) {
  const { t } = useTranslation();
  return (
    <span className="records-badges">
      <span className={`records-state records-state--${state.toLowerCase()}`}>{t(`records.states.${state}`)}</span>
      {legalHold ? <span className="records-flag records-flag--hold">{t('records.legalHold')}</span> : null}
      {unverified ? <span className="records-flag">{t('records.unverified')}</span> : null}
    </span>
  );
}

/** One export (PDF and XLSX buttons): a new file each time, never from the cache. */
export function ExportButtons({ label, kind, year, recordId }: { label: string; kind: RecordReportKind; year?: number; recordId?: string }) {
  const { t } = useTranslation();
  const client = useClient();
  const [busy, setBusy] = useState<ReportFormat | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<RecordReportQuery['recordReport'] | null>(null);
  const run = async (format: ReportFormat) => {
    setBusy(format);
    setError(null);
    setResult(null);
    const r = await client.query(RecordReportDocument, { kind, format, year, recordId }, { requestPolicy: 'network-only' }).toPromise();
    setBusy(null);
    if (r.data) setResult(r.data.recordReport);
    else setError(toApiError(r.error ?? new CombinedError({})));
  };
  return (
    <div className="records-export">
      <span className="records-export__label">{label}</span>
      {(['PDF', 'XLSX'] as const).map((f) => (
        <button key={f} type="button" className="btn btn--secondary" disabled={busy !== null} onClick={() => void run(f)}>
          {f === 'PDF' ? t('records.export.pdf') : t('records.export.xlsx')}
        </button>
      ))}
      <FormError error={error} />
      <div role="status" aria-live="polite">
        {result ? (
          <span>
            {t('records.export.ready', { rows: result.rows })}{' '}
            <a href={result.url} target="_blank" rel="noopener noreferrer" download={result.fileName}>
              {t('records.export.download', { name: result.fileName })}
            </a>
          </span>
        ) : null}
      </div>
    </div>
  );
}
