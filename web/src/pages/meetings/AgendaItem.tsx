/**
 * One nội dung of the agenda as the caller sees it: presenter, time, status, documents, the position counts,
 * the member's own position form (before it is discussed), all positions (chair, secretary), the minutes
 * (thư ký), the conclusion with its tasks (chủ trì), and the votes held on it. Every button follows the item's
 * `allowedActions`. `AgendaItemForm` adds an item (title, presenter, duration).
 */
import { useEffect, useState } from 'react';
import { useFieldArray, useForm, Controller } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { useTranslation } from 'react-i18next';
import {
  AddAgendaItemDocument,
  CastVoteDocument,
  CloseVoteDocument,
  ConcludeItemDocument,
  MoveAgendaItemDocument,
  RemoveAgendaItemDocument,
  RecordPositionDocument,
  SaveMinutesDocument,
  type AgendaItemFieldsFragment,
  type MeetingDocumentFieldsFragment,
  type MeetingPersonFragment,
} from '../../graphql/generated';
import { useApiMutation } from '../../graphql/hooks';
import { DateInput } from '../../components/DateInput';
import { Field, FormError, errorField } from '../../components/documents/fields';
import { formatDate } from '../../components/documents/format';
import { vnDate } from '../../../../schema/validation/dates';
import { AttachDocumentForm, ItemDocuments } from './ItemDocuments';
import { PositionForm } from './PositionForm';
import { VotePanel } from './VotePanel';
import { useRun } from './useRun';

export function PositionSummaryLine({ item }: { item: AgendaItemFieldsFragment }) {
  const { t } = useTranslation();
  const s = item.positionSummary;
  return (
    <p className="doc-small mtg-summary" data-testid={`position-summary-${item.order}`}>
      {t('meetings.position.summary', { agree: s.agree, other: s.otherOpinion, speak: s.requestToSpeak, none: s.none })}
    </p>
  );
}

export function AgendaItemCard({
  item,
  people,
  isCurrent,
  isLast,
  onSetCurrent,
  onShowDocument,
}: {
  item: AgendaItemFieldsFragment;
  /** Participants, for the assignees of tasks. */
  people: readonly MeetingPersonFragment[];
  isCurrent: boolean;
  /** The last item of the agenda (no "move down"). */
  isLast?: boolean;
  onSetCurrent?: () => void;
  onShowDocument?: (doc: MeetingDocumentFieldsFragment) => void;
}) {
  const { t } = useTranslation();
  const can = (a: AgendaItemFieldsFragment['allowedActions'][number]) => item.allowedActions.includes(a);
  const [recordPosition] = useApiMutation(RecordPositionDocument);
  const [castVote] = useApiMutation(CastVoteDocument);
  const [closeVote] = useApiMutation(CloseVoteDocument);
  const headingId = `item-${item.id}-heading`;
  const closedVotes = item.votes.filter((v) => v.status === 'CLOSED');
  return (
    <article className={`mtg-item${isCurrent ? ' mtg-item--current' : ''}`} aria-labelledby={headingId} data-testid={`agenda-item-${item.order}`}>
      <header className="mtg-item__header">
        <h3 id={headingId} className="mtg-item__title">
          {item.order}. {item.title}
        </h3>
        <span className={`doc-badge mtg-status mtg-status--${item.status.toLowerCase()}`}>{t(`meetings.itemStatus.${item.status}`)}</span>
      </header>
      {can('UPDATE') ? <ItemEditControls item={item} isLast={!!isLast} /> : null}
      <p className="doc-muted doc-small">
        {item.presenter ? t('meetings.item.presenter', { name: item.presenter.fullName }) : t('meetings.item.noPresenter')}
        {item.durationMinutes ? ` · ${t('meetings.item.duration', { count: item.durationMinutes })}` : ''}
      </p>
      <ItemDocuments documents={item.documents} canRemove={can('ATTACH_DOCUMENT')} onShow={isCurrent ? onShowDocument : undefined} />
      {can('ATTACH_DOCUMENT') ? (
        <details className="mtg-details">
          <summary>{t('meetings.docs.attachTitle')}</summary>
          <AttachDocumentForm itemId={item.id} />
        </details>
      ) : null}
      <PositionSummaryLine item={item} />
      {item.myPosition && !can('RECORD_POSITION') ? (
        <p className="doc-small">
          {t('meetings.position.mine', { kind: t(`meetings.position.kind.${item.myPosition.kind}`) })}
          {item.myPosition.opinion ? ` — ${item.myPosition.opinion}` : ''}
        </p>
      ) : null}
      {can('RECORD_POSITION') ? (
        <PositionForm itemTitle={item.title} current={item.myPosition} onSave={(v) => recordPosition({ itemId: item.id, input: v })} />
      ) : null}
      {item.positions ? <PositionsTable item={item} /> : null}
      {onSetCurrent && can('SET_CURRENT') && !isCurrent ? (
        <div className="mtg-buttons">
          <button type="button" className="btn btn--secondary" onClick={onSetCurrent}>
            {t('meetings.item.setCurrent', { order: item.order })}
          </button>
        </div>
      ) : null}
      {closedVotes.map((v) => (
        <VotePanel key={v.id} vote={v} onCast={(choice) => castVote({ voteId: v.id, choice })} onClose={() => closeVote({ voteId: v.id })} />
      ))}
      {can('TAKE_MINUTES') ? <MinutesEditor item={item} /> : item.minutes ? <MinutesView item={item} /> : null}
      {item.conclusion ? (
        <div className="mtg-conclusion">
          <h4>{t('meetings.item.conclusion')}</h4>
          <p className="mtg-pre" data-testid={`conclusion-${item.order}`}>
            {item.conclusion}
          </p>
        </div>
      ) : null}
      {item.tasks.length > 0 ? (
        <ul className="mtg-tasks">
          {item.tasks.map((task) => (
            <li key={task.id}>
              {task.title} — {task.assignee.fullName}, {t('meetings.tasks.deadline', { date: formatDate(task.deadline) })}
              {task.done ? ` (${t('meetings.tasks.done')})` : task.overdue ? ` (${t('meetings.tasks.overdue')})` : ''}
            </li>
          ))}
        </ul>
      ) : null}
      {can('CONCLUDE') ? <ConcludeForm item={item} people={people} /> : null}
    </article>
  );
}

