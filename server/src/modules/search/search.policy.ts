/**
 * Who may search (one policy for the capability). Every signed-in user may search; WHAT they find is the
 * document access rule (documents/domain/access.ts), applied inside the search query by the provider. An
 * administrator (QUAN_TRI) or archivist with no access grant finds nothing.
 */
import type { Actor } from '../../shared/scope';
import type { AccessViewer } from '../documents/domain/access';
import { viewerOf } from '../documents/documents.policy';

export function searchViewer(actor: Actor): AccessViewer {
  return viewerOf(actor);
}
