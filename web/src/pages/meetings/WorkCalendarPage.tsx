/**
 * Lịch công tác tuần: the agency's weekly work calendar of its leaders — meetings and other engagements,
 * Monday to Sunday, as agencies publish it every week — with the printable PDF, a form to add an engagement
 * (when the server allows) and the lobby display tokens (màn hình sảnh).
 */
import { useMemo, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useClient } from 'urql';
import { PageHeader } from '../../components/PageHeader';
import { DateInput } from '../../components/DateInput';
import { Field, FormError, LoadState, errorField } from '../../components/documents/fields';
import { addDays, formatDate, todayVN } from '../../components/documents/format';
import { formatVnDate, parseVnDate, vnDate } from '../../../../schema/validation/dates';
import {
  CreateEngagementDocument,
  DeleteEngagementDocument,
  DisplayTokensDocument,
  IssueDisplayTokenDocument,
  MeetingCapabilitiesDocument,
  MeetingColleaguesDocument,
  RevokeDisplayTokenDocument,
  WorkCalendarDocument,
  WorkCalendarPdfDocument,
  type CalendarEntryFieldsFragment,
} from '../../graphql/generated';
import { useApiMutation, useApiQuery } from '../../graphql/hooks';
import { toApiError } from '../../graphql/urql';
import { formatTime, parseTime, vnInstant, weekday } from './format';
import { useRun } from './useRun';
import './meetings.css';

