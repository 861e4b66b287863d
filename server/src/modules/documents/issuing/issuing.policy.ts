/**
 * Who may use the issuing capabilities that are not tied to one document (document actions are in
 * domain/outgoing-workflow.ts and reach the web as Document.allowedActions).
 */
import type { Actor } from '../../../shared/scope';
import { isVanThuOf } from '../domain/actors';

/** Vào sổ văn bản đi a paper document signed outside the system: the văn thư of the agency. */
export function canRegisterPaperOutgoing(actor: Actor | null): boolean {
  return !!actor && isVanThuOf(actor, actor.agencyId);
}
