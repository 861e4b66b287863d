import { DocumentLiveDocument, DocumentPageDocument } from '../../../graphql/generated';
import { useApiQuery, useApiSubscription } from '../../../graphql/hooks';
import type { PageDoc } from './types';

/**
 * The page's data through urql: the document (normalised in graphcache) and the `documentChanged`
 * subscription, whose events are merged into the cached Document/Assignment entities — the page follows
 * other people's changes without refetching itself.
 */
export function useDocumentPage(id: string): { doc: PageDoc | null; fetching: boolean; error: unknown; refetch: () => void } {
  const q = useApiQuery(DocumentPageDocument, { id }, { pause: !id });
  useApiSubscription(DocumentLiveDocument, { id }, { pause: !id });
  return { doc: q.data?.document ?? null, fetching: q.fetching, error: q.error ?? null, refetch: q.refetch };
}
