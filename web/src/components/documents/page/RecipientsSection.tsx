import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../format';
import type { PageDoc } from './types';

type Row = PageDoc['recipients'][number];

/**
 * Truyền gửi: the transport state of the edXML package to this recipient (exchange outbox, issue 13) with the
 * error while it is retried or the receiver's reason when it was refused for good.
 */
export function TransportCell({ r }: { r: Pick<Row, 'transportState' | 'transportError' | 'agency' | 'agencyCode'> }) {
  const { t } = useTranslation();
  if (!r.transportState) return <span className="doc-muted">{r.agency || r.agencyCode ? '—' : t('exchange.transport.notElectronic')}</span>;
  const state = r.transportState;
  return (
    <>
      <span className={`doc-badge doc-badge--transport-${state.toLowerCase()}`}>{t(`exchange.transport.${state}`)}</span>
      {r.transportError && state !== 'DELIVERED' ? (
        <div className="doc-muted doc-small" role={state === 'FAILED' ? 'alert' : undefined}>
          {t(state === 'FAILED' ? 'exchange.transport.failedReason' : 'exchange.transport.retrying', { error: r.transportError })}
        </div>
      ) : null}
    </>
  );
}

/** Nơi nhận of an outgoing document, with the transport state and the edXML status code each recipient sent back. */
export function RecipientsSection({ doc }: { doc: PageDoc }) {
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
              <th scope="col">{t('exchange.transport.heading')}</th>
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
                  <div className="doc-muted doc-small">{r.agency?.code ?? r.agencyCode ?? t('doc.draft.externalShort')}</div>
                </th>
                <td>
                  <TransportCell r={r} />
                </td>
                <td>{r.statusCode ? <span className="doc-code">{r.statusCode}</span> : '—'}</td>
                <td>
                  {r.status ? (
                    <span className={`doc-badge doc-badge--rstatus-${r.status.toLowerCase()}`}>{t(`doc.recipientStatus.${r.status}`)}</span>
                  ) : !r.agency && !r.agencyCode ? (
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
                <td>
                  <span className="doc-muted">{t('exchange.transport.notElectronic')}</span>
                </td>
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
