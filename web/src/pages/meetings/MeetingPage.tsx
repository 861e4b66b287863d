/**
 * Một cuộc họp: everything a participant does before, during and after it, on one page that follows the
 * meeting live. The page loads `meeting(id)` and subscribes to `meetingEvents(meetingId)`: each event carries
 * the whole meeting as the caller sees it (the first one is a snapshot, so a reconnected screen catches up),
 * and graphcache merges it into the cached Meeting — the current item, the document on show, the speakers,
 * the vote and its tally, attendance — without a reload or refetch. Buttons come from the server's typed
 * `allowedActions` (meeting, item, vote).
 */
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { FormError, LoadState } from '../../components/documents/fields';
import { formatDate, formatDateTime } from '../../components/documents/format';
import { useCurrentUser } from '../../auth/session';
import { useClient } from 'urql';
import {
  CancelMeetingDocument,
  CastVoteDocument,
  CheckInDocument,
  CloseVoteDocument,
  CompleteMeetingTaskDocument,
  DraftConclusionNoticeDocument,
  DraftInvitationDocument,
  EndMeetingDocument,
  MeetingDetailDocument,
  MeetingEventsDocument,
  MeetingReportDocument,
  NextSpeakerDocument,
  OpenVoteDocument,
  PassItemsWithoutObjectionDocument,
  PublishMeetingDocument,
  RequestToSpeakDocument,
  SetCurrentItemDocument,
  ShowDocumentDocument,
  StartMeetingDocument,
  WithdrawSpeakerDocument,
  MoveSpeakerDocument,
  type MeetingAction,
  type MeetingFullFragment,
  type MeetingReportFormat,
  type MeetingReportKind,
} from '../../graphql/generated';
import { useApiMutation, useApiQuery, useApiSubscription } from '../../graphql/hooks';
import { toApiError } from '../../graphql/urql';
import { AgendaItemCard, AgendaItemForm } from './AgendaItem';
import { DocumentFrame } from './ItemDocuments';
import { SpeakersPanel } from './SpeakersPanel';
import { OpenVoteForm, VotePanel } from './VotePanel';
import { formatTime, isoDateVN } from './format';
import { useRun } from './useRun';
import './meetings.css';

export default function MeetingPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const q = useApiQuery(MeetingDetailDocument, { id });
  const meeting = q.data?.meeting ?? null;
  const live = useApiSubscription(MeetingEventsDocument, { meetingId: id }, { pause: !meeting || meeting.status === 'CANCELLED' });
  if (!meeting) {
    return (
      <>
        <PageHeader title={t('meetings.title')} />
        <LoadState loading={q.fetching} error={q.error} onRetry={q.refetch} />
        {!q.fetching && !q.error ? <p>{t('meetings.notFound')}</p> : null}
      </>
    );
  }
  const liveState = live.error ? 'reconnecting' : live.data ? 'live' : 'connecting';
  return <MeetingView meeting={meeting} liveState={liveState} />;
}

