import { useCallback, useState } from 'react';

/**
 * Runs an async action once at a time and keeps its error. Lists and counts follow through the normalised cache
 * and the `inboxChanged` subscription (graphql/cache-updates.ts).
 */
export function useAction() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async <T,>(fn: () => Promise<T>): Promise<T | undefined> => {
    setPending(true);
    setError(null);
    try {
      return await fn();
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setPending(false);
    }
  }, []);
  return { pending, error, setError, run };
}
