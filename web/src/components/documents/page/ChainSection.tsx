import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime, formatDay } from '../format';
import { assignmentStatusLabel } from './labels';
import type { PageAssignment, PageDoc } from './types';

export const assigneeName = (a: Pick<PageAssignment, 'user' | 'unit'>) =>
  a.user ? `${a.user.fullName}${a.unit ? ` (${a.unit.abbr})` : ''}` : a.unit ? `${a.unit.name} (${a.unit.abbr})` : '—';

/** The active chain as trees: the leader's assignments (no active parent) with their children, LEAD first. */
export function chainOf(assignments: readonly PageAssignment[]): { link: PageAssignment; children: PageAssignment[] }[] {
  const active = assignments.filter((a) => a.active);
  const ids = new Set(active.map((a) => a.id));
  const roots = active.filter((a) => !a.parent || !ids.has(a.parent.id));
  const tree = roots.map((link) => ({ link, children: active.filter((c) => c.parent?.id === link.id) }));
  return [...tree.filter((x) => x.link.role === 'LEAD'), ...tree.filter((x) => x.link.role !== 'LEAD')];
}

/**
 * The bút phê as on the ĐẾN stamp (Số đến, Ngày, the "Chuyển" box) and the whole chain under it:
 * lãnh đạo → đơn vị (chủ trì / phối hợp, hạn) → cán bộ (the unit head's instruction and deadline).
 */
export function ChainSection({ doc }: { doc: PageDoc }) {
  const { t } = useTranslation();
  const chain = chainOf(doc.assignments);
  const leader = doc.annotation?.annotatedBy;
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
              {chain.length ? (
                <ol className="doc-chain" aria-label={t('document.chain.title')} data-chain>
                  {chain.map(({ link, children }) => (
                    <li key={link.id} className="doc-chain__link" data-chain-link={link.role}>
                      <strong>{link.role === 'LEAD' ? t('document.chain.lead') : t('document.chain.coordinator')}:</strong> {assigneeName(link)}
                      {link.deadline ? ` — ${t('document.chain.deadline', { date: formatDate(link.deadline) })}` : ''}
                      <span className="doc-muted doc-small"> · {assignmentStatusLabel(t, link.status)}</span>
                      {children.length ? (
                        <ul className="doc-chain__children">
                          {children.map((c) => (
                            <li key={c.id} data-chain-child>
                              ↳ {c.assignedBy ? `${t('document.chain.by', { name: c.assignedBy.fullName })}: ` : ''}
                              <strong>{c.user?.fullName ?? assigneeName(c)}</strong>
                              {c.deadline ? ` — ${t('document.chain.deadline', { date: formatDate(c.deadline) })}` : ''}
                              {c.instruction ? <div className="doc-small">{t('document.chain.instruction', { text: c.instruction })}</div> : null}
                            </li>
                          ))}
                        </ul>
                      ) : null}
                    </li>
                  ))}
                </ol>
              ) : null}
              <p className="doc-stamp__by">
                {leader ? `${leader.fullName}${leader.title ? `, ${leader.title}` : ''}` : ''}
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
