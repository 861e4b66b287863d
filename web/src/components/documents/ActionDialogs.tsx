import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { Controller, useFieldArray, useForm, type FieldValues, type Path, type UseFormSetError } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslation } from 'react-i18next';
import { Icon } from '../Icon';
import { Dialog } from './Dialog';
import { Field, FormError, errorField } from './fields';
import { addDays, todayVN } from './format';
import { FilesInput } from './FilesInput';
import { ACCEPTED_DRAFTS, PersonSelect, usePeople, useUnits, type Person } from './pickers';
import type { AnnotateInput, AssigneeInput, Role } from '../../graphql/generated';
import { ApiError } from '../../graphql/client';
import { addWorkingDays } from '../../../../schema/validation/assignment';
import {
  annotateFieldOf,
  annotateForm,
  completeForm,
  progressForm,
  submitForm,
  type AnnotateFormInput,
  type AnnotateFormOutput,
  type CompleteFormInput,
  type CompleteFormOutput,
  type ProgressFormInput,
  type ProgressFormOutput,
  type SubmitFormInput,
} from '../../../../schema/validation/document-dialogs';
import { useHolidays } from './page/useHolidays';
import { formatVnDate } from '../../../../schema/validation/dates';
import { DateInput } from '../DateInput';
import { AgencyAssigneesFieldset } from '../exchange/AgencyAssigneesFieldset';

/** Form state of a dialog: pending flag and the API error (shown inside the dialog, which is modal). */
function useDialogSubmit() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (fn: () => Promise<void>) => {
    setPending(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e);
    } finally {
      setPending(false);
    }
  };
  return { pending, error, submit };
}

function Actions({ submitLabel, pending, onClose, danger }: { submitLabel: string; pending: boolean; onClose: () => void; danger?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="doc-form__actions">
      <button type="submit" className={danger ? 'btn btn--danger' : 'btn btn--primary'} disabled={pending}>
        {pending ? t('doc.form.sending') : submitLabel}
      </button>
      <button type="button" className="btn btn--secondary" onClick={onClose}>
        {t('doc.action.cancel')}
      </button>
    </div>
  );
}

/** A reason is required (từ chối, trả lại). */
export function ReasonDialog({
  title,
  label,
  onClose,
  onSubmit,
}: {
  title: string;
  label: string;
  onClose: () => void;
  onSubmit: (reason: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const { pending, error, submit } = useDialogSubmit();
  const onFormSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) return setMissing(true);
    setMissing(false);
    void submit(() => onSubmit(reason.trim().normalize('NFC')));
  };
  const apiField = errorField(error);
  return (
    <Dialog title={title} onClose={onClose}>
      <form className="doc-form-plain" noValidate onSubmit={onFormSubmit}>
        <FormError error={error} shownAtField={apiField === 'reason'} />
        <Field label={label} required error={missing ? t('doc.dialog.reasonRequired') : apiField === 'reason' ? (error as Error).message : null}>
          {(c) => <textarea {...c} rows={4} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
        <Actions submitLabel={title} pending={pending} onClose={onClose} danger />
      </form>
    </Dialog>
  );
}

/** Confirmation with an optional comment (duyệt, ký, phát hành, trình duyệt). */
export function ConfirmDialog({
  title,
  message,
  withComment,
  submitLabel,
  onClose,
  onSubmit,
  children,
}: {
  title: string;
  message: ReactNode;
  withComment?: boolean;
  submitLabel: string;
  onClose: () => void;
  onSubmit: (comment: string | null) => Promise<void>;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const [comment, setComment] = useState('');
  const { pending, error, submit } = useDialogSubmit();
  return (
    <Dialog title={title} onClose={onClose} describedBy="confirm-message">
      <form
        className="doc-form-plain"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit(() => onSubmit(comment.trim().normalize('NFC') || null));
        }}
      >
        <FormError error={error} />
        <div id="confirm-message" className="doc-confirm">
          {message}
        </div>
        {children}
        {withComment ? (
          <Field label={t('doc.dialog.comment')}>{(c) => <textarea {...c} rows={3} value={comment} onChange={(e) => setComment(e.target.value)} />}</Field>
        ) : (
          <button type="button" className="visually-hidden" data-autofocus tabIndex={-1} aria-hidden="true" />
        )}
        <Actions submitLabel={submitLabel} pending={pending} onClose={onClose} />
      </form>
    </Dialog>
  );
}

/**
 * Runs a dialog's server call: a server error naming one of the form's fields (`fieldOf`) is shown at that
 * field; any other is returned for the dialog's FormError.
 */
