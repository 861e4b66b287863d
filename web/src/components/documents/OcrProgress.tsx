import { useCallback, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient } from 'urql';
import { DocumentFilesOcrDocument, RetryOcrDocument, type FileInfoFragment } from '../../graphql/generated';
import { useApiMutation } from '../../graphql/hooks';
import { toApiError } from '../../graphql/urql';
import { errorMessage } from '../../i18n/errors';
import { Icon } from '../Icon';
import { useOcrProgress, type OcrProgressState } from './ocr';

/**
 * The state of a digitisation as text (announced politely to screen readers) and a progress bar:
 * "Đang số hóa: trang 2/3…" while running, "Đã số hóa xong 3/3 trang." when done. A failure is shown by
 * the caller (with its reason and a retry).
 */
export function OcrProgressView({ progress, mode, uploading }: { progress: OcrProgressState | null; mode?: 'live' | 'poll' | null; uploading?: boolean }) {
  const { t } = useTranslation();
  const textId = useId();
  const status = uploading ? null : (progress?.status ?? 'PENDING');
  if (status === 'FAILED') return null;
  const total = progress?.pagesTotal ?? null;
  const done = Math.min(progress?.pagesDone ?? 0, total ?? Infinity);
  const text = uploading
    ? t('doc.ocr.uploading')
    : status === 'DONE'
      ? total
        ? t('doc.ocr.done', { total })
        : t('doc.ocr.doneNoTotal')
      : status === 'RUNNING' && total
        ? t('doc.ocr.running', { page: Math.min(done + 1, total), total })
        : status === 'RUNNING'
          ? t('doc.ocr.runningNoTotal')
          : t('doc.ocr.pending');
  const determinate = status === 'DONE' || (status === 'RUNNING' && !!total);
  return (
    <div className={`doc-ocr-progress${status === 'DONE' ? ' doc-ocr-progress--done' : ''}`}>
      <p id={textId} className="doc-ocr-progress__text" role="status" aria-live="polite">
        {status === 'DONE' ? <Icon name="info" /> : <span className="doc-ocr-progress__spinner" aria-hidden="true" />}
        <span>{text}</span>
        {mode && status !== 'DONE' ? <span className="doc-muted doc-small"> · {mode === 'live' ? t('doc.ocr.live') : t('doc.ocr.polling')}</span> : null}
      </p>
      <progress
        className="doc-ocr-progress__bar"
        aria-label={t('doc.ocr.progressLabel')}
        aria-describedby={textId}
        max={determinate ? (total ?? 1) : undefined}
        value={determinate ? (status === 'DONE' ? (total ?? 1) : done) : undefined}
        aria-valuetext={determinate && total ? t('doc.ocr.progressText', { done: status === 'DONE' ? total : done, total }) : text}
      />
    </div>
  );
}

/** A failed digitisation: the reason in Vietnamese, the original kept, and "Thử lại". */
export function OcrFailure({ reason, message, onRetry, retrying, retryError, retryLabel }: { reason: string | null; message: string; onRetry: () => void; retrying: boolean; retryError?: unknown; retryLabel?: string }) {
  const { t } = useTranslation();
  return (
    <div className="alert alert--error doc-ocr-failed" role="alert">
      <Icon name="alert" />
      <div>
        <p className="doc-ocr-failed__reason">{reason ? t('doc.ocr.failed', { reason }) : t('doc.ocr.failedUnknown')}</p>
        <p className="doc-ocr-failed__kept">{message}</p>
        {retryError ? <p className="doc-ocr-failed__kept">{errorMessage(retryError, t)}</p> : null}
        <button type="button" className="btn btn--secondary doc-btn--small" onClick={onRetry} disabled={retrying}>
          {retrying ? t('doc.ocr.retrying') : (retryLabel ?? t('doc.ocr.retry'))}
        </button>
      </div>
    </div>
  );
}

/**
 * On the document page: a file being digitised shows its live progress; once done, `onDone` reloads the
 * document (the viewer then shows the searchable PDF). A failure shows the reason and "Số hóa lại".
 */
export function DocumentFileOcr({ file, documentId, onDone }: { file: FileInfoFragment; documentId: string; onDone?: () => void }) {
  const { t } = useTranslation();
  const [attempt, setAttempt] = useState(0);
  const [retrying, setRetrying] = useState(false);
  const [retryError, setRetryError] = useState<unknown>(null);
  const [failed, setFailed] = useState<OcrProgressState | null>(null);
  const initial: OcrProgressState | null =
    attempt > 0 ? { status: 'PENDING', pagesDone: 0, pagesTotal: null, error: null } : file.ocrStatus && file.ocrStatus !== 'SKIPPED' ? { status: file.ocrStatus, pagesDone: file.ocrPagesDone ?? 0, pagesTotal: null, error: file.ocrError } : null;
  const client = useClient();
  const [retryOcr] = useApiMutation(RetryOcrDocument);
  // Polling fallback only (when the live stream fails).
  const load = useCallback(async (): Promise<OcrProgressState | null> => {
    const r = await client.query(DocumentFilesOcrDocument, { id: documentId }, { requestPolicy: 'network-only' }).toPromise();
    if (r.error) throw toApiError(r.error);
    const ocr = r.data?.document?.files.find((f) => f.id === file.id)?.ocr;
    return ocr ? { status: ocr.status, pagesDone: ocr.pagesDone, pagesTotal: ocr.pagesTotal ?? null, error: ocr.error ?? null } : null;
  }, [client, documentId, file.id]);
  const { progress, mode } = useOcrProgress(
    initial ? file.id : null,
    initial,
    load,
    (s) => {
      if (s.status === 'DONE') onDone?.();
      else setFailed(s);
    },
    attempt,
  );
  const status = failed ? 'FAILED' : (progress?.status ?? initial?.status);
  if (!status || (status === 'DONE' && file.searchablePdfUrl)) return null;
  if (status === 'FAILED') {
    const retry = async () => {
      setRetrying(true);
      setRetryError(null);
      try {
        await retryOcr({ fileId: file.id });
        setFailed(null);
        setAttempt((a) => a + 1);
      } catch (e) {
        setRetryError(e);
      } finally {
        setRetrying(false);
      }
    };
    return (
      <OcrFailure
        reason={failed?.error ?? progress?.error ?? file.ocrError}
        message={t('doc.ocr.keptOriginalFile')}
        onRetry={() => void retry()}
        retrying={retrying}
        retryError={retryError}
        retryLabel={t('doc.ocr.fileRetry')}
      />
    );
  }
  return <OcrProgressView progress={progress} mode={mode} />;
}
