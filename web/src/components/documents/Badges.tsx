import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Icon } from '../Icon';
import type { DocumentStatus, Secrecy, Urgency } from '../../graphql/generated';
import { daysUntil, formatDate, formatDay } from './format';

/** Mức độ khẩn and độ mật in form order (least to most). */
export const URGENCIES: readonly Urgency[] = ['THUONG', 'KHAN', 'THUONG_KHAN', 'HOA_TOC'];
export const SECRECIES: readonly Secrecy[] = ['THUONG', 'MAT', 'TOI_MAT', 'TUYET_MAT'];

/** "Possible duplicate of số đến N/YYYY received on …" with a link to the earlier registration. */
export function DuplicateWarning({ duplicateOf, area }: { duplicateOf: { id: string; incomingNumber?: number | null; registerYear?: number | null; receivedDate?: string | null }; area: string }) {
  const { t } = useTranslation();
  return (
    <div className="alert alert--warning">
      <Icon name="alert" />
      <span>
        {t('doc.register.duplicate', {
          number: duplicateOf.incomingNumber ?? '—',
          year: duplicateOf.registerYear ?? '',
          date: formatDay(duplicateOf.receivedDate),
        })}{' '}
        <Link to={`/${area}/documents/${duplicateOf.id}`}>{t('doc.register.openDuplicate')}</Link>
      </span>
    </div>
  );
}

/** Mức độ khẩn: nothing for "thường"; Hỏa tốc red, Thượng khẩn orange, Khẩn amber. */
export function UrgencyBadge({ urgency }: { urgency: Urgency }) {
  const { t } = useTranslation();
  if (urgency === 'THUONG') return null;
  return <span className={`doc-badge doc-badge--urgency-${urgency.toLowerCase()}`}>{t(`doc.urgency.${urgency}`)}</span>;
}

/** Độ mật: nothing for "thường". */
export function SecrecyBadge({ secrecy }: { secrecy: Secrecy }) {
  const { t } = useTranslation();
  if (secrecy === 'THUONG') return null;
  return <span className="doc-badge doc-badge--secret">{t(`doc.secrecy.${secrecy}`)}</span>;
}

const STATUS_TONE: Partial<Record<DocumentStatus, string>> = {
  DONE: 'ok',
  ISSUED: 'ok',
  FOR_INFO: 'ok',
  REJECTED: 'bad',
  RETURNED: 'warn',
  RETURNED_TO_DRAFTER: 'warn',
  RECEIVED: 'new',
  DRAFT: 'muted',
};

export function StatusBadge({ status }: { status: DocumentStatus }) {
  const { t } = useTranslation();
  return <span className={`doc-badge doc-badge--status doc-badge--${STATUS_TONE[status] ?? 'info'}`}>{t(`doc.status.${status}`)}</span>;
}

/** Hạn xử lý: the date, and "quá hạn N ngày" / "còn N ngày" / "hôm nay" next to it. */
export function DeadlineMarker({ deadline, overdue, done }: { deadline: string | null | undefined; overdue?: boolean; done?: boolean }) {
  const { t } = useTranslation();
  if (!deadline) return null;
  const days = daysUntil(deadline);
  const late = !done && (overdue || days < 0);
  const soon = !done && !late && days <= 2;
  return (
    <span className={late ? 'deadline deadline--late' : soon ? 'deadline deadline--soon' : 'deadline'}>
      <span>{t('doc.field.deadlineShort', { date: formatDate(deadline) })}</span>
      {done ? null : late ? (
        <strong className="deadline__note">{t('doc.deadline.late', { count: Math.max(1, -days) })}</strong>
      ) : days === 0 ? (
        <strong className="deadline__note">{t('doc.deadline.today')}</strong>
      ) : soon ? (
        <span className="deadline__note">{t('doc.deadline.left', { count: days })}</span>
      ) : null}
    </span>
  );
}