async function sendForm<T extends FieldValues>(fn: () => Promise<void>, setError: UseFormSetError<T>, fieldOf: (field: string | undefined) => string | null): Promise<unknown> {
  try {
    await fn();
    return null;
  } catch (e) {
    const field = e instanceof ApiError ? fieldOf(e.field) : null;
    if (field) {
      setError(field as Path<T>, { message: (e as ApiError).message }, { shouldFocus: true });
      return null;
    }
    return e;
  }
}

/** "input.text" / "text" → "text" when it is one of `names`. */
const plainField =
  (...names: string[]) =>
  (field: string | undefined): string | null => {
    const f = field?.replace(/^input\./, '') ?? '';
    return names.includes(f) ? f : null;
  };

/** Trình: choose the leader who will write the bút phê. */
export function SubmitDialog({
  onClose,
  onSubmit,
  known,
}: {
  onClose: () => void;
  onSubmit: (leaderId: string) => Promise<void>;
  /** Leaders already known from the document (e.g. a previous submission). */
  known: readonly Person[];
}) {
  const { t } = useTranslation();
  const roles: readonly Role[] = LEADER_ROLES;
  const { people, unavailable, loading } = usePeople({ roles, extra: known });
  const [error, setFormError] = useState<unknown>(null);
  const { control, handleSubmit, setError, getValues, setValue, formState } = useForm<SubmitFormInput>({ resolver: zodResolver(submitForm), defaultValues: { leaderId: '' } });
  // A single leader is preselected once the list has loaded (it loads after the dialog opens).
  const only = people.length === 1 ? people[0]!.id : '';
  useEffect(() => {
    if (only && !getValues('leaderId')) setValue('leaderId', only);
  }, [only, getValues, setValue]);
  const submit = handleSubmit(async (v) => {
    setFormError(null);
    setFormError(await sendForm(() => onSubmit(v.leaderId), setError, (f) => (f && /(^|\.)(leaderId|submittedTo|userId)$/.test(f) ? 'leaderId' : null)));
  });
  return (
    <Dialog title={t('doc.action.SUBMIT')} onClose={onClose}>
      <form className="doc-form-plain" noValidate onSubmit={(e) => void submit(e)}>
        <FormError error={error} />
        <Controller
          control={control}
          name="leaderId"
          render={({ field, fieldState }) => (
            <Field
              label={t('doc.dialog.leader')}
              required
              error={fieldState.error?.message}
              hint={unavailable && people.length === 0 ? t('doc.people.unavailable') : undefined}
            >
              {(c) => (
                <PersonSelect
                  control={c}
                  people={people}
                  value={field.value}
                  onChange={field.onChange}
                  placeholder={loading ? t('app.loading') : t('doc.form.choose')}
                />
              )}
            </Field>
          )}
        />
        <Actions submitLabel={t('doc.action.SUBMIT')} pending={formState.isSubmitting} onClose={onClose} />
      </form>
    </Dialog>
  );
}

const LEADER_ROLES: readonly Role[] = ['LANH_DAO'];

const toAssignee = (r: { target: string; deadline: string | null }, people: readonly Person[]): AssigneeInput => {
  const [kind, id] = r.target.split(':');
  if (kind === 'user') return { userId: id, unitId: people.find((p) => p.id === id)?.unit?.id ?? null, deadline: r.deadline };
  return { unitId: id, deadline: r.deadline };
};

/** The API input of a checked bút phê form. */
export function annotateInputOf(v: AnnotateFormOutput, people: readonly Person[]): AnnotateInput {
  // giao cơ quan khác (issue 13): the agencies named; an agency may be the only chủ trì (no unit / person lead)
  const agencies = (v.agencies ?? []).filter((a) => a.agencyCode).map((a) => ({ agencyCode: a.agencyCode, role: a.role, deadline: a.deadline }));
  return v.forInfo
    ? { instruction: v.instruction, forInfo: true, watcherIds: v.watcherIds }
    : {
        instruction: v.instruction,
        forInfo: false,
        ...(v.lead.target ? { lead: toAssignee(v.lead, people) } : {}),
        coordinators: v.coordinators.filter((c) => c.target).map((c) => toAssignee(c, people)),
        watcherIds: v.watcherIds,
        ...(agencies.length ? { agencies } : {}),
      };
}

/**
 * Bút phê (ý kiến chỉ đạo): instruction; chủ trì (a unit or a person) with a deadline; phối hợp (each with
 * its own deadline); người theo dõi; or "để biết" (no assignees). Like the "Chuyển" box of the ĐẾN stamp.
 * react-hook-form with the shared rules (schema/validation/document-dialogs.ts annotateForm).
 */
