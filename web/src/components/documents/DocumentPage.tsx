import { useState, type ReactNode } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../auth/session';
import { request } from '../../graphql/client';
import {
  AddProgressDocument,
  AnnotateDocument,
  ApproveDocument,
  CommentOnDocumentDocument,
  CompleteAssignmentDocument,
  DocumentDetailDocument,
  IssueDocument,
  ReassignDocument,
  RegisterReportDocument,
  RejectDraftDocument,
  RejectIncomingDocument,
  ReturnDocumentDocument,
  SignDocument,
  SubmitForAnnotationDocument,
  SubmitForApprovalDocument,
  WatchDocument,
  type AssignmentAction,
  type AssignmentInfoFragment,
  type DocumentAction,
  type DocumentDetailFragment,
} from '../../graphql/generated';
import { errorMessage } from '../../i18n/errors';
import { Icon } from '../Icon';
import { PageHeader } from '../PageHeader';
import { AnnotateDialog, CompleteDialog, ConfirmDialog, ProgressDialog, ReasonDialog, ReassignDialog, SubmitDialog } from './ActionDialogs';
import { notifyDocumentsChanged, requestWithFiles, useQuery } from './api';
import { DeadlineMarker, SecrecyBadge, StatusBadge, UrgencyBadge, DuplicateWarning } from './Badges';
import { FormError, LoadState } from './fields';
import { FileViewer } from './FileViewer';
import { documentTitle, formatDate, formatDateTime, formatDay, newIdempotencyKey } from './format';
import { History } from './History';
import type { Person } from './pickers';
import './documents.css';

/** The actions of an assignment, as the server computed them for the caller (Assignment.allowedActions). */
const assignmentActions = (a: AssignmentInfoFragment): readonly AssignmentAction[] => a.allowedActions;

type DialogState =
  | { kind: 'REJECT_INCOMING' }
  | { kind: 'SUBMIT' }
  | { kind: 'ANNOTATE' }
  | { kind: 'RETURN_DOC' }
  | { kind: 'SUBMIT_APPROVAL' }
  | { kind: 'APPROVE' }
  | { kind: 'REJECT_DRAFT' }
  | { kind: 'SIGN' }
  | { kind: 'ISSUE' }
  | { kind: 'REASSIGN'; assignment: AssignmentInfoFragment }
  | { kind: 'ADD_PROGRESS'; assignment: AssignmentInfoFragment }
  | { kind: 'COMPLETE'; assignment: AssignmentInfoFragment }
  | { kind: 'RETURN_ASSIGNMENT'; assignment: AssignmentInfoFragment };

/**
 * Chi tiết văn bản: header (số/ký hiệu, trích yếu, markings, status), the actions the user may take now
 * (from `allowedActions`), the files, the bút phê (like the "Chuyển" box of the ĐẾN stamp), assignments
 * with progress, recipients with their edXML status (outgoing), comments and the full history.
 */