/** Chuẩn bị: move an item up or down the agenda, or remove it. */
function ItemEditControls({ item, isLast }: { item: AgendaItemFieldsFragment; isLast: boolean }) {
  const { t } = useTranslation();
  const [move] = useApiMutation(MoveAgendaItemDocument);
  const [remove] = useApiMutation(RemoveAgendaItemDocument);
  const { run, busy, error } = useRun();
  const [confirm, setConfirm] = useState(false);
  return (
    <div className="mtg-buttons mtg-item__edit">
      {item.order > 1 ? (
        <button type="button" className="btn btn--link doc-btn--small" disabled={busy} onClick={() => void run(() => move({ itemId: item.id, order: item.order - 1 }))}>
          {t('meetings.item.moveUp', { order: item.order })}
        </button>
      ) : null}
      {!isLast ? (
        <button type="button" className="btn btn--link doc-btn--small" disabled={busy} onClick={() => void run(() => move({ itemId: item.id, order: item.order + 1 }))}>
          {t('meetings.item.moveDown', { order: item.order })}
        </button>
      ) : null}
      {confirm ? (
        <button type="button" className="btn btn--danger doc-btn--small" disabled={busy} onClick={() => void run(() => remove({ itemId: item.id }))}>
          {t('meetings.item.removeYes', { order: item.order })}
        </button>
      ) : (
        <button type="button" className="btn btn--link doc-btn--small" onClick={() => setConfirm(true)}>
          {t('meetings.item.remove', { order: item.order })}
        </button>
      )}
      <FormError error={error} />
    </div>
  );
}

