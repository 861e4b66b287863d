import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../../auth/session';
import {
  AddProgressDocument,
  AnnotateDocument,
  AnnulRegistrationDocument,
  ApproveDocument,
  CompleteAssignmentDocument,
  IssueDocument,
  ReassignInChainDocument,
  RejectDraftDocument,
  RejectIncomingDocument,
  ReturnDocumentDocument,
  SubmitForAnnotationDocument,
  SubmitForApprovalDocument,
} from '../../../graphql/generated';
import { useApiMutation } from '../../../graphql/hooks';
import { AnnotateDialog, CompleteDialog, ConfirmDialog, ProgressDialog, ReasonDialog, SubmitDialog } from '../ActionDialogs';
import { documentTitle, newIdempotencyKey } from '../format';
import type { Person } from '../pickers';
import { AnnulDialog, ReassignChainDialog } from './ChainDialogs';
import { SignDialog } from '../issuing/SignDialog';
import type { DialogState, PageDoc } from './types';

/**
 * The open dialog of the page and its mutation (urql). Mutations that return the Document update the
 * normalised cache themselves; those that return an Assignment (giao, tiến độ, hoàn thành) change the
 * document's lists, so the page query is refetched once (`refetch`).
 */
export function DocumentDialogs({
  doc,
  dialog,
  onClose,
  onDone,
  refetch,
}: {
  doc: PageDoc;
  dialog: DialogState | null;
  onClose: () => void;
  onDone: (message: string) => void;
  refetch: () => void;
}) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const [rejectIncoming] = useApiMutation(RejectIncomingDocument);
  const [submitForAnnotation] = useApiMutation(SubmitForAnnotationDocument);
  const [annotate] = useApiMutation(AnnotateDocument);
  const [returnDocument] = useApiMutation(ReturnDocumentDocument);
  const [annul] = useApiMutation(AnnulRegistrationDocument);
  const [reassign] = useApiMutation(ReassignInChainDocument);
  const [addProgress] = useApiMutation(AddProgressDocument);
  const [complete] = useApiMutation(CompleteAssignmentDocument);
  const [submitForApproval] = useApiMutation(SubmitForApprovalDocument);
  const [approve] = useApiMutation(ApproveDocument);
  const [rejectDraft] = useApiMutation(RejectDraftDocument);
  if (!dialog) return null;
  const knownLeaders: Person[] = [doc.submittedTo, doc.annotation?.annotatedBy].filter((p): p is NonNullable<typeof p> => !!p);
  const parentOf = (id: string | undefined) => doc.assignments.find((a) => a.id === id);

  switch (dialog.kind) {
    case 'REJECT_INCOMING':
      return (
        <ReasonDialog
          title={t('doc.action.REJECT_INCOMING')}
          label={t('doc.dialog.rejectIncomingReason')}
          onClose={onClose}
          onSubmit={async (reason) => {
            await rejectIncoming({ documentId: doc.id, reason });
            onDone(t('doc.notice.rejected'));
          }}
        />
      );
    case 'SUBMIT':
      return (
        <SubmitDialog
          known={knownLeaders}
          onClose={onClose}
          onSubmit={async (leaderId) => {
            await submitForAnnotation({ documentId: doc.id, leaderId });
            onDone(t('doc.notice.submitted'));
          }}
        />
      );
    case 'ANNOTATE':
      return (
        <AnnotateDialog
          onClose={onClose}
          onSubmit={async (input) => {
            await annotate({ documentId: doc.id, input: { ...input, expectedVersion: doc.version } });
            refetch();
            onDone(t('doc.notice.annotated'));
          }}
        />
      );
    case 'RETURN_DOC':
    case 'RETURN_ASSIGNMENT':
      return (
        <ReasonDialog
          title={t('doc.action.RETURN')}
          label={t('doc.dialog.returnReason')}
          onClose={onClose}
          onSubmit={async (reason) => {
            await returnDocument({ documentId: doc.id, assignmentId: dialog.kind === 'RETURN_ASSIGNMENT' ? dialog.assignment.id : null, reason });
            onDone(t('doc.notice.returned'));
          }}
        />
      );
    case 'ANNUL':
      return (
        <AnnulDialog
          number={doc.incomingNumber}
          onClose={onClose}
          onSubmit={async ({ reason }) => {
            await annul({ documentId: doc.id, reason });
            onDone(t('document.annul.done'));
          }}
        />
      );
    case 'REASSIGN': {
      const a = dialog.assignment;
      const leaderLink = parentOf(a.parent?.id) ?? a;
      return (
        <ReassignChainDialog
          unitId={a.unit?.id ?? null}
          parentDeadline={leaderLink.deadline}
          onClose={onClose}
          onSubmit={async (v) => {
            await reassign({ assignmentId: a.id, userId: v.userId, deadline: v.deadline, instruction: v.instruction });
            refetch();
            onDone(t('doc.notice.reassigned'));
          }}
        />
      );
    }
    case 'ADD_PROGRESS':
      return (
        <ProgressDialog
          onClose={onClose}
          onSubmit={async (v) => {
            await addProgress({ assignmentId: dialog.assignment.id, text: v.text, file: v.file });
            refetch();
            onDone(t('doc.notice.progress'));
          }}
        />
      );
    case 'COMPLETE':
      return (
        <CompleteDialog
          lead={dialog.assignment.role === 'LEAD'}
          onClose={onClose}
          onSubmit={async (note) => {
            await complete({ assignmentId: dialog.assignment.id, note });
            refetch();
            onDone(t('doc.notice.completed'));
          }}
        />
      );
    case 'SUBMIT_APPROVAL':
      return (
        <ConfirmDialog
          title={t('doc.action.SUBMIT_APPROVAL')}
          message={<p>{t('doc.dialog.submitApprovalText')}</p>}
          withComment
          submitLabel={t('doc.action.SUBMIT_APPROVAL')}
          onClose={onClose}
          onSubmit={async (comment) => {
            await submitForApproval({ documentId: doc.id, comment });
            onDone(t('doc.notice.submittedApproval'));
          }}
        />
      );
    case 'APPROVE':
      return (
        <ConfirmDialog
          title={t('doc.action.APPROVE')}
          message={<p>{t('doc.dialog.approveText', { title: documentTitle(doc) })}</p>}
          withComment
          submitLabel={t('doc.action.APPROVE')}
          onClose={onClose}
          onSubmit={async (comment) => {
            await approve({ documentId: doc.id, comment });
            onDone(t('doc.notice.approved'));
          }}
        />
      );
    case 'REJECT_DRAFT':
      return (
        <ReasonDialog
          title={t('doc.action.REJECT_DRAFT')}
          label={t('doc.dialog.rejectDraftReason')}
          onClose={onClose}
          onSubmit={async (reason) => {
            await rejectDraft({ documentId: doc.id, reason });
            onDone(t('doc.notice.rejectedDraft'));
          }}
        />
      );
    case 'SIGN':
      // Server-held certificate or USB token (prepare → sign the hash elsewhere → complete): issuing/SignDialog.
      return <SignDialog documentId={doc.id} files={doc.files} userName={user.fullName} onClose={onClose} onDone={() => onDone(t('doc.notice.signed'))} />;
    case 'ISSUE':
      return <IssueDialog doc={doc} onClose={onClose} onDone={(symbol) => onDone(t('doc.notice.issued', { symbol }))} />;
  }
}

