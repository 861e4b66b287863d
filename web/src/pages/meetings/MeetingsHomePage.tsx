/**
 * Phòng họp: the meetings the user is invited to or organises — sắp tới (from now on, soonest first) and
 * đã qua — with their time, place, chair and status; "Tạo cuộc họp" and the Lịch công tác tuần.
 */
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { LoadState } from '../../components/documents/fields';
import { formatDate } from '../../components/documents/format';
import { CompleteMeetingTaskDocument, MeetingCapabilitiesDocument, MeetingListDocument, MyMeetingTasksDocument, type MeetingListFieldsFragment } from '../../graphql/generated';
import { useApiMutation, useApiQuery } from '../../graphql/hooks';
import { FormError } from '../../components/documents/fields';
import { useRun } from './useRun';
import { formatTime, isoDateVN } from './format';
import './meetings.css';

type Tab = 'upcoming' | 'past';

export default function MeetingsHomePage() {
  const { t } = useTranslation();
  // "Tạo cuộc họp" only when the server says the user may (Query.meetingCapabilities).
  const caps = useApiQuery(MeetingCapabilitiesDocument, {});
  const canCreate = caps.data?.meetingCapabilities.includes('CREATE_MEETING') ?? false;
  const [tab, setTab] = useState<Tab>('upcoming');
  // "now" rounded to the minute so that the query's variables stay stable between renders
  const [now] = useState(() => new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString());
  const filter = useMemo(() => (tab === 'upcoming' ? { from: now } : { to: now }), [tab, now]);
  const q = useApiQuery(MeetingListDocument, { filter, first: 50 });
  const meetings = q.data?.meetings.edges.map((e) => e.node) ?? [];
  // Meetings still running started before now: show them among the upcoming ones too.
  const running = useApiQuery(MeetingListDocument, { filter: { status: ['IN_PROGRESS'] }, first: 20 }, { pause: tab !== 'upcoming' });
  const list = tab === 'upcoming' ? mergeById(running.data?.meetings.edges.map((e) => e.node) ?? [], meetings) : [...meetings].reverse();
  return (
    <>
      <PageHeader
        title={t('nav.meetings')}
        description={t('meetings.home.description')}
        actions={
          <>
            <Link className="btn btn--secondary" to="/meetings/calendar">
              {t('meetings.calendar.title')}
            </Link>
            {canCreate ? (
              <Link className="btn btn--primary" to="/meetings/new">
                {t('meetings.home.create')}
              </Link>
            ) : null}
          </>
        }
      />
      <div className="mtg-tabs" role="group" aria-label={t('meetings.home.tabs')}>
        {(['upcoming', 'past'] as const).map((x) => (
          <button key={x} type="button" className="doc-viewer__tab" aria-pressed={tab === x} onClick={() => setTab(x)}>
            {t(`meetings.home.${x}`)}
          </button>
        ))}
      </div>
      <LoadState loading={q.fetching && !q.data} error={q.error} onRetry={q.refetch} />
      {q.data && list.length === 0 ? <p className="doc-muted">{t(`meetings.home.empty.${tab}`)}</p> : null}
      <ul className="mtg-list" aria-label={t(`meetings.home.${tab}`)}>
        {list.map((m) => (
          <MeetingRow key={m.id} meeting={m} />
        ))}
      </ul>
      <MyTasks />
    </>
  );
}

/** Nhiệm vụ từ cuộc họp: the open tasks assigned to the user in meetings, tracked like a bút phê. */
function MyTasks() {
  const { t } = useTranslation();
  const q = useApiQuery(MyMeetingTasksDocument, { mine: true, openOnly: true });
  const [complete] = useApiMutation(CompleteMeetingTaskDocument);
  const { run, busy, error } = useRun();
  const tasks = q.data?.meetingTasks ?? [];
  if (tasks.length === 0) return null;
  return (
    <section className="card mtg-section mtg-my-tasks" aria-labelledby="my-tasks-heading">
      <h2 id="my-tasks-heading" className="doc-subheading">
        {t('meetings.tasks.mine')}
      </h2>
      <ul className="mtg-participants">
        {tasks.map((task) => (
          <li key={task.id}>
            <span>
              <strong>{task.title}</strong>{' '}
              <span className={task.overdue ? 'doc-small mtg-quorum' : 'doc-small doc-muted'}>
                {t('meetings.tasks.deadline', { date: formatDate(task.deadline) })}
                {task.overdue ? ` (${t('meetings.tasks.overdue')})` : ''} · <Link to={`/meetings/${task.meetingId}`}>{task.meetingTitle}</Link>
              </span>
            </span>
            {task.canComplete ? (
              <button type="button" className="btn btn--secondary doc-btn--small" disabled={busy} onClick={() => void run(() => complete({ taskId: task.id, note: null }))}>
                {t('meetings.tasks.complete')}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <FormError error={error} />
    </section>
  );
}

function mergeById(first: MeetingListFieldsFragment[], second: MeetingListFieldsFragment[]) {
  const seen = new Set(first.map((m) => m.id));
  return [...first, ...second.filter((m) => !seen.has(m.id))];
}

function MeetingRow({ meeting }: { meeting: MeetingListFieldsFragment }) {
  const { t } = useTranslation();
  return (
    <li className="card mtg-row">
      <div>
        <Link to={`/meetings/${meeting.id}`} className="mtg-row__title">
          {meeting.title}
        </Link>
        <p className="doc-muted doc-small">
          {t('meetings.when', { date: formatDate(isoDateVN(meeting.startsAt)), start: formatTime(meeting.startsAt), end: formatTime(meeting.endsAt) })}
          {meeting.location ? ` · ${meeting.location}` : ''} · {t('meetings.chairedBy', { name: meeting.chair.fullName })}
        </p>
      </div>
      <div className="mtg-row__side">
        <span className={`doc-badge mtg-status mtg-status--${meeting.status.toLowerCase()}`}>{t(`meetings.status.${meeting.status}`)}</span>
        {meeting.myRole ? <span className="doc-badge doc-badge--plain">{t(`meetings.role.${meeting.myRole}`)}</span> : null}
      </div>
    </li>
  );
}
