/**
 * The scan uploaded first: upload (GraphQL multipart through urql), follow its digitisation (the `ocrProgress`
 * subscription, polling only if the stream fails), read its final state, "Thử lại" and removal. Drives the
 * registration machine; `onRead` runs when the scan is digitised (the prefill).
 */
import { useCallback, useRef, type Dispatch } from 'react';
import { useClient } from 'urql';
import { ScanDocument, RetryOcrDocument, UploadScanDocument, type ScanInfoFragment } from '../../../graphql/generated';
import { useApiMutation } from '../../../graphql/hooks';
import { toApiError } from '../../../graphql/urql';
import { ApiError } from '../../../graphql/client';
import { useOcrProgress, type OcrProgressState } from '../../../components/documents/ocr';
import { progressOfScan, type RegistrationEvent, type RegistrationState } from './machine';

export type ScanState = RegistrationState<ScanInfoFragment, unknown>;
export type ScanEvent = RegistrationEvent<ScanInfoFragment, never>;

const asApiError = (e: unknown): ApiError => (e instanceof ApiError ? e : new ApiError('INTERNAL', e instanceof Error ? e.message : String(e)));

export function useScan(state: ScanState, dispatch: Dispatch<ScanEvent>, onRead: (scan: ScanInfoFragment, stillCurrent: () => boolean) => Promise<void>) {
  const client = useClient();
  const [uploadScan] = useApiMutation(UploadScanDocument);
  const [retryOcr, { fetching: retrying }] = useApiMutation(RetryOcrDocument);
  /** The upload in flight: a submit waits for it (the scan is what gets registered). */
  const upload = useRef<Promise<ScanInfoFragment | null> | null>(null);
  const scanNow = useRef<string | null>(null);
  scanNow.current = state.scan?.id ?? null;

  const readScan = useCallback(
    async (id: string): Promise<ScanInfoFragment | null> => {
      const r = await client.query(ScanDocument, { id }, { requestPolicy: 'network-only' }).toPromise();
      if (r.error) throw toApiError(r.error);
      return r.data?.scan ?? null;
    },
    [client],
  );

  const start = useCallback(
    (file: File) => {
      dispatch({ type: 'UPLOAD_STARTED' });
      const p = uploadScan({ file }).then(
        async (r) => {
          const s = r.uploadScan;
          scanNow.current = s.id;
          dispatch({ type: 'UPLOAD_SUCCEEDED', scan: s });
          // The same bytes digitised before (by anyone in the agency): the result is there at once.
          if (s.ocr.status === 'DONE') await onRead(s, () => scanNow.current === s.id);
          return s;
        },
        (e: unknown) => {
          dispatch({ type: 'UPLOAD_FAILED', error: asApiError(e) });
          return null;
        },
      );
      upload.current = p;
      return p;
    },
    [dispatch, uploadScan, onRead],
  );

  const scan = state.scan;
  const following = state.scanPhase === 'reading' ? scan : null;
  const load = async (): Promise<OcrProgressState | null> => {
    const s = following ? await readScan(following.id) : null;
    return s ? progressOfScan(s) : null;
  };
  const onFinal = async (p: OcrProgressState) => {
    if (!following) return;
    // The final state's details: the searchable PDF, the fields, the reason of a failure.
    const s = (await readScan(following.id).catch(() => null)) ?? { ...following, ocr: { ...following.ocr, ...p } };
    if (scanNow.current !== following.id) return;
    dispatch({ type: 'OCR_FINISHED', scan: s });
    if (s.ocr.status === 'DONE') await onRead(s, () => scanNow.current === s.id);
  };
  const { progress, mode } = useOcrProgress(following?.id ?? null, following ? progressOfScan(following) : null, load, (p) => void onFinal(p), state.attempt);

  const retry = useCallback(async () => {
    if (!scan) return { error: null };
    try {
      await retryOcr({ fileId: scan.id });
      dispatch({ type: 'RETRY_STARTED', scanId: scan.id });
      return { error: null };
    } catch (e) {
      return { error: asApiError(e) };
    }
  }, [scan, retryOcr, dispatch]);

  const remove = useCallback(() => {
    upload.current = null;
    scanNow.current = null;
    dispatch({ type: 'SCAN_REMOVED' });
  }, [dispatch]);

  /** The scan to register: the one uploaded, or the one still uploading once it is there. */
  const settled = useCallback(async (): Promise<ScanInfoFragment | null> => {
    if (state.scanPhase === 'uploading' && upload.current) return upload.current;
    return state.scan;
  }, [state.scanPhase, state.scan]);

  return { start, retry, retrying, remove, settled, progress: following ? progress : state.progress, mode: following ? mode : null };
}
