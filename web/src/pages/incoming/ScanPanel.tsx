import { useTranslation } from 'react-i18next';
import { pdfFrameUrl } from '../../components/documents/pdfFrame';
import { Icon } from '../../components/Icon';
import { Field } from '../../components/documents/fields';
import { formatSize } from '../../components/documents/format';
import { OcrFailure, OcrProgressView } from '../../components/documents/OcrProgress';
import type { OcrProgressState } from '../../components/documents/ocr';
import { FilesInput } from '../../components/documents/FilesInput';
import { ACCEPTED_SCANS } from '../../components/documents/pickers';
import type { ScanInfoFragment } from '../../graphql/generated';
import { ScanSignatures } from '../../components/signatures/ScanSignatures';

/**
 * "Tải bản quét lên để số hóa" on the registration form: the file picker, then the scan's live digitisation
 * progress, the searchable PDF once done (the original before), what was prefilled, or why it failed (the
 * original is kept and still registered) with "Thử lại".
 */
export function ScanPanel({
  scan,
  progress,
  mode,
  uploading,
  error,
  onUpload,
  onRemove,
  onRetry,
  retrying,
  retryError,
  prefill,
}: {
  scan: ScanInfoFragment | null;
  progress: OcrProgressState | null;
  mode: 'live' | 'poll' | null;
  uploading: boolean;
  error?: string;
  onUpload: (file: File) => void;
  onRemove: () => void;
  onRetry: () => void;
  retrying: boolean;
  retryError: unknown;
  prefill: { filled: number; low: number; kept: number } | null;
}) {
  const { t } = useTranslation();

  if (!scan) {
    return (
      <section className="doc-scan doc-scan--empty" aria-labelledby="scan-heading">
        <h2 id="scan-heading" className="doc-scan__heading">
          {t('doc.register.files')}
        </h2>
        <Field label={t('doc.ocr.uploadTitle')} required error={error} hint={t('doc.ocr.uploadLead')}>
          {(c) => (
            <FilesInput
              control={{ ...c, 'data-field': 'files', disabled: uploading } as typeof c}
              files={[]}
              multiple={false}
              onChange={(f) => (f[0] ? onUpload(f[0]) : undefined)}
              accept={ACCEPTED_SCANS}
            />
          )}
        </Field>
        {uploading ? <OcrProgressView progress={null} uploading /> : null}
      </section>
    );
  }

  const status = progress?.status ?? scan.ocr.status;
  const done = status === 'DONE' && !!scan.ocr.searchablePdfUrl;
  const viewUrl = done ? scan.ocr.searchablePdfUrl! : scan.url;
  const isPdf = scan.contentType === 'application/pdf';
  const isImage = /^image\/(jpeg|png|gif|webp)$/.test(scan.contentType);
  return (
    <section className="doc-scan" aria-labelledby="scan-heading">
      <h2 id="scan-heading" className="doc-scan__heading">
        {t('doc.register.files')}
      </h2>
      <div className="doc-scan__file">
        <span>
          <strong>{scan.fileName}</strong> <span className="doc-muted doc-small">({formatSize(scan.size)})</span>
        </span>
        <span className="doc-scan__actions">
          <a href={scan.url} target="_blank" rel="noopener noreferrer" className="doc-small">
            {t('doc.ocr.original')}
          </a>
          <button type="button" className="btn btn--secondary doc-btn--small" onClick={onRemove}>
            {t('doc.ocr.remove')}
          </button>
        </span>
      </div>
      <p className="doc-muted doc-small doc-scan__note">{t('doc.ocr.attached')}</p>
      {isPdf ? <ScanSignatures scanId={scan.id} /> : null}
      {error ? (
        <p className="doc-field__error" role="alert" data-testid="scan-error">
          <Icon name="alert" /> {error}
        </p>
      ) : null}

      {status === 'FAILED' ? (
        <OcrFailure reason={progress?.error ?? scan.ocr.error} message={t('doc.ocr.keptOriginal')} onRetry={onRetry} retrying={retrying} retryError={retryError} />
      ) : (
        <OcrProgressView progress={progress ?? { status, pagesDone: scan.ocr.pagesDone, pagesTotal: scan.ocr.pagesTotal ?? null, error: null }} mode={mode} />
      )}

      {done && prefill ? (
        <div className={`alert ${prefill.filled ? (prefill.low ? 'alert--warning' : 'alert--success') : 'alert--warning'} doc-scan__prefill`}>
          <Icon name={prefill.low || !prefill.filled ? 'alert' : 'info'} />
          <div>
            <p>{prefill.filled ? t('doc.ocr.prefilled', { n: prefill.filled }) : t('doc.ocr.prefilledNone')}</p>
            {prefill.low ? <p>{t('doc.ocr.prefilledLow')}</p> : null}
            {prefill.kept ? <p>{t('doc.ocr.prefilledKept')}</p> : null}
          </div>
        </div>
      ) : null}

      <p className="doc-scan__viewer-label doc-small">{done ? t('doc.ocr.viewerSearchable') : status === 'FAILED' ? t('doc.ocr.viewerOriginalOnly') : t('doc.ocr.viewerOriginal')}</p>
      <div className="doc-viewer__frame doc-scan__frame">
        {isPdf || done ? (
          <iframe key={viewUrl} src={pdfFrameUrl(viewUrl)} title={t('doc.files.viewerTitle', { name: scan.fileName })} />
        ) : isImage ? (
          <img src={viewUrl} alt={t('doc.files.imageAlt', { name: scan.fileName })} />
        ) : (
          <p className="doc-viewer__nopreview">{t('doc.files.noPreview')}</p>
        )}
      </div>
      {done ? (
        <p className="doc-viewer__meta doc-small">
          <a href={scan.ocr.searchablePdfUrl!} target="_blank" rel="noopener noreferrer">
            {t('doc.ocr.searchable')}
          </a>
        </p>
      ) : null}
    </section>
  );
}
