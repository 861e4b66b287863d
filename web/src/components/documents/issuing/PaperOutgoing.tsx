/**
 * Vào sổ văn bản giấy (issue 12, `registerPaperOutgoing`): the văn thư registers as issued a paper document
 * signed outside the system, with its scan; the server gives the number in the outgoing register. The button
 * shows when the server allows it (Query.paperOutgoingAllowed). Rules shared with the server:
 * schema/validation/paper-outgoing.ts (+ signing-authority.ts for the thẩm quyền ký); dates typed dd/mm/yyyy.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMemo, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { z } from 'zod';
import { formatVnDate, parseVnDate } from '../../../../../schema/validation/dates';
import { authorityInput, draftAuthority } from '../../../../../schema/validation/signing-authority';
import { PAPER_OUTGOING_MESSAGES, paperOutgoingFields, recipientLines } from '../../../../../schema/validation/paper-outgoing';
import { PaperOutgoingAllowedDocument, RegisterPaperOutgoingDocument } from '../../../graphql/generated';
import { useApiMutation, useApiQuery } from '../../../graphql/hooks';
import { DateInput } from '../../DateInput';
import { FormActions, useServerFieldErrors } from '../../formParts';
import { Dialog } from '../Dialog';
import { Field, FormError } from '../fields';
import { todayVN } from '../format';
import { FilesInput } from '../FilesInput';
import { ACCEPTED_SCANS, TypeSelect, typeKey, useDocumentTypes } from '../pickers';
import { AuthorityFields, EMPTY_AUTHORITY, type AuthorityValue } from './AuthorityFields';

interface PaperValues {
  type: string;
  subject: string;
  signerName: string;
  signerTitle: string;
  issuedDate: string;
  externalRecipients: string;
  authority: AuthorityValue;
  legalNormative: boolean;
  scan: File[];
}

/** The form's schema: the shared field rules, the authority rules, one scan. */
export function paperOutgoingSchema(today: string) {
  return paperOutgoingFields(today).and(
    z.object({
      authority: draftAuthority(),
      legalNormative: z.boolean(),
      scan: z.array(z.custom<File>((v) => typeof File !== 'undefined' && v instanceof File)).length(1, { message: PAPER_OUTGOING_MESSAGES.scan }),
    }),
  );
}

/** The API field an error names → the form's field. */
const FIELD_OF: Record<string, keyof PaperValues> = {
  typeCode: 'type',
  typeName: 'type',
  subject: 'subject',
  signerName: 'signerName',
  signerTitle: 'signerTitle',
  issuedDate: 'issuedDate',
  scan: 'scan',
  signingAuthority: 'authority',
  legalNormative: 'authority',
  mode: 'authority',
  collective: 'authority',
  principal: 'authority',
};

export function PaperOutgoingButton() {
  const { t } = useTranslation();
  const { data } = useApiQuery(PaperOutgoingAllowedDocument, {});
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<{ id: string; symbol: string } | null>(null);
  if (!data?.paperOutgoingAllowed) return null;
  return (
    <>
      <button type="button" className="btn btn--secondary" onClick={() => setOpen(true)} data-testid="paper-outgoing-open">
        {t('issuing.paperForm.button')}
      </button>
      {done ? (
        <span className="doc-muted" role="status" data-testid="paper-outgoing-notice">
          {t('issuing.paperForm.done', { symbol: done.symbol })} <Link to={`/outgoing/documents/${done.id}`}>{t('issuing.paperForm.open')}</Link>
        </span>
      ) : null}
      {open ? (
        <PaperOutgoingDialog
          onClose={() => setOpen(false)}
          onDone={(d) => {
            setOpen(false);
            setDone(d);
          }}
        />
      ) : null}
    </>
  );
}

