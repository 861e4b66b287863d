/**
 * The lifecycle of "Vào sổ văn bản đến" as an explicit state machine (a pure reducer, no I/O):
 *
 *   idle ──UPLOAD_STARTED──▶ uploading ──UPLOAD_SUCCEEDED──▶ reading ──OCR_FINISHED(DONE)──▶ read ──PREFILLED──▶ prefilled
 *                              │                               │   └─OCR_FINISHED(FAILED)──▶ scanFailed ──RETRY_STARTED──▶ reading
 *                              └──UPLOAD_FAILED──▶ idle (error) └─OCR_PROGRESS (stays reading)
 *   any scan state ──SCAN_REMOVED──▶ idle
 *
 *   (any of those) ──SUBMITTED──▶ submitting ──REGISTERED──▶ done ──RESET──▶ idle
 *                                      ├──DUPLICATE_FOUND──▶ duplicate ──SUBMITTED (vẫn vào sổ)──▶ submitting
 *                                      │                         └──DUPLICATE_CANCELLED──▶ (back to the scan state)
 *                                      └──SUBMIT_FAILED──▶ failed (the form stays editable; SUBMITTED again)
 *
 * The scan's part and the submission's part are kept apart (a document may be registered while its scan is
 * still being read); `phaseOf` names the state the page is in. Events that no longer apply (an upload or an
 * OCR result for a scan that was removed meanwhile, a second submit while one is running) are ignored.
 */
import type { ApiError } from '../../../graphql/client';
import type { OcrProgressState } from '../../../components/documents/ocr';

/** What the machine needs of a scan (ScanInfoFragment satisfies it). */
export interface ScanLike {
  id: string;
  ocr: { status: OcrProgressState['status']; pagesDone: number; pagesTotal?: number | null; error?: string | null };
}

export interface PrefillSummary {
  /** Fields filled from the scan. */
  filled: number;
  /** Of those, read with a low confidence. */
  low: number;
  /** Fields the scan had a value for but the văn thư had already typed. */
  kept: number;
}

export type ScanPhase = 'idle' | 'uploading' | 'reading' | 'read' | 'prefilled' | 'scanFailed';
export type SubmitPhase = 'editing' | 'submitting' | 'duplicate' | 'failed' | 'done';
export type Phase = ScanPhase | Exclude<SubmitPhase, 'editing'>;

export interface RegistrationState<S extends ScanLike = ScanLike, D = unknown> {
  scanPhase: ScanPhase;
  scan: S | null;
  progress: OcrProgressState | null;
  /** Incremented on "Thử lại": the OCR follow restarts. */
  attempt: number;
  uploadError: ApiError | null;
  prefill: PrefillSummary | null;
  submitPhase: SubmitPhase;
  /** Ids of the documents already registered that this one duplicates (CONFLICT, reason DUPLICATE). */
  duplicateOf: readonly string[];
  submitError: ApiError | null;
  result: D | null;
}

export type RegistrationEvent<S extends ScanLike = ScanLike, D = unknown> =
  | { type: 'UPLOAD_STARTED' }
  | { type: 'UPLOAD_SUCCEEDED'; scan: S }
  | { type: 'UPLOAD_FAILED'; error: ApiError }
  | { type: 'OCR_PROGRESS'; scanId: string; progress: OcrProgressState }
  | { type: 'OCR_FINISHED'; scan: S }
  | { type: 'PREFILLED'; scanId: string; summary: PrefillSummary }
  | { type: 'RETRY_STARTED'; scanId: string }
  | { type: 'SCAN_REMOVED' }
  | { type: 'SUBMITTED' }
  | { type: 'REGISTERED'; result: D }
  | { type: 'DUPLICATE_FOUND'; duplicateOf: readonly string[]; error: ApiError }
  | { type: 'SUBMIT_FAILED'; error: ApiError }
  | { type: 'DUPLICATE_CANCELLED' }
  | { type: 'RESET' };

export function initialRegistration<S extends ScanLike, D>(): RegistrationState<S, D> {
  return {
    scanPhase: 'idle',
    scan: null,
    progress: null,
    attempt: 0,
    uploadError: null,
    prefill: null,
    submitPhase: 'editing',
    duplicateOf: [],
    submitError: null,
    result: null,
  };
}

