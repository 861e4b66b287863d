import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { Client, Provider } from 'urql';
import { OCR_POLL_MS, OCR_STREAM_GRACE_MS, useOcrProgress, type OcrProgressState } from './ocr';

/** A client with no server behind it: the live stream never answers (as behind a proxy that drops event streams). */
const silent = () => new Client({ url: 'http://localhost/graphql', exchanges: [] });
const wrapper = (client: Client) =>
  function Wrapper({ children }: { children: ReactNode }) {
    return <Provider value={client}>{children}</Provider>;
  };

const pending: OcrProgressState = { status: 'PENDING', pagesDone: 0, pagesTotal: null, error: null };
const running: OcrProgressState = { status: 'RUNNING', pagesDone: 1, pagesTotal: 2, error: null };
const done: OcrProgressState = { status: 'DONE', pagesDone: 2, pagesTotal: 2, error: null };

beforeEach(() => {
  jest.useFakeTimers();
  jest.spyOn(console, 'warn').mockImplementation(() => undefined); // urql: "No exchange has handled operations…"
});
afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

describe('useOcrProgress', () => {
  it('follows the live stream first, and polls only when the stream stays silent; onFinal once', async () => {
    const answers = [running, done];
    const load = jest.fn(async () => answers.shift() ?? done);
    const onFinal = jest.fn();
    const { result } = renderHook(() => useOcrProgress('scan-1', pending, load, onFinal), { wrapper: wrapper(silent()) });
    expect(result.current).toEqual({ progress: pending, mode: 'live' });
    expect(load).not.toHaveBeenCalled();

    await act(async () => {
      jest.advanceTimersByTime(OCR_STREAM_GRACE_MS);
    });
    expect(result.current.mode).toBe('poll');
    expect(load).toHaveBeenCalledTimes(1);
    expect(result.current.progress).toEqual(running);

    await act(async () => {
      jest.advanceTimersByTime(OCR_POLL_MS);
    });
    expect(result.current).toEqual({ progress: done, mode: null });
    expect(onFinal).toHaveBeenCalledTimes(1);
    expect(onFinal).toHaveBeenCalledWith(done);

    // Final: no more polling.
    await act(async () => {
      jest.advanceTimersByTime(OCR_POLL_MS * 3);
    });
    expect(load).toHaveBeenCalledTimes(2);
    expect(onFinal).toHaveBeenCalledTimes(1);
  });

  it('follows nothing for a state already final, and starts over on a new attempt', async () => {
    const load = jest.fn(async () => pending);
    const onFinal = jest.fn();
    const failed: OcrProgressState = { ...done, status: 'FAILED', error: 'PDF hỏng' };
    const { result, rerender } = renderHook(({ initial, attempt }: { initial: OcrProgressState; attempt: number }) => useOcrProgress('scan-2', initial, load, onFinal, attempt), {
      wrapper: wrapper(silent()),
      initialProps: { initial: failed, attempt: 0 },
    });
    await act(async () => {
      jest.advanceTimersByTime(OCR_STREAM_GRACE_MS * 2);
    });
    expect(result.current.mode).toBeNull();
    expect(load).not.toHaveBeenCalled();
    expect(onFinal).not.toHaveBeenCalled();

    // "Thử lại": the same file again, pending.
    rerender({ initial: pending, attempt: 1 });
    expect(result.current).toEqual({ progress: pending, mode: 'live' });
    await act(async () => {
      jest.advanceTimersByTime(OCR_STREAM_GRACE_MS);
    });
    expect(result.current.mode).toBe('poll');
    expect(load).toHaveBeenCalled();
  });
});