export default function WorkCalendarPage() {
  const { t } = useTranslation();
  // The lobby display tokens' section only when the server says the user may manage them.
  const caps = useApiQuery(MeetingCapabilitiesDocument, {});
  const client = useClient();
  const [params, setParams] = useSearchParams();
  const week = params.get('week') ?? todayVN();
  const setWeek = (date: string) => setParams({ week: date }, { replace: true });
  const [jump, setJump] = useState(formatVnDate(week));
  const [jumpError, setJumpError] = useState<string | null>(null);
  const q = useApiQuery(WorkCalendarDocument, { week });
  const dayLabel = useDayLabel();
  const cal = q.data?.workCalendar;
  const pdf = useRun();
  const [pdfLink, setPdfLink] = useState<{ url: string; fileName: string; week: string } | null>(null);
  const getPdf = () =>
    pdf.run(async () => {
      const r = await client.query(WorkCalendarPdfDocument, { week }, { requestPolicy: 'network-only' }).toPromise();
      if (r.error) throw toApiError(r.error);
      setPdfLink({ url: r.data!.workCalendarPdf.url, fileName: r.data!.workCalendarPdf.fileName, week });
    });
  const title = cal ? t('meetings.calendar.weekTitle', { week: cal.weekNumber, from: formatDate(cal.from), to: formatDate(cal.to) }) : t('meetings.calendar.title');
  return (
    <>
      <nav className="doc-breadcrumb" aria-label={t('meetings.breadcrumb')}>
        <Link to="/meetings">{t('nav.meetings')}</Link>
        <span aria-hidden="true"> › </span>
        <span>{t('meetings.calendar.title')}</span>
      </nav>
      <PageHeader title={t('meetings.calendar.title')} description={t('meetings.calendar.description')} />
      <div className="mtg-cal-toolbar">
        <button type="button" className="btn btn--secondary" onClick={() => setWeek(addDays(cal?.from ?? week, -7))}>
          {t('meetings.calendar.previous')}
        </button>
        <button type="button" className="btn btn--secondary" onClick={() => setWeek(todayVN())}>
          {t('meetings.calendar.thisWeek')}
        </button>
        <button type="button" className="btn btn--secondary" onClick={() => setWeek(addDays(cal?.from ?? week, 7))}>
          {t('meetings.calendar.next')}
        </button>
        <form
          className="mtg-cal-jump"
          onSubmit={(e) => {
            e.preventDefault();
            const iso = parseVnDate(jump);
            if (!iso) return setJumpError(t('meetings.calendar.badDate'));
            setJumpError(null);
            setWeek(iso);
          }}
        >
          <Field label={t('meetings.calendar.weekOf')} error={jumpError}>
            {(c) => <DateInput {...c} value={jump} onChange={setJump} />}
          </Field>
          <button type="submit" className="btn btn--secondary">
            {t('meetings.calendar.go')}
          </button>
        </form>
        <button type="button" className="btn btn--secondary" disabled={pdf.busy} onClick={() => void getPdf()}>
          {t('meetings.calendar.pdf')}
        </button>
        {pdfLink && pdfLink.week === week ? (
          <a href={pdfLink.url} target="_blank" rel="noopener noreferrer">
            {t('meetings.after.download', { name: pdfLink.fileName })}
          </a>
        ) : null}
      </div>
      <FormError error={pdf.error} />
      <LoadState loading={q.fetching && !cal} error={q.error} onRetry={q.refetch} />
      {cal ? (
        <section className="card" aria-labelledby="calendar-heading">
          <h2 id="calendar-heading" className="doc-subheading">
            {title}
          </h2>
          <div className="doc-table-wrap">
            <table className="doc-table mtg-calendar">
              <thead>
                <tr>
                  <th scope="col">{t('meetings.calendar.day')}</th>
                  <th scope="col">{t('meetings.calendar.time')}</th>
                  <th scope="col">{t('meetings.calendar.content')}</th>
                  <th scope="col">{t('meetings.calendar.leaders')}</th>
                  <th scope="col">{t('meetings.calendar.place')}</th>
                </tr>
              </thead>
              <tbody>
                {cal.days.map((d) =>
                  d.entries.length === 0 ? (
                    <tr key={d.date}>
                      <th scope="row">{dayLabel(d.date)}</th>
                      <td colSpan={4} className="doc-muted">
                        {t('meetings.calendar.nothing')}
                      </td>
                    </tr>
                  ) : (
                    d.entries.map((e, i) => <CalendarRow key={e.id} entry={e} day={i === 0 ? { label: dayLabel(d.date), rows: d.entries.length } : null} />)
                  ),
                )}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      {cal?.canAddEngagement ? <EngagementForm defaultDate={cal.from} /> : null}
      {caps.data?.meetingCapabilities.includes('MANAGE_DISPLAYS') ? <DisplayTokens /> : null}
    </>
  );
}

/** "Thứ Hai, 07/12/2026". */
function useDayLabel(): (date: string) => string {
  const { t } = useTranslation();
  const names = [
    t('meetings.calendar.weekday.1'),
    t('meetings.calendar.weekday.2'),
    t('meetings.calendar.weekday.3'),
    t('meetings.calendar.weekday.4'),
    t('meetings.calendar.weekday.5'),
    t('meetings.calendar.weekday.6'),
    t('meetings.calendar.weekday.7'),
  ];
  return (date: string) => `${names[weekday(date) - 1]}, ${formatDate(date)}`;
}

function CalendarRow({ entry, day }: { entry: CalendarEntryFieldsFragment; day: { label: string; rows: number } | null }) {
  const { t } = useTranslation();
  const [remove] = useApiMutation(DeleteEngagementDocument);
  const { run, busy, error } = useRun();
  return (
    <tr data-testid="calendar-entry">
      {day ? (
        <th scope="row" rowSpan={day.rows}>
          {day.label}
        </th>
      ) : null}
      <td>
        {formatTime(entry.startsAt)}–{formatTime(entry.endsAt)}
      </td>
      <td>
        {entry.meetingId ? <Link to={`/meetings/${entry.meetingId}`}>{entry.title}</Link> : entry.title}
        {entry.kind === 'MEETING' ? <span className="doc-muted doc-small"> ({t('meetings.calendar.meeting')})</span> : null}
        {entry.engagement?.note ? <div className="doc-small doc-muted">{entry.engagement.note}</div> : null}
        {entry.engagement?.canEdit ? (
          <button
            type="button"
            className="btn btn--link doc-btn--small"
            disabled={busy}
            onClick={() => void run(() => remove({ engagementId: entry.engagement!.id }))}
          >
            {t('meetings.calendar.deleteEngagement')}
          </button>
        ) : null}
        <FormError error={error} />
      </td>
      <td>{entry.leaders.map((l) => l.fullName).join(', ')}</td>
      <td>{entry.location ?? ''}</td>
    </tr>
  );
}

const engagementSchema = z
  .object({
    title: z.string().trim().min(1, { message: 'Chưa nhập nội dung công tác.' }).max(500, { message: 'Nội dung tối đa 500 ký tự.' }),
    date: vnDate(),
    start: z.string().transform((s, ctx) => parseTime(s) ?? (ctx.addIssue({ code: 'custom', message: 'Giờ không hợp lệ, nhập theo dạng HH:mm.' }), z.NEVER)),
    end: z.string().transform((s, ctx) => parseTime(s) ?? (ctx.addIssue({ code: 'custom', message: 'Giờ không hợp lệ, nhập theo dạng HH:mm.' }), z.NEVER)),
    location: z.string().trim().max(500),
    leaderIds: z.array(z.string()).min(1, { message: 'Chọn ít nhất một lãnh đạo.' }),
    note: z.string().trim().max(2000),
  })
  .superRefine((v, ctx) => {
    if (v.end <= v.start) ctx.addIssue({ code: 'custom', path: ['end'], message: 'Giờ kết thúc phải sau giờ bắt đầu.' });
  });
type EngagementInput = z.input<typeof engagementSchema>;
type EngagementValues = z.output<typeof engagementSchema>;

function EngagementForm({ defaultDate }: { defaultDate: string }) {
  const { t } = useTranslation();
  const people = useApiQuery(MeetingColleaguesDocument, { search: null });
  const leaders = useMemo(() => (people.data?.colleagues ?? []).filter((p) => p.active && p.roles.includes('LANH_DAO')), [people.data]);
  const [create] = useApiMutation(CreateEngagementDocument);
  const [formError, setFormError] = useState<unknown>(null);
  const {
    control,
    register,
    handleSubmit,
    reset,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<EngagementInput, unknown, EngagementValues>({
    resolver: zodResolver(engagementSchema),
    defaultValues: { title: '', date: formatVnDate(defaultDate), start: '08:00', end: '11:00', location: '', leaderIds: [], note: '' },
  });
  const submit = handleSubmit(async (v) => {
    setFormError(null);
    try {
      await create(
        {
          input: {
            title: v.title.normalize('NFC'),
            startsAt: vnInstant(v.date, v.start),
            endsAt: vnInstant(v.date, v.end),
            location: v.location || null,
            leaderIds: v.leaderIds,
            note: v.note || null,
          },
        }
      );
      reset();
    } catch (e) {
      const f = errorField(e);
      const target = f === 'title' || f === 'location' || f === 'note' || f === 'leaderIds' ? f : f === 'startsAt' ? 'start' : f === 'endsAt' ? 'end' : undefined;
      if (target && e instanceof Error) setError(target, { message: e.message });
      else setFormError(e);
    }
  });
  return (
    <details className="card mtg-details">
      <summary>{t('meetings.calendar.addEngagement')}</summary>
      <form className="doc-form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="doc-form__grid">
          <Field label={t('meetings.calendar.engagementTitle')} required error={errors.title?.message} className="doc-span-2">
            {(c) => <input {...c} type="text" {...register('title')} />}
          </Field>
          <Controller
            control={control}
            name="date"
            render={({ field }) => (
              <Field label={t('meetings.field.date')} required error={errors.date?.message}>
                {(c) => <DateInput {...c} value={field.value} onChange={field.onChange} onBlur={field.onBlur} />}
              </Field>
            )}
          />
          <div className="mtg-time-pair">
            <Field label={t('meetings.field.start')} required error={errors.start?.message}>
              {(c) => <input {...c} type="text" placeholder="HH:mm" maxLength={5} {...register('start')} />}
            </Field>
            <Field label={t('meetings.field.end')} required error={errors.end?.message}>
              {(c) => <input {...c} type="text" placeholder="HH:mm" maxLength={5} {...register('end')} />}
            </Field>
          </div>
          <Field label={t('meetings.field.location')} error={errors.location?.message}>
            {(c) => <input {...c} type="text" {...register('location')} />}
          </Field>
          <Field label={t('meetings.calendar.note')} error={errors.note?.message}>
            {(c) => <input {...c} type="text" {...register('note')} />}
          </Field>
          <Controller
            control={control}
            name="leaderIds"
            render={({ field }) => (
              <fieldset className="doc-fieldset doc-span-2">
                <legend>{t('meetings.calendar.leaders')}</legend>
                <div className="doc-checklist">
                  {leaders.map((p) => (
                    <label key={p.id} className="doc-check">
                      <input
                        type="checkbox"
                        checked={field.value.includes(p.id)}
                        onChange={(e) => field.onChange(e.target.checked ? [...field.value, p.id] : field.value.filter((x) => x !== p.id))}
                      />
                      <span>
                        {p.fullName}
                        {p.title ? ` — ${p.title}` : ''}
                      </span>
                    </label>
                  ))}
                </div>
                {errors.leaderIds ? <p className="doc-field__error">{errors.leaderIds.message}</p> : null}
              </fieldset>
            )}
          />
        </div>
        <div className="doc-form__actions">
          <button type="submit" className="btn btn--primary" disabled={isSubmitting}>
            {t('meetings.calendar.saveEngagement')}
          </button>
        </div>
        <FormError error={formError} />
      </form>
    </details>
  );
}

/** Màn hình sảnh: tokens for the lobby display page (/display/<token>), shown once when issued. */
function DisplayTokens() {
  const { t } = useTranslation();
  const list = useApiQuery(DisplayTokensDocument, {});
  const [issue] = useApiMutation(IssueDisplayTokenDocument);
  const [revoke] = useApiMutation(RevokeDisplayTokenDocument);
  const { run, busy, error } = useRun();
  const [room, setRoom] = useState('');
  const [issued, setIssued] = useState<string | null>(null);
  const link = issued ? `${window.location.origin}/display/${encodeURIComponent(issued)}` : null;
  return (
    <details className="card mtg-details">
      <summary>{t('meetings.display.heading')}</summary>
      <p className="doc-small doc-muted">{t('meetings.display.hint')}</p>
      <div className="mtg-cal-jump">
        <Field label={t('meetings.display.room')}>{(c) => <input {...c} type="text" value={room} onChange={(e) => setRoom(e.target.value)} />}</Field>
        <button
          type="button"
          className="btn btn--secondary"
          disabled={busy}
          onClick={() =>
            void run(() => issue({ room: room.trim() || null })).then((r) => {
              if (r) setIssued(r.issueDisplayToken.token);
            })
          }
        >
          {t('meetings.display.issue')}
        </button>
      </div>
      {link ? (
        <p className="alert alert--info" role="status">
          {t('meetings.display.issued')}{' '}
          <a href={link} target="_blank" rel="noopener noreferrer" data-testid="display-link">
            {link}
          </a>
        </p>
      ) : null}
      <LoadState loading={list.fetching && !list.data} error={list.error} />
      {list.data && list.data.displayTokens.length > 0 ? (
        <ul className="mtg-participants">
          {list.data.displayTokens.map((d) => (
            <li key={d.id}>
              <span>{d.room ?? t('meetings.display.allRooms')}</span>
              {d.revokedAt ? (
                <span className="doc-badge doc-badge--muted">{t('meetings.display.revoked')}</span>
              ) : (
                <button type="button" className="btn btn--link doc-btn--small" disabled={busy} onClick={() => void run(() => revoke({ id: d.id }))}>
                  {t('meetings.display.revoke')}
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <FormError error={error} />
    </details>
  );
}
