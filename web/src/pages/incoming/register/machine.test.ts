import { ApiError } from '../../../graphql/client';
import { initialRegistration, phaseOf, registrationReducer, type RegistrationEvent, type RegistrationState, type ScanLike } from './machine';

type S = RegistrationState<ScanLike, { id: string }>;
const run = (events: RegistrationEvent<ScanLike, { id: string }>[], from: S = initialRegistration()): S => events.reduce(registrationReducer, from);
const scan = (id: string, status: ScanLike['ocr']['status'], pagesDone = 0): ScanLike => ({ id, ocr: { status, pagesDone, pagesTotal: 2, error: status === 'FAILED' ? 'PDF hỏng' : null } });
const conflict = new ApiError('CONFLICT', 'Văn bản này đã được vào sổ.', { reason: 'DUPLICATE', duplicateOf: ['d1'] });

describe('registration state machine', () => {
  it('idle → uploading → reading → read → prefilled → submitting → done', () => {
    const trail: string[] = [];
    let s: S = initialRegistration();
    const steps: RegistrationEvent<ScanLike, { id: string }>[] = [
      { type: 'UPLOAD_STARTED' },
      { type: 'UPLOAD_SUCCEEDED', scan: scan('s1', 'PENDING') },
      { type: 'OCR_PROGRESS', scanId: 's1', progress: { status: 'RUNNING', pagesDone: 1, pagesTotal: 2, error: null } },
      { type: 'OCR_FINISHED', scan: scan('s1', 'DONE', 2) },
      { type: 'PREFILLED', scanId: 's1', summary: { filled: 5, low: 1, kept: 1 } },
      { type: 'SUBMITTED' },
      { type: 'REGISTERED', result: { id: 'doc1' } },
    ];
    for (const e of steps) {
      s = registrationReducer(s, e);
      trail.push(phaseOf(s));
    }
    expect(trail).toEqual(['uploading', 'reading', 'reading', 'read', 'prefilled', 'submitting', 'done']);
    expect(s.progress).toEqual({ status: 'DONE', pagesDone: 2, pagesTotal: 2, error: null });
    expect(s.prefill).toEqual({ filled: 5, low: 1, kept: 1 });
    expect(s.result).toEqual({ id: 'doc1' });
    // Done is final until RESET.
    expect(registrationReducer(s, { type: 'SUBMITTED' })).toBe(s);
    expect(phaseOf(registrationReducer(s, { type: 'RESET' }))).toBe('idle');
  });

  it('a scan already digitised (same bytes) is read at once', () => {
    expect(phaseOf(run([{ type: 'UPLOAD_STARTED' }, { type: 'UPLOAD_SUCCEEDED', scan: scan('s1', 'DONE', 2) }]))).toBe('read');
  });

  it('upload failure goes back to idle with the error', () => {
    const s = run([{ type: 'UPLOAD_STARTED' }, { type: 'UPLOAD_FAILED', error: new ApiError('BAD_USER_INPUT', 'Tệp quá lớn.') }]);
    expect(phaseOf(s)).toBe('idle');
    expect(s.uploadError?.message).toBe('Tệp quá lớn.');
  });

  it('OCR failure → scanFailed; "Thử lại" → reading again with a new attempt', () => {
    const failed = run([{ type: 'UPLOAD_STARTED' }, { type: 'UPLOAD_SUCCEEDED', scan: scan('s1', 'RUNNING') }, { type: 'OCR_FINISHED', scan: scan('s1', 'FAILED') }]);
    expect(phaseOf(failed)).toBe('scanFailed');
    const again = registrationReducer(failed, { type: 'RETRY_STARTED', scanId: 's1' });
    expect(phaseOf(again)).toBe('reading');
    expect(again.attempt).toBe(failed.attempt + 1);
    expect(again.progress?.status).toBe('PENDING');
  });

  it('ignores results for a scan removed meanwhile', () => {
    const reading = run([{ type: 'UPLOAD_STARTED' }, { type: 'UPLOAD_SUCCEEDED', scan: scan('s1', 'RUNNING') }]);
    const removed = registrationReducer(reading, { type: 'SCAN_REMOVED' });
    expect(phaseOf(removed)).toBe('idle');
    expect(registrationReducer(removed, { type: 'OCR_FINISHED', scan: scan('s1', 'DONE', 2) })).toBe(removed);
    expect(registrationReducer(removed, { type: 'PREFILLED', scanId: 's1', summary: { filled: 1, low: 0, kept: 0 } })).toBe(removed);
    // An upload answered after the văn thư removed it: dropped.
    const uploading = run([{ type: 'UPLOAD_STARTED' }]);
    const cancelled = registrationReducer(uploading, { type: 'SCAN_REMOVED' });
    expect(registrationReducer(cancelled, { type: 'UPLOAD_SUCCEEDED', scan: scan('s2', 'PENDING') })).toBe(cancelled);
  });

  it('duplicate: submitting → duplicate → (vẫn vào sổ) submitting → done; or hủy → back to editing', () => {
    const dup = run([{ type: 'SUBMITTED' }, { type: 'DUPLICATE_FOUND', duplicateOf: ['d1'], error: conflict }]);
    expect(phaseOf(dup)).toBe('duplicate');
    expect(dup.duplicateOf).toEqual(['d1']);
    const anyway = run([{ type: 'SUBMITTED' }, { type: 'REGISTERED', result: { id: 'doc2' } }], dup);
    expect(phaseOf(anyway)).toBe('done');
    const cancelled = registrationReducer(dup, { type: 'DUPLICATE_CANCELLED' });
    expect(phaseOf(cancelled)).toBe('idle');
    expect(cancelled.duplicateOf).toEqual([]);
  });

  it('a failed submit keeps the form editable and can be sent again; a second submit while one runs is ignored', () => {
    const submitting = run([{ type: 'SUBMITTED' }]);
    expect(registrationReducer(submitting, { type: 'SUBMITTED' })).toBe(submitting);
    const failed = registrationReducer(submitting, { type: 'SUBMIT_FAILED', error: new ApiError('BAD_USER_INPUT', 'Sai', { field: 'input.symbol' }) });
    expect(phaseOf(failed)).toBe('failed');
    expect(failed.submitError?.field).toBe('input.symbol');
    expect(phaseOf(registrationReducer(failed, { type: 'SUBMITTED' }))).toBe('submitting');
    // The scan cannot be removed while the registration that carries it is in flight.
    expect(registrationReducer(submitting, { type: 'SCAN_REMOVED' })).toBe(submitting);
  });
});
