import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { Icon } from '../../components/Icon';
import { notifyDocumentsChanged, requestWithFiles, useQuery } from '../../components/documents/api';
import { ReasonDialog } from '../../components/documents/ActionDialogs';
import { Field, FormError, LoadState, errorField } from '../../components/documents/fields';
import { documentTitle, formatDate, formatDay, newIdempotencyKey } from '../../components/documents/format';
import { FileList } from '../../components/documents/FileViewer';
import {
  ACCEPTED_SCANS,
  FilesInput,
  IssuerInput,
  typeKey,
  useDocumentTypes,
  usePeople,
  type AgencyOption,
} from '../../components/documents/pickers';
import { useAction } from '../../components/documents/useAction';
import { request } from '../../graphql/client';
import {
  DocumentDetailDocument,
  RegisterIncomingDocument,
  RejectIncomingDocument,
  type DocumentDetailFragment,
  type RegisterIncomingInput,
  type Secrecy,
  type Urgency,
} from '../../graphql/generated';
import '../../components/documents/documents.css';

const URGENCIES: readonly Urgency[] = ['THUONG', 'KHAN', 'THUONG_KHAN', 'HOA_TOC'];
const SECRECIES: readonly Secrecy[] = ['THUONG', 'MAT', 'TOI_MAT', 'TUYET_MAT'];

/** API input fields → the form field that shows their error. */
const FIELD_OF: Record<string, string> = {
  issuerName: 'issuer',
  issuerAgencyId: 'issuer',
  symbol: 'symbol',
  issuedDate: 'issuedDate',
  typeCode: 'type',
  typeName: 'type',
  subject: 'subject',
  signerName: 'signerName',
  signerTitle: 'signerTitle',
  urgency: 'urgency',
  secrecy: 'secrecy',
  pageCount: 'pageCount',
  readerIds: 'readers',
  files: 'files',
  fileIds: 'files',
};

interface FormState {
  issuer: { name: string; agency: AgencyOption | null };
  symbol: string;
  issuedDate: string;
  type: string;
  subject: string;
  signerName: string;
  signerTitle: string;
  urgency: Urgency;
  secrecy: Secrecy;
  pageCount: string;
  readerIds: string[];
  files: File[];
}

const EMPTY: FormState = {
  issuer: { name: '', agency: null },
  symbol: '',
  issuedDate: '',
  type: '',
  subject: '',
  signerName: '',
  signerTitle: '',
  urgency: 'THUONG',
  secrecy: 'THUONG',
  pageCount: '',
  readerIds: [],
  files: [],
};

function fromDocument(d: DocumentDetailFragment): FormState {
  return {
    issuer: { name: d.issuer?.name ?? '', agency: d.issuer?.agency ? { ...d.issuer.agency, abbr: '' } : null },
    symbol: d.symbol ?? '',
    issuedDate: d.issuedDate ?? '',
    type: d.typeCode ? `code:${d.typeCode}` : d.typeName ? `name:${d.typeName}` : '',
    subject: d.subject,
    signerName: d.signerName ?? '',
    signerTitle: d.signerTitle ?? '',
    urgency: d.urgency,
    secrecy: d.secrecy,
    pageCount: d.pageCount ? String(d.pageCount) : '',
    readerIds: [],
    files: [],
  };
}

/**
 * Vào sổ văn bản đến. Paper documents: the văn thư types the fields and uploads the scan. Electronically
 * received documents (?documentId=…, status RECEIVED): the form is prefilled from the package and the
 * văn thư confirms (vào sổ) or refuses (từ chối nhận, with a reason).
 */