/** Each recipient once: an agency may be both a recipient row and a name in externalRecipients. */
export function issueRecipientNames(doc: Pick<PageDoc, 'recipients' | 'externalRecipients'>): string[] {
  const seen = new Map<string, string>();
  for (const n of [...doc.recipients.map((r) => r.name), ...doc.externalRecipients]) {
    const name = n.trim().normalize('NFC');
    const key = name.toLocaleLowerCase('vi').replace(/\s+/g, ' ');
    if (name && !seen.has(key)) seen.set(key, name);
  }
  return [...seen.values()];
}

/** Phát hành: confirmation with the recipients (each once); one idempotency key per dialog. */
function IssueDialog({ doc, onClose, onDone }: { doc: PageDoc; onClose: () => void; onDone: (symbol: string) => void }) {
  const { t } = useTranslation();
  const [key] = useState(newIdempotencyKey);
  const [issue] = useApiMutation(IssueDocument);
  const names = issueRecipientNames(doc);
  return (
    <ConfirmDialog
      title={t('doc.action.ISSUE')}
      message={
        <>
          <p>{t('doc.dialog.issueText')}</p>
          {names.length ? (
            <>
              <p className="doc-small">{t('doc.draft.recipients')}:</p>
              <ul className="doc-small" data-issue-recipients>
                {names.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      }
      submitLabel={t('doc.action.ISSUE')}
      onClose={onClose}
      onSubmit={async () => {
        const r = await issue({ documentId: doc.id, idempotencyKey: key });
        onDone(r.issue.symbol ?? '');
      }}
    />
  );
}
