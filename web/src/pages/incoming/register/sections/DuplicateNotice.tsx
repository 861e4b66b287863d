import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../../../components/Icon';
import { formatDate, formatDay } from '../../../../components/documents/format';
import { RegistrationDuplicateDocument } from '../../../../graphql/generated';
import { useApiQuery } from '../../../../graphql/hooks';

function DuplicateEntry({ id }: { id: string }) {
  const { t } = useTranslation();
  const { data } = useApiQuery(RegistrationDuplicateDocument, { id });
  const d = data?.document;
  if (!d) return <li>{data ? t('registration.duplicate.hidden') : <Link to={`/incoming/documents/${id}`}>{t('doc.register.openDuplicate')}</Link>}</li>;
  const date = formatDay(d.receivedDate);
  return (
    <li>
      <Link to={`/incoming/documents/${d.id}`}>
        {d.incomingNumber ? t('registration.duplicate.entry', { number: d.incomingNumber, year: d.registerYear ?? '', date }) : t('registration.duplicate.entryUnnumbered', { date })}
      </Link>
      <span className="doc-muted">
        {' — '}
        {[d.issuer?.name, d.symbol, d.issuedDate ? formatDate(d.issuedDate) : null].filter(Boolean).join(', ')}
        {d.subject ? `: ${d.subject}` : ''}
      </span>
    </li>
  );
}

/**
 * The same document is already in the register (found before any number was drawn): the existing ones, and the
 * văn thư's explicit choice — "Vẫn vào sổ" (register it anyway) or "Hủy".
 */
export function DuplicateNotice({ duplicateOf, pending, onRegisterAnyway, onCancel }: { duplicateOf: readonly string[]; pending: boolean; onRegisterAnyway: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div ref={ref} tabIndex={-1} className="alert alert--warning reg-duplicate" role="alertdialog" aria-labelledby="reg-dup-title" aria-describedby="reg-dup-lead">
      <Icon name="alert" />
      <div>
        <p id="reg-dup-title">
          <strong>{t('registration.duplicate.title')}</strong>
        </p>
        <p id="reg-dup-lead">{t('registration.duplicate.lead')}</p>
        <ul>
          {duplicateOf.map((id) => (
            <DuplicateEntry key={id} id={id} />
          ))}
        </ul>
        <div className="reg-duplicate__actions">
          <button type="button" className="btn btn--primary" onClick={onRegisterAnyway} disabled={pending}>
            {t('registration.duplicate.registerAnyway')}
          </button>
          <button type="button" className="btn btn--secondary" onClick={onCancel} disabled={pending}>
            {t('registration.duplicate.cancel')}
          </button>
        </div>
      </div>
    </div>
  );
}
