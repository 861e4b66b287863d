import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../Icon';
import { Dialog } from './Dialog';
import { Field, FormError, errorField } from './fields';
import { addDays, todayVN } from './format';
import { ACCEPTED_DRAFTS, FilesInput, PersonSelect, usePeople, useUnits, type Person } from './pickers';
import type { AnnotateInput, AssigneeInput, Role } from '../../graphql/generated';
import { addWorkingDays } from '../../../../schema/validation/assignment';
import { useHolidays } from './page/useHolidays';
import { INVALID_DATE_MESSAGE, formatVnDate, parseVnDate } from '../../../../schema/validation/dates';
import { DateInput } from '../DateInput';

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
  const [leaderId, setLeaderId] = useState('');
  const [missing, setMissing] = useState(false);
  const { pending, error, submit } = useDialogSubmit();
  const chosen = leaderId || (people.length === 1 ? people[0]!.id : '');
  return (
    <Dialog title={t('doc.action.SUBMIT')} onClose={onClose}>
      <form
        className="doc-form-plain"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!chosen) return setMissing(true);
          void submit(() => onSubmit(chosen));
        }}
      >
        <FormError error={error} />
        <Field
          label={t('doc.dialog.leader')}
          required
          error={missing ? t('doc.dialog.leaderRequired') : null}
          hint={unavailable && people.length === 0 ? t('doc.people.unavailable') : undefined}
        >
          {(c) => (
            <PersonSelect control={c} people={people} value={chosen} onChange={setLeaderId} placeholder={loading ? t('app.loading') : t('doc.form.choose')} />
          )}
        </Field>
        <Actions submitLabel={t('doc.action.SUBMIT')} pending={pending} onClose={onClose} />
      </form>
    </Dialog>
  );
}

const LEADER_ROLES: readonly Role[] = ['LANH_DAO'];

interface AssigneeRow {
  key: number;
  /** "unit:<id>" or "user:<id>" */
  target: string;
  deadline: string;
}

/** The row's deadline typed dd/mm/yyyy → YYYY-MM-DD (null when empty). */
const deadlineOf = (r: AssigneeRow): string | null => parseVnDate(r.deadline);

const toAssignee = (r: AssigneeRow, people: readonly Person[]): AssigneeInput => {
  const [kind, id] = r.target.split(':');
  if (kind === 'user') return { userId: id, unitId: people.find((p) => p.id === id)?.unit?.id ?? null, deadline: deadlineOf(r) };
  return { unitId: id, deadline: deadlineOf(r) };
};

/**
 * Bút phê (ý kiến chỉ đạo): instruction; chủ trì (a unit or a person) with a deadline; phối hợp (each with
 * its own deadline); người theo dõi; or "để biết" (no assignees). Like the "Chuyển" box of the ĐẾN stamp.
 */
