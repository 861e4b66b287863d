import { useCallback, useState } from 'react';

/**
 * Runs one action at a time for a region of the page: `busy` while it runs, `error` (an ApiError, shown
 * with <FormError/>) when it failed. `run` resolves with the action's result, or undefined when it failed.
 */
export function useRun() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await action();
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { run, busy, error, clearError: useCallback(() => setError(null), []) };
}
