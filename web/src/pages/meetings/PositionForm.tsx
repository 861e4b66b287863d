/**
 * Ý kiến trước cuộc họp: a voting member's position on an agenda item — đồng ý / có ý kiến khác / xin phát
 * biểu — with an optional written opinion (required for "có ý kiến khác", so the chair knows what it is).
 * react-hook-form + zod; the server's errors with `extensions.field` go to their field. Presentational: the
 * page passes the current position and `onSave` (the recordPosition mutation).
 */
import { useEffect, useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { useTranslation } from 'react-i18next';
import type { PositionKind } from '../../graphql/generated';
import { Field, FormError, errorField } from '../../components/documents/fields';
import { Icon } from '../../components/Icon';

export const POSITION_KINDS: readonly PositionKind[] = ['AGREE', 'OTHER_OPINION', 'REQUEST_TO_SPEAK'];
export const OPINION_MAX = 2000;

export const positionSchema = z
  .object({
    kind: z.enum(['AGREE', 'OTHER_OPINION', 'REQUEST_TO_SPEAK'], { message: 'Chưa chọn ý kiến.' }),
    opinion: z.string().trim().max(OPINION_MAX, { message: `Ý kiến tối đa ${OPINION_MAX} ký tự.` }),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'OTHER_OPINION' && v.opinion === '') ctx.addIssue({ code: 'custom', path: ['opinion'], message: 'Nêu ý kiến khác của đồng chí.' });
  });
type PositionInput = z.input<typeof positionSchema>;
export type PositionValues = { kind: PositionKind; opinion: string | null };

export function PositionForm({
  itemTitle,
  current,
  onSave,
}: {
  itemTitle: string;
  current: { kind: PositionKind; opinion?: string | null } | null | undefined;
  onSave: (v: PositionValues) => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const groupId = useId();
  const {
    register,
    handleSubmit,
    reset,
    setError: setFieldError,
    formState: { errors, isSubmitting, isDirty },
  } = useForm<PositionInput>({
    resolver: zodResolver(positionSchema),
    defaultValues: { kind: current?.kind, opinion: current?.opinion ?? '' } as PositionInput,
  });
  // A position recorded elsewhere (another tab) arrives live: show it unless the user is editing.
  useEffect(() => {
    if (!isDirty) reset({ kind: current?.kind, opinion: current?.opinion ?? '' } as PositionInput);
  }, [current?.kind, current?.opinion, isDirty, reset]);
  const submit = handleSubmit(async (v) => {
    setError(null);
    setSaved(false);
    try {
      const opinion = v.opinion.trim().normalize('NFC');
      await onSave({ kind: v.kind, opinion: opinion === '' ? null : opinion });
      reset({ kind: v.kind, opinion });
      setSaved(true);
    } catch (e) {
      const field = errorField(e);
      if ((field === 'opinion' || field === 'kind') && e instanceof Error) setFieldError(field, { message: e.message });
      else setError(e);
    }
  });
  return (
    <form className="mtg-position" onSubmit={(e) => void submit(e)} noValidate aria-label={t('meetings.position.formLabel', { title: itemTitle })}>
      <fieldset className="doc-fieldset" aria-describedby={errors.kind ? `${groupId}-error` : undefined}>
        <legend>{t('meetings.position.legend')}</legend>
        <div className="mtg-position__kinds">
          {POSITION_KINDS.map((k) => (
            <label key={k} className="doc-check">
              <input type="radio" value={k} {...register('kind')} />
              <span>{t(`meetings.position.kind.${k}`)}</span>
            </label>
          ))}
        </div>
        {errors.kind ? (
          <p id={`${groupId}-error`} className="doc-field__error">
            <Icon name="alert" /> {errors.kind.message}
          </p>
        ) : null}
      </fieldset>
      <Field label={t('meetings.position.opinion')} hint={t('meetings.position.opinionHint')} error={errors.opinion?.message}>
        {(c) => <textarea {...c} rows={3} {...register('opinion')} />}
      </Field>
      <div className="doc-form__actions">
        <button type="submit" className="btn btn--primary" disabled={isSubmitting}>
          {current ? t('meetings.position.update') : t('meetings.position.save')}
        </button>
        <span role="status" className="doc-muted doc-small">
          {saved && !isDirty ? t('meetings.position.saved') : ''}
        </span>
      </div>
      <FormError error={error} />
    </form>
  );
}