function MeetingView({ meeting, liveState }: { meeting: MeetingFullFragment; liveState: 'live' | 'connecting' | 'reconnecting' }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const can = (a: MeetingAction) => meeting.allowedActions.includes(a);
  const people = useMemo(() => meeting.participants.map((p) => p.user), [meeting.participants]);
  const day = isoDateVN(meeting.startsAt);
  return (
    <>
      <nav className="doc-breadcrumb" aria-label={t('meetings.breadcrumb')}>
        <Link to="/meetings">{t('nav.meetings')}</Link>
        <span aria-hidden="true"> › </span>
        <span>{meeting.title}</span>
      </nav>
      <PageHeader
        title={meeting.title}
        description={
          <>
            {t('meetings.when', { date: formatDate(day), start: formatTime(meeting.startsAt), end: formatTime(meeting.endsAt) })}
            {meeting.location ? ` · ${meeting.location}` : ''}
          </>
        }
      />
      <div className="mtg-statusbar">
        <span className={`doc-badge mtg-status mtg-status--${meeting.status.toLowerCase()}`} data-testid="meeting-status">
          {t(`meetings.status.${meeting.status}`)}
        </span>
        {meeting.myRole ? <span className="doc-badge doc-badge--plain">{t('meetings.myRole', { role: t(`meetings.role.${meeting.myRole}`) })}</span> : null}
        <span className={`mtg-live mtg-live--${liveState}`} role="status" data-testid="live-state">
          {t(`meetings.live.${liveState}`)}
        </span>
      </div>
      <MeetingActions meeting={meeting} />
      {meeting.status === 'IN_PROGRESS' ? <LiveRoom meeting={meeting} myUserId={me.id} /> : null}
      <div className="mtg-layout">
        <section className="card mtg-section" aria-labelledby="agenda-heading">
          <h2 id="agenda-heading" className="doc-subheading">
            {t('meetings.agenda')}
          </h2>
          {meeting.agenda.length === 0 ? <p className="doc-muted">{t('meetings.noAgenda')}</p> : null}
          <AgendaList meeting={meeting} people={people} />
          {can('ADD_AGENDA_ITEM') ? <AgendaItemForm meetingId={meeting.id} people={people} /> : null}
        </section>
        <aside className="mtg-aside">
          <Participants meeting={meeting} myUserId={me.id} />
        </aside>
      </div>
      {can('DRAFT_CONCLUSION_NOTICE') || can('EXPORT') || meeting.conclusionDocument || meeting.tasks.length > 0 ? <AfterSection meeting={meeting} /> : null}
    </>
  );
}

function AgendaList({ meeting, people }: { meeting: MeetingFullFragment; people: MeetingFullFragment['participants'][number]['user'][] }) {
  const [setCurrent] = useApiMutation(SetCurrentItemDocument);
  const [show] = useApiMutation(ShowDocumentDocument);
  const { run, error } = useRun();
  const currentId = meeting.currentItem?.id ?? null;
  return (
    <>
      <div className="mtg-agenda">
        {meeting.agenda.map((item, i) => (
          <AgendaItemCard
            key={item.id}
            item={item}
            isLast={i === meeting.agenda.length - 1}
            people={people}
            isCurrent={item.id === currentId}
            onSetCurrent={() => void run(() => setCurrent({ meetingId: meeting.id, itemId: item.id, expectedItemId: currentId }))}
            onShowDocument={
              meeting.allowedActions.includes('SHOW_DOCUMENT')
                ? (doc) => void run(() => show({ meetingId: meeting.id, itemId: item.id, meetingDocumentId: doc.id, page: 1 }))
                : undefined
            }
          />
        ))}
      </div>
      <FormError error={error} />
    </>
  );
}

