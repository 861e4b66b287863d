/**
 * Nhập tệp .edxml (issue 13): the văn thư imports a package received by other means; a valid document appears
 * in "chờ vào sổ", a bad file shows the codec's precise reason at the field. Shown when the server allows it
 * (Query.edxmlImportAllowed).
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { EdxmlImportAllowedDocument, ImportEdxmlDocument } from '../../graphql/generated';
import { useApiMutation, useApiQuery } from '../../graphql/hooks';
import { Icon } from '../Icon';
import { Dialog } from '../documents/Dialog';
import { Field, FormError } from '../documents/fields';
import { FileInput } from '../documents/FilesInput';
import { FormActions, useServerFieldErrors } from '../formParts';

export function ImportEdxmlButton() {
  const { t } = useTranslation();
  const { data } = useApiQuery(EdxmlImportAllowedDocument, {});
  const [open, setOpen] = useState(false);
  const [notice, setNotice] = useState('');
  if (!data?.edxmlImportAllowed) return null;
  return (
    <>
      <button type="button" className="btn btn--secondary" onClick={() => setOpen(true)}>
        {t('exchangeBusiness.import.button')}
      </button>
      {notice ? (
        <span className="doc-muted" role="status" data-testid="edxml-import-notice">
          <Icon name="info" /> {notice}
        </span>
      ) : null}
      {open ? (
        <ImportEdxmlDialog
          onClose={() => setOpen(false)}
          onDone={(n) => {
            setOpen(false);
            setNotice(n);
          }}
        />
      ) : null}
    </>
  );
}

export function ImportEdxmlDialog({ onClose, onDone }: { onClose: () => void; onDone: (notice: string) => void }) {
  const { t } = useTranslation();
  const schema = z.object({ file: z.custom<File | null>((v) => v instanceof File, { message: t('exchangeBusiness.import.fileRequired') }) });
  const form = useForm<{ file: File | null }>({ resolver: zodResolver(schema), defaultValues: { file: null } });
  const [run] = useApiMutation(ImportEdxmlDocument);
  const { apiError, guard } = useServerFieldErrors(form.setError, ['file']);
  const submit = form.handleSubmit((v) =>
    guard(async () => {
      const r = await run({ file: v.file as File });
      onDone(t(r.importEdxml.duplicate ? 'exchangeBusiness.import.duplicate' : 'exchangeBusiness.import.done'));
    }),
  );
  return (
    <Dialog title={t('exchangeBusiness.import.title')} onClose={onClose}>
      <form className="doc-form-plain" noValidate onSubmit={(e) => void submit(e)}>
        <p className="doc-muted">{t('exchangeBusiness.import.hint')}</p>
        <FormError error={apiError} />
        <Field label={t('exchangeBusiness.import.file')} required error={form.formState.errors.file?.message}>
          {(c) => (
            <FileInput
              control={c}
              accept=".edxml,application/xml,text/xml"
              file={form.watch('file')}
              onChange={(f) => form.setValue('file', f, { shouldValidate: form.formState.isSubmitted })}
            />
          )}
        </Field>
        <FormActions onCancel={onClose} cancelLabel={t('exchangeBusiness.cancel')} submitLabel={t('exchangeBusiness.import.submit')} disabled={form.formState.isSubmitting} />
      </form>
    </Dialog>
  );
}
