import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { FormError, LoadState } from '../../components/documents/fields';
import { EndOtherSessionsDocument, EndSessionDocument, MySessionsDocument } from '../../graphql/generated';
import { useApiMutation, useApiQuery } from '../../graphql/hooks';
import { formatDateTime } from '../admin/format';

/** Phiên đăng nhập: the user's open sessions; end one, or all but this one. */
export default function SessionsPage() {
  const { t } = useTranslation();
  const q = useApiQuery(MySessionsDocument, {}, { requestPolicy: 'cache-and-network' });
  const [endOne] = useApiMutation(EndSessionDocument);
  const [endOthers, { fetching: endingOthers }] = useApiMutation(EndOtherSessionsDocument);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const sessions = q.data?.mySessions ?? [];

  const run = async (fn: () => Promise<string>) => {
    setError(null);
    setMessage(null);
    try {
      setMessage(await fn());
      q.refetch();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <>
      <PageHeader
        title={t('account.sessions.title')}
        description={t('account.sessions.description')}
        actions={
          <button
            type="button"
            className="btn btn--secondary"
            disabled={endingOthers || sessions.filter((s) => !s.current).length === 0}
            onClick={() => void run(async () => t('account.sessions.endedOthers', { count: (await endOthers({})).endOtherSessions }))}
          >
            {t('account.sessions.endOthers')}
          </button>
        }
      />
      <LoadState loading={q.fetching && !q.data} error={q.error} onRetry={q.refetch} />
      <FormError error={error} />
      {message ? (
        <div className="alert alert--success" role="status">
          {message}
        </div>
      ) : null}
      <div className="doc-table-wrap">
        <table className="doc-table">
          <caption className="visually-hidden">{t('account.sessions.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('account.sessions.createdAt')}</th>
              <th scope="col">{t('account.sessions.lastSeenAt')}</th>
              <th scope="col">{t('account.sessions.client')}</th>
              <th scope="col">{t('account.sessions.ip')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('admin.common.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <td>{formatDateTime(s.createdAt)}</td>
                <td>{s.lastSeenAt ? formatDateTime(s.lastSeenAt) : '—'}</td>
                <td className="doc-table__note">{s.userAgent ?? '—'}</td>
                <td>{s.ip ?? '—'}</td>
                <td className="doc-table__actions">
                  {s.current ? (
                    <span className="doc-badge doc-badge--ok">{t('account.sessions.current')}</span>
                  ) : (
                    <button type="button" className="btn btn--secondary doc-btn--small" onClick={() => void run(async () => (await endOne({ id: s.id }), t('account.sessions.ended')))}>
                      {t('account.sessions.end')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