export function AnnotateDialog({ onClose, onSubmit }: { onClose: () => void; onSubmit: (input: AnnotateInput) => Promise<void> }) {
  const { t } = useTranslation();
  const { units } = useUnits();
  const { people, unavailable } = usePeople({});
  const today = todayVN();
  const holidays = useHolidays();
  const shortcuts = [
    { label: t('document.reassign.today'), value: today },
    { label: t('document.reassign.plus5'), value: addWorkingDays(today, 5, holidays) },
  ];
  const resolver = useMemo(() => zodResolver(annotateForm(today)), [today]);
  const [error, setFormError] = useState<unknown>(null);
  const { control, register, handleSubmit, setError, watch, getValues, formState } = useForm<AnnotateFormInput, unknown, AnnotateFormOutput>({
    resolver,
    defaultValues: { instruction: '', forInfo: false, lead: { target: '', deadline: formatVnDate(addDays(today, 7)) }, coordinators: [], watcherIds: [] },
  });
  const coordinators = useFieldArray({ control, name: 'coordinators' });
  const forInfo = watch('forInfo');
  const e = formState.errors;

  const targetOptions = (
    <>
      <option value="">{t('doc.form.choose')}</option>
      <optgroup label={t('doc.dialog.units')}>
        {units.map((u) => (
          <option key={u.id} value={`unit:${u.id}`}>
            {u.name} ({u.abbr})
          </option>
        ))}
      </optgroup>
      {people.length ? (
        <optgroup label={t('doc.dialog.people')}>
          {people.map((p) => (
            <option key={p.id} value={`user:${p.id}`}>
              {p.fullName}
              {p.title ? ` — ${p.title}` : ''}
            </option>
          ))}
        </optgroup>
      ) : null}
    </>
  );

  const submit = handleSubmit(async (v) => {
    setFormError(null);
    setFormError(await sendForm(() => onSubmit(annotateInputOf(v, people)), setError, annotateFieldOf));
  });

  const dateField = (name: 'lead.deadline' | `coordinators.${number}.deadline`, message: string | undefined) => (
    <Controller
      control={control}
      name={name}
      render={({ field }) => (
        <Field label={t('doc.field.deadline')} error={message}>
          {(c) => <DateInput {...c} ref={field.ref} name={field.name} value={field.value} onChange={field.onChange} onBlur={field.onBlur} shortcuts={shortcuts} />}
        </Field>
      )}
    />
  );

  return (
    <Dialog title={t('doc.action.ANNOTATE')} onClose={onClose} wide>
      <form className="doc-form-plain" noValidate onSubmit={(ev) => void submit(ev)}>
        <FormError error={error} />
        <Field label={t('doc.dialog.instruction')} error={e.instruction?.message}>
          {(c) => <textarea {...c} rows={3} placeholder={t('doc.dialog.instructionPlaceholder')} {...register('instruction')} />}
        </Field>
        <label className="doc-check">
          <input type="checkbox" {...register('forInfo')} />
          <span>{t('doc.dialog.forInfo')}</span>
        </label>
        {forInfo ? null : (
          <>
            <fieldset className="doc-fieldset">
              <legend>{t('doc.dialog.lead')}</legend>
              <div className="doc-assignee-row">
                <Field label={t('doc.dialog.leadTarget')} required error={e.lead?.target?.message ? t('doc.dialog.leadRequired') : null}>
                  {(c) => <select {...c} {...register('lead.target')}>{targetOptions}</select>}
                </Field>
                {dateField('lead.deadline', e.lead?.deadline?.message)}
              </div>
            </fieldset>
            <fieldset className="doc-fieldset">
              <legend>{t('doc.dialog.coordinators')}</legend>
              {coordinators.fields.length === 0 ? <p className="doc-muted">{t('doc.dialog.noCoordinators')}</p> : null}
              {coordinators.fields.map((row, i) => (
                <div key={row.id} className="doc-assignee-row">
                  <Field label={t('doc.dialog.coordinatorN', { n: i + 1 })} error={e.coordinators?.[i]?.target?.message}>
                    {(c) => <select {...c} {...register(`coordinators.${i}.target`)}>{targetOptions}</select>}
                  </Field>
                  {dateField(`coordinators.${i}.deadline`, e.coordinators?.[i]?.deadline?.message)}
                  <button
                    type="button"
                    className="btn btn--secondary doc-btn--small doc-assignee-row__remove"
                    onClick={() => coordinators.remove(i)}
                    aria-label={t('doc.dialog.removeCoordinator', { n: i + 1 })}
                  >
                    {t('doc.form.remove')}
                  </button>
                </div>
              ))}
              <button
                type="button"
                className="btn btn--secondary doc-btn--small"
                onClick={() => coordinators.append({ target: '', deadline: getValues('lead.deadline') }, { shouldFocus: false })}
              >
                {t('doc.dialog.addCoordinator')}
              </button>
            </fieldset>
            <AgencyAssigneesFieldset control={control} register={register} errors={e.agencies} shortcuts={shortcuts} defaultDeadline={() => getValues('lead.deadline') ?? ''} />
          </>
        )}
        <fieldset className="doc-fieldset">
          <legend>{t('doc.dialog.watchers')}</legend>
          {unavailable && people.length === 0 ? (
            <p className="doc-muted">{t('doc.people.unavailable')}</p>
          ) : (
            <div className="doc-checklist">
              {people.map((p) => (
                <label key={p.id} className="doc-check">
                  <input type="checkbox" value={p.id} {...register('watcherIds')} />
                  <span>{p.fullName}</span>
                </label>
              ))}
            </div>
          )}
        </fieldset>
        <Actions submitLabel={t('doc.action.ANNOTATE')} pending={formState.isSubmitting} onClose={onClose} />
      </form>
    </Dialog>
  );
}

