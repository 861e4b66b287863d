import { useCallback, useState } from 'react';
import { notifyDocumentsChanged } from './api';

/**
 * Runs an async action once at a time, keeps its error, and on success tells lists and counts to refetch.
 */
export function useAction() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async <T,>(fn: () => Promise<T>): Promise<T | undefined> => {
    setPending(true);
    setError(null);
    try {
      const r = await fn();
      notifyDocumentsChanged();
      return r;
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setPending(false);
    }
  }, []);
  return { pending, error, setError, run };
}