export const progressOfScan = (s: ScanLike): OcrProgressState => ({
  status: s.ocr.status,
  pagesDone: s.ocr.pagesDone,
  pagesTotal: s.ocr.pagesTotal ?? null,
  error: s.ocr.error ?? null,
});

/** The scan phase a digitisation state stands for. */
function scanPhaseOf(p: OcrProgressState): ScanPhase {
  return p.status === 'DONE' ? 'read' : p.status === 'FAILED' ? 'scanFailed' : 'reading';
}

const hasScan = (p: ScanPhase) => p === 'reading' || p === 'read' || p === 'prefilled' || p === 'scanFailed';

export function registrationReducer<S extends ScanLike, D>(state: RegistrationState<S, D>, event: RegistrationEvent<S, D>): RegistrationState<S, D> {
  if (state.submitPhase === 'done' && event.type !== 'RESET') return state;
  const sameScan = (id: string) => state.scan?.id === id && hasScan(state.scanPhase);
  switch (event.type) {
    case 'UPLOAD_STARTED':
      if (state.scanPhase !== 'idle' || state.submitPhase === 'submitting') return state;
      return { ...state, scanPhase: 'uploading', uploadError: null };
    case 'UPLOAD_SUCCEEDED': {
      if (state.scanPhase !== 'uploading') return state; // removed (or reset) meanwhile
      const progress = progressOfScan(event.scan);
      return { ...state, scanPhase: scanPhaseOf(progress), scan: event.scan, progress, prefill: null };
    }
    case 'UPLOAD_FAILED':
      if (state.scanPhase !== 'uploading') return state;
      return { ...state, scanPhase: 'idle', uploadError: event.error };
    case 'OCR_PROGRESS':
      if (!sameScan(event.scanId) || state.scanPhase !== 'reading') return state;
      return { ...state, progress: event.progress };
    case 'OCR_FINISHED': {
      if (!sameScan(event.scan.id) || state.scanPhase !== 'reading') return state;
      const progress = progressOfScan(event.scan);
      return { ...state, scan: event.scan, progress, scanPhase: scanPhaseOf(progress) };
    }
    case 'PREFILLED':
      if (!sameScan(event.scanId) || state.scanPhase !== 'read') return state;
      return { ...state, scanPhase: 'prefilled', prefill: event.summary };
    case 'RETRY_STARTED': {
      if (!sameScan(event.scanId) || state.scanPhase !== 'scanFailed' || !state.scan) return state;
      const progress: OcrProgressState = { status: 'PENDING', pagesDone: 0, pagesTotal: null, error: null };
      return { ...state, scanPhase: 'reading', progress, attempt: state.attempt + 1, scan: { ...state.scan, ocr: { ...state.scan.ocr, ...progress } } };
    }
    case 'SCAN_REMOVED':
      if (state.submitPhase === 'submitting') return state;
      return { ...state, scanPhase: 'idle', scan: null, progress: null, prefill: null, uploadError: null };
    case 'SUBMITTED':
      if (state.submitPhase === 'submitting') return state;
      return { ...state, submitPhase: 'submitting', submitError: null };
    case 'REGISTERED':
      if (state.submitPhase !== 'submitting') return state;
      return { ...state, submitPhase: 'done', result: event.result, duplicateOf: [], submitError: null };
    case 'DUPLICATE_FOUND':
      if (state.submitPhase !== 'submitting') return state;
      return { ...state, submitPhase: 'duplicate', duplicateOf: event.duplicateOf, submitError: event.error };
    case 'SUBMIT_FAILED':
      if (state.submitPhase !== 'submitting') return state;
      return { ...state, submitPhase: 'failed', submitError: event.error, duplicateOf: [] };
    case 'DUPLICATE_CANCELLED':
      if (state.submitPhase !== 'duplicate') return state;
      return { ...state, submitPhase: 'editing', duplicateOf: [], submitError: null };
    case 'RESET':
      return initialRegistration<S, D>();
  }
}

/** The state the page is in, by name. */
export function phaseOf(state: RegistrationState<ScanLike, unknown>): Phase {
  return state.submitPhase === 'editing' ? state.scanPhase : state.submitPhase;
}