function MeetingActions({ meeting }: { meeting: MeetingFullFragment }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const can = (a: MeetingAction) => meeting.allowedActions.includes(a);
  const [publish] = useApiMutation(PublishMeetingDocument);
  const [start] = useApiMutation(StartMeetingDocument);
  const [end] = useApiMutation(EndMeetingDocument);
  const [cancel] = useApiMutation(CancelMeetingDocument);
  const [draftInvitation] = useApiMutation(DraftInvitationDocument);
  const { run, busy, error } = useRun();
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [cancelReason, setCancelReason] = useState('');
  const any = ['UPDATE', 'PUBLISH', 'DRAFT_INVITATION', 'START', 'END', 'CANCEL'].some((a) => can(a as MeetingAction));
  if (!any && !meeting.invitationDocument) return null;
  return (
    <div className="mtg-actions">
      <div className="mtg-buttons">
        {can('UPDATE') ? (
          <Link className="btn btn--secondary" to={`/meetings/${meeting.id}/edit`}>
            {t('meetings.action.edit')}
          </Link>
        ) : null}
        {can('PUBLISH') ? (
          <button type="button" className="btn btn--primary" disabled={busy} onClick={() => void run(() => publish({ meetingId: meeting.id }))}>
            {t('meetings.action.publish')}
          </button>
        ) : null}
        {can('DRAFT_INVITATION') && !meeting.invitationDocument ? (
          <button
            type="button"
            className="btn btn--secondary"
            disabled={busy}
            onClick={() =>
              void run(() => draftInvitation({ meetingId: meeting.id })).then((r) => {
                if (r) void navigate(`/outgoing/documents/${r.draftInvitation.id}`);
              })
            }
          >
            {t('meetings.action.draftInvitation')}
          </button>
        ) : null}
        {meeting.invitationDocument ? (
          <Link className="btn btn--link" to={`/outgoing/documents/${meeting.invitationDocument.id}`}>
            {t('meetings.action.openInvitation')}
          </Link>
        ) : null}
        {can('START') ? (
          <button type="button" className="btn btn--primary" disabled={busy} onClick={() => void run(() => start({ meetingId: meeting.id }))}>
            {t('meetings.action.start')}
          </button>
        ) : null}
        {can('END') && !confirmEnd ? (
          <button type="button" className="btn btn--secondary" disabled={busy} onClick={() => setConfirmEnd(true)}>
            {t('meetings.action.end')}
          </button>
        ) : null}
        {can('END') && confirmEnd ? (
          <span className="doc-confirm" role="group" aria-label={t('meetings.action.endConfirm')}>
            <span>{t('meetings.action.endConfirm')}</span>
            <button type="button" className="btn btn--primary" disabled={busy} onClick={() => void run(() => end({ meetingId: meeting.id })).then(() => setConfirmEnd(false))}>
              {t('meetings.action.endYes')}
            </button>
            <button type="button" className="btn btn--secondary" onClick={() => setConfirmEnd(false)}>
              {t('meetings.form.cancel')}
            </button>
          </span>
        ) : null}
        {can('CANCEL') && !confirmCancel ? (
          <button type="button" className="btn btn--danger" disabled={busy} onClick={() => setConfirmCancel(true)}>
            {t('meetings.action.cancel')}
          </button>
        ) : null}
        {can('CANCEL') && confirmCancel ? (
          <span className="doc-confirm" role="group" aria-label={t('meetings.action.cancelConfirm')}>
            <label htmlFor="cancel-reason">{t('meetings.action.cancelReason')}</label>
            <input id="cancel-reason" type="text" value={cancelReason} onChange={(e) => setCancelReason(e.target.value)} />
            <button
              type="button"
              className="btn btn--danger"
              disabled={busy}
              onClick={() => void run(() => cancel({ meetingId: meeting.id, reason: cancelReason.trim().normalize('NFC') || null })).then(() => setConfirmCancel(false))}
            >
              {t('meetings.action.cancelYes')}
            </button>
            <button type="button" className="btn btn--secondary" onClick={() => setConfirmCancel(false)}>
              {t('meetings.form.cancel')}
            </button>
          </span>
        ) : null}
      </div>
      <FormError error={error} />
    </div>
  );
}

