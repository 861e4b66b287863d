/**
 * Dialogs of the hồ sơ page: retention extension, disposal decision (số quyết định hủy, dd/mm/yyyy date via
 * DateInput and the shared zod rules), Circular 02/2019 metadata of the hồ sơ and of one document.
 * Server errors naming a field (extensions.field) are shown at that field.
 */
import { useState } from 'react';
import { Controller, useForm, type FieldValues, type Path, type UseFormSetError } from 'react-hook-form';
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

/** Calls the server; an error naming one of `fields` goes to that field, others are returned for the form. */
async function send<T extends FieldValues>(fn: () => Promise<void>, setError: UseFormSetError<T>, fields: readonly string[]): Promise<unknown> {
  try {
    await fn();
    return null;
  } catch (e) {
    const f = e instanceof ApiError ? e.field?.split('.').pop() : undefined;
    if (f && fields.includes(f)) {
      setError(f as Path<T>, { message: (e as ApiError).message }, { shouldFocus: true });
      return null;
    }
    return e;
  }
}

function Actions({ submitLabel, pending, onClose, danger }: { submitLabel: string; pending: boolean; onClose: () => void; danger?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="doc-form__actions">
      <button type="submit" className={danger ? 'btn btn--danger' : 'btn btn--primary'} disabled={pending}>
        {submitLabel}
      </button>
      <button type="button" className="btn btn--secondary" onClick={onClose}>
        {t('records.metadata.cancel')}
      </button>
    </div>
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
  const [error, setFormError] = useState<unknown>(null);
  const submit = handleSubmit(async (v) => {
    setFormError(await send(() => onSubmit(v.retention === 'VV' ? null : Number(v.retention), v.reason.normalize('NFC')), setError, ['reason', 'retentionYears']));
  });
  return (
    <Dialog title={t('records.extend.title')} onClose={onClose}>
      <form className="doc-form-plain" noValidate onSubmit={(e) => void submit(e)}>
        <FormError error={error} />
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
        <Actions submitLabel={t('records.actions.EXTEND_RETENTION')} pending={formState.isSubmitting} onClose={onClose} />
      </form>
    </Dialog>
  );
}

export function DisposeDialog({ onClose, onSubmit }: { onClose: () => void; onSubmit: (v: { decisionNumber: string; decisionDate: string; note: string | null }) => Promise<void> }) {
  const { t } = useTranslation();
  const { control, register, handleSubmit, formState, setError } = useForm<DisposalForm, unknown, z.output<ReturnType<typeof disposalFormSchema>>>({
    resolver: zodResolver(disposalFormSchema()),
    defaultValues: { decisionNumber: '', decisionDate: '', note: '' },
  });
  const [error, setFormError] = useState<unknown>(null);
  const submit = handleSubmit(async (v) => {
    setFormError(await send(() => onSubmit({ decisionNumber: v.decisionNumber, decisionDate: v.decisionDate, note: v.note.trim() || null }), setError, ['decisionNumber', 'decisionDate', 'note']));
  });
  return (
    <Dialog title={t('records.dispose.title')} onClose={onClose}>
      <form className="doc-form-plain" noValidate onSubmit={(e) => void submit(e)}>
        <p className="doc-muted">{t('records.dispose.lead')}</p>
        <FormError error={error} />
        <Field label={t('records.dispose.decisionNumber')} required error={formState.errors.decisionNumber?.message}>
          {(c) => <input {...c} {...register('decisionNumber')} />}
        </Field>
        <Controller
          control={control}
          name="decisionDate"
          render={({ field }) => (
            <Field label={t('records.dispose.decisionDate')} required error={formState.errors.decisionDate?.message}>
              {(c) => <DateInput {...c} ref={field.ref} name={field.name} value={field.value} onChange={field.onChange} onBlur={field.onBlur} />}
            </Field>
          )}
        />
        <Field label={t('records.dispose.note')}>{(c) => <textarea {...c} rows={2} {...register('note')} />}</Field>
        <Actions submitLabel={t('records.dispose.submit')} pending={formState.isSubmitting} onClose={onClose} danger />
      </form>
    </Dialog>
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
  const [error, setFormError] = useState<unknown>(null);
  const names = ['title', 'identifier', 'organId', 'rights', 'language', 'startDate', 'endDate', 'inforSign', 'keyword', 'format', 'description'] as const;
  const submit = handleSubmit(async (v) => setFormError(await send(() => onSubmit(v), setError, names)));
  const text = (name: Exclude<(typeof names)[number], 'rights' | 'startDate' | 'endDate'>, label: string, area = false) => (
    <Field label={label} error={formState.errors[name]?.message} required={name === 'title'}>
      {(c) => (area ? <textarea {...c} rows={2} {...register(name)} /> : <input {...c} {...register(name)} />)}
    </Field>
  );
  const date = (name: 'startDate' | 'endDate', label: string) => (
    <Controller
      control={control}
      name={name}
      render={({ field }) => (
        <Field label={label} error={formState.errors[name]?.message}>
          {(c) => <DateInput {...c} ref={field.ref} name={field.name} value={field.value} onChange={field.onChange} onBlur={field.onBlur} />}
        </Field>
      )}
    />
  );
  return (
    <Dialog title={t('records.metadata.title')} onClose={onClose} wide>
      <form className="doc-form-plain" noValidate onSubmit={(e) => void submit(e)}>
        <FormError error={error} />
        <div className="records-form__grid">
          {text('title', t('records.metadata.recordTitle'), true)}
          {text('identifier', t('records.metadata.identifier'))}
          {text('organId', t('records.metadata.organId'))}
          <Field label={t('records.metadata.rights')} error={formState.errors.rights?.message}>
            {(c) => (
              <select {...c} {...register('rights')}>
                <option value="">{t('records.metadata.none')}</option>
                {USE_MODE_VALUES.map((m) => (
                  <option key={m} value={m}>
                    {t(`records.metadata.modes.${m}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {text('language', t('records.metadata.language'))}
          {date('startDate', t('records.metadata.startDate'))}
          {date('endDate', t('records.metadata.endDate'))}
          {text('inforSign', t('records.metadata.inforSign'))}
          {text('keyword', t('records.metadata.keyword'))}
          {text('format', t('records.metadata.format'))}
          {text('description', t('records.metadata.description'), true)}
        </div>
        <Actions submitLabel={t('records.metadata.save')} pending={formState.isSubmitting} onClose={onClose} />
      </form>
    </Dialog>
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
  const [error, setFormError] = useState<unknown>(null);
  const names = ['language', 'inforSign', 'keyword', 'mode', 'confidenceLevel', 'autograph', 'format', 'description', 'pageCount'] as const;
  const submit = handleSubmit(async (v) =>
    setFormError(
      await send(
        () =>
          onSubmit({
            ...v,
            mode: (v.mode || null) as ArchiveUseMode | null,
            confidenceLevel: (v.confidenceLevel || null) as ArchiveConfidenceLevel | null,
            pageCount: v.pageCount ? Number(v.pageCount) : null,
          }),
        setError,
        names,
      ),
    ),
  );
  const text = (name: 'language' | 'inforSign' | 'keyword' | 'autograph' | 'format' | 'description' | 'pageCount', label: string) => (
    <Field label={label} error={formState.errors[name]?.message}>
      {(c) => <input {...c} {...register(name)} />}
    </Field>
  );
  return (
    <Dialog title={t('records.metadata.title')} onClose={onClose} wide>
      <form className="doc-form-plain" noValidate onSubmit={(e) => void submit(e)}>
        <FormError error={error} />
        <div className="records-form__grid">
          {text('language', t('records.metadata.language'))}
          {text('pageCount', t('records.metadata.pageCount'))}
          <Field label={t('records.metadata.mode')} error={formState.errors.mode?.message}>
            {(c) => (
              <select {...c} {...register('mode')}>
                <option value="">{t('records.metadata.none')}</option>
                {USE_MODE_VALUES.map((m) => (
                  <option key={m} value={m}>
                    {t(`records.metadata.modes.${m}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('records.metadata.confidenceLevel')} error={formState.errors.confidenceLevel?.message}>
            {(c) => (
              <select {...c} {...register('confidenceLevel')}>
                <option value="">{t('records.metadata.none')}</option>
                {CONFIDENCE_VALUES.map((m) => (
                  <option key={m} value={m}>
                    {t(`records.metadata.confidence.${m}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {text('inforSign', t('records.metadata.inforSign'))}
          {text('keyword', t('records.metadata.keyword'))}
          {text('autograph', t('records.metadata.autograph'))}
          {text('format', t('records.metadata.format'))}
          {text('description', t('records.metadata.description'))}
        </div>
        <Actions submitLabel={t('records.metadata.save')} pending={formState.isSubmitting} onClose={onClose} />
      </form>
    </Dialog>
  );
}