export function AnnotateDialog({ onClose, onSubmit }: { onClose: () => void; onSubmit: (input: AnnotateInput) => Promise<void> }) {
  const { t } = useTranslation();
  const { units } = useUnits();
  const { people, unavailable } = usePeople({});
  const today = todayVN();
  const holidays = useHolidays();
  const defaultDeadline = formatVnDate(addDays(today, 7));
  const shortcuts = [
    { label: t('document.reassign.today'), value: today },
    { label: t('document.reassign.plus5'), value: addWorkingDays(today, 5, holidays) },
  ];
  const [badDates, setBadDates] = useState<number[]>([]);
  const [instruction, setInstruction] = useState('');
  const [forInfo, setForInfo] = useState(false);
  const [lead, setLead] = useState<AssigneeRow>({ key: 0, target: '', deadline: defaultDeadline });
  const [coordinators, setCoordinators] = useState<AssigneeRow[]>([]);
  const [watcherIds, setWatcherIds] = useState<string[]>([]);
  const [nextKey, setNextKey] = useState(1);
  const [missingLead, setMissingLead] = useState(false);
  const { pending, error, submit } = useDialogSubmit();
  const apiField = errorField(error);

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

  const onFormSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!forInfo && !lead.target) return setMissingLead(true);
    setMissingLead(false);
    // deadlines typed dd/mm/yyyy (shared rule schema/validation/dates.ts): empty, or a real date
    const bad = forInfo ? [] : [lead, ...coordinators].filter((r) => r.deadline.trim() && !parseVnDate(r.deadline)).map((r) => r.key);
    setBadDates(bad);
    if (bad.length) return;
    const input: AnnotateInput = forInfo
      ? { instruction: instruction.trim().normalize('NFC') || null, forInfo: true, watcherIds }
      : {
          instruction: instruction.trim().normalize('NFC') || null,
          forInfo: false,
          lead: toAssignee(lead, people),
          coordinators: coordinators.filter((c) => c.target).map((c) => toAssignee(c, people)),
          watcherIds,
        };
    void submit(() => onSubmit(input));
  };

  return (
    <Dialog title={t('doc.action.ANNOTATE')} onClose={onClose} wide>
      <form className="doc-form-plain" noValidate onSubmit={onFormSubmit}>
        <FormError error={error} />
        <Field label={t('doc.dialog.instruction')} error={apiField === 'instruction' ? (error as Error).message : null}>
          {(c) => <textarea {...c} rows={3} value={instruction} onChange={(e) => setInstruction(e.target.value)} placeholder={t('doc.dialog.instructionPlaceholder')} />}
        </Field>
        <label className="doc-check">
          <input type="checkbox" checked={forInfo} onChange={(e) => setForInfo(e.target.checked)} />
          <span>{t('doc.dialog.forInfo')}</span>
        </label>
        {forInfo ? null : (
          <>
            <fieldset className="doc-fieldset">
              <legend>{t('doc.dialog.lead')}</legend>
              <div className="doc-assignee-row">
                <Field label={t('doc.dialog.leadTarget')} required error={missingLead ? t('doc.dialog.leadRequired') : apiField === 'lead' ? (error as Error).message : null}>
                  {(c) => (
                    <select {...c} value={lead.target} onChange={(e) => setLead({ ...lead, target: e.target.value })}>
                      {targetOptions}
                    </select>
                  )}
                </Field>
                <Field label={t('doc.field.deadline')} error={badDates.includes(lead.key) ? INVALID_DATE_MESSAGE : apiField === 'deadline' ? (error as Error).message : null}>
                  {(c) => <DateInput {...c} value={lead.deadline} onChange={(v) => setLead({ ...lead, deadline: v })} shortcuts={shortcuts} />}
                </Field>
              </div>
            </fieldset>
            <fieldset className="doc-fieldset">
              <legend>{t('doc.dialog.coordinators')}</legend>
              {coordinators.length === 0 ? <p className="doc-muted">{t('doc.dialog.noCoordinators')}</p> : null}
              {coordinators.map((row, i) => (
                <div key={row.key} className="doc-assignee-row">
                  <Field label={t('doc.dialog.coordinatorN', { n: i + 1 })}>
                    {(c) => (
                      <select
                        {...c}
                        value={row.target}
                        onChange={(e) => setCoordinators(coordinators.map((x) => (x.key === row.key ? { ...x, target: e.target.value } : x)))}
                      >
                        {targetOptions}
                      </select>
                    )}
                  </Field>
                  <Field label={t('doc.field.deadline')} error={badDates.includes(row.key) ? INVALID_DATE_MESSAGE : null}>
                    {(c) => (
                      <DateInput
                        {...c}
                        value={row.deadline}
                        onChange={(v) => setCoordinators(coordinators.map((x) => (x.key === row.key ? { ...x, deadline: v } : x)))}
                        shortcuts={shortcuts}
                      />
                    )}
                  </Field>
                  <button
                    type="button"
                    className="btn btn--secondary doc-btn--small doc-assignee-row__remove"
                    onClick={() => setCoordinators(coordinators.filter((x) => x.key !== row.key))}
                    aria-label={t('doc.dialog.removeCoordinator', { n: i + 1 })}
                  >
                    {t('doc.form.remove')}
                  </button>
                </div>
              ))}
              <button
                type="button"
                className="btn btn--secondary doc-btn--small"
                onClick={() => {
                  setCoordinators([...coordinators, { key: nextKey, target: '', deadline: lead.deadline }]);
                  setNextKey(nextKey + 1);
                }}
              >
                {t('doc.dialog.addCoordinator')}
              </button>
            </fieldset>
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
                  <input
                    type="checkbox"
                    checked={watcherIds.includes(p.id)}
                    onChange={(e) => setWatcherIds(e.target.checked ? [...watcherIds, p.id] : watcherIds.filter((x) => x !== p.id))}
                  />
                  <span>{p.fullName}</span>
                </label>
              ))}
            </div>
          )}
        </fieldset>
        <Actions submitLabel={t('doc.action.ANNOTATE')} pending={pending} onClose={onClose} />
      </form>
    </Dialog>
  );
}

/** Cập nhật tiến độ: a note and optionally a draft reply file. */
export function ProgressDialog({ onClose, onSubmit }: { onClose: () => void; onSubmit: (v: { text: string; file: File | null }) => Promise<void> }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [missing, setMissing] = useState(false);
  const { pending, error, submit } = useDialogSubmit();
  return (
    <Dialog title={t('doc.action.ADD_PROGRESS')} onClose={onClose}>
      <form
        className="doc-form-plain"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!text.trim()) return setMissing(true);
          void submit(() => onSubmit({ text: text.trim().normalize('NFC'), file: files[0] ?? null }));
        }}
      >
        <FormError error={error} />
        <Field label={t('doc.dialog.progressText')} required error={missing ? t('doc.dialog.progressRequired') : null}>
          {(c) => <textarea {...c} rows={4} value={text} onChange={(e) => setText(e.target.value)} />}
        </Field>
        <Field label={t('doc.dialog.draftFile')} hint={t('doc.dialog.draftFileHint')}>
          {(c) => <FilesInput control={c} files={files} onChange={setFiles} accept={ACCEPTED_DRAFTS} multiple={false} />}
        </Field>
        <Actions submitLabel={t('doc.action.ADD_PROGRESS')} pending={pending} onClose={onClose} />
      </form>
    </Dialog>
  );
}

/** Hoàn thành: an optional closing note. */
export function CompleteDialog({ lead, onClose, onSubmit }: { lead: boolean; onClose: () => void; onSubmit: (note: string | null) => Promise<void> }) {
  const { t } = useTranslation();
  return (
    <ConfirmDialog
      title={t('doc.action.COMPLETE')}
      message={
        <p>
          <Icon name="info" /> {lead ? t('doc.dialog.completeLead') : t('doc.dialog.completeCoordinator')}
        </p>
      }
      withComment
      submitLabel={t('doc.action.COMPLETE')}
      onClose={onClose}
      onSubmit={onSubmit}
    />
  );
}
