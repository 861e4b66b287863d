/**
 * Màn hình sảnh (lobby display): the day's meetings of an agency (or of one room) with the item being
 * discussed, for a screen in the lobby. Outside the signed-in shell: it needs only the display token in the
 * URL (/display/<token>), and follows changes live (`lobbyDisplayChanged`). Public facts only.
 */
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { LobbyDisplayChangedDocument, LobbyDisplayDocument } from '../../graphql/generated';
import { useApiQuery, useApiSubscription } from '../../graphql/hooks';
import { LoadState } from '../../components/documents/fields';
import { formatDate } from '../../components/documents/format';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { SILENT } from '../../graphql/urql';
import { formatTime } from './format';
import { useNow } from './SpeakersPanel';
import './meetings.css';

export default function LobbyDisplayPage() {
  const { token = '' } = useParams();
  const { t } = useTranslation();
  useDocumentTitle(t('meetings.lobby.title'));
  const q = useApiQuery(LobbyDisplayDocument, { token }, { context: SILENT });
  const live = useApiSubscription(LobbyDisplayChangedDocument, { token }, { pause: !q.data });
  const display = live.data?.lobbyDisplayChanged ?? q.data?.lobbyDisplay;
  const now = useNow(true);
  const clock = formatTime(new Date(now).toISOString());
  return (
    <main className="mtg-lobby">
      <header className="mtg-lobby__header">
        <div>
          <p className="mtg-lobby__agency">{display?.agencyName ?? ''}</p>
          <h1 className="mtg-lobby__title">
            {t('meetings.lobby.heading')}
            {display?.room ? ` — ${display.room}` : ''}
          </h1>
        </div>
        <p className="mtg-lobby__clock" aria-label={t('meetings.lobby.clock')}>
          {clock}
          {display ? <span className="mtg-lobby__date">{formatDate(display.date)}</span> : null}
        </p>
      </header>
      <LoadState loading={q.fetching && !display} error={q.error} />
      {display && display.meetings.length === 0 ? <p className="mtg-lobby__empty">{t('meetings.lobby.none')}</p> : null}
      {display ? (
        <ul className="mtg-lobby__list">
          {display.meetings.map((m) => (
            <li key={m.id} className={`mtg-lobby__meeting mtg-lobby__meeting--${m.status.toLowerCase()}`}>
              <p className="mtg-lobby__time">
                {formatTime(m.startsAt)}–{formatTime(m.endsAt)}
              </p>
              <div>
                <p className="mtg-lobby__meeting-title">{m.title}</p>
                <p>
                  {t('meetings.chairedBy', { name: m.chairName })}
                  {m.location ? ` · ${m.location}` : ''} · {t(`meetings.status.${m.status}`)}
                </p>
                {m.currentItemTitle ? (
                  <p className="mtg-lobby__current" data-testid="lobby-current-item">
                    {t('meetings.currentItem')} {m.currentItemOrder ? `${m.currentItemOrder}. ` : ''}
                    {m.currentItemTitle}
                  </p>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </main>
  );
}
