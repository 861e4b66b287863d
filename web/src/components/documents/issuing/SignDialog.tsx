/**
 * "Ký ban hành" (issue 12) with two ways to sign:
 *  - the certificate held by the server (uploaded PKCS#12): one click;
 *  - "Ký bằng USB token": prepare (the server appends the signature placeholder and shows the SHA-256 hash to
 *    sign) → the local signing helper signs the hash on the token (RSA PKCS#1 v1.5) → the signature value is
 *    pasted or loaded from a file → complete (the server embeds it as a PAdES signature) → sign with the session.
 */
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../../graphql/client';
import {
  CompleteTokenSignatureDocument,
  PrepareTokenSignatureDocument,
  SignDialogInfoDocument,
  SignDocument,
  SignWithSessionDocument,
  type PrepareTokenSignatureMutation,
} from '../../../graphql/generated';
import { useApiMutation, useApiQuery } from '../../../graphql/hooks';
import { Dialog } from '../Dialog';
import { Field, FormError } from '../fields';
import { FileInput } from '../FilesInput';

export interface SignableFile {
  id: string;
  kind: string;
  version: number;
  contentType: string;
}

/** What the server signs: a PDF, or a DOCX / DOC / ODT draft it converts to PDF first (LibreOffice). */
export const SIGNABLE_TYPES: readonly string[] = [
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/msword',
  'application/vnd.oasis.opendocument.text',
];

/** The file the signer signs: the latest version of the draft (as the server picks it). */
export function fileToSign(files: readonly SignableFile[]): SignableFile | null {
  const drafts = files.filter((f) => f.kind === 'DRAFT');
  if (!drafts.length) return null;
  const top = Math.max(...drafts.map((f) => f.version));
  return drafts.filter((f) => f.version === top).sort((a, b) => a.id.localeCompare(b.id))[0];
}

/** A signature value as the helper gives it: base64 text, or the raw bytes of a .sig file. */
export function signatureFromText(text: string): string | null {
  const clean = text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  if (!clean || !/^[A-Za-z0-9+/]+={0,2}$/.test(clean) || clean.length % 4 !== 0) return null;
  return clean;
}

async function fileToBase64(f: File): Promise<string> {
  const bytes = new Uint8Array(await f.arrayBuffer());
  const text = new TextDecoder('latin1').decode(bytes);
  // A helper may write base64 text; otherwise the file holds the raw signature bytes.
  const asText = signatureFromText(text);
  if (asText) return asText;
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

type Tab = 'SERVER' | 'TOKEN';

export function SignDialog({ documentId, files, userName, onClose, onDone }: { documentId: string; files: readonly SignableFile[]; userName: string; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const info = useApiQuery(SignDialogInfoDocument, { id: documentId }, { requestPolicy: 'network-only' });
  const method = info.data?.document?.issuing?.mySigningMethod ?? null;
  const tokenCert = info.data?.mySigningCredentials.find((c) => c.source === 'TOKEN') ?? null;
  const [chosen, setChosen] = useState<Tab | null>(null);
  const tab: Tab = chosen ?? (method === 'TOKEN' ? 'TOKEN' : 'SERVER');
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [sign, { fetching: signing }] = useApiMutation(SignDocument);
  const authority = info.data?.document?.issuing?.signingAuthority;
  const file = fileToSign(files);

  const tabButton = (id: Tab, label: string) => (
    <button
      type="button"
      role="tab"
      id={`sign-tab-${id}`}
      aria-selected={tab === id}
      aria-controls={`sign-panel-${id}`}
      className={tab === id ? 'btn btn--primary doc-btn--small' : 'btn btn--secondary doc-btn--small'}
      onClick={() => {
        setError(null);
        setChosen(id);
      }}
    >
      {label}
    </button>
  );

  const commentField: ReactNode = (
    <Field label={t('doc.dialog.comment')}>{(c) => <textarea {...c} rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />}</Field>
  );
  const cleanComment = () => comment.trim().normalize('NFC') || null;

  return (
    <Dialog title={t('doc.action.SIGN')} onClose={onClose} wide>
      <div className="doc-form-plain">
        <p>{t('doc.dialog.signText', { name: userName })}</p>
        {authority?.label ? <p className="doc-muted doc-small">{t('issuing.sign.authority', { label: authority.lines.length ? authority.lines.join(' / ') : authority.label })}</p> : null}
        <div role="tablist" aria-label={t('issuing.sign.how')} className="doc-actions">
          {tabButton('SERVER', t('issuing.sign.tabServer'))}
          {tabButton('TOKEN', t('issuing.sign.tabToken'))}
        </div>
        <FormError error={error} />
        {tab === 'SERVER' ? (
          <form
            id="sign-panel-SERVER"
            role="tabpanel"
            aria-labelledby="sign-tab-SERVER"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              setError(null);
              sign({ documentId, comment: cleanComment() }).then(onDone, setError);
            }}
          >
            {method === 'TOKEN' ? <p className="alert alert--warning">{t('issuing.sign.serverNoKey')}</p> : null}
            {method === null && info.data ? (
              <p className="alert alert--warning">
                {t('issuing.sign.noCertificate')} <Link to="/account/certificates">{t('issuing.sign.manage')}</Link>
              </p>
            ) : null}
            {commentField}
            <div className="doc-form__actions">
              <button type="button" className="btn btn--secondary" onClick={onClose}>
                {t('issuing.cancel')}
              </button>
              <button type="submit" className="btn btn--primary" disabled={signing}>
                {t('doc.action.SIGN')}
              </button>
            </div>
          </form>
        ) : (
          <div id="sign-panel-TOKEN" role="tabpanel" aria-labelledby="sign-tab-TOKEN">
            {file && SIGNABLE_TYPES.includes(file.contentType) ? (
              <TokenSigning documentId={documentId} fileId={file.id} defaultPem={tokenCert?.certificatesPem ?? ''} comment={cleanComment} commentField={commentField} onError={setError} onDone={onDone} onClose={onClose} />
            ) : (
              <p className="alert alert--warning">{t('issuing.sign.noPdf')}</p>
            )}
          </div>
        )}
      </div>
    </Dialog>
  );
}