function LiveRoom({ meeting, myUserId }: { meeting: MeetingFullFragment; myUserId: string }) {
  const { t } = useTranslation();
  const can = (a: MeetingAction) => meeting.allowedActions.includes(a);
  const current = meeting.agenda.find((i) => i.id === meeting.currentItem?.id) ?? null;
  const [requestToSpeak] = useApiMutation(RequestToSpeakDocument);
  const [nextSpeaker] = useApiMutation(NextSpeakerDocument);
  const [withdraw] = useApiMutation(WithdrawSpeakerDocument);
  const [moveSpeaker] = useApiMutation(MoveSpeakerDocument);
  const [openVote] = useApiMutation(OpenVoteDocument);
  const [castVote] = useApiMutation(CastVoteDocument);
  const [closeVote] = useApiMutation(CloseVoteDocument);
  const speakers = useRun();
  const vote = meeting.openVote ?? (current ? [...current.votes].reverse()[0] : undefined) ?? null;
  const display = meeting.display.document;
  return (
    <section className="card mtg-live-room" aria-labelledby="live-heading">
      <h2 id="live-heading" className="doc-subheading">
        {t('meetings.liveRoom')}
      </h2>
      <div className="mtg-current" aria-live="polite" data-testid="current-item">
        {current ? (
          <p>
            <span className="doc-muted">{t('meetings.currentItem')}</span>{' '}
            <strong>
              {current.order}. {current.title}
            </strong>
          </p>
        ) : (
          <p className="doc-muted">{t('meetings.noCurrentItem')}</p>
        )}
      </div>
      <div className="mtg-live-grid">
        <div>
          {display ? (
            <div className="mtg-display">
              <p className="doc-small">
                {t('meetings.onShow', { title: display.title })}
                {meeting.display.page ? ` · ${t('meetings.docs.page', { page: meeting.display.page })}` : ''}
              </p>
              <DocumentFrame key={`${display.id}-${meeting.display.page ?? 1}`} doc={display} page={meeting.display.page} />
              {can('SHOW_DOCUMENT') && current ? <DisplayControls meeting={meeting} itemId={current.id} /> : null}
            </div>
          ) : null}
          {vote ? (
            <VotePanel vote={vote} onCast={(choice) => castVote({ voteId: vote.id, choice })} onClose={() => closeVote({ voteId: vote.id })} />
          ) : null}
          {current && !meeting.openVote && current.allowedActions.includes('OPEN_VOTE') ? (
            <details className="mtg-details" open={!vote}>
              <summary>{t('meetings.vote.openHeading')}</summary>
              <OpenVoteForm key={current.id} defaultQuestion={t('meetings.vote.defaultQuestion', { title: current.title })} onOpen={(v) => openVote({ itemId: current.id, input: v })} />
            </details>
          ) : null}
        </div>
        <div>
          {current ? (
            <SpeakersPanel
              speakers={meeting.speakers.filter((s) => s.itemId === current.id)}
              myUserId={myUserId}
              canRequest={can('REQUEST_TO_SPEAK')}
              canManage={can('MANAGE_SPEAKERS')}
              busy={speakers.busy}
              onRequest={() => void speakers.run(() => requestToSpeak({ meetingId: meeting.id, itemId: current.id }))}
              onNext={() => void speakers.run(() => nextSpeaker({ meetingId: meeting.id, itemId: current.id }))}
              onWithdraw={(speakerId) => void speakers.run(() => withdraw({ speakerId }))}
              onMove={(speakerId, order) => void speakers.run(() => moveSpeaker({ speakerId, order }))}
            />
          ) : null}
          <FormError error={speakers.error} />
          {can('PASS_WITHOUT_OBJECTION') ? <PassWithoutObjection meeting={meeting} /> : null}
        </div>
      </div>
    </section>
  );
}

/** Chair/secretary: turn the page every screen shows, or stop showing the document. */
function DisplayControls({ meeting, itemId }: { meeting: MeetingFullFragment; itemId: string }) {
  const { t } = useTranslation();
  const [show] = useApiMutation(ShowDocumentDocument);
  const { run, busy, error } = useRun();
  const doc = meeting.display.document;
  const page = meeting.display.page ?? 1;
  if (!doc) return null;
  const go = (p: number | null) => run(() => show({ meetingId: meeting.id, itemId, meetingDocumentId: p === null ? null : doc.id, page: p }));
  return (
    <div className="mtg-buttons">
      <button type="button" className="btn btn--secondary doc-btn--small" disabled={busy || page <= 1} onClick={() => void go(page - 1)}>
        {t('meetings.docs.previousPage')}
      </button>
      <button type="button" className="btn btn--secondary doc-btn--small" disabled={busy || (!!doc.pageCount && page >= doc.pageCount)} onClick={() => void go(page + 1)}>
        {t('meetings.docs.nextPage')}
      </button>
      <button type="button" className="btn btn--link doc-btn--small" disabled={busy} onClick={() => void go(null)}>
        {t('meetings.docs.stopShowing')}
      </button>
      <FormError error={error} />
    </div>
  );
}

