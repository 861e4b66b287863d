import { useTranslation } from 'react-i18next';
import type { DocumentDetailFragment } from '../../graphql/generated';
import { formatDateTime } from './format';

type HistoryEvent = DocumentDetailFragment['history'][number];

/** Details worth showing from an audit event's data (reason, note, numbers …). */
const DETAIL_KEYS = ['incomingNumber', 'symbol', 'statusCode', 'instruction', 'reason', 'note', 'comment', 'text'] as const;

function details(data: unknown): { key: (typeof DETAIL_KEYS)[number]; value: string }[] {
  if (!data || typeof data !== 'object') return [];
  const d = data as Record<string, unknown>;
  return DETAIL_KEYS.flatMap((key) => {
    const v = d[key];
    return (typeof v === 'string' && v.trim()) || typeof v === 'number' ? [{ key, value: String(v) }] : [];
  });
}

/** The audit trail (lịch sử xử lý), oldest first, as a timeline. */
export function History({ events }: { events: readonly HistoryEvent[] }) {
  const { t, i18n } = useTranslation();
  if (events.length === 0) return <p className="doc-muted">{t('doc.history.none')}</p>;
  const sorted = [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const label = (action: string) => {
    const key = `doc.history.actions.${action.replace(/^document\./, '').replace(/[.:]/g, '_')}`;
    return i18n.exists(key) ? t(key as 'doc.history.actions.register') : action;
  };
  return (
    <ol className="doc-timeline">
      {sorted.map((e) => (
        <li key={e.id} className="doc-timeline__item">
          <time dateTime={e.at} className="doc-timeline__time">
            {formatDateTime(e.at)}
          </time>
          <div className="doc-timeline__body">
            <strong>{label(e.action)}</strong>
            {e.actor ? (
              <span className="doc-muted">
                {' '}
                — {e.actor.fullName}
                {e.actor.title ? `, ${e.actor.title}` : ''}
              </span>
            ) : null}
            {details(e.data).map((d) => (
              <div key={d.key} className="doc-small doc-timeline__detail">
                <span className="doc-muted">{t(`doc.history.detail.${d.key}`)}:</span> {d.value}
              </div>
            ))}
          </div>
        </li>
      ))}
    </ol>
  );
}