function TokenSigning({
  documentId,
  fileId,
  defaultPem,
  comment,
  commentField,
  onError,
  onDone,
  onClose,
}: {
  documentId: string;
  fileId: string;
  defaultPem: string;
  comment: () => string | null;
  commentField: ReactNode;
  onError: (e: unknown) => void;
  onDone: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [pem, setPem] = useState<string | null>(null);
  const certificatesPem = pem ?? defaultPem;
  const [prepared, setPrepared] = useState<PrepareTokenSignatureMutation['prepareSignature'] | null>(null);
  const [signature, setSignature] = useState('');
  const [signatureFile, setSignatureFile] = useState<File | null>(null);
  const [fieldError, setFieldError] = useState<{ field: 'pem' | 'signature'; message: string } | null>(null);
  const [prepare, { fetching: preparing }] = useApiMutation(PrepareTokenSignatureDocument);
  const [complete, { fetching: completing }] = useApiMutation(CompleteTokenSignatureDocument);
  const [signWithSession, { fetching: signing }] = useApiMutation(SignWithSessionDocument);

  const fail = (e: unknown) => {
    const f = e instanceof ApiError ? e.field?.split('.').pop() : undefined;
    if (f === 'certificatesPem') setFieldError({ field: 'pem', message: (e as Error).message });
    else if (f === 'signatureBase64') setFieldError({ field: 'signature', message: (e as Error).message });
    else onError(e);
  };

  const doPrepare = async () => {
    onError(null);
    setFieldError(null);
    try {
      const r = await prepare({ fileId, certificatesPem: certificatesPem.trim() || null });
      setPrepared(r.prepareSignature);
    } catch (e) {
      fail(e);
    }
  };

  const doComplete = async () => {
    if (!prepared) return;
    onError(null);
    setFieldError(null);
    const value = signatureFromText(signature);
    if (!value) {
      setFieldError({ field: 'signature', message: t('issuing.sign.signatureInvalid') });
      return;
    }
    if (!certificatesPem.trim()) {
      setFieldError({ field: 'pem', message: t('issuing.sign.pemRequired') });
      return;
    }
    try {
      const s = await complete({ sessionId: prepared.sessionId, signatureBase64: value, certificatesPem });
      await signWithSession({ documentId, comment: comment(), signingSessionId: s.completeSignature.id });
      onDone();
    } catch (e) {
      fail(e);
    }
  };

  return (
    <div className="doc-form-plain">
      <p className="doc-muted doc-small">{t('issuing.sign.tokenLead')}</p>
      <Field label={t('issuing.sign.pem')} hint={defaultPem ? t('issuing.sign.pemRegistered') : t('issuing.sign.pemHint')} error={fieldError?.field === 'pem' ? fieldError.message : undefined}>
        {(c) => <textarea {...c} rows={3} spellCheck={false} value={certificatesPem} onChange={(e) => setPem(e.target.value)} readOnly={!!prepared} />}
      </Field>
      {!prepared ? (
        <div className="doc-form__actions">
          <button type="button" className="btn btn--secondary" onClick={onClose}>
            {t('issuing.cancel')}
          </button>
          <button type="button" className="btn btn--primary" disabled={preparing} onClick={() => void doPrepare()}>
            {t('issuing.sign.prepare')}
          </button>
        </div>
      ) : (
        <>
          <Field label={t('issuing.sign.digest', { algorithm: prepared.digestAlgorithm })} hint={t('issuing.sign.digestHint')}>
            {(c) => <input {...c} type="text" readOnly value={prepared.digestBase64} data-testid="token-digest" onFocus={(e) => e.currentTarget.select()} />}
          </Field>
          <Field label={t('issuing.sign.signedAttributes')} hint={t('issuing.sign.signedAttributesHint')}>
            {(c) => <textarea {...c} rows={2} readOnly spellCheck={false} value={prepared.signedAttributesBase64} data-testid="token-signed-attributes" />}
          </Field>
          <Field label={t('issuing.sign.signature')} required hint={t('issuing.sign.signatureHint')} error={fieldError?.field === 'signature' ? fieldError.message : undefined}>
            {(c) => <textarea {...c} rows={3} spellCheck={false} value={signature} onChange={(e) => setSignature(e.target.value)} />}
          </Field>
          <Field label={t('issuing.sign.signatureFile')}>
            {(c) => (
              <FileInput
                control={c}
                accept=".sig,.p1,.bin,.txt,.b64"
                file={signatureFile}
                onChange={(f) => {
                  setSignatureFile(f);
                  if (f) void fileToBase64(f).then(setSignature);
                }}
              />
            )}
          </Field>
          {commentField}
          <div className="doc-form__actions">
            <button type="button" className="btn btn--secondary" onClick={onClose}>
              {t('issuing.cancel')}
            </button>
            <button type="button" className="btn btn--primary" disabled={completing || signing} onClick={() => void doComplete()}>
              {t('issuing.sign.complete')}
            </button>
          </div>
        </>
      )}
    </div>
  );
}
