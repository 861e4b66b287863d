/**
 * Tạo / sửa cuộc họp: title, day (dd/mm/yyyy) and start/end time (HH:mm, Hà Nội time), phòng họp or online
 * link, chủ trì, thư ký, thành viên (vote) and khách mời (do not vote), default speaking time.
 * react-hook-form + zod; the server's `extensions.field` errors go to their field.
 */
import { useDeferredValue, useMemo, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { DateInput } from '../../components/DateInput';
import { Field, FormError, LoadState, errorField } from '../../components/documents/fields';
import { formatVnDate, vnDate } from '../../../../schema/validation/dates';
import { useCurrentUser } from '../../auth/session';
import {
  CreateMeetingDocument,
  MeetingColleaguesDocument,
  MeetingDetailDocument,
  MeetingInviteesDocument,
  UpdateMeetingDocument,
  type MeetingFullFragment,
  type MeetingInviteesQuery,
  type MeetingPersonFragment,
} from '../../graphql/generated';
import { useApiMutation, useApiQuery } from '../../graphql/hooks';
import { formatTime, isoDateVN, parseTime, vnInstant } from './format';
import './meetings.css';

const timeField = (message: string) =>
  z
    .string()
    .trim()
    .transform((text, ctx) => {
      const time = parseTime(text);
      if (!time) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return time;
    });

export const meetingFormSchema = z
  .object({
    title: z.string().trim().min(1, { message: 'Chưa nhập tên cuộc họp.' }).max(500, { message: 'Tên cuộc họp tối đa 500 ký tự.' }),
    date: vnDate(),
    start: timeField('Giờ bắt đầu không hợp lệ, nhập theo dạng HH:mm (ví dụ 08:00).'),
    end: timeField('Giờ kết thúc không hợp lệ, nhập theo dạng HH:mm (ví dụ 11:30).'),
    location: z.string().trim().max(500, { message: 'Địa điểm tối đa 500 ký tự.' }),
    chairId: z.string().min(1, { message: 'Chưa chọn người chủ trì.' }),
    secretaryId: z.string().min(1, { message: 'Chưa chọn thư ký.' }),
    memberIds: z.array(z.string()),
    guestIds: z.array(z.string()),
    speakingMinutes: z.coerce.number<string>().int().min(1, { message: 'Thời gian phát biểu từ 1 đến 30 phút.' }).max(30, { message: 'Thời gian phát biểu từ 1 đến 30 phút.' }),
  })
  .superRefine((v, ctx) => {
    if (v.end <= v.start) ctx.addIssue({ code: 'custom', path: ['end'], message: 'Giờ kết thúc phải sau giờ bắt đầu.' });
    if (v.secretaryId && v.secretaryId === v.chairId) ctx.addIssue({ code: 'custom', path: ['secretaryId'], message: 'Thư ký phải khác người chủ trì.' });
  });
type FormInput = z.input<typeof meetingFormSchema>;
type FormValues = z.output<typeof meetingFormSchema>;

const FIELD_OF: Record<string, keyof FormInput> = {
  title: 'title',
  startsAt: 'start',
  endsAt: 'end',
  location: 'location',
  chairId: 'chairId',
  secretaryId: 'secretaryId',
  memberIds: 'memberIds',
  guestIds: 'guestIds',
  speakingSeconds: 'speakingMinutes',
};

function fromMeeting(m: MeetingFullFragment): FormInput {
  return {
    title: m.title,
    date: formatVnDate(isoDateVN(m.startsAt)),
    start: formatTime(m.startsAt),
    end: formatTime(m.endsAt),
    location: m.location ?? '',
    chairId: m.chair.id,
    secretaryId: m.secretary.id,
    memberIds: m.participants.filter((p) => p.role === 'MEMBER').map((p) => p.user.id),
    guestIds: m.participants.filter((p) => p.role === 'GUEST').map((p) => p.user.id),
    speakingMinutes: String(Math.max(1, Math.round(m.speakingSeconds / 60))),
  };
}

const personLabel = (p: MeetingPersonFragment) => `${p.fullName}${p.title ? ` — ${p.title}` : ''}${p.unit ? ` (${p.unit.abbr})` : ''}`;
type Invitee = MeetingInviteesQuery['meetingInvitees'][number];
const inviteeLabel = (p: Invitee) => `${p.fullName}${p.title ? ` — ${p.title}` : ''} (${p.unitName ? `${p.unitName}, ` : ''}${p.agencyName})`;
/** Guests of an existing meeting from other agencies, labelled as the picker labels them. */
const outsideGuests = (m: MeetingFullFragment | null): Map<string, string> =>
  new Map(
    (m?.participants ?? [])
      .filter((p) => p.role === 'GUEST' && p.user.agency.id !== m!.agency.id)
      .map((p) => [p.user.id, `${p.user.fullName}${p.user.title ? ` — ${p.user.title}` : ''} (${p.user.agency.name})`]),
  );

export default function MeetingFormPage() {
  const { id } = useParams();
  const q = useApiQuery(MeetingDetailDocument, { id: id ?? '' }, { pause: !id });
  const meeting = q.data?.meeting ?? null;
  if (id && !meeting) return <LoadState loading={q.fetching} error={q.error} onRetry={q.refetch} />;
  return <MeetingForm key={meeting?.id ?? 'new'} meeting={meeting} />;
}

function MeetingForm({ meeting }: { meeting: MeetingFullFragment | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useCurrentUser();
  const people = useApiQuery(MeetingColleaguesDocument, { search: null });
  const colleagues = useMemo(() => (people.data?.colleagues ?? []).filter((p) => p.active), [people.data]);
  const [create] = useApiMutation(CreateMeetingDocument);
  const [update] = useApiMutation(UpdateMeetingDocument);
  const [formError, setFormError] = useState<unknown>(null);
  const [memberFilter, setMemberFilter] = useState('');
  // Khách mời from other agencies: the people picker (Query.meetingInvitees: name, title, unit, agency only).
  const [guestSearch, setGuestSearch] = useState('');
  const guestText = useDeferredValue(guestSearch.trim());
  const invitees = useApiQuery(MeetingInviteesDocument, { search: guestText }, { pause: guestText.length < 2 });
  const [outside, setOutside] = useState(() => outsideGuests(meeting));
  const leaders = colleagues.filter((p) => p.roles.includes('LANH_DAO'));
  const {
    control,
    register,
    handleSubmit,
    setError,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<FormInput, unknown, FormValues>({
    resolver: zodResolver(meetingFormSchema),
    defaultValues: meeting
      ? fromMeeting(meeting)
      : { title: '', date: '', start: '08:00', end: '11:30', location: '', chairId: '', secretaryId: me.id, memberIds: [], guestIds: [], speakingMinutes: '3' },
  });
  const chairId = watch('chairId');
  const secretaryId = watch('secretaryId');
  const filterText = memberFilter.trim().toLocaleLowerCase('vi');
  const listed = colleagues.filter((p) => p.id !== chairId && p.id !== secretaryId && (!filterText || p.fullName.toLocaleLowerCase('vi').includes(filterText)));

  const submit = handleSubmit(async (v) => {
    setFormError(null);
    const input = {
      title: v.title.normalize('NFC'),
      startsAt: vnInstant(v.date, v.start),
      endsAt: vnInstant(v.date, v.end),
      location: v.location === '' ? null : v.location.normalize('NFC'),
      chairId: v.chairId,
      secretaryId: v.secretaryId,
      memberIds: v.memberIds.filter((x) => x !== v.chairId && x !== v.secretaryId),
      guestIds: v.guestIds.filter((x) => x !== v.chairId && x !== v.secretaryId && !v.memberIds.includes(x)),
      speakingSeconds: v.speakingMinutes * 60,
    };
    try {
      const id = meeting ? (await update({ meetingId: meeting.id, input })).updateMeeting.id : (await create({ input })).createMeeting.id;
      void navigate(`/meetings/${id}`);
    } catch (e) {
      const field = errorField(e);
      const target = field ? FIELD_OF[field] : undefined;
      if (target && e instanceof Error) setError(target, { message: e.message });
      else setFormError(e);
    }
  });

  const title = meeting ? t('meetings.form.editTitle') : t('meetings.form.newTitle');
  return (
    <>
      <nav className="doc-breadcrumb" aria-label={t('meetings.breadcrumb')}>
        <Link to="/meetings">{t('nav.meetings')}</Link>
        {meeting ? (
          <>
            <span aria-hidden="true"> › </span>
            <Link to={`/meetings/${meeting.id}`}>{meeting.title}</Link>
          </>
        ) : null}
      </nav>
      <PageHeader title={title} description={t('meetings.form.description')} />
      <form className="card doc-form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="doc-form__grid">
          <Field label={t('meetings.field.title')} required error={errors.title?.message} className="doc-span-2">
            {(c) => <input {...c} type="text" {...register('title')} />}
          </Field>
          <Controller
            control={control}
            name="date"
            render={({ field }) => (
              <Field label={t('meetings.field.date')} required error={errors.date?.message} hint={t('meetings.form.dateHint')}>
                {(c) => <DateInput {...c} value={field.value} onChange={field.onChange} onBlur={field.onBlur} />}
              </Field>
            )}
          />
          <div className="mtg-time-pair">
            <Field label={t('meetings.field.start')} required error={errors.start?.message}>
              {(c) => <input {...c} type="text" inputMode="numeric" placeholder="HH:mm" maxLength={5} {...register('start')} />}
            </Field>
            <Field label={t('meetings.field.end')} required error={errors.end?.message}>
              {(c) => <input {...c} type="text" inputMode="numeric" placeholder="HH:mm" maxLength={5} {...register('end')} />}
            </Field>
          </div>
          <Field label={t('meetings.field.location')} hint={t('meetings.form.locationHint')} error={errors.location?.message} className="doc-span-2">
            {(c) => <input {...c} type="text" {...register('location')} />}
          </Field>
          <Field label={t('meetings.field.chair')} required error={errors.chairId?.message}>
            {(c) => (
              <select {...c} {...register('chairId')}>
                <option value="">{t('meetings.form.choose')}</option>
                {(leaders.length > 0 ? leaders : colleagues).map((p) => (
                  <option key={p.id} value={p.id}>
                    {personLabel(p)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('meetings.field.secretary')} required error={errors.secretaryId?.message}>
            {(c) => (
              <select {...c} {...register('secretaryId')}>
                <option value="">{t('meetings.form.choose')}</option>
                {colleagues.map((p) => (
                  <option key={p.id} value={p.id}>
                    {personLabel(p)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('meetings.field.speakingMinutes')} error={errors.speakingMinutes?.message}>
            {(c) => <input {...c} type="text" inputMode="numeric" maxLength={2} {...register('speakingMinutes')} />}
          </Field>
          <div className="doc-span-2">
            <Field label={t('meetings.form.filterPeople')}>
              {(c) => <input {...c} type="search" value={memberFilter} onChange={(e) => setMemberFilter(e.target.value)} />}
            </Field>
          </div>
          <Controller
            control={control}
            name="memberIds"
            render={({ field }) => (
              <PeopleChecklist
                legend={t('meetings.field.members')}
                hint={t('meetings.form.membersHint')}
                people={listed}
                value={field.value}
                onChange={field.onChange}
                error={errors.memberIds?.message}
              />
            )}
          />
          <Controller
            control={control}
            name="guestIds"
            render={({ field }) => (
              <>
                <PeopleChecklist
                  legend={t('meetings.field.guests')}
                  hint={t('meetings.form.guestsHint')}
                  people={listed}
                  value={field.value}
                  onChange={field.onChange}
                  error={errors.guestIds?.message}
                />
                <fieldset className="doc-fieldset doc-span-2">
                  <legend>{t('meetings.form.guestSearch')}</legend>
                  {outside.size > 0 ? (
                    <ul className="mtg-participants" aria-label={t('meetings.form.chosenGuests')}>
                      {[...outside]
                        .filter(([id]) => field.value.includes(id))
                        .map(([id, label]) => (
                          <li key={id}>
                            <span>{label}</span>
                            <button type="button" className="btn btn--link doc-btn--small" aria-label={t('meetings.form.removeGuest', { name: label })} onClick={() => field.onChange(field.value.filter((x) => x !== id))}>
                              ×
                            </button>
                          </li>
                        ))}
                    </ul>
                  ) : null}
                  <Field label={t('meetings.form.guestSearch')} hint={t('meetings.form.guestSearchHint')}>
                    {(c) => <input {...c} type="search" value={guestSearch} onChange={(e) => setGuestSearch(e.target.value)} />}
                  </Field>
                  {guestText.length >= 2 ? <LoadState loading={invitees.fetching && !invitees.data} error={invitees.error} onRetry={invitees.refetch} /> : null}
                  {guestText.length >= 2 && invitees.data ? (
                    invitees.data.meetingInvitees.length === 0 ? (
                      <p className="doc-muted doc-small">{t('meetings.form.guestNone')}</p>
                    ) : (
                      <ul className="mtg-participants" aria-label={t('meetings.form.guestResults')}>
                        {invitees.data.meetingInvitees.map((p) => {
                          const chosen = field.value.includes(p.id) || p.id === chairId || p.id === secretaryId;
                          return (
                            <li key={p.id}>
                              <span>{inviteeLabel(p)}</span>
                              <button
                                type="button"
                                className="btn btn--secondary doc-btn--small"
                                disabled={chosen}
                                onClick={() => {
                                  if (!colleagues.some((x) => x.id === p.id)) setOutside((m) => new Map(m).set(p.id, inviteeLabel(p)));
                                  field.onChange([...field.value, p.id]);
                                }}
                              >
                                {chosen ? t('meetings.form.invited') : t('meetings.form.invite')}
                              </button>
                            </li>
                          );
                        })}
                      </ul>
                    )
                  ) : null}
                </fieldset>
              </>
            )}
          />
        </div>
        <LoadState loading={people.fetching && colleagues.length === 0} error={people.error} onRetry={people.refetch} />
        <div className="doc-form__actions">
          <button type="submit" className="btn btn--primary" disabled={isSubmitting}>
            {meeting ? t('meetings.form.save') : t('meetings.form.create')}
          </button>
          <Link className="btn btn--secondary" to={meeting ? `/meetings/${meeting.id}` : '/meetings'}>
            {t('meetings.form.cancel')}
          </Link>
        </div>
        <FormError error={formError} />
      </form>
    </>
  );
}

function PeopleChecklist({
  legend,
  hint,
  people,
  value,
  onChange,
  error,
}: {
  legend: string;
  hint: string;
  people: readonly MeetingPersonFragment[];
  value: string[];
  onChange: (v: string[]) => void;
  error?: string;
}) {
  const chosen = new Set(value);
  return (
    <fieldset className="doc-fieldset">
      <legend>{legend}</legend>
      <p className="doc-field__hint">{hint}</p>
      <div className="doc-checklist">
        {people.map((p) => (
          <label key={p.id} className="doc-check">
            <input type="checkbox" checked={chosen.has(p.id)} onChange={(e) => onChange(e.target.checked ? [...value, p.id] : value.filter((x) => x !== p.id))} />
            <span>{personLabel(p)}</span>
          </label>
        ))}
      </div>
      {error ? <p className="doc-field__error">{error}</p> : null}
    </fieldset>
  );
}