function PositionsTable({ item }: { item: AgendaItemFieldsFragment }) {
  const { t } = useTranslation();
  const positions = item.positions ?? [];
  if (positions.length === 0) return <p className="doc-muted doc-small">{t('meetings.position.noneYet')}</p>;
  return (
    <div className="doc-table-wrap">
      <table className="doc-table mtg-positions" aria-label={t('meetings.position.tableLabel', { title: item.title })}>
        <thead>
          <tr>
            <th scope="col">{t('meetings.position.member')}</th>
            <th scope="col">{t('meetings.position.kindHeader')}</th>
            <th scope="col">{t('meetings.position.opinion')}</th>
          </tr>
        </thead>
        <tbody>
          {positions.map((p) => (
            <tr key={p.id}>
              <td>{p.user.fullName}</td>
              <td>{t(`meetings.position.kind.${p.kind}`)}</td>
              <td>{p.opinion ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MinutesView({ item }: { item: AgendaItemFieldsFragment }) {
  const { t } = useTranslation();
  return (
    <div className="mtg-minutes">
      <h4>{t('meetings.minutes.heading')}</h4>
      <p className="mtg-pre">{item.minutes}</p>
    </div>
  );
}

function MinutesEditor({ item }: { item: AgendaItemFieldsFragment }) {
  const { t } = useTranslation();
  const [text, setText] = useState(item.minutes ?? '');
  const [dirty, setDirty] = useState(false);
  const [saved, setSaved] = useState(false);
  const [save] = useApiMutation(SaveMinutesDocument);
  const { run, busy, error } = useRun();
  useEffect(() => {
    if (!dirty) setText(item.minutes ?? '');
  }, [item.minutes, dirty]);
  const id = `minutes-${item.id}`;
  return (
    <div className="mtg-minutes">
      <label htmlFor={id}>
        <strong>{t('meetings.minutes.label', { order: item.order })}</strong>
      </label>
      <textarea id={id} rows={5} value={text} onChange={(e) => (setText(e.target.value), setDirty(true), setSaved(false))} />
      <div className="mtg-buttons">
        <button
          type="button"
          className="btn btn--secondary"
          disabled={busy}
          onClick={() =>
            void run(() => save({ itemId: item.id, minutes: text.normalize('NFC') })).then((r) => {
              if (r) {
                setDirty(false);
                setSaved(true);
              }
            })
          }
        >
          {t('meetings.minutes.save')}
        </button>
        <span role="status" className="doc-muted doc-small">
          {saved ? t('meetings.minutes.saved') : ''}
        </span>
      </div>
      <FormError error={error} />
    </div>
  );
}

const concludeSchema = z.object({
  conclusion: z.string().trim().min(1, { message: 'Chưa nhập kết luận.' }).max(10000, { message: 'Kết luận tối đa 10.000 ký tự.' }),
  tasks: z.array(
    z.object({
      title: z.string().trim().min(1, { message: 'Chưa nhập nội dung nhiệm vụ.' }).max(1000, { message: 'Nhiệm vụ tối đa 1.000 ký tự.' }),
      assigneeId: z.string().min(1, { message: 'Chưa chọn người được giao.' }),
      deadline: vnDate(),
    }),
  ),
});
type ConcludeInput = z.input<typeof concludeSchema>;
type ConcludeValues = z.output<typeof concludeSchema>;

function ConcludeForm({ item, people }: { item: AgendaItemFieldsFragment; people: readonly MeetingPersonFragment[] }) {
  const { t } = useTranslation();
  const [conclude] = useApiMutation(ConcludeItemDocument);
  const [formError, setFormError] = useState<unknown>(null);
  const {
    control,
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<ConcludeInput, unknown, ConcludeValues>({
    resolver: zodResolver(concludeSchema),
    defaultValues: { conclusion: item.conclusion ?? '', tasks: [] },
  });
  const tasks = useFieldArray({ control, name: 'tasks' });
  const submit = handleSubmit(async (v) => {
    setFormError(null);
    try {
      await conclude({
        itemId: item.id,
        input: { conclusion: v.conclusion.normalize('NFC'), tasks: v.tasks.map((x) => ({ title: x.title.normalize('NFC'), assigneeId: x.assigneeId, deadline: x.deadline })) },
      });
    } catch (e) {
      if (errorField(e) === 'conclusion' && e instanceof Error) setError('conclusion', { message: e.message });
      else setFormError(e);
    }
  });
  return (
    <form className="mtg-conclude" onSubmit={(e) => void submit(e)} noValidate aria-label={t('meetings.conclude.formLabel', { order: item.order })}>
      <Field label={t('meetings.conclude.label', { order: item.order })} required error={errors.conclusion?.message}>
        {(c) => <textarea {...c} rows={4} {...register('conclusion')} />}
      </Field>
      {tasks.fields.map((f, i) => (
        <fieldset key={f.id} className="doc-fieldset mtg-task-row">
          <legend>{t('meetings.conclude.task', { n: i + 1 })}</legend>
          <Field label={t('meetings.conclude.taskTitle')} required error={errors.tasks?.[i]?.title?.message}>
            {(c) => <input {...c} type="text" {...register(`tasks.${i}.title`)} />}
          </Field>
          <Field label={t('meetings.conclude.assignee')} required error={errors.tasks?.[i]?.assigneeId?.message}>
            {(c) => (
              <select {...c} {...register(`tasks.${i}.assigneeId`)}>
                <option value="">{t('meetings.form.choose')}</option>
                {people.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.fullName}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Controller
            control={control}
            name={`tasks.${i}.deadline`}
            render={({ field }) => (
              <Field label={t('meetings.conclude.deadline')} required error={errors.tasks?.[i]?.deadline?.message}>
                {(c) => <DateInput {...c} value={field.value} onChange={field.onChange} onBlur={field.onBlur} />}
              </Field>
            )}
          />
          <button type="button" className="btn btn--link doc-btn--small" onClick={() => tasks.remove(i)}>
            {t('meetings.conclude.removeTask')}
          </button>
        </fieldset>
      ))}
      <div className="doc-form__actions">
        <button type="button" className="btn btn--secondary" onClick={() => tasks.append({ title: '', assigneeId: '', deadline: '' })}>
          {t('meetings.conclude.addTask')}
        </button>
        <button type="submit" className="btn btn--primary" disabled={isSubmitting}>
          {t('meetings.conclude.submit')}
        </button>
      </div>
      <FormError error={formError} />
    </form>
  );
}

const itemSchema = z.object({
  title: z.string().trim().min(1, { message: 'Chưa nhập nội dung.' }).max(1000, { message: 'Nội dung tối đa 1.000 ký tự.' }),
  presenterId: z.string(),
  duration: z
    .string()
    .trim()
    .refine((s) => s === '' || (/^\d{1,3}$/.test(s) && +s >= 1 && +s <= 600), { message: 'Thời lượng từ 1 đến 600 phút.' }),
});
type ItemValues = z.infer<typeof itemSchema>;

/** Thêm nội dung họp. */
export function AgendaItemForm({ meetingId, people }: { meetingId: string; people: readonly MeetingPersonFragment[] }) {
  const { t } = useTranslation();
  const [add] = useApiMutation(AddAgendaItemDocument);
  const [formError, setFormError] = useState<unknown>(null);
  const {
    register,
    handleSubmit,
    reset,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<ItemValues>({ resolver: zodResolver(itemSchema), defaultValues: { title: '', presenterId: '', duration: '' } });
  const submit = handleSubmit(async (v) => {
    setFormError(null);
    try {
      await add({ meetingId, input: { title: v.title.normalize('NFC'), presenterId: v.presenterId || null, durationMinutes: v.duration ? Number(v.duration) : null } });
      reset();
    } catch (e) {
      const f = errorField(e);
      const target = f === 'title' ? 'title' : f === 'presenterId' ? 'presenterId' : f === 'durationMinutes' ? 'duration' : undefined;
      if (target && e instanceof Error) setError(target, { message: e.message });
      else setFormError(e);
    }
  });
  return (
    <form className="card mtg-item-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="add-item-heading">
      <h3 id="add-item-heading" className="mtg-panel__title">
        {t('meetings.item.addHeading')}
      </h3>
      <div className="doc-form__grid">
        <Field label={t('meetings.item.title')} required error={errors.title?.message} className="doc-span-2">
          {(c) => <input {...c} type="text" {...register('title')} />}
        </Field>
        <Field label={t('meetings.item.presenterLabel')} error={errors.presenterId?.message}>
          {(c) => (
            <select {...c} {...register('presenterId')}>
              <option value="">{t('meetings.form.choose')}</option>
              {people.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.fullName}
                  {p.unit ? ` (${p.unit.abbr})` : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('meetings.item.durationLabel')} error={errors.duration?.message}>
          {(c) => <input {...c} type="text" inputMode="numeric" maxLength={3} {...register('duration')} />}
        </Field>
      </div>
      <div className="doc-form__actions">
        <button type="submit" className="btn btn--primary" disabled={isSubmitting}>
          {t('meetings.item.add')}
        </button>
      </div>
      <FormError error={formError} />
    </form>
  );
}