export default function DocumentPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const location = useLocation();
  const area = location.pathname.split('/')[1] || 'tasks';
  const user = useCurrentUser();
  const q = useQuery(DocumentDetailDocument, { id }, { refetchOnChange: false });
  const doc = q.data?.document ?? null;
  const [dialog, setDialog] = useState<DialogState | null>(null);
  const initialNotice = (location.state as { notice?: 'created' | 'updated' } | null)?.notice;
  const [notice, setNotice] = useState(initialNotice ? t(`doc.notice.${initialNotice}`) : '');
  const [pageError, setPageError] = useState<unknown>(null);

  if (!doc) {
    return (
      <>
        <PageHeader title={t('doc.detail.title')} />
        {q.loading || q.error ? (
          <LoadState loading={q.loading} error={q.error} onRetry={q.reload} />
        ) : (
          <div className="alert alert--error" role="alert">
            <Icon name="alert" />
            <span>{t('errors.NOT_FOUND')}</span>
          </div>
        )}
        <p>
          <Link to={`/${area}`}>{t('doc.action.backToList')}</Link>
        </p>
      </>
    );
  }

  const incoming = doc.direction === 'INCOMING';
  // Every button follows the server's allowedActions (Document and Assignment): nothing is re-derived here.
  const actions = new Set<DocumentAction>(doc.allowedActions);
  const docReturn = incoming && actions.has('RETURN');

  /** Apply a mutation's document, tell lists to refetch, announce, close the dialog. */
  const done = (updated: DocumentDetailFragment | null, message: string) => {
    if (updated) q.setData({ document: updated });
    else q.reload();
    notifyDocumentsChanged();
    setDialog(null);
    setNotice(message);
  };

  const watching = doc.watchers.some((w) => w.id === user.id);
  const toggleWatch = async () => {
    setPageError(null);
    try {
      await request(WatchDocument, { documentId: doc.id, on: !watching });
      q.reload();
      notifyDocumentsChanged();
      setNotice(watching ? t('doc.notice.unwatched') : t('doc.notice.watched'));
    } catch (e) {
      setPageError(e);
    }
  };

  const printPhieu = async () => {
    setPageError(null);
    try {
      const r = await request(RegisterReportDocument, { kind: 'PHIEU_GIAI_QUYET', format: 'PDF', documentId: doc.id });
      window.open(r.registerReport.url, '_blank', 'noopener');
      setNotice(t('doc.notice.phieuReady'));
    } catch (e) {
      setPageError(e);
    }
  };

  const button = (label: string, onClick: () => void, kind: 'primary' | 'secondary' | 'danger' = 'secondary') => (
    <button type="button" className={`btn btn--${kind}`} onClick={onClick}>
      {label}
    </button>
  );

  const docButtons: ReactNode[] = [];
  if (incoming) {
    if (actions.has('REGISTER'))
      docButtons.push(
        <Link key="register" to={`/incoming/register?documentId=${doc.id}`} className="btn btn--primary">
          {t('doc.action.REGISTER')}
        </Link>,
      );
    if (actions.has('REJECT')) docButtons.push(<span key="reject">{button(t('doc.action.REJECT_INCOMING'), () => setDialog({ kind: 'REJECT_INCOMING' }), 'danger')}</span>);
    if (actions.has('SUBMIT')) docButtons.push(<span key="submit">{button(t('doc.action.SUBMIT'), () => setDialog({ kind: 'SUBMIT' }), 'primary')}</span>);
    if (actions.has('ANNOTATE')) docButtons.push(<span key="annotate">{button(t('doc.action.ANNOTATE'), () => setDialog({ kind: 'ANNOTATE' }), 'primary')}</span>);
    if (doc.assignments.some((a) => assignmentActions(a).some((x) => x === 'ADD_PROGRESS' || x === 'COMPLETE')))
      docButtons.push(
        <Link key="reply" to={`/outgoing/new?replyTo=${doc.id}`} className="btn btn--secondary">
          {t('doc.action.REPLY_DRAFT')}
        </Link>,
      );
    if (docReturn) docButtons.push(<span key="return">{button(t('doc.action.RETURN'), () => setDialog({ kind: 'RETURN_DOC' }), 'danger')}</span>);
  } else {
    if (actions.has('UPDATE_DRAFT'))
      docButtons.push(
        <Link key="edit" to={`/outgoing/documents/${doc.id}/edit`} className="btn btn--secondary">
          {t('doc.action.EDIT_DRAFT')}
        </Link>,
      );
    if (actions.has('SUBMIT')) docButtons.push(<span key="submit">{button(t('doc.action.SUBMIT_APPROVAL'), () => setDialog({ kind: 'SUBMIT_APPROVAL' }), 'primary')}</span>);
    if (actions.has('APPROVE')) docButtons.push(<span key="approve">{button(t('doc.action.APPROVE'), () => setDialog({ kind: 'APPROVE' }), 'primary')}</span>);
    if (actions.has('SIGN')) docButtons.push(<span key="sign">{button(t('doc.action.SIGN'), () => setDialog({ kind: 'SIGN' }), 'primary')}</span>);
    if (actions.has('ISSUE')) docButtons.push(<span key="issue">{button(t('doc.action.ISSUE'), () => setDialog({ kind: 'ISSUE' }), 'primary')}</span>);
    if (actions.has('REJECT')) docButtons.push(<span key="reject">{button(t('doc.action.REJECT_DRAFT'), () => setDialog({ kind: 'REJECT_DRAFT' }), 'danger')}</span>);
  }

  const knownLeaders: Person[] = [doc.submittedTo, doc.annotation?.annotatedBy].filter((p): p is NonNullable<typeof p> => !!p);
  const active = doc.assignments.filter((a) => a.active);
  const superseded = doc.assignments.filter((a) => !a.active);
  return (
    <>
      <nav className="doc-breadcrumb" aria-label={t('doc.detail.breadcrumb')}>
        <Link to={`/${area}`}>{t(`nav.${area === 'incoming' || area === 'outgoing' || area === 'tasks' ? area : 'tasks'}`)}</Link>
        <span aria-hidden="true"> › </span>
        <span>{documentTitle(doc)}</span>
      </nav>
      <PageHeader
        title={documentTitle(doc)}
        description={doc.subject}
        actions={
          <div className="doc-header-actions">
            <button type="button" className="btn btn--secondary" aria-pressed={watching} onClick={() => void toggleWatch()}>
              {watching ? t('doc.action.unwatch') : t('doc.action.watch')}
            </button>
            {incoming && doc.annotation ? (
              <button type="button" className="btn btn--secondary" onClick={() => void printPhieu()}>
                {t('doc.action.printPhieu')}
              </button>
            ) : null}
          </div>
        }
      />
      <div className="doc-markings">
        <span className="doc-row__kind">{t(`doc.direction.${doc.direction}`)}</span>
        <StatusBadge status={doc.status} />
        <UrgencyBadge urgency={doc.urgency} />
        <SecrecyBadge secrecy={doc.secrecy} />
        {doc.electronic ? <span className="doc-badge doc-badge--plain">{t('doc.field.electronic')}</span> : null}
        <DeadlineMarker deadline={doc.deadline} overdue={doc.overdue} done={doc.status === 'DONE' || doc.status === 'FOR_INFO'} />
      </div>

      <p className="visually-hidden" role="status" aria-live="polite">
        {notice}
      </p>
      {notice ? (
        <div className="alert alert--success doc-notice">
          <Icon name="info" />
          <span>{notice}</span>
          <button type="button" className="doc-icon-btn" onClick={() => setNotice('')} aria-label={t('doc.action.close')}>
            <Icon name="close" />
          </button>
        </div>
      ) : null}
      <FormError error={pageError} />

      {docButtons.length ? (
        <section className="doc-actions card" aria-label={t('doc.detail.actions')}>
          {docButtons}
        </section>
      ) : null}

      {doc.duplicateOf ? (
        <DuplicateWarning duplicateOf={doc.duplicateOf} area={area} />
      ) : null}
      {doc.returnReason && (doc.status === 'RETURNED' || doc.status === 'RETURNED_TO_DRAFTER' || doc.status === 'REJECTED') ? (
        <div className="alert alert--warning">
          <Icon name="alert" />
          <span>{t('doc.detail.returnReason', { reason: doc.returnReason })}</span>
        </div>
      ) : null}

      <div className="doc-layout">
        <div className="doc-layout__main">
          <section className="card doc-section" aria-labelledby="doc-files">
            <h2 id="doc-files">{t('doc.detail.files')}</h2>
            <FileViewer files={doc.files} documentId={doc.id} onOcrDone={q.reload} />
          </section>

          {incoming && (doc.annotation || doc.incomingNumber) ? <ArrivalStamp doc={doc} /> : null}

          {incoming && (active.length > 0 || superseded.length > 0) ? (
            <section className="card doc-section" aria-labelledby="doc-assignments">
              <h2 id="doc-assignments">{t('doc.detail.assignments')}</h2>
              <AssignmentsTable assignments={active} annotationInstruction={doc.annotation?.instruction ?? null} actionsOf={assignmentActions} onAction={(kind, a) => setDialog({ kind, assignment: a } as DialogState)} />
              {superseded.length ? (
                <details className="doc-details">
                  <summary>{t('doc.detail.superseded', { count: superseded.length })}</summary>
                  <AssignmentsTable assignments={superseded} annotationInstruction={doc.annotation?.instruction ?? null} actionsOf={() => []} onAction={() => undefined} />
                </details>
              ) : null}
            </section>
          ) : null}

          {!incoming ? <RecipientsSection doc={doc} /> : null}
          {!incoming ? (
            <CommentsSection doc={doc} canComment={actions.has('COMMENT')} onDone={(d) => done(d, t('doc.notice.commented'))} />
          ) : null}
        </div>

        <aside className="doc-layout__side">
          <section className="card doc-section" aria-labelledby="doc-info">
            <h2 id="doc-info">{t('doc.detail.info')}</h2>
            <DocumentFacts doc={doc} />
          </section>
          <section className="card doc-section" aria-labelledby="doc-history">
            <h2 id="doc-history">{t('doc.detail.history')}</h2>
            <History events={doc.history} />
          </section>
        </aside>
      </div>

      {dialog?.kind === 'REJECT_INCOMING' ? (
        <ReasonDialog
          title={t('doc.action.REJECT_INCOMING')}
          label={t('doc.dialog.rejectIncomingReason')}
          onClose={() => setDialog(null)}
          onSubmit={async (reason) => done((await request(RejectIncomingDocument, { documentId: doc.id, reason })).rejectIncoming, t('doc.notice.rejected'))}
        />
      ) : null}
      {dialog?.kind === 'SUBMIT' ? (
        <SubmitDialog
          known={knownLeaders}
          onClose={() => setDialog(null)}
          onSubmit={async (leaderId) =>
            done((await request(SubmitForAnnotationDocument, { documentId: doc.id, leaderId })).submitForAnnotation, t('doc.notice.submitted'))
          }
        />
      ) : null}
      {dialog?.kind === 'ANNOTATE' ? (
        <AnnotateDialog
          onClose={() => setDialog(null)}
          onSubmit={async (input) => done((await request(AnnotateDocument, { documentId: doc.id, input: { ...input, expectedVersion: doc.version } })).annotate, t('doc.notice.annotated'))}
        />
      ) : null}
      {dialog?.kind === 'RETURN_DOC' ? (
        <ReasonDialog
          title={t('doc.action.RETURN')}
          label={t('doc.dialog.returnReason')}
          onClose={() => setDialog(null)}
          onSubmit={async (reason) => done((await request(ReturnDocumentDocument, { documentId: doc.id, reason })).returnDocument, t('doc.notice.returned'))}
        />
      ) : null}
      {dialog?.kind === 'RETURN_ASSIGNMENT' ? (
        <ReasonDialog
          title={t('doc.action.RETURN')}
          label={t('doc.dialog.returnReason')}
          onClose={() => setDialog(null)}
          onSubmit={async (reason) =>
            done(
              (await request(ReturnDocumentDocument, { documentId: doc.id, assignmentId: dialog.assignment.id, reason })).returnDocument,
              t('doc.notice.returned'),
            )
          }
        />
      ) : null}
      {dialog?.kind === 'REASSIGN' ? (
        <ReassignDialog
          unitId={dialog.assignment.unit?.id ?? null}
          defaultDeadline={dialog.assignment.deadline ?? null}
          onClose={() => setDialog(null)}
          onSubmit={async (v) => {
            await request(ReassignDocument, { assignmentId: dialog.assignment.id, ...v });
            done(null, t('doc.notice.reassigned'));
          }}
        />
      ) : null}
      {dialog?.kind === 'ADD_PROGRESS' ? (
        <ProgressDialog
          onClose={() => setDialog(null)}
          onSubmit={async (v) => {
            await requestWithFiles(AddProgressDocument, { assignmentId: dialog.assignment.id, text: v.text, file: v.file });
            done(null, t('doc.notice.progress'));
          }}
        />
      ) : null}
      {dialog?.kind === 'COMPLETE' ? (
        <CompleteDialog
          lead={dialog.assignment.role === 'LEAD'}
          onClose={() => setDialog(null)}
          onSubmit={async (note) => {
            await request(CompleteAssignmentDocument, { assignmentId: dialog.assignment.id, note });
            done(null, t('doc.notice.completed'));
          }}
        />
      ) : null}
      {dialog?.kind === 'SUBMIT_APPROVAL' ? (
        <ConfirmDialog
          title={t('doc.action.SUBMIT_APPROVAL')}
          message={<p>{t('doc.dialog.submitApprovalText')}</p>}
          withComment
          submitLabel={t('doc.action.SUBMIT_APPROVAL')}
          onClose={() => setDialog(null)}
          onSubmit={async (comment) => done((await request(SubmitForApprovalDocument, { documentId: doc.id, comment })).submitForApproval, t('doc.notice.submittedApproval'))}
        />
      ) : null}
      {dialog?.kind === 'APPROVE' ? (
        <ConfirmDialog
          title={t('doc.action.APPROVE')}
          message={<p>{t('doc.dialog.approveText', { title: documentTitle(doc) })}</p>}
          withComment
          submitLabel={t('doc.action.APPROVE')}
          onClose={() => setDialog(null)}
          onSubmit={async (comment) => done((await request(ApproveDocument, { documentId: doc.id, comment })).approve, t('doc.notice.approved'))}
        />
      ) : null}
      {dialog?.kind === 'REJECT_DRAFT' ? (
        <ReasonDialog
          title={t('doc.action.REJECT_DRAFT')}
          label={t('doc.dialog.rejectDraftReason')}
          onClose={() => setDialog(null)}
          onSubmit={async (reason) => done((await request(RejectDraftDocument, { documentId: doc.id, reason })).reject, t('doc.notice.rejectedDraft'))}
        />
      ) : null}
      {dialog?.kind === 'SIGN' ? (
        <ConfirmDialog
          title={t('doc.action.SIGN')}
          message={<p>{t('doc.dialog.signText', { name: user.fullName })}</p>}
          withComment
          submitLabel={t('doc.action.SIGN')}
          onClose={() => setDialog(null)}
          onSubmit={async (comment) => done((await request(SignDocument, { documentId: doc.id, comment })).sign, t('doc.notice.signed'))}
        />
      ) : null}
      {dialog?.kind === 'ISSUE' ? (
        <IssueDialog doc={doc} onClose={() => setDialog(null)} onDone={(d) => done(d, t('doc.notice.issued', { symbol: d.symbol ?? '' }))} />
      ) : null}
    </>
  );
}