export function PaperOutgoingDialog({ onClose, onDone }: { onClose: () => void; onDone: (d: { id: string; symbol: string }) => void }) {
  const { t } = useTranslation();
  const today = useMemo(() => todayVN(), []);
  const schema = useMemo(() => paperOutgoingSchema(today), [today]);
  const form = useForm<PaperValues>({
    resolver: zodResolver(schema) as never,
    defaultValues: { type: '', subject: '', signerName: '', signerTitle: '', issuedDate: formatVnDate(today), externalRecipients: '', authority: EMPTY_AUTHORITY, legalNormative: false, scan: [] },
  });
  const { errors, isSubmitting } = form.formState;
  const { types } = useDocumentTypes();
  const [run] = useApiMutation(RegisterPaperOutgoingDocument);
  const fields = Object.values(FIELD_OF);
  const { apiError, guard, setApiError } = useServerFieldErrors(form.setError, [...new Set(fields)]);

  const submit = form.handleSubmit((v) =>
    guard(async () => {
      const type = types.find((x) => typeKey(x) === v.type);
      try {
        const r = await run({
          input: {
            typeCode: type?.code ?? null,
            typeName: type?.name ?? null,
            subject: v.subject.trim(),
            issuedDate: v.issuedDate ? parseVnDate(v.issuedDate) : null,
            signerName: v.signerName.trim(),
            signerTitle: v.signerTitle.trim() || null,
            signingAuthority: authorityInput(v.authority),
            legalNormative: v.legalNormative,
            externalRecipients: recipientLines(v.externalRecipients),
            scan: v.scan[0],
          },
        });
        onDone({ id: r.registerPaperOutgoing.id, symbol: r.registerPaperOutgoing.symbol ?? '' });
      } catch (e) {
        // API field names (typeCode, signingAuthority…) → the form's fields.
        const name = (e as { field?: string | null }).field?.split('.').pop();
        const target = name ? FIELD_OF[name] : undefined;
        if (target) {
          form.setError(target === 'authority' ? 'authority.mode' : target, { type: 'server', message: (e as Error).message });
          setApiError(null);
          return;
        }
        throw e;
      }
    }),
  );

  const authorityErrors = errors.authority as undefined | { message?: string; mode?: { message?: string }; collective?: { message?: string }; principal?: { message?: string } };
  return (
    <Dialog title={t('issuing.paperForm.title')} onClose={onClose} wide>
      <form className="doc-form-plain" noValidate onSubmit={(e) => void submit(e)} data-testid="paper-outgoing-form">
        <p className="doc-muted">{t('issuing.paperForm.lead')}</p>
        <FormError error={apiError} />
        <div className="doc-form__grid">
          <Field label={t('issuing.paperForm.type')} required error={errors.type?.message}>
            {(c) => <Controller control={form.control} name="type" render={({ field }) => <TypeSelect control={c} value={field.value} options={types} placeholder={t('issuing.paperForm.typePlaceholder')} onChange={field.onChange} />} />}
          </Field>
          <Field label={t('issuing.paperForm.issuedDate')} error={errors.issuedDate?.message} hint={t('issuing.paperForm.issuedDateHint')}>
            {(c) => <Controller control={form.control} name="issuedDate" render={({ field }) => <DateInput {...c} value={field.value} onChange={field.onChange} onBlur={field.onBlur} data-field="issuedDate" />} />}
          </Field>
          <Field className="doc-span-2" label={t('issuing.paperForm.subject')} required error={errors.subject?.message}>
            {(c) => <textarea {...c} rows={3} data-field="subject" {...form.register('subject')} />}
          </Field>
          <Field label={t('issuing.paperForm.signerName')} required error={errors.signerName?.message}>
            {(c) => <input {...c} type="text" data-field="signerName" {...form.register('signerName')} />}
          </Field>
          <Field label={t('issuing.paperForm.signerTitle')} error={errors.signerTitle?.message} hint={t('issuing.paperForm.signerTitleHint')}>
            {(c) => <input {...c} type="text" data-field="signerTitle" {...form.register('signerTitle')} />}
          </Field>
          <Controller
            control={form.control}
            name="authority"
            render={({ field }) => (
              <AuthorityFields
                value={field.value}
                onChange={field.onChange}
                errors={{ mode: authorityErrors?.mode?.message ?? authorityErrors?.message, collective: authorityErrors?.collective?.message, principal: authorityErrors?.principal?.message }}
                legalNormative={form.watch('legalNormative')}
                onLegalNormativeChange={(b) => form.setValue('legalNormative', b)}
              />
            )}
          />
          <Field className="doc-span-2" label={t('issuing.paperForm.recipients')} hint={t('issuing.paperForm.recipientsHint')} error={errors.externalRecipients?.message}>
            {(c) => <textarea {...c} rows={2} data-field="externalRecipients" {...form.register('externalRecipients')} />}
          </Field>
          <Field className="doc-span-2" label={t('issuing.paperForm.scan')} required hint={t('issuing.paperForm.scanHint')} error={errors.scan?.message}>
            {(c) => (
              <Controller
                control={form.control}
                name="scan"
                render={({ field }) => <FilesInput control={c} files={field.value} multiple={false} accept={ACCEPTED_SCANS} onChange={(f) => field.onChange(f.slice(0, 1))} />}
              />
            )}
          </Field>
        </div>
        <FormActions onCancel={onClose} cancelLabel={t('issuing.cancel')} submitLabel={t('issuing.paperForm.submit')} disabled={isSubmitting} />
      </form>
    </Dialog>
  );
}