/** Cập nhật tiến độ: a note and optionally a draft reply file. */
export function ProgressDialog({ onClose, onSubmit }: { onClose: () => void; onSubmit: (v: { text: string; file: File | null }) => Promise<void> }) {
  const { t } = useTranslation();
  const [error, setFormError] = useState<unknown>(null);
  const { control, register, handleSubmit, setError, formState } = useForm<ProgressFormInput, unknown, ProgressFormOutput>({
    resolver: zodResolver(progressForm),
    defaultValues: { text: '', files: [] },
  });
  const submit = handleSubmit(async (v) => {
    setFormError(null);
    setFormError(await sendForm(() => onSubmit({ text: v.text, file: v.files[0] ?? null }), setError, (f) => (f === 'file' ? 'files' : plainField('text')(f))));
  });
  return (
    <Dialog title={t('doc.action.ADD_PROGRESS')} onClose={onClose}>
      <form className="doc-form-plain" noValidate onSubmit={(e) => void submit(e)}>
        <FormError error={error} />
        <Field label={t('doc.dialog.progressText')} required error={formState.errors.text?.message}>
          {(c) => <textarea {...c} rows={4} {...register('text')} />}
        </Field>
        <Controller
          control={control}
          name="files"
          render={({ field, fieldState }) => (
            <Field label={t('doc.dialog.draftFile')} hint={t('doc.dialog.draftFileHint')} error={fieldState.error?.message}>
              {(c) => <FilesInput control={c} files={field.value} onChange={field.onChange} accept={ACCEPTED_DRAFTS} multiple={false} />}
            </Field>
          )}
        />
        <Actions submitLabel={t('doc.action.ADD_PROGRESS')} pending={formState.isSubmitting} onClose={onClose} />
      </form>
    </Dialog>
  );
}

/** Hoàn thành: an optional closing note. */
export function CompleteDialog({ lead, onClose, onSubmit }: { lead: boolean; onClose: () => void; onSubmit: (note: string | null) => Promise<void> }) {
  const { t } = useTranslation();
  const [error, setFormError] = useState<unknown>(null);
  const { register, handleSubmit, setError, formState } = useForm<CompleteFormInput, unknown, CompleteFormOutput>({ resolver: zodResolver(completeForm), defaultValues: { note: '' } });
  const submit = handleSubmit(async (v) => {
    setFormError(null);
    setFormError(await sendForm(() => onSubmit(v.note), setError, plainField('note')));
  });
  return (
    <Dialog title={t('doc.action.COMPLETE')} onClose={onClose} describedBy="complete-message">
      <form className="doc-form-plain" noValidate onSubmit={(e) => void submit(e)}>
        <FormError error={error} />
        <div id="complete-message" className="doc-confirm">
          <p>
            <Icon name="info" /> {lead ? t('doc.dialog.completeLead') : t('doc.dialog.completeCoordinator')}
          </p>
        </div>
        <Field label={t('doc.dialog.comment')} error={formState.errors.note?.message}>
          {(c) => <textarea {...c} rows={3} {...register('note')} />}
        </Field>
        <Actions submitLabel={t('doc.action.COMPLETE')} pending={formState.isSubmitting} onClose={onClose} />
      </form>
    </Dialog>
  );
}
