/**
 * Dialogs of the hồ sơ page: retention extension, disposal decision (số quyết định hủy, dd/mm/yyyy date via
 * DateInput and the shared zod rules), Circular 02/2019 metadata of the hồ sơ and of one document.
 * Server errors naming a field (extensions.field) are shown at that field.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { Controller, useForm, type Control, type FieldValues, type Path, type UseFormRegisterReturn, type UseFormSetError } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { DateInput } from '../../../components/DateInput';
import { Dialog } from '../../../components/documents/Dialog';
import { Field, FormError } from '../../../components/documents/fields';
import { ApiError } from '../../../graphql/client';
import type { ArchiveConfidenceLevel, ArchiveUseMode } from '../../../graphql/generated';
import { formatVnDate } from '../../../../../schema/validation/dates';
import { CONFIDENCE_VALUES, USE_MODE_VALUES, disposalFormSchema, recordMetadataFormSchema, type DisposalForm, type RecordMetadataForm } from '../../../../../schema/validation/records';

/**
 * The form state every dialog shares: `run(fn)` calls the server; an error naming one of `fields`
 * (extensions.field, last segment) goes to that field, any other to the form (`error`).
 */
function useServerErrors<T extends FieldValues>(setError: UseFormSetError<T>, fields: readonly string[]) {
  const [error, setFormError] = useState<unknown>(null);
  const run = async (fn: () => Promise<void>) => {
    setFormError(null);
    try {
      await fn();
    } catch (e) {
      const f = e instanceof ApiError ? e.field?.split('.').pop() : undefined;
      if (f && fields.includes(f)) setError(f as Path<T>, { message: (e as ApiError).message }, { shouldFocus: true });
      else setFormError(e);
    }
  };
  return { error, run };
}

/** The one dialog body: title, optional lead, the form error, the fields, submit and cancel. */
function FormDialog({
  title,
  lead,
  wide,
  error,
  submitLabel,
  pending,
  danger,
  onSubmit,
  onClose,
  children,
}: {
  title: string;
  lead?: string;
  wide?: boolean;
  error: unknown;
  submitLabel: string;
  pending: boolean;
  danger?: boolean;
  onSubmit: (e: FormEvent<HTMLFormElement>) => Promise<void>;
  onClose: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Dialog title={title} onClose={onClose} wide={wide}>
      <form className="doc-form-plain" noValidate onSubmit={(e) => void onSubmit(e)}>
        {lead ? <p className="doc-muted">{lead}</p> : null}
        <FormError error={error} />
        {children}
        <div className="doc-form__actions">
          <button type="submit" className={danger ? 'btn btn--danger' : 'btn btn--primary'} disabled={pending}>
            {submitLabel}
          </button>
          <button type="button" className="btn btn--secondary" onClick={onClose}>
            {t('records.metadata.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** A dd/mm/yyyy date field (DateInput) of a react-hook-form form. */
function DateField<T extends FieldValues, O extends FieldValues>({ control, name, label, error, required }: { control: Control<T, unknown, O>; name: Path<T>; label: string; error?: string; required?: boolean }) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field }) => (
        <Field label={label} required={required} error={error}>
          {(c) => <DateInput {...c} ref={field.ref} name={field.name} value={field.value as string} onChange={field.onChange} onBlur={field.onBlur} />}
        </Field>
      )}
    />
  );
}

