/**
 * A draft taken along its approval chain through the services, as each user of the chain would (Decree 30/2020,
 * art. 13–15: the drafter submits, each approver approves in turn, the signer signs, the văn thư issues).
 * The tests that check the steps themselves call them one by one; these are for tests that need a signed or
 * issued document to start from.
 */
import type { Document } from '../../../server/src/modules/documents/entities/document.entity';
import type { Services } from '../../../server/src/services';
import type { Scope } from '../../../server/src/shared/scope';

export interface ApprovalChain {
  drafter: string;
  approvers: readonly string[];
  signer: string;
  clerk: string;
}

/** The demo agency's chain: chuyên viên drafts, trưởng phòng then lãnh đạo approve, lãnh đạo signs, văn thư issues. */
export const UBND_CHAIN: ApprovalChain = { drafter: 'chuyenvien', approvers: ['truongphong', 'lanhdao'], signer: 'lanhdao', clerk: 'vanthu' };

/** A test runtime (`createTestRuntime`, a test server's `runtime`): its services, and a Scope per user. */
type Actors = { rt: { services: Pick<Services, 'outgoing'> }; as(username: string): Promise<Scope> };

/** Submits, approves and signs the draft `draftId`: the signed draft. */
export async function approveAndSign({ rt, as }: Actors, draftId: string, chain: ApprovalChain = UBND_CHAIN): Promise<Document> {
  const out = rt.services.outgoing;
  await out.submitForApproval(await as(chain.drafter), draftId);
  for (const a of chain.approvers) await out.approve(await as(a), draftId);
  return out.sign(await as(chain.signer), draftId);
}

/** Submits, approves, signs and issues the draft `draftId`: the issued document. */
export async function approveSignAndIssue(actors: Actors, draftId: string, chain: ApprovalChain = UBND_CHAIN): Promise<Document> {
  await approveAndSign(actors, draftId, chain);
  return actors.rt.services.outgoing.issue(await actors.as(chain.clerk), draftId);
}