/** Thông qua không thảo luận: the items no voting member objected to, passed together in one action. */
function PassWithoutObjection({ meeting }: { meeting: MeetingFullFragment }) {
  const { t } = useTranslation();
  const [pass] = useApiMutation(PassItemsWithoutObjectionDocument);
  const { run, busy, error } = useRun();
  const candidates = meeting.agenda.filter((i) => i.status === 'PENDING' && i.positionSummary.otherOpinion === 0 && i.positionSummary.requestToSpeak === 0);
  const [chosen, setChosen] = useState<string[] | null>(null);
  const selected = chosen ?? candidates.map((i) => i.id);
  if (candidates.length === 0) return null;
  return (
    <section className="mtg-panel" aria-labelledby="pass-heading">
      <h3 id="pass-heading" className="mtg-panel__title">
        {t('meetings.pass.heading')}
      </h3>
      <p className="doc-small doc-muted">{t('meetings.pass.hint')}</p>
      <div className="doc-checklist">
        {candidates.map((i) => (
          <label key={i.id} className="doc-check">
            <input
              type="checkbox"
              checked={selected.includes(i.id)}
              onChange={(e) => setChosen(e.target.checked ? [...selected, i.id] : selected.filter((x) => x !== i.id))}
            />
            <span>
              {i.order}. {i.title}
            </span>
          </label>
        ))}
      </div>
      <button
        type="button"
        className="btn btn--primary"
        disabled={busy || selected.length === 0}
        onClick={() => void run(() => pass({ meetingId: meeting.id, itemIds: selected })).then(() => setChosen(null))}
      >
        {t('meetings.pass.submit', { count: selected.length })}
      </button>
      <FormError error={error} />
    </section>
  );
}

function Participants({ meeting, myUserId }: { meeting: MeetingFullFragment; myUserId: string }) {
  const { t } = useTranslation();
  const [checkIn] = useApiMutation(CheckInDocument);
  const { run, busy, error } = useRun();
  const can = (a: MeetingAction) => meeting.allowedActions.includes(a);
  const a = meeting.attendance;
  const mine = meeting.participants.find((p) => p.user.id === myUserId);
  return (
    <section className="card mtg-section" aria-labelledby="participants-heading">
      <h2 id="participants-heading" className="doc-subheading">
        {t('meetings.participants')}
      </h2>
      <p className="doc-small" data-testid="attendance-summary">
        {t('meetings.attendance.summary', { present: a.present, invited: a.invited, votingPresent: a.votingPresent, votingMembers: a.votingMembers })}
        <br />
        <span className={a.quorumMet ? 'mtg-quorum mtg-quorum--ok' : 'mtg-quorum'}>
          {a.quorumMet ? t('meetings.attendance.quorumMet', { quorum: a.quorum }) : t('meetings.attendance.quorumNotMet', { quorum: a.quorum })}
        </span>
      </p>
      {can('CHECK_IN') && mine && !mine.attendance ? (
        <button type="button" className="btn btn--primary btn--block" disabled={busy} onClick={() => void run(() => checkIn({ meetingId: meeting.id, userId: null }))}>
          {t('meetings.attendance.checkIn')}
        </button>
      ) : null}
      <ul className="mtg-participants">
        {meeting.participants.map((p) => (
          <li key={p.id}>
            <span>
              <strong>{p.user.fullName}</strong>
              <span className="doc-muted doc-small">
                {' '}
                — {t(`meetings.role.${p.role}`)}
                {p.user.agency.id !== meeting.agency.id ? `, ${p.user.agency.name}` : p.user.unit ? ` (${p.user.unit.abbr})` : ''}
              </span>
            </span>
            {p.attendance ? (
              <span className="doc-badge doc-badge--ok">{t('meetings.attendance.present', { time: formatTime(p.attendance.checkedInAt) })}</span>
            ) : can('CHECK_IN_OTHERS') && p.user.id !== myUserId ? (
              <button type="button" className="btn btn--link doc-btn--small" disabled={busy} onClick={() => void run(() => checkIn({ meetingId: meeting.id, userId: p.user.id }))}>
                {t('meetings.attendance.checkInFor', { name: p.user.fullName })}
              </button>
            ) : (
              <span className="doc-badge doc-badge--muted">{t('meetings.attendance.absent')}</span>
            )}
          </li>
        ))}
      </ul>
      <FormError error={error} />
    </section>
  );
}