/** A select of an archive enum (chế độ sử dụng, mức độ tin cậy), with "none" first. */
function EnumSelect({ label, error, values, text, register }: { label: string; error?: string; values: readonly string[]; text: (v: string) => string; register: UseFormRegisterReturn }) {
  const { t } = useTranslation();
  return (
    <Field label={label} error={error}>
      {(c) => (
        <select {...c} {...register}>
          <option value="">{t('records.metadata.none')}</option>
          {values.map((m) => (
            <option key={m} value={m}>
              {text(m)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

const extendSchema = z.object({
  retention: z.string().min(1),
  reason: z.string().trim().min(1, { message: 'Nhập lý do.' }).max(1000),
});

export function ExtendRetentionDialog({
  current,
  options,
  onClose,
  onSubmit,
}: {
  current: number | null;
  options: readonly { years: number | null; name: string }[];
  onClose: () => void;
  onSubmit: (years: number | null, reason: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const longer = options.filter((o) => o.years == null || (current != null && o.years > current));
  const { register, handleSubmit, formState, setError } = useForm<z.input<typeof extendSchema>>({
    resolver: zodResolver(extendSchema),
    defaultValues: { retention: longer[0] ? (longer[0].years == null ? 'VV' : String(longer[0].years)) : 'VV', reason: '' },
  });
  const { error, run } = useServerErrors(setError, ['reason', 'retentionYears']);
  const submit = handleSubmit((v) => run(() => onSubmit(v.retention === 'VV' ? null : Number(v.retention), v.reason.normalize('NFC'))));
  return (
    <FormDialog title={t('records.extend.title')} error={error} submitLabel={t('records.actions.EXTEND_RETENTION')} pending={formState.isSubmitting} onSubmit={submit} onClose={onClose}>
      <Field label={t('records.extend.years')} hint={t('records.extend.hint')} error={formState.errors.retention?.message ?? (formState.errors as Record<string, { message?: string }>).retentionYears?.message}>
        {(c) => (
          <select {...c} {...register('retention')}>
            {longer.map((o) => (
              <option key={o.name} value={o.years == null ? 'VV' : String(o.years)}>
                {o.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('records.reason')} required error={formState.errors.reason?.message}>
        {(c) => <textarea {...c} rows={3} {...register('reason')} />}
      </Field>
    </FormDialog>
  );
}

export function DisposeDialog({ onClose, onSubmit }: { onClose: () => void; onSubmit: (v: { decisionNumber: string; decisionDate: string; note: string | null }) => Promise<void> }) {
  const { t } = useTranslation();
  const { control, register, handleSubmit, formState, setError } = useForm<DisposalForm, unknown, z.output<ReturnType<typeof disposalFormSchema>>>({
    resolver: zodResolver(disposalFormSchema()),
    defaultValues: { decisionNumber: '', decisionDate: '', note: '' },
  });
  const { error, run } = useServerErrors(setError, ['decisionNumber', 'decisionDate', 'note']);
  const submit = handleSubmit((v) => run(() => onSubmit({ decisionNumber: v.decisionNumber, decisionDate: v.decisionDate, note: v.note.trim() || null })));
  return (
    <FormDialog title={t('records.dispose.title')} lead={t('records.dispose.lead')} error={error} submitLabel={t('records.dispose.submit')} pending={formState.isSubmitting} danger onSubmit={submit} onClose={onClose}>
      <Field label={t('records.dispose.decisionNumber')} required error={formState.errors.decisionNumber?.message}>
        {(c) => <input {...c} {...register('decisionNumber')} />}
      </Field>
      <DateField control={control} name="decisionDate" label={t('records.dispose.decisionDate')} required error={formState.errors.decisionDate?.message} />
      <Field label={t('records.dispose.note')}>{(c) => <textarea {...c} rows={2} {...register('note')} />}</Field>
    </FormDialog>
  );
}

export interface RecordMetadataValue {
  identifier?: string | null;
  organId?: string | null;
  rights?: ArchiveUseMode | null;
  language?: string | null;
  startDate?: string | null;
  endDate?: string | null;
  inforSign?: string | null;
  keyword?: string | null;
  format?: string | null;
  description?: string | null;
}

type RecordMetaOut = z.output<ReturnType<typeof recordMetadataFormSchema>>;

export function RecordMetadataDialog({
  title,
  metadata,
  onClose,
  onSubmit,
}: {
  title: string;
  metadata: RecordMetadataValue;
  onClose: () => void;
  onSubmit: (v: RecordMetaOut) => Promise<void>;
}) {
  const { t } = useTranslation();
  const { control, register, handleSubmit, formState, setError } = useForm<RecordMetadataForm, unknown, RecordMetaOut>({
    resolver: zodResolver(recordMetadataFormSchema()),
    defaultValues: {
      title,
      identifier: metadata.identifier ?? '',
      organId: metadata.organId ?? '',
      rights: metadata.rights ?? '',
      language: metadata.language ?? '',
      startDate: formatVnDate(metadata.startDate),
      endDate: formatVnDate(metadata.endDate),
      inforSign: metadata.inforSign ?? '',
      keyword: metadata.keyword ?? '',
      format: metadata.format ?? '',
      description: metadata.description ?? '',
    },
  });
  const names = ['title', 'identifier', 'organId', 'rights', 'language', 'startDate', 'endDate', 'inforSign', 'keyword', 'format', 'description'] as const;
  const { error, run } = useServerErrors(setError, names);
  const submit = handleSubmit((v) => run(() => onSubmit(v)));
  const text = (name: Exclude<(typeof names)[number], 'rights' | 'startDate' | 'endDate'>, label: string, area = false) => (
    <Field label={label} error={formState.errors[name]?.message} required={name === 'title'}>
      {(c) => (area ? <textarea {...c} rows={2} {...register(name)} /> : <input {...c} {...register(name)} />)}
    </Field>
  );
  return (
    <FormDialog title={t('records.metadata.title')} wide error={error} submitLabel={t('records.metadata.save')} pending={formState.isSubmitting} onSubmit={submit} onClose={onClose}>
      <div className="records-form__grid">
        {text('title', t('records.metadata.recordTitle'), true)}
        {text('identifier', t('records.metadata.identifier'))}
        {text('organId', t('records.metadata.organId'))}
        <EnumSelect label={t('records.metadata.rights')} error={formState.errors.rights?.message} values={USE_MODE_VALUES} text={(m) => t(`records.metadata.modes.${m as (typeof USE_MODE_VALUES)[number]}`)} register={register('rights')} />
        {text('language', t('records.metadata.language'))}
        <DateField control={control} name="startDate" label={t('records.metadata.startDate')} error={formState.errors.startDate?.message} />
        <DateField control={control} name="endDate" label={t('records.metadata.endDate')} error={formState.errors.endDate?.message} />
        {text('inforSign', t('records.metadata.inforSign'))}
        {text('keyword', t('records.metadata.keyword'))}
        {text('format', t('records.metadata.format'))}
        {text('description', t('records.metadata.description'), true)}
      </div>
    </FormDialog>
  );
}

const docMetaForm = z.object({
  language: z.string(),
  inforSign: z.string(),
  keyword: z.string(),
  mode: z.string(),
  confidenceLevel: z.string(),
  autograph: z.string(),
  format: z.string(),
  description: z.string(),
  pageCount: z.string().trim().refine((s) => s === '' || /^\d{1,6}$/.test(s), { message: 'Số trang phải là số nguyên dương.' }),
});
type DocMetaForm = z.infer<typeof docMetaForm>;

export interface DocumentMetadataValue {
  language?: string | null;
  inforSign?: string | null;
  keyword?: string | null;
  mode?: ArchiveUseMode | null;
  confidenceLevel?: ArchiveConfidenceLevel | null;
  autograph?: string | null;
  format?: string | null;
  description?: string | null;
  pageCount?: number | null;
}

export function DocumentMetadataDialog({
  metadata,
  onClose,
  onSubmit,
}: {
  metadata: DocumentMetadataValue;
  onClose: () => void;
  onSubmit: (v: { language: string; inforSign: string; keyword: string; mode: ArchiveUseMode | null; confidenceLevel: ArchiveConfidenceLevel | null; autograph: string; format: string; description: string; pageCount: number | null }) => Promise<void>;
}) {
  const { t } = useTranslation();
  const { register, handleSubmit, formState, setError } = useForm<DocMetaForm>({
    resolver: zodResolver(docMetaForm),
    defaultValues: {
      language: metadata.language ?? '',
      inforSign: metadata.inforSign ?? '',
      keyword: metadata.keyword ?? '',
      mode: metadata.mode ?? '',
      confidenceLevel: metadata.confidenceLevel ?? '',
      autograph: metadata.autograph ?? '',
      format: metadata.format ?? '',
      description: metadata.description ?? '',
      pageCount: metadata.pageCount != null ? String(metadata.pageCount) : '',
    },
  });
  const names = ['language', 'inforSign', 'keyword', 'mode', 'confidenceLevel', 'autograph', 'format', 'description', 'pageCount'] as const;
  const { error, run } = useServerErrors(setError, names);
  const submit = handleSubmit((v) =>
    run(() =>
      onSubmit({
        ...v,
        mode: (v.mode || null) as ArchiveUseMode | null,
        confidenceLevel: (v.confidenceLevel || null) as ArchiveConfidenceLevel | null,
        pageCount: v.pageCount ? Number(v.pageCount) : null,
      }),
    ),
  );
  const text = (name: 'language' | 'inforSign' | 'keyword' | 'autograph' | 'format' | 'description' | 'pageCount', label: string) => (
    <Field label={label} error={formState.errors[name]?.message}>
      {(c) => <input {...c} {...register(name)} />}
    </Field>
  );
  return (
    <FormDialog title={t('records.metadata.title')} wide error={error} submitLabel={t('records.metadata.save')} pending={formState.isSubmitting} onSubmit={submit} onClose={onClose}>
      <div className="records-form__grid">
        {text('language', t('records.metadata.language'))}
        {text('pageCount', t('records.metadata.pageCount'))}
        <EnumSelect label={t('records.metadata.mode')} error={formState.errors.mode?.message} values={USE_MODE_VALUES} text={(m) => t(`records.metadata.modes.${m as (typeof USE_MODE_VALUES)[number]}`)} register={register('mode')} />
        <EnumSelect
          label={t('records.metadata.confidenceLevel')}
          error={formState.errors.confidenceLevel?.message}
          values={CONFIDENCE_VALUES}
          text={(m) => t(`records.metadata.confidence.${m as (typeof CONFIDENCE_VALUES)[number]}`)}
          register={register('confidenceLevel')}
        />
        {text('inforSign', t('records.metadata.inforSign'))}
        {text('keyword', t('records.metadata.keyword'))}
        {text('autograph', t('records.metadata.autograph'))}
        {text('format', t('records.metadata.format'))}
        {text('description', t('records.metadata.description'))}
      </div>
    </FormDialog>
  );
}
