/**
 * Chứng thư số (issue 12), /account/certificates: the caller's active signing certificate, and how to set
 * one — upload a PKCS#12 (.p12/.pfx) with its password (the key is then held by the server, encrypted at
 * rest), or register the certificate (PEM) of a USB token (signing then goes through "Ký bằng USB token").
 * An optional PNG signature image is drawn in the signer block.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { Field, LoadState, errorField } from '../../components/documents/fields';
import { FileInput } from '../../components/documents/FilesInput';
import { ActionFeedback, FormActions } from '../../components/formParts';
import { MySigningCredentialsDocument, RegisterMyTokenCertificateDocument, UploadMySigningCertificateDocument } from '../../graphql/generated';
import { useApiMutation, useApiQuery } from '../../graphql/hooks';
import { formatDateTime } from '../admin/format';

const cn = (subject: string) => /(?:^|\n)CN=([^\n]*)/.exec(subject)?.[1] ?? subject;

export default function CertificatesPage() {
  const { t } = useTranslation();
  const q = useApiQuery(MySigningCredentialsDocument, {}, { requestPolicy: 'cache-and-network' });
  const [upload, { fetching: uploading }] = useApiMutation(UploadMySigningCertificateDocument);
  const [register, { fetching: registering }] = useApiMutation(RegisterMyTokenCertificateDocument);
  const [mode, setMode] = useState<'P12' | 'TOKEN'>('P12');
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const [pem, setPem] = useState('');
  const [image, setImage] = useState<File | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);

  const submit = async () => {
    setError(null);
    setNotice(null);
    const missing: Record<string, string> = {};
    if (mode === 'P12' && !file) missing.file = t('issuing.certs.fileRequired');
    if (mode === 'TOKEN' && !pem.trim()) missing.certificatesPem = t('issuing.sign.pemRequired');
    setFieldErrors(missing);
    if (Object.keys(missing).length) return;
    try {
      const c =
        mode === 'P12'
          ? (await upload({ file: file!, password, image })).uploadSigningCertificate
          : (await register({ certificatesPem: pem, image })).registerTokenCertificate;
      setNotice(t('issuing.certs.saved', { name: cn(c.subject) }));
      setFile(null);
      setImage(null);
      setPassword('');
      setPem('');
      q.refetch();
    } catch (e) {
      const f = errorField(e);
      if (f && ['file', 'password', 'certificatesPem', 'image'].includes(f)) setFieldErrors({ [f]: (e as Error).message });
      else setError(e);
    }
  };

  const creds = q.data?.mySigningCredentials ?? [];
  return (
    <>
      <PageHeader title={t('issuing.certs.title')} description={t('issuing.certs.lead')} actions={<Link to="/account/password">{t('account.link')}</Link>} />
      <LoadState loading={q.fetching && !q.data} error={q.error} onRetry={q.refetch} />
      <section className="card doc-section" aria-labelledby="certs-current">
        <h2 id="certs-current">{t('issuing.certs.current')}</h2>
        {creds.length === 0 && q.data ? <p className="doc-muted">{t('issuing.certs.none')}</p> : null}
        <ul data-testid="my-certificates">
          {creds.map((c) => (
            <li key={c.id}>
              <strong>{cn(c.subject)}</strong> — {t(`issuing.certs.source.${c.source}`)}
              <div className="doc-small doc-muted">
                {t('issuing.certs.issuer', { issuer: cn(c.issuer) })} · {t('issuing.certs.validity', { from: formatDateTime(c.notBefore), to: formatDateTime(c.notAfter) })} · {t('issuing.certs.serial', { serial: c.serialNumber })}
                {c.hasImage ? ` · ${t('issuing.certs.hasImage')}` : ''}
              </div>
            </li>
          ))}
        </ul>
      </section>
      <section className="card doc-section" aria-labelledby="certs-new">
        <h2 id="certs-new">{t('issuing.certs.new')}</h2>
        <ActionFeedback error={error} notice={notice} />
        <form
          className="doc-form-plain"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <fieldset className="doc-fieldset doc-fieldset--inline">
            <legend>{t('issuing.certs.kind')}</legend>
            <label className="doc-check">
              <input type="radio" name="cert-mode" checked={mode === 'P12'} onChange={() => setMode('P12')} /> {t('issuing.certs.p12')}
            </label>
            <label className="doc-check">
              <input type="radio" name="cert-mode" checked={mode === 'TOKEN'} onChange={() => setMode('TOKEN')} /> {t('issuing.certs.token')}
            </label>
          </fieldset>
          {mode === 'P12' ? (
            <>
              <Field label={t('issuing.certs.file')} required error={fieldErrors.file}>
                {(c) => <FileInput control={c} accept=".p12,.pfx,application/x-pkcs12" file={file} onChange={setFile} />}
              </Field>
              <Field label={t('issuing.certs.password')} error={fieldErrors.password}>
                {(c) => <input {...c} type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} />}
              </Field>
            </>
          ) : (
            <Field label={t('issuing.sign.pem')} required hint={t('issuing.sign.pemHint')} error={fieldErrors.certificatesPem}>
              {(c) => <textarea {...c} rows={5} spellCheck={false} value={pem} onChange={(e) => setPem(e.target.value)} />}
            </Field>
          )}
          <Field label={t('issuing.certs.image')} hint={t('issuing.certs.imageHint')} error={fieldErrors.image}>
            {(c) => <FileInput control={c} accept="image/png" file={image} onChange={setImage} />}
          </Field>
          <FormActions submitLabel={t('issuing.certs.submit')} disabled={uploading || registering} />
        </form>
      </section>
    </>
  );
}