function AfterSection({ meeting }: { meeting: MeetingFullFragment }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useClient();
  const can = (a: MeetingAction) => meeting.allowedActions.includes(a);
  const [draftNotice] = useApiMutation(DraftConclusionNoticeDocument);
  const [complete] = useApiMutation(CompleteMeetingTaskDocument);
  const { run, busy, error } = useRun();
  const [links, setLinks] = useState<Record<string, { url: string; fileName: string }>>({});
  const report = (kind: MeetingReportKind, format: MeetingReportFormat) =>
    run(async () => {
      const r = await client.query(MeetingReportDocument, { meetingId: meeting.id, kind, format }, { requestPolicy: 'network-only' }).toPromise();
      if (r.error) throw toApiError(r.error);
      const file = r.data!.meetingReport;
      setLinks((l) => ({ ...l, [`${kind}-${format}`]: { url: file.url, fileName: file.fileName } }));
    });
  const REPORTS: [MeetingReportKind, MeetingReportFormat][] = [
    ['MINUTES', 'PDF'],
    ['VOTE_RESULTS', 'PDF'],
    ['VOTE_RESULTS', 'CSV'],
  ];
  return (
    <section className="card mtg-section" aria-labelledby="after-heading">
      <h2 id="after-heading" className="doc-subheading">
        {t('meetings.after.heading')}
      </h2>
      <div className="mtg-buttons">
        {can('DRAFT_CONCLUSION_NOTICE') ? (
          <button
            type="button"
            className="btn btn--primary"
            disabled={busy}
            onClick={() =>
              void run(() => draftNotice({ meetingId: meeting.id })).then((r) => {
                if (r) void navigate(`/outgoing/documents/${r.draftConclusionNotice.id}`);
              })
            }
          >
            {t('meetings.after.draftNotice')}
          </button>
        ) : null}
        {meeting.conclusionDocument ? (
          <Link className="btn btn--link" to={`/outgoing/documents/${meeting.conclusionDocument.id}`}>
            {t('meetings.after.openNotice', { subject: meeting.conclusionDocument.subject })}
          </Link>
        ) : null}
      </div>
      {can('EXPORT') ? (
        <div className="mtg-exports">
          <h3 className="mtg-panel__title">{t('meetings.after.exports')}</h3>
          <ul className="mtg-export-list">
            {REPORTS.map(([kind, format]) => {
              const key = `${kind}-${format}`;
              const link = links[key];
              return (
                <li key={key}>
                  <button type="button" className="btn btn--secondary doc-btn--small" disabled={busy} onClick={() => void report(kind, format)}>
                    {t(`meetings.after.report.${kind}`)} ({format})
                  </button>{' '}
                  {link ? (
                    <a href={link.url} download={link.fileName}>
                      {t('meetings.after.download', { name: link.fileName })}
                    </a>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </div>
      ) : null}
      {meeting.tasks.length > 0 ? (
        <div>
          <h3 className="mtg-panel__title">{t('meetings.tasks.heading')}</h3>
          <div className="doc-table-wrap">
            <table className="doc-table">
              <thead>
                <tr>
                  <th scope="col">{t('meetings.tasks.title')}</th>
                  <th scope="col">{t('meetings.tasks.assignee')}</th>
                  <th scope="col">{t('meetings.tasks.deadlineHeader')}</th>
                  <th scope="col">{t('meetings.tasks.state')}</th>
                </tr>
              </thead>
              <tbody>
                {meeting.tasks.map((task) => (
                  <tr key={task.id}>
                    <td>{task.title}</td>
                    <td>{task.assignee.fullName}</td>
                    <td>{formatDate(task.deadline)}</td>
                    <td>
                      {task.done
                        ? t('meetings.tasks.doneAt', { date: formatDateTime(task.completedAt) })
                        : task.overdue
                          ? t('meetings.tasks.overdue')
                          : t('meetings.tasks.open')}
                      {!task.done && task.canComplete ? (
                        <button type="button" className="btn btn--link doc-btn--small" disabled={busy} onClick={() => void run(() => complete({ taskId: task.id, note: null }))}>
                          {t('meetings.tasks.complete')}
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}
      <FormError error={error} />
    </section>
  );
}
