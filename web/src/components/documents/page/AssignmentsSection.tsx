import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssignmentAction } from '../../../graphql/generated';
import { DeadlineMarker } from '../Badges';
import { formatDateTime } from '../format';
import { assigneeName } from './ChainSection';
import { assignmentStatusLabel } from './labels';
import type { AssignmentDialogKind, PageAssignment, PageDoc } from './types';

/** Phân công: the active assignments with their progress and buttons (Assignment.allowedActions), then the superseded ones. */
export function AssignmentsSection({ doc, onAction }: { doc: PageDoc; onAction: (kind: AssignmentDialogKind, a: PageAssignment) => void }) {
  const { t } = useTranslation();
  const active = doc.assignments.filter((a) => a.active);
  const superseded = doc.assignments.filter((a) => !a.active);
  if (!active.length && !superseded.length) return null;
  const instruction = doc.annotation?.instruction ?? null;
  return (
    <section className="card doc-section" aria-labelledby="doc-assignments">
      <h2 id="doc-assignments">{t('doc.detail.assignments')}</h2>
      <AssignmentsTable assignments={active} annotationInstruction={instruction} onAction={onAction} />
      {superseded.length ? (
        <details className="doc-details">
          <summary>{t('doc.detail.superseded', { count: superseded.length })}</summary>
          <AssignmentsTable assignments={superseded} annotationInstruction={instruction} />
        </details>
      ) : null}
    </section>
  );
}

export function AssignmentsTable({
  assignments,
  annotationInstruction,
  onAction,
}: {
  assignments: readonly PageAssignment[];
  /** The bút phê's instruction (not repeated on each row). */
  annotationInstruction: string | null;
  /** Without it, no buttons (e.g. superseded assignments). */
  onAction?: (kind: AssignmentDialogKind, a: PageAssignment) => void;
}) {
  const { t } = useTranslation();
  if (assignments.length === 0) return <p className="doc-muted">{t('doc.detail.noAssignments')}</p>;
  return (
    <div className="doc-table-wrap">
      <table className="doc-table doc-table--assignments">
        <thead>
          <tr>
            <th scope="col">{t('doc.detail.role')}</th>
            <th scope="col">{t('doc.detail.assignee')}</th>
            <th scope="col">{t('doc.field.deadline')}</th>
            <th scope="col">{t('doc.detail.status')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('doc.detail.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {assignments.map((a) => {
            const acts: readonly AssignmentAction[] = onAction ? a.allowedActions : [];
            const btn = (kind: AssignmentDialogKind, label: string, style: string) => (
              <button type="button" className={`btn btn--${style} doc-btn--small`} onClick={() => onAction?.(kind, a)}>
                {label}
              </button>
            );
            const hasProgress = a.progress.length > 0 || !!a.draftFile;
            return (
              <Fragment key={a.id}>
                <tr data-assignment={a.id} className={hasProgress ? 'doc-table__row--with-sub' : undefined}>
                  <td>
                    <span className={a.role === 'LEAD' ? 'doc-badge doc-badge--lead' : 'doc-badge doc-badge--plain'}>{t(`doc.role.${a.role}`)}</span>
                  </td>
                  <th scope="row" className="doc-table__name">
                    {a.parent ? <span aria-hidden="true">↳ </span> : null}
                    {assigneeName(a)}
                    {a.assignedBy && a.parent ? <div className="doc-muted doc-small">{t('doc.detail.assignedBy', { name: a.assignedBy.fullName })}</div> : null}
                    {a.instruction && a.instruction !== annotationInstruction ? <div className="doc-small doc-table__note">“{a.instruction}”</div> : null}
                  </th>
                  <td>
                    <DeadlineMarker deadline={a.deadline} overdue={a.overdue} done={a.status === 'DONE' || a.status === 'CLOSED' || a.status === 'DELEGATED'} />
                  </td>
                  <td>
                    <span className={`doc-badge doc-badge--astatus-${a.status.toLowerCase()}`}>{assignmentStatusLabel(t, a.status)}</span>
                    {a.completedAt ? <div className="doc-muted doc-small">{formatDateTime(a.completedAt)}</div> : null}
                    {a.returnReason ? <div className="doc-small">{t('doc.detail.returnReason', { reason: a.returnReason })}</div> : null}
                  </td>
                  <td className="doc-table__actions">
                    {acts.includes('REASSIGN') ? btn('REASSIGN', t('doc.action.REASSIGN'), 'secondary') : null}
                    {acts.includes('ADD_PROGRESS') || acts.includes('ATTACH_DRAFT') ? btn('ADD_PROGRESS', t('doc.action.ADD_PROGRESS'), 'secondary') : null}
                    {acts.includes('COMPLETE') ? btn('COMPLETE', t('doc.action.COMPLETE'), 'primary') : null}
                    {acts.includes('RETURN') ? btn('RETURN_ASSIGNMENT', t('doc.action.RETURN'), 'danger') : null}
                  </td>
                </tr>
                {hasProgress ? (
                  // the reports under their row, across the whole table: a long report never squeezes the columns
                  <tr className="doc-table__sub" data-assignment-progress={a.id}>
                    <td colSpan={5}>
                      <span className="doc-muted doc-small">{t('doc.detail.progress')}</span>
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
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
