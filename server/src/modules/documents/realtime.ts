import type { Services } from '../../services';
import type { Tx } from '../../shared/scope';

/**
 * After the transaction commits, tell every API replica's subscribers that the document changed
 * (documentChanged:<id>) and that its agency's inbox counts may differ (inboxChanged:<agencyId>).
 * Call it from every service method that changes a document.
 */
export function publishDocumentChange(tx: Tx, services: Pick<Services, 'pubsub'>, doc: { id: string; agency: { id: string } }): void {
  tx.afterCommit(() => {
    services.pubsub.publish('documentChanged', doc.id, { documentId: doc.id });
    services.pubsub.publish('inboxChanged', doc.agency.id, { agencyId: doc.agency.id, documentId: doc.id });
  });
}
