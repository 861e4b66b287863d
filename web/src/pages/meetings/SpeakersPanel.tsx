/**
 * Đăng ký phát biểu: the speakers list of the current item — who is speaking (with the countdown of the
 * speaking time: speakingStartedAt + speakingSeconds − now, ticking locally), who waits, in order, and who
 * has spoken. A participant may ask to speak (REQUEST_TO_SPEAK) or withdraw their request; the chair
 * (MANAGE_SPEAKERS) gives the floor to the next one ("Mời người tiếp theo").
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeetingSpeakerFieldsFragment } from '../../graphql/generated';
import { formatCountdown, secondsLeft } from './format';

/** The current time, updated every second while `active`. */
export function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const h = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(h);
  }, [active]);
  return now;
}

export function Countdown({ startedAt, seconds }: { startedAt: string | null | undefined; seconds: number }) {
  const { t } = useTranslation();
  const now = useNow(!!startedAt);
  const left = secondsLeft(startedAt, seconds, now);
  if (left === null) return null;
  return (
    <span className={left < 0 ? 'mtg-countdown mtg-countdown--over' : 'mtg-countdown'} aria-label={t('meetings.speakers.timeLeft', { time: formatCountdown(left) })}>
      {formatCountdown(left)}
    </span>
  );
}

export function SpeakersPanel({
  speakers,
  myUserId,
  canRequest,
  canManage,
  onRequest,
  onNext,
  onWithdraw,
  onMove,
  busy,
}: {
  speakers: readonly MeetingSpeakerFieldsFragment[];
  myUserId: string;
  canRequest: boolean;
  canManage: boolean;
  onRequest: () => void;
  onNext: () => void;
  onWithdraw: (speakerId: string) => void;
  /** Chair/secretary: move a waiting speaker to a 1-based position among the waiting ones. */
  onMove?: (speakerId: string, order: number) => void;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const speaking = speakers.find((s) => s.status === 'SPEAKING');
  const waiting = speakers.filter((s) => s.status === 'WAITING').sort((a, b) => a.order - b.order);
  const done = speakers.filter((s) => s.status === 'DONE');
  const mine = waiting.find((s) => s.user.id === myUserId);
  return (
    <section className="mtg-panel" aria-labelledby="speakers-heading" data-testid="speakers-panel">
      <h3 id="speakers-heading" className="mtg-panel__title">
        {t('meetings.speakers.heading')}
      </h3>
      <div aria-live="polite">
        {speaking ? (
          <p className="mtg-speaking" data-testid="current-speaker">
            <span className="doc-muted">{t('meetings.speakers.speaking')}</span> <strong>{speaking.user.fullName}</strong>{' '}
            <Countdown startedAt={speaking.speakingStartedAt} seconds={speaking.speakingSeconds} />
          </p>
        ) : (
          <p className="doc-muted">{t('meetings.speakers.nobodySpeaking')}</p>
        )}
        {waiting.length > 0 ? (
          <ol className="mtg-speakers" aria-label={t('meetings.speakers.waiting')}>
            {waiting.map((s, i) => (
              <li key={s.id}>
                {s.user.fullName}
                {canManage && onMove && i > 0 ? (
                  <button type="button" className="btn btn--link doc-btn--small" disabled={busy} onClick={() => onMove(s.id, i)}>
                    {t('meetings.speakers.moveUp', { name: s.user.fullName })}
                  </button>
                ) : null}
                {s.user.id === myUserId || canManage ? (
                  <button type="button" className="btn btn--link doc-btn--small" disabled={busy} onClick={() => onWithdraw(s.id)}>
                    {s.user.id === myUserId ? t('meetings.speakers.withdrawMine') : t('meetings.speakers.withdraw', { name: s.user.fullName })}
                  </button>
                ) : null}
              </li>
            ))}
          </ol>
        ) : (
          <p className="doc-muted doc-small">{t('meetings.speakers.noneWaiting')}</p>
        )}
        {done.length > 0 ? (
          <p className="doc-muted doc-small">
            {t('meetings.speakers.done')}: {done.map((s) => s.user.fullName).join(', ')}
          </p>
        ) : null}
      </div>
      <div className="mtg-buttons">
        {canRequest && !mine && speaking?.user.id !== myUserId ? (
          <button type="button" className="btn btn--secondary" disabled={busy} onClick={onRequest}>
            {t('meetings.speakers.request')}
          </button>
        ) : null}
        {canManage && (waiting.length > 0 || speaking) ? (
          <button type="button" className="btn btn--primary" disabled={busy} onClick={onNext}>
            {waiting.length > 0 ? t('meetings.speakers.next') : t('meetings.speakers.finish')}
          </button>
        ) : null}
      </div>
    </section>
  );
}
