import { useState } from 'react';
import { zodResolver } from '@hookform/resolvers/zod';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { addWorkingDays, annulForm, reassignForm, type AnnulFormInput, type AnnulFormOutput, type ReassignFormInput, type ReassignFormOutput } from '../../../../../schema/validation/assignment';
import { useHolidays } from './useHolidays';
import { formatVnDate } from '../../../../../schema/validation/dates';
import { ApiError } from '../../../graphql/client';
import { DateInput } from '../../DateInput';
import { Dialog } from '../Dialog';
import { Field, FormError } from '../fields';
import { todayVN } from '../format';
import { PersonSelect, usePeople } from '../pickers';

/** Puts an API error at its field (extensions.field), else returns it for the form-level alert. */
function fieldOf(e: unknown): string | undefined {
  return e instanceof ApiError && e.field ? e.field.split('.').pop() : undefined;
}

function Buttons({ label, pending, onClose, danger }: { label: string; pending: boolean; onClose: () => void; danger?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="doc-form__actions">
      <button type="submit" className={danger ? 'btn btn--danger' : 'btn btn--primary'} disabled={pending}>
        {pending ? t('doc.form.sending') : label}
      </button>
      <button type="button" className="btn btn--secondary" onClick={onClose}>
        {t('doc.action.cancel')}
      </button>
    </div>
  );
}

/**
 * Giao xử lý trong đơn vị: a person of the unit, a deadline typed dd/mm/yyyy (default: the leader's; not
 * after it) with the shortcuts "Hôm nay" and "+5 ngày làm việc", and the unit head's own instruction.
 */
export function ReassignChainDialog({
  unitId,
  parentDeadline,
  onClose,
  onSubmit,
}: {
  unitId: string | null;
  /** The leader's deadline (the child's may not be later). */
  parentDeadline: string | null;
  onClose: () => void;
  onSubmit: (v: ReassignFormOutput) => Promise<void>;
}) {
  const { t } = useTranslation();
  const today = todayVN();
  const holidays = useHolidays();
  const { people, unavailable, loading } = usePeople({ unitId });
  const form = useForm<ReassignFormInput, unknown, ReassignFormOutput>({
    resolver: zodResolver(reassignForm(parentDeadline, today)),
    defaultValues: { userId: '', deadline: formatVnDate(parentDeadline), instruction: '' },
  });
  const { control, register, handleSubmit, setError, formState } = form;
  const e = formState.errors;
  const [apiError, setApiError] = useState<unknown>(null);
  const submit = handleSubmit(async (v) => {
    setApiError(null);
    try {
      await onSubmit(v);
    } catch (err) {
      const f = fieldOf(err);
      if (f === 'deadline' || f === 'userId' || f === 'instruction') setError(f, { message: (err as Error).message });
      else setApiError(err);
    }
  });
  return (
    <Dialog title={t('document.reassign.title')} onClose={onClose}>
      <form className="doc-form-plain" noValidate onSubmit={(ev) => void submit(ev)}>
        <FormError error={apiError} />
        <Field
          label={t('document.reassign.person')}
          required
          error={e.userId?.message}
          hint={unavailable && people.length === 0 ? t('doc.people.unavailable') : undefined}
        >
          {(c) => (
            <Controller
              control={control}
              name="userId"
              render={({ field }) => <PersonSelect control={c} people={people} value={field.value} onChange={field.onChange} placeholder={loading ? t('app.loading') : t('doc.form.choose')} />}
            />
          )}
        </Field>
        <Field label={t('document.reassign.deadline')} error={e.deadline?.message} hint={parentDeadline ? t('document.reassign.deadlineHint', { date: formatVnDate(parentDeadline) }) : undefined}>
          {(c) => (
            <Controller
              control={control}
              name="deadline"
              render={({ field }) => (
                <DateInput
                  {...c}
                  ref={field.ref}
                  value={field.value}
                  onChange={field.onChange}
                  shortcuts={[
                    { label: t('document.reassign.today'), value: today },
                    { label: t('document.reassign.plus5'), value: addWorkingDays(today, 5, holidays) },
                  ]}
                />
              )}
            />
          )}
        </Field>
        <Field label={t('document.reassign.instruction')} error={e.instruction?.message}>
          {(c) => <textarea {...c} rows={3} {...register('instruction')} />}
        </Field>
        <Buttons label={t('document.reassign.submit')} pending={formState.isSubmitting} onClose={onClose} />
      </form>
    </Dialog>
  );
}

/** Hủy vào sổ: the reason is required; the number stays in the register. */
export function AnnulDialog({ number, onClose, onSubmit }: { number: number | null; onClose: () => void; onSubmit: (v: AnnulFormOutput) => Promise<void> }) {
  const { t } = useTranslation();
  const { register, handleSubmit, setError, formState } = useForm<AnnulFormInput, unknown, AnnulFormOutput>({ resolver: zodResolver(annulForm), defaultValues: { reason: '' } });
  const e = formState.errors;
  const [apiError, setApiError] = useState<unknown>(null);
  const submit = handleSubmit(async (v) => {
    setApiError(null);
    try {
      await onSubmit(v);
    } catch (err) {
      if (fieldOf(err) === 'reason') setError('reason', { message: (err as Error).message });
      else setApiError(err);
    }
  });
  return (
    <Dialog title={t('document.annul.title')} onClose={onClose} describedBy="annul-text">
      <form className="doc-form-plain" noValidate onSubmit={(ev) => void submit(ev)}>
        <FormError error={apiError} />
        <p id="annul-text">{t('document.annul.text', { number: number ?? '—' })}</p>
        <Field label={t('document.annul.reason')} required error={e.reason?.message}>
          {(c) => <textarea {...c} rows={3} {...register('reason')} />}
        </Field>
        <Buttons label={t('document.annul.button')} pending={formState.isSubmitting} onClose={onClose} danger />
      </form>
    </Dialog>
  );
}