/** Phát hành: confirmation with the recipients; one idempotency key per dialog (a retry does not issue twice). */
function IssueDialog({ doc, onClose, onDone }: { doc: DocumentDetailFragment; onClose: () => void; onDone: (d: DocumentDetailFragment) => void }) {
  const { t } = useTranslation();
  const [key] = useState(newIdempotencyKey);
  // Each recipient once (an agency may be listed both as a recipient row and by name).
  const names = [...new Set([...doc.recipients.map((r) => r.name), ...doc.externalRecipients].map((n) => n.trim().normalize('NFC')))];
  return (
    <ConfirmDialog
      title={t('doc.action.ISSUE')}
      message={
        <>
          <p>{t('doc.dialog.issueText')}</p>
          {names.length ? (
            <>
              <p className="doc-small">{t('doc.draft.recipients')}:</p>
              <ul className="doc-small">
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
      onSubmit={async () => onDone((await request(IssueDocument, { documentId: doc.id, idempotencyKey: key })).issue)}
    />
  );
}

/** The fields of the document as a description list (register columns). */
function DocumentFacts({ doc }: { doc: DocumentDetailFragment }) {
  const { t } = useTranslation();
  const rows: [string, ReactNode][] = [];
  const add = (label: string, value: ReactNode) => {
    if (value !== null && value !== undefined && value !== '') rows.push([label, value]);
  };
  if (doc.direction === 'INCOMING') {
    add(t('doc.field.incomingNumber'), doc.incomingNumber ? `${doc.incomingNumber}${doc.registerYear ? ` / ${doc.registerYear}` : ''}` : null);
    add(t('doc.field.receivedDate'), formatDateTime(doc.receivedDate));
    add(t('doc.field.issuer'), doc.issuer?.name);
  } else {
    add(t('doc.field.drafter'), doc.drafter ? `${doc.drafter.fullName}${doc.drafterUnit ? ` (${doc.drafterUnit.abbr})` : ''}` : null);
    add(t('doc.field.signer'), doc.signer ? `${doc.signer.fullName}${doc.signer.title ? `, ${doc.signer.title}` : ''}` : null);
    add(t('doc.field.signedAt'), formatDateTime(doc.signedAt));
    add(t('doc.field.issuedAt'), formatDateTime(doc.issuedAt));
  }
  add(t('doc.field.symbol'), doc.symbol);
  add(t('doc.field.issuedDate'), formatDate(doc.issuedDate));
  add(t('doc.field.type'), `${doc.typeName}${doc.typeCode ? ` (${doc.typeCode})` : ''}`);
  if (doc.direction === 'INCOMING') add(t('doc.field.signerName'), [doc.signerName, doc.signerTitle].filter(Boolean).join(', '));
  add(t('doc.field.urgency'), t(`doc.urgency.${doc.urgency}`));
  add(t('doc.field.secrecy'), t(`doc.secrecy.${doc.secrecy}`));
  add(t('doc.field.pageCount'), doc.pageCount);
  add(t('doc.field.copies'), doc.copies);
  add(t('doc.field.deadline'), formatDate(doc.deadline));
  add(t('doc.field.submittedTo'), doc.submittedTo ? `${doc.submittedTo.fullName}${doc.submittedTo.title ? `, ${doc.submittedTo.title}` : ''}` : null);
  add(t('doc.field.completedAt'), formatDateTime(doc.completedAt));
  if (doc.direction === 'INCOMING') add(t('doc.field.channel'), doc.electronic ? t('doc.field.electronic') : t('doc.field.paper'));
  if (doc.replyTo)
    add(
      t('doc.field.replyTo'),
      <Link to={`/incoming/documents/${doc.replyTo.id}`}>
        {doc.replyTo.symbol ?? doc.replyTo.subject}
      </Link>,
    );
  return (
    <dl className="doc-facts">
      {rows.map(([k, v]) => (
        <div key={k} className="doc-facts__row">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

const assigneeName = (a: AssignmentInfoFragment) =>
  a.user ? `${a.user.fullName}${a.unit ? ` (${a.unit.abbr})` : ''}` : a.unit ? `${a.unit.name} (${a.unit.abbr})` : '—';

/** The bút phê as on the ĐẾN stamp: Số đến, Ngày, and the "Chuyển" box (instruction, chủ trì, phối hợp, hạn). */
function ArrivalStamp({ doc }: { doc: DocumentDetailFragment }) {
  const { t } = useTranslation();
  const active = doc.assignments.filter((a) => a.active);
  const lead = active.find((a) => a.role === 'LEAD');
  const coordinators = active.filter((a) => a.role === 'COORDINATOR');
  return (
    <section className="card doc-section" aria-labelledby="doc-stamp">
      <h2 id="doc-stamp">{t('doc.detail.annotation')}</h2>
      <div className="doc-stamp">
        <div className="doc-stamp__agency">{doc.agency.name}</div>
        <div className="doc-stamp__title">{t('doc.stamp.arrived')}</div>
        <dl className="doc-stamp__grid">
          <div>
            <dt>{t('doc.stamp.number')}</dt>
            <dd>{doc.incomingNumber ?? '—'}</dd>
          </div>
          <div>
            <dt>{t('doc.stamp.date')}</dt>
            <dd>{formatDay(doc.receivedDate) || '—'}</dd>
          </div>
        </dl>
        <div className="doc-stamp__transfer">
          <div className="doc-stamp__label">{t('doc.stamp.transfer')}</div>
          {doc.annotation ? (
            <>
              {doc.annotation.instruction ? <blockquote className="doc-stamp__instruction">{doc.annotation.instruction}</blockquote> : null}
              {doc.annotation.forInfo ? <p className="doc-stamp__line">{t('doc.stamp.forInfo')}</p> : null}
              {lead ? (
                <p className="doc-stamp__line">
                  <strong>{t('doc.role.LEAD')}:</strong> {assigneeName(lead)}
                  {lead.deadline ? ` — ${t('doc.field.deadlineShort', { date: formatDate(lead.deadline) })}` : ''}
                </p>
              ) : null}
              {coordinators.length ? (
                <p className="doc-stamp__line">
                  <strong>{t('doc.role.COORDINATOR')}:</strong>{' '}
                  {coordinators
                    .map((c) => `${assigneeName(c)}${c.deadline ? ` (${t('doc.field.deadlineShort', { date: formatDate(c.deadline) })})` : ''}`)
                    .join('; ')}
                </p>
              ) : null}
              <p className="doc-stamp__by">
                {doc.annotation.annotatedBy ? `${doc.annotation.annotatedBy.fullName}${doc.annotation.annotatedBy.title ? `, ${doc.annotation.annotatedBy.title}` : ''}` : ''}
                {doc.annotation.annotatedAt ? ` — ${formatDateTime(doc.annotation.annotatedAt)}` : ''}
              </p>
            </>
          ) : (
            <p className="doc-muted">{doc.submittedTo ? t('doc.stamp.waiting', { name: doc.submittedTo.fullName }) : t('doc.stamp.none')}</p>
          )}
        </div>
      </div>
    </section>
  );
}

function AssignmentsTable({
  assignments,
  annotationInstruction,
  actionsOf,
  onAction,
}: {
  assignments: readonly AssignmentInfoFragment[];
  /** The bút phê's instruction (not repeated on each row). */
  annotationInstruction: string | null;
  actionsOf: (a: AssignmentInfoFragment) => readonly AssignmentAction[];
  onAction: (kind: 'REASSIGN' | 'ADD_PROGRESS' | 'COMPLETE' | 'RETURN_ASSIGNMENT', a: AssignmentInfoFragment) => void;
}) {
  const { t } = useTranslation();
  if (assignments.length === 0) return <p className="doc-muted">{t('doc.detail.noAssignments')}</p>;
  return (
    <div className="doc-table-wrap">
      <table className="doc-table">
        <thead>
          <tr>
            <th scope="col">{t('doc.detail.role')}</th>
            <th scope="col">{t('doc.detail.assignee')}</th>
            <th scope="col">{t('doc.field.deadline')}</th>
            <th scope="col">{t('doc.detail.status')}</th>
            <th scope="col">{t('doc.detail.progress')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('doc.detail.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {assignments.map((a) => {
            const acts = actionsOf(a);
            return (
              <tr key={a.id}>
                <td>
                  <span className={a.role === 'LEAD' ? 'doc-badge doc-badge--lead' : 'doc-badge doc-badge--plain'}>{t(`doc.role.${a.role}`)}</span>
                </td>
                <th scope="row" className="doc-table__name">
                  {assigneeName(a)}
                  {a.user && a.unit && a.assignedBy ? <div className="doc-muted doc-small">{t('doc.detail.assignedBy', { name: a.assignedBy.fullName })}</div> : null}
                  {a.instruction && a.instruction !== annotationInstruction ? <div className="doc-small doc-table__note">“{a.instruction}”</div> : null}
                </th>
                <td>
                  <DeadlineMarker deadline={a.deadline} overdue={a.overdue} done={a.status === 'DONE'} />
                </td>
                <td>
                  <span className={`doc-badge doc-badge--astatus-${a.status.toLowerCase()}`}>{t(`doc.assignmentStatus.${a.status}`)}</span>
                  {a.completedAt ? <div className="doc-muted doc-small">{formatDateTime(a.completedAt)}</div> : null}
                  {a.returnReason ? <div className="doc-small">{t('doc.detail.returnReason', { reason: a.returnReason })}</div> : null}
                </td>
                <td>
                  {a.progress.length === 0 && !a.draftFile ? <span className="doc-muted">—</span> : null}
                  {a.progress.length ? (
                    <ul className="doc-progress">
                      {a.progress.map((p) => (
                        <li key={p.id}>
                          <span className="doc-muted doc-small">
                            {formatDateTime(p.createdAt)} · {p.author.fullName}
                          </span>
                          <div>{p.text}</div>
                          {p.file ? (
                            <a href={p.file.url} target="_blank" rel="noopener noreferrer" className="doc-small">
                              {p.file.fileName}
                            </a>
                          ) : null}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                  {a.draftFile && !a.progress.some((p) => p.file?.id === a.draftFile?.id) ? (
                    <a href={a.draftFile.url} target="_blank" rel="noopener noreferrer" className="doc-small">
                      {a.draftFile.fileName}
                    </a>
                  ) : null}
                </td>
                <td className="doc-table__actions">
                  {acts.includes('REASSIGN') ? (
                    <button type="button" className="btn btn--secondary doc-btn--small" onClick={() => onAction('REASSIGN', a)}>
                      {t('doc.action.REASSIGN')}
                    </button>
                  ) : null}
                  {acts.includes('ADD_PROGRESS') || acts.includes('ATTACH_DRAFT') ? (
                    <button type="button" className="btn btn--secondary doc-btn--small" onClick={() => onAction('ADD_PROGRESS', a)}>
                      {t('doc.action.ADD_PROGRESS')}
                    </button>
                  ) : null}
                  {acts.includes('COMPLETE') ? (
                    <button type="button" className="btn btn--primary doc-btn--small" onClick={() => onAction('COMPLETE', a)}>
                      {t('doc.action.COMPLETE')}
                    </button>
                  ) : null}
                  {acts.includes('RETURN') ? (
                    <button type="button" className="btn btn--danger doc-btn--small" onClick={() => onAction('RETURN_ASSIGNMENT', a)}>
                      {t('doc.action.RETURN')}
                    </button>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Nơi nhận of an outgoing document, with the edXML status code each recipient sent back. */
function RecipientsSection({ doc }: { doc: DocumentDetailFragment }) {
  const { t } = useTranslation();
  if (doc.recipients.length === 0 && doc.externalRecipients.length === 0) return null;
  return (
    <section className="card doc-section" aria-labelledby="doc-recipients">
      <h2 id="doc-recipients">{t('doc.draft.recipients')}</h2>
      <div className="doc-table-wrap">
        <table className="doc-table">
          <thead>
            <tr>
              <th scope="col">{t('doc.detail.recipient')}</th>
              <th scope="col">{t('doc.detail.statusCode')}</th>
              <th scope="col">{t('doc.detail.status')}</th>
              <th scope="col">{t('doc.detail.statusAt')}</th>
              <th scope="col">{t('doc.detail.note')}</th>
            </tr>
          </thead>
          <tbody>
            {doc.recipients.map((r) => (
              <tr key={r.id}>
                <th scope="row" className="doc-table__name">
                  {r.name}
                  <div className="doc-muted doc-small">{r.agency ? r.agency.code : t('doc.draft.externalShort')}</div>
                </th>
                <td>{r.statusCode ? <span className="doc-code">{r.statusCode}</span> : '—'}</td>
                <td>
                  {r.status ? (
                    <span className={`doc-badge doc-badge--rstatus-${r.status.toLowerCase()}`}>{t(`doc.recipientStatus.${r.status}`)}</span>
                  ) : !r.agency ? (
                    <span className="doc-muted">{t('doc.detail.externalDelivery')}</span>
                  ) : (
                    <span className="doc-muted">{doc.status === 'ISSUED' ? t('doc.detail.notDelivered') : t('doc.detail.notIssued')}</span>
                  )}
                </td>
                <td>{formatDateTime(r.statusAt) || '—'}</td>
                <td>{r.note ?? ''}</td>
              </tr>
            ))}
            {doc.externalRecipients.filter((n) => !doc.recipients.some((r) => !r.agency && r.name === n)).map((n) => (
              <tr key={`ext-${n}`}>
                <th scope="row" className="doc-table__name">
                  {n}
                  <div className="doc-muted doc-small">{t('doc.draft.externalShort')}</div>
                </th>
                <td>—</td>
                <td>
                  <span className="doc-muted">{t('doc.detail.externalDelivery')}</span>
                </td>
                <td>—</td>
                <td />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Ý kiến trong quá trình trình duyệt, and a form to add one. */
function CommentsSection({ doc, canComment, onDone }: { doc: DocumentDetailFragment; canComment: boolean; onDone: (d: DocumentDetailFragment) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!canComment && doc.comments.length === 0) return null;
  return (
    <section className="card doc-section" aria-labelledby="doc-comments">
      <h2 id="doc-comments">{t('doc.detail.comments')}</h2>
      {doc.comments.length === 0 ? <p className="doc-muted">{t('doc.detail.noComments')}</p> : null}
      <ul className="doc-comments">
        {doc.comments.map((c) => (
          <li key={c.id} className={`doc-comment doc-comment--${c.kind.toLowerCase()}`}>
            <p className="doc-comment__meta">
              <strong>{c.author.fullName}</strong>
              {c.author.title ? `, ${c.author.title}` : ''} · {formatDateTime(c.createdAt)}
              {c.kind !== 'COMMENT' ? <span className="doc-badge doc-badge--plain"> {t(`doc.commentKind.${c.kind}` as 'doc.commentKind.APPROVE', { defaultValue: c.kind })}</span> : null}
            </p>
            <p className="doc-comment__text">{c.text}</p>
          </li>
        ))}
      </ul>
      {canComment ? (
        <form
          className="doc-form-plain"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!text.trim() || pending) return;
            setPending(true);
            setError(null);
            request(CommentOnDocumentDocument, { documentId: doc.id, text: text.trim().normalize('NFC') })
              .then((r) => {
                setText('');
                onDone(r.commentOnDocument);
              })
              .catch(setError)
              .finally(() => setPending(false));
          }}
        >
          <div className="doc-field">
            <label htmlFor="doc-comment-text">{t('doc.detail.addComment')}</label>
            <textarea id="doc-comment-text" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
          </div>
          {error ? (
            <p className="doc-field__error" role="alert">
              {errorMessage(error, t)}
            </p>
          ) : null}
          <div>
            <button type="submit" className="btn btn--secondary" disabled={pending || !text.trim()}>
              {t('doc.detail.sendComment')}
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
