import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { DocumentAction } from '../../../graphql/generated';
import { Icon } from '../../Icon';
import { PageHeader } from '../../PageHeader';
import { DeadlineMarker, DuplicateWarning, SecrecyBadge, StatusBadge, UrgencyBadge } from '../Badges';
import { FormError } from '../fields';
import { documentTitle } from '../format';
import type { PhieuFile } from './usePrintPhieu';
import type { DialogState, PageDoc } from './types';

/**
 * The head of the document page: breadcrumb, title, theo dõi / in phiếu, markings, the notice, and the
 * document-level action buttons — exactly the server's `allowedActions` (nothing re-derived here).
 */
export function DocumentHeader({
  doc,
  area,
  watching,
  notice,
  error,
  phieu,
  printing,
  onToggleWatch,
  onPrint,
  onDismissNotice,
  onOpen,
}: {
  doc: PageDoc;
  area: string;
  watching: boolean;
  notice: string;
  error: unknown;
  phieu: PhieuFile | null;
  printing: boolean;
  onToggleWatch: () => void;
  onPrint: () => void;
  onDismissNotice: () => void;
  onOpen: (d: DialogState) => void;
}) {
  const { t } = useTranslation();
  const incoming = doc.direction === 'INCOMING';
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
            <button type="button" className="btn btn--secondary" aria-pressed={watching} onClick={onToggleWatch}>
              {watching ? t('doc.action.unwatch') : t('doc.action.watch')}
            </button>
            {incoming && doc.annotation ? (
              <button type="button" className="btn btn--secondary" onClick={onPrint} disabled={printing}>
                {t('document.phieu.print')}
              </button>
            ) : null}
            {phieu ? (
              <a className="btn btn--link" href={phieu.url} download={phieu.fileName} data-phieu-download>
                {t('document.phieu.download')}
              </a>
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
          <button type="button" className="doc-icon-btn" onClick={onDismissNotice} aria-label={t('doc.action.close')}>
            <Icon name="close" />
          </button>
        </div>
      ) : null}
      <FormError error={error} />

      <DocumentActions doc={doc} onOpen={onOpen} />

      {doc.duplicateOf ? <DuplicateWarning duplicateOf={doc.duplicateOf} area={area} /> : null}
      {doc.status === 'ANNULLED' ? (
        <div className="alert alert--warning" data-annulled>
          <Icon name="alert" />
          <span>{t('document.annul.marked', { number: doc.incomingNumber ?? '—', reason: doc.returnReason ?? '' })}</span>
        </div>
      ) : null}
      {doc.returnReason && (doc.status === 'RETURNED' || doc.status === 'RETURNED_TO_DRAFTER' || doc.status === 'REJECTED') ? (
        <div className="alert alert--warning">
          <Icon name="alert" />
          <span>{t('doc.detail.returnReason', { reason: doc.returnReason })}</span>
        </div>
      ) : null}
    </>
  );
}

/** The document-level buttons, one per allowed action (Document.allowedActions). */
export function DocumentActions({ doc, onOpen }: { doc: PageDoc; onOpen: (d: DialogState) => void }) {
  const { t } = useTranslation();
  const actions = new Set<DocumentAction>(doc.allowedActions);
  const incoming = doc.direction === 'INCOMING';
  const button = (key: string, label: string, d: DialogState, kind: 'primary' | 'secondary' | 'danger' = 'secondary') => (
    <button key={key} type="button" className={`btn btn--${kind}`} onClick={() => onOpen(d)}>
      {label}
    </button>
  );
  const out: ReactNode[] = [];
  if (incoming) {
    if (actions.has('REGISTER'))
      out.push(
        <Link key="register" to={`/incoming/register?documentId=${doc.id}`} className="btn btn--primary">
          {t('doc.action.REGISTER')}
        </Link>,
      );
    if (actions.has('REJECT')) out.push(button('reject', t('doc.action.REJECT_INCOMING'), { kind: 'REJECT_INCOMING' }, 'danger'));
    if (actions.has('SUBMIT')) out.push(button('submit', t('doc.action.SUBMIT'), { kind: 'SUBMIT' }, 'primary'));
    if (actions.has('ANNOTATE')) out.push(button('annotate', t('doc.action.ANNOTATE'), { kind: 'ANNOTATE' }, 'primary'));
    if (doc.assignments.some((a) => a.allowedActions.some((x) => x === 'ADD_PROGRESS' || x === 'COMPLETE')))
      out.push(
        <Link key="reply" to={`/outgoing/new?replyTo=${doc.id}`} className="btn btn--secondary">
          {t('doc.action.REPLY_DRAFT')}
        </Link>,
      );
    if (actions.has('RETURN')) out.push(button('return', t('doc.action.RETURN'), { kind: 'RETURN_DOC' }, 'danger'));
    if (actions.has('ANNUL')) out.push(button('annul', t('document.annul.button'), { kind: 'ANNUL' }, 'danger'));
  } else {
    if (actions.has('UPDATE_DRAFT'))
      out.push(
        <Link key="edit" to={`/outgoing/documents/${doc.id}/edit`} className="btn btn--secondary">
          {t('doc.action.EDIT_DRAFT')}
        </Link>,
      );
    if (actions.has('SUBMIT')) out.push(button('submit', t('doc.action.SUBMIT_APPROVAL'), { kind: 'SUBMIT_APPROVAL' }, 'primary'));
    if (actions.has('APPROVE')) out.push(button('approve', t('doc.action.APPROVE'), { kind: 'APPROVE' }, 'primary'));
    if (actions.has('SIGN')) out.push(button('sign', t('doc.action.SIGN'), { kind: 'SIGN' }, 'primary'));
    if (actions.has('ISSUE')) out.push(button('issue', t('doc.action.ISSUE'), { kind: 'ISSUE' }, 'primary'));
    if (actions.has('REJECT')) out.push(button('reject', t('doc.action.REJECT_DRAFT'), { kind: 'REJECT_DRAFT' }, 'danger'));
  }
  if (!out.length) return null;
  return (
    <section className="doc-actions card" aria-label={t('doc.detail.actions')}>
      {out}
    </section>
  );
}
