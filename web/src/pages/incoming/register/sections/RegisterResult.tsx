import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { DuplicateWarning } from '../../../../components/documents/Badges';
import { documentTitle, formatDate, formatDay } from '../../../../components/documents/format';
import type { DocumentDetailFragment } from '../../../../graphql/generated';

/**
 * After vào sổ: the số đến, big, its ngày đến, and the duplicate warning when registered anyway. With several
 * sổ văn bản đến, the register's name (`registers`: the agency's registers) says which sequence the number is of.
 */
export function RegisterResult({
  doc,
  onAnother,
  registers = [],
}: {
  doc: DocumentDetailFragment;
  onAnother: () => void;
  registers?: readonly { key: string; name: string }[];
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="card doc-result" ref={ref} tabIndex={-1} role="status" aria-live="polite">
      <p className="doc-result__label">{t('doc.register.done')}</p>
      <p className="doc-result__number">
        {t('doc.field.incomingNumber')}: <strong>{doc.incomingNumber}</strong>
        {doc.registerYear ? <span className="doc-muted"> / {doc.registerYear}</span> : null}
      </p>
      {registers.length > 1 && registers.some((r) => r.key === doc.registerKey) ? (
        <p className="doc-muted">{t('registration.inRegister', { name: registers.find((r) => r.key === doc.registerKey)!.name })}</p>
      ) : null}
      <p>
        {documentTitle(doc)} — {doc.subject}
      </p>
      {doc.duplicateOf ? <DuplicateWarning duplicateOf={doc.duplicateOf} area="incoming" /> : null}
      <div className="doc-form__actions">
        <Link to={`/incoming/documents/${doc.id}`} className="btn btn--primary">
          {t('doc.register.openAndSubmit')}
        </Link>
        <button type="button" className="btn btn--secondary" onClick={onAnother}>
          {t('doc.register.another')}
        </button>
      </div>
      <p className="doc-muted doc-small">
        {doc.issuedDate ? <>{t('doc.field.issuedDateShort', { date: formatDate(doc.issuedDate) })} · </> : null}
        {t('doc.field.receivedShort', { date: formatDay(doc.receivedDate) })}
      </p>
    </div>
  );
}
