import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime } from '../format';
import type { PageDoc } from './types';

/** The fields of the document as a description list (register columns). */
export function DocumentFacts({ doc }: { doc: PageDoc }) {
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