export default function RegisterIncomingPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const documentId = params.get('documentId');
  const received = useQuery(DocumentDetailDocument, { id: documentId ?? '' }, { skip: !documentId });
  const receivedDoc = received.data?.document ?? null;

  const [form, setForm] = useState<FormState>(EMPTY);
  const prefilled = useRef<string | null>(null);
  useEffect(() => {
    if (receivedDoc && prefilled.current !== receivedDoc.id) {
      prefilled.current = receivedDoc.id;
      setForm(fromDocument(receivedDoc));
    }
  }, [receivedDoc]);

  const { types } = useDocumentTypes();
  const secret = form.secrecy !== 'THUONG';
  const { people, unavailable: peopleUnavailable } = usePeople({});
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const action = useAction();
  const [result, setResult] = useState<DocumentDetailFragment | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const idempotencyKey = useRef(newIdempotencyKey());
  const formRef = useRef<HTMLFormElement>(null);

  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setForm((f) => ({ ...f, [k]: v }));
  const apiField = errorField(action.error);
  const fieldErrors: Record<string, string> = { ...localErrors };
  if (apiField && FIELD_OF[apiField] && action.error instanceof Error) fieldErrors[FIELD_OF[apiField]] = action.error.message;

  // Move focus to the first field in error after a failed submit.
  useEffect(() => {
    const first = Object.keys(fieldErrors)[0];
    if (!first) return;
    formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
  }, [action.error, localErrors]);

  const validate = (): Record<string, string> => {
    const e: Record<string, string> = {};
    if (!form.issuer.name.trim()) e.issuer = t('doc.register.errors.issuer');
    if (!form.subject.trim()) e.subject = t('doc.register.errors.subject');
    if (!form.type) e.type = t('doc.register.errors.type');
    if (form.pageCount && !(Number(form.pageCount) > 0)) e.pageCount = t('doc.register.errors.pageCount');
    if (!receivedDoc && form.files.length === 0) e.files = t('doc.register.errors.files');
    if (secret && form.readerIds.length === 0 && !peopleUnavailable) e.readers = t('doc.register.errors.readers');
    return e;
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (action.pending) return;
    const errors = validate();
    setLocalErrors(errors);
    if (Object.keys(errors).length) return;
    const type = types.find((x) => typeKey(x) === form.type);
    const nfc = (s: string) => s.trim().normalize('NFC') || null;
    const input: RegisterIncomingInput = {
      documentId: receivedDoc?.id ?? null,
      issuerAgencyId: form.issuer.agency?.id ?? null,
      issuerName: form.issuer.agency ? null : nfc(form.issuer.name),
      symbol: nfc(form.symbol),
      issuedDate: form.issuedDate || null,
      typeCode: type?.code ?? null,
      typeName: type?.name ?? null,
      subject: nfc(form.subject),
      signerName: nfc(form.signerName),
      signerTitle: nfc(form.signerTitle),
      urgency: form.urgency,
      secrecy: form.secrecy,
      pageCount: form.pageCount ? Number(form.pageCount) : null,
      readerIds: secret ? form.readerIds : null,
      files: form.files.length ? form.files : null,
      idempotencyKey: idempotencyKey.current,
    };
    const r = await action.run(() => requestWithFiles(RegisterIncomingDocument, { input }));
    if (r) {
      setResult(r.registerIncoming);
      idempotencyKey.current = newIdempotencyKey();
    }
  };

  const onReject = async (reason: string) => {
    if (!receivedDoc) return;
    await request(RejectIncomingDocument, { documentId: receivedDoc.id, reason });
    notifyDocumentsChanged();
    setRejecting(false);
    navigate(`/incoming/documents/${receivedDoc.id}`);
  };

  const title = receivedDoc ? t('doc.register.titleReceived') : t('doc.register.title');

  if (result) {
    return (
      <>
        <PageHeader title={title} />
        <RegisterResult
          doc={result}
          onAnother={() => {
            setResult(null);
            setForm(EMPTY);
            setLocalErrors({});
            if (documentId) navigate('/incoming/register', { replace: true });
          }}
        />
      </>
    );
  }

  if (documentId && !receivedDoc) {
    return (
      <>
        <PageHeader title={title} />
        <LoadState loading={received.loading} error={received.error} onRetry={received.reload} />
      </>
    );
  }

  const typeOptions = types.some((x) => typeKey(x) === form.type) || !form.type ? types : [...types, { code: null, name: receivedDoc?.typeName ?? form.type }];

  return (
    <>
      <PageHeader
        title={title}
        description={receivedDoc ? t('doc.register.leadReceived') : t('doc.register.lead')}
        actions={
          <Link to="/incoming" className="btn btn--secondary">
            {t('doc.action.backToList')}
          </Link>
        }
      />
      {receivedDoc ? (
        <section className="card doc-section" aria-labelledby="received-files">
          <h2 id="received-files">{t('doc.register.receivedFiles')}</h2>
          <p className="doc-muted">
            {t('doc.register.receivedFrom', { issuer: receivedDoc.issuer?.name ?? '', date: formatDay(receivedDoc.receivedDate) })}
          </p>
          <FileList files={receivedDoc.files} />
        </section>
      ) : null}

      <form ref={formRef} className="card doc-form" onSubmit={(e) => void onSubmit(e)} noValidate aria-busy={action.pending}>
        <FormError error={action.error} shownAtField={Boolean(apiField && FIELD_OF[apiField])} />
        <div className="doc-form__grid">
          <Field label={t('doc.field.issuer')} required error={fieldErrors.issuer} className="doc-span-2" hint={t('doc.register.issuerHint')}>
            {(c) => <IssuerInput control={{ ...c, 'data-field': 'issuer' } as typeof c} value={form.issuer} onChange={(v) => set('issuer', v)} />}
          </Field>
          <Field label={t('doc.field.symbol')} error={fieldErrors.symbol} hint={t('doc.register.symbolHint')}>
            {(c) => <input {...c} data-field="symbol" type="text" value={form.symbol} onChange={(e) => set('symbol', e.target.value)} autoComplete="off" />}
          </Field>
          <Field label={t('doc.field.issuedDate')} error={fieldErrors.issuedDate}>
            {(c) => <input {...c} data-field="issuedDate" type="date" value={form.issuedDate} onChange={(e) => set('issuedDate', e.target.value)} />}
          </Field>
          <Field label={t('doc.field.type')} required error={fieldErrors.type}>
            {(c) => (
              <select {...c} data-field="type" value={form.type} onChange={(e) => set('type', e.target.value)}>
                <option value="">{t('doc.form.choose')}</option>
                {typeOptions.map((x) => (
                  <option key={typeKey(x)} value={typeKey(x)}>
                    {x.name}
                    {x.code ? ` (${x.code})` : ''}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('doc.field.pageCount')} error={fieldErrors.pageCount}>
            {(c) => (
              <input {...c} data-field="pageCount" type="number" inputMode="numeric" min={1} value={form.pageCount} onChange={(e) => set('pageCount', e.target.value)} />
            )}
          </Field>
          <Field label={t('doc.field.subject')} required error={fieldErrors.subject} className="doc-span-2">
            {(c) => <textarea {...c} data-field="subject" rows={3} value={form.subject} onChange={(e) => set('subject', e.target.value)} />}
          </Field>
          <Field label={t('doc.field.signerName')} error={fieldErrors.signerName}>
            {(c) => <input {...c} data-field="signerName" type="text" value={form.signerName} onChange={(e) => set('signerName', e.target.value)} />}
          </Field>
          <Field label={t('doc.field.signerTitle')} error={fieldErrors.signerTitle}>
            {(c) => <input {...c} data-field="signerTitle" type="text" value={form.signerTitle} onChange={(e) => set('signerTitle', e.target.value)} />}
          </Field>
          <Field label={t('doc.field.urgency')} error={fieldErrors.urgency}>
            {(c) => (
              <select {...c} data-field="urgency" value={form.urgency} onChange={(e) => set('urgency', e.target.value as Urgency)}>
                {URGENCIES.map((u) => (
                  <option key={u} value={u}>
                    {t(`doc.urgency.${u}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('doc.field.secrecy')} error={fieldErrors.secrecy}>
            {(c) => (
              <select {...c} data-field="secrecy" value={form.secrecy} onChange={(e) => set('secrecy', e.target.value as Secrecy)}>
                {SECRECIES.map((s) => (
                  <option key={s} value={s}>
                    {t(`doc.secrecy.${s}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {secret ? (
            <fieldset className="doc-fieldset doc-span-2" aria-describedby="readers-hint">
              <legend>{t('doc.register.readers')}</legend>
              <p id="readers-hint" className="doc-field__hint">
                {peopleUnavailable ? t('doc.people.unavailable') : t('doc.register.readersHint')}
              </p>
              <div className="doc-checklist" data-field="readers" tabIndex={-1}>
                {people.map((p) => (
                  <label key={p.id} className="doc-check">
                    <input
                      type="checkbox"
                      checked={form.readerIds.includes(p.id)}
                      onChange={(e) => set('readerIds', e.target.checked ? [...form.readerIds, p.id] : form.readerIds.filter((x) => x !== p.id))}
                    />
                    <span>
                      {p.fullName}
                      {p.title ? ` — ${p.title}` : ''}
                    </span>
                  </label>
                ))}
              </div>
              {fieldErrors.readers ? (
                <p className="doc-field__error">
                  <Icon name="alert" /> {fieldErrors.readers}
                </p>
              ) : null}
            </fieldset>
          ) : null}
          <Field
            label={receivedDoc ? t('doc.register.moreFiles') : t('doc.register.files')}
            required={!receivedDoc}
            error={fieldErrors.files}
            hint={t('doc.register.filesHint')}
            className="doc-span-2"
          >
            {(c) => <FilesInput control={{ ...c, 'data-field': 'files' } as typeof c} files={form.files} onChange={(f) => set('files', f)} accept={ACCEPTED_SCANS} />}
          </Field>
        </div>
        <div className="doc-form__actions">
          <button type="submit" className="btn btn--primary" disabled={action.pending}>
            {action.pending ? t('doc.register.submitting') : receivedDoc ? t('doc.register.confirm') : t('doc.register.submit')}
          </button>
          {receivedDoc ? (
            <button type="button" className="btn btn--danger" onClick={() => setRejecting(true)} disabled={action.pending}>
              {t('doc.action.REJECT_INCOMING')}
            </button>
          ) : null}
        </div>
      </form>
      {rejecting ? <ReasonDialog title={t('doc.action.REJECT_INCOMING')} label={t('doc.dialog.rejectIncomingReason')} onClose={() => setRejecting(false)} onSubmit={onReject} /> : null}
    </>
  );
}

/** After vào sổ: the số đến, big, and the duplicate warning. */
function RegisterResult({ doc, onAnother }: { doc: DocumentDetailFragment; onAnother: () => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="card doc-result" ref={ref} tabIndex={-1} role="status" aria-live="polite">
      <p className="doc-result__label">{t('doc.register.done')}</p>
      <p className="doc-result__number">
        {t('doc.field.incomingNumber')}: <strong>{doc.incomingNumber}</strong>
        {doc.registerYear ? <span className="doc-muted"> / {doc.registerYear}</span> : null}
      </p>
      <p>
        {documentTitle(doc)} — {doc.subject}
      </p>
      {doc.duplicateOf ? (
        <div className="alert alert--warning">
          <Icon name="alert" />
          <span>
            {t('doc.register.duplicate', {
              number: doc.duplicateOf.incomingNumber ?? '—',
              year: doc.duplicateOf.registerYear ?? '',
              date: formatDay(doc.duplicateOf.receivedDate),
            })}{' '}
            <Link to={`/incoming/documents/${doc.duplicateOf.id}`}>{t('doc.register.openDuplicate')}</Link>
          </span>
        </div>
      ) : null}
      <div className="doc-form__actions">
        <Link to={`/incoming/documents/${doc.id}`} className="btn btn--primary">
          {t('doc.register.openAndSubmit')}
        </Link>
        <button type="button" className="btn btn--secondary" onClick={onAnother}>
          {t('doc.register.another')}
        </button>
      </div>
      {doc.issuedDate ? <p className="doc-muted doc-small">{t('doc.field.issuedDateShort', { date: formatDate(doc.issuedDate) })}</p> : null}
    </div>
  );
}
