import { useCallback, useState } from 'react';

/**
 * Cursor paging for a connection (first/after): remembers the cursors of the pages seen so that "Trang trước"
 * goes back without a backward cursor. `reset()` when the filter changes.
 */
export function usePaging() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const page = cursors.length - 1;
  const after = cursors[page];
  const next = useCallback((endCursor: string | null | undefined) => {
    if (endCursor) setCursors((c) => [...c, endCursor]);
  }, []);
  const previous = useCallback(() => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)), []);
  const reset = useCallback(() => setCursors([null]), []);
  return { page, after, next, previous, reset };
}
