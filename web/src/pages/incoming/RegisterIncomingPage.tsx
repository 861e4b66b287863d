import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { DuplicateWarning, SECRECIES, URGENCIES } from '../../components/documents/Badges';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { Icon } from '../../components/Icon';
import { notifyDocumentsChanged, requestWithFiles, useQuery } from '../../components/documents/api';
import { ReasonDialog } from '../../components/documents/ActionDialogs';
import { Field, FormError, LoadState, errorField } from '../../components/documents/fields';
import { errorMessage } from '../../i18n/errors';
import { documentTitle, formatDate, formatDay, newIdempotencyKey } from '../../components/documents/format';
import { FileList } from '../../components/documents/FileViewer';
import {
  ACCEPTED_SCANS,
  FilesInput,
  IssuerInput,
  TypeSelect,
  typeKey,
  useDocumentTypes,
  usePeople,
  type AgencyOption,
} from '../../components/documents/pickers';
import { useAction } from '../../components/documents/useAction';
import { agencyKey, expandOrganName, LOW_CONFIDENCE, matchAgency, readOcrFields, useOcrProgress, type OcrProgressState } from '../../components/documents/ocr';
import { ApiError, request } from '../../graphql/client';
import {
  AgencySearchDocument,
  DocumentDetailDocument,
  RegisterIncomingDocument,
  RejectIncomingDocument,
  RetryOcrDocument,
  ScanDocument,
  UploadScanDocument,
  type DocumentDetailFragment,
  type RegisterIncomingInput,
  type ScanInfoFragment,
  type Secrecy,
  type Urgency,
} from '../../graphql/generated';
import { ScanPanel } from './ScanPanel';
import '../../components/documents/documents.css';


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
  receivedAt: 'receivedAt',
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

/** Form fields a scan can prefill. */
type AutoKey = 'issuer' | 'symbol' | 'issuedDate' | 'type' | 'subject' | 'signerName' | 'signerTitle' | 'urgency' | 'pageCount';
/** Prefilled fields still as the scan gave them, with the confidence of the reading (0–1). */
type AutoFilled = Partial<Record<AutoKey, number>>;

/** Whether the user has left `k` empty (the default urgency counts as empty). */
function isEmpty(form: FormState, k: AutoKey): boolean {
  if (k === 'issuer') return !form.issuer.name.trim();
  if (k === 'urgency') return form.urgency === 'THUONG';
  return !form[k].trim();
}

/** The type <select> value for the type read off a scan: the agency's type by code, else by name. */
function typeFromScan(types: readonly { code?: string | null; name: string }[], code: string | null, name: string | null): string | null {
  const byCode = code ? types.find((x) => x.code === code) : undefined;
  if (byCode) return typeKey(byCode);
  const byName = name ? types.find((x) => agencyKey(x.name) === agencyKey(name)) : undefined;
  if (byName) return typeKey(byName);
  return name ? `name:${name}` : code ? `code:${code}` : null;
}

/** The issuing organ printed on the scan as an agency of the deployment, if one matches unambiguously. */
async function findAgency(organ: string, superior: string | null): Promise<AgencyOption | null> {
  const searches = [...new Set([organ, expandOrganName(organ)])];
  const found: AgencyOption[] = [];
  for (const search of searches) {
    const r = await request(AgencySearchDocument, { search, first: 20 });
    found.push(...r.agencies.edges.map((e) => e.node));
  }
  return matchAgency(organ, superior, found);
}

const progressOf = (s: ScanInfoFragment): OcrProgressState => ({ status: s.ocr.status, pagesDone: s.ocr.pagesDone, pagesTotal: s.ocr.pagesTotal ?? null, error: s.ocr.error ?? null });

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
 * Vào sổ văn bản đến. Paper documents: the văn thư uploads the scan first; it is digitised in the
 * background (live per-page progress), then the searchable PDF is shown and the fields read off the page
 * prefill the form (marked "Tự động điền — kiểm tra lại"; never over what the văn thư typed); registering
 * attaches the uploaded scan (fileIds). Electronically received documents (?documentId=…, status RECEIVED):
 * the form is prefilled from the package and the văn thư confirms (vào sổ) or refuses (từ chối nhận).
 */
export default function RegisterIncomingPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const documentId = params.get('documentId');
  const received = useQuery(DocumentDetailDocument, { id: documentId ?? '' }, { skip: !documentId });
  const receivedDoc = received.data?.document ?? null;

  const [form, setForm] = useState<FormState>(EMPTY);
  const formNow = useRef(form);
  formNow.current = form;
  const prefilled = useRef<string | null>(null);
  useEffect(() => {
    if (receivedDoc && prefilled.current !== receivedDoc.id) {
      prefilled.current = receivedDoc.id;
      setForm(fromDocument(receivedDoc));
    }
  }, [receivedDoc]);

  const { types } = useDocumentTypes();
  const typesNow = useRef(types);
  typesNow.current = types;
  const secret = form.secrecy !== 'THUONG';
  const { people, unavailable: peopleUnavailable } = usePeople({});
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const action = useAction();
  const [result, setResult] = useState<DocumentDetailFragment | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const idempotencyKey = useRef(newIdempotencyKey());
  const formRef = useRef<HTMLFormElement>(null);
  /** Văn bản giấy vào sổ bằng tay, không có bản quét; and its ngày đến if it was received earlier. */
  const [paperOnly, setPaperOnly] = useState(false);
  const [receivedOn, setReceivedOn] = useState('');

  // --- the scan uploaded first, its digitisation and the prefill ---------------------------------------
  const [scan, setScan] = useState<ScanInfoFragment | null>(null);
  const scanIdNow = useRef<string | null>(null);
  scanIdNow.current = scan?.id ?? null;
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<unknown>(null);
  const upload = useRef<Promise<ScanInfoFragment | null> | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [retrying, setRetrying] = useState(false);
  const [retryError, setRetryError] = useState<unknown>(null);
  const [autoFilled, setAutoFilled] = useState<AutoFilled>({});
  const [prefill, setPrefill] = useState<{ filled: number; low: number; kept: number } | null>(null);
  /** Fields the user changed: a scan never overwrites them. */
  const touched = useRef(new Set<keyof FormState>());

  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => {
    touched.current.add(k);
    setAutoFilled((a) => {
      if (!(k in a)) return a;
      const next = { ...a };
      delete next[k as AutoKey];
      return next;
    });
    setForm((f) => ({ ...f, [k]: v }));
  };

  /** Fills the empty, untouched fields from a digitised scan. */
  const prefillFrom = useCallback(async (s: ScanInfoFragment) => {
    const f = readOcrFields(s.ocr.fields);
    const agency = f.organ.value ? await findAgency(f.organ.value, f.superiorOrgan.value).catch(() => null) : null;
    // The scan was removed (or replaced) meanwhile: nothing to fill.
    if (scanIdNow.current !== s.id) return;
    const typeValue = typeFromScan(typesNow.current, f.typeCode.value, f.typeName.value);
    const candidates: { [K in AutoKey]?: { value: FormState[K]; confidence: number } } = {
      issuer: f.organ.value ? { value: { name: agency?.name ?? f.organ.value, agency }, confidence: f.organ.confidence } : undefined,
      symbol: f.symbol.value ? { value: f.symbol.value, confidence: f.symbol.confidence } : undefined,
      issuedDate: f.issuedDate.value ? { value: f.issuedDate.value, confidence: f.issuedDate.confidence } : undefined,
      type: typeValue ? { value: typeValue, confidence: Math.max(f.typeName.confidence, f.typeCode.confidence) } : undefined,
      subject: f.excerpt.value ? { value: f.excerpt.value, confidence: f.excerpt.confidence } : undefined,
      signerName: f.signer.value ? { value: f.signer.value, confidence: f.signer.confidence } : undefined,
      signerTitle: f.signerTitle.value ? { value: f.signerTitle.value, confidence: f.signerTitle.confidence } : undefined,
      urgency: f.urgency.value && f.urgency.value !== 'THUONG' ? { value: f.urgency.value, confidence: f.urgency.confidence } : undefined,
      pageCount: s.ocr.pagesTotal ? { value: String(s.ocr.pagesTotal), confidence: 1 } : undefined,
    };
    const current = formNow.current;
    const next: FormState = { ...current };
    const marks: AutoFilled = {};
    let kept = 0;
    for (const k of Object.keys(candidates) as AutoKey[]) {
      const c = candidates[k];
      if (!c) continue;
      if (touched.current.has(k) || !isEmpty(current, k)) {
        kept++;
        continue;
      }
      (next as unknown as Record<AutoKey, unknown>)[k] = c.value;
      marks[k] = c.confidence;
    }
    setForm(next);
    setAutoFilled((a) => ({ ...a, ...marks }));
    setPrefill({ filled: Object.keys(marks).length, low: Object.values(marks).filter((c) => c < LOW_CONFIDENCE).length, kept });
  }, []);

  // (useOcrProgress keeps the latest callbacks: they need no memoising.)
  const loadScan = async (): Promise<OcrProgressState | null> => {
    if (!scan) return null;
    const r = await request(ScanDocument, { id: scan.id });
    return r.scan ? progressOf(r.scan) : null;
  };
  const onFinal = async (p: OcrProgressState) => {
    if (!scan) return;
    // The final state's details: the searchable PDF, the fields, the reason of a failure.
    const r = await request(ScanDocument, { id: scan.id }).catch(() => null);
    if (scanIdNow.current !== scan.id) return;
    const s = r?.scan ?? { ...scan, ocr: { ...scan.ocr, status: p.status, pagesDone: p.pagesDone, pagesTotal: p.pagesTotal, error: p.error } };
    setScan(s);
    if (s.ocr.status === 'DONE') await prefillFrom(s);
  };
  const { progress, mode } = useOcrProgress(scan?.id ?? null, scan ? progressOf(scan) : null, loadScan, (p) => void onFinal(p), attempt);

  const uploadScan = (file: File) => {
    setUploading(true);
    setUploadError(null);
    setLocalErrors(({ files: _files, ...rest }) => rest);
    const p = requestWithFiles(UploadScanDocument, { file }).then(
      async (r) => {
        const s = r.uploadScan;
        scanIdNow.current = s.id;
        setScan(s);
        setPrefill(null);
        setUploading(false);
        // The same bytes digitised before (by anyone in the agency): the result is there at once.
        if (s.ocr.status === 'DONE') await prefillFrom(s);
        return s;
      },
      (e: unknown) => {
        setUploadError(e);
        setUploading(false);
        return null;
      },
    );
    upload.current = p;
    return p;
  };

  /** Removes the scan; the fields it filled that nobody changed are emptied again. */
  const removeScan = () => {
    setForm((f) => {
      const next = { ...f };
      for (const k of Object.keys(autoFilled) as AutoKey[]) (next as unknown as Record<AutoKey, unknown>)[k] = EMPTY[k];
      return next;
    });
    setAutoFilled({});
    setPrefill(null);
    setScan(null);
    setRetryError(null);
    upload.current = null;
  };

  const retryScan = async () => {
    if (!scan) return;
    setRetrying(true);
    setRetryError(null);
    try {
      const r = await request(RetryOcrDocument, { fileId: scan.id });
      setScan({ ...scan, ocr: { ...scan.ocr, ...r.retryOcr, searchablePdfUrl: null, fields: null } });
      setAttempt((a) => a + 1);
    } catch (e) {
      setRetryError(e);
    } finally {
      setRetrying(false);
    }
  };

  const apiField = errorField(action.error);
  const fieldErrors: Record<string, string> = { ...localErrors };
  if (apiField && FIELD_OF[apiField] && action.error instanceof Error) fieldErrors[FIELD_OF[apiField]] = action.error.message;

  // Move focus to the first field in error after a failed submit.
  useEffect(() => {
    const first = Object.keys(fieldErrors)[0];
    if (!first) return;
    formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
  }, [action.error, localErrors]);

  const validate = (withScan: boolean): Record<string, string> => {
    const e: Record<string, string> = {};
    if (!form.issuer.name.trim()) e.issuer = t('doc.register.errors.issuer');
    if (!form.subject.trim()) e.subject = t('doc.register.errors.subject');
    if (!form.type) e.type = t('doc.register.errors.type');
    if (form.pageCount && !(Number(form.pageCount) > 0)) e.pageCount = t('doc.register.errors.pageCount');
    if (!receivedDoc && !withScan && !paperOnly && form.files.length === 0) e.files = t('doc.register.errors.files');
    if (secret && form.readerIds.length === 0 && !peopleUnavailable) e.readers = t('doc.register.errors.readers');
    return e;
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit(false);
  };

  /** Vào sổ; allowDuplicate = "Vẫn vào sổ" after the server found the same document already registered. */
  const submit = async (allowDuplicate: boolean) => {
    if (action.pending) return;
    // A scan still uploading is waited for: it is what gets registered.
    const uploaded = receivedDoc ? null : uploading && upload.current ? await upload.current : scan;
    const errors = validate(!!uploaded);
    setLocalErrors(errors);
    if (Object.keys(errors).length) return;
    const type = types.find((x) => typeKey(x) === form.type);
    const [typeKind, typeText] = [form.type.slice(0, 5), form.type.slice(5)];
    const nfc = (s: string) => s.trim().normalize('NFC') || null;
    const input: RegisterIncomingInput = {
      documentId: receivedDoc?.id ?? null,
      issuerAgencyId: form.issuer.agency?.id ?? null,
      issuerName: form.issuer.agency ? null : nfc(form.issuer.name),
      symbol: nfc(form.symbol),
      issuedDate: form.issuedDate || null,
      typeCode: type ? (type.code ?? null) : typeKind === 'code:' ? typeText : null,
      typeName: type ? type.name : typeKind === 'name:' ? typeText : null,
      subject: nfc(form.subject),
      signerName: nfc(form.signerName),
      signerTitle: nfc(form.signerTitle),
      urgency: form.urgency,
      secrecy: form.secrecy,
      pageCount: form.pageCount ? Number(form.pageCount) : null,
      readerIds: secret ? form.readerIds : null,
      files: form.files.length ? form.files : null,
      fileIds: uploaded ? [uploaded.id] : null,
      idempotencyKey: idempotencyKey.current,
      allowDuplicate: allowDuplicate || null,
      // An earlier ngày đến: the end of that working day in Vietnam (today = now).
      receivedAt: !receivedDoc && receivedOn && receivedOn < todayInVietnam() ? `${receivedOn}T17:00:00+07:00` : null,
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
            setScan(null);
            setAutoFilled({});
            setPrefill(null);
            touched.current.clear();
            upload.current = null;
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

  const typeOptions = types.some((x) => typeKey(x) === form.type) || !form.type ? types : [...types, { code: null, name: receivedDoc?.typeName ?? form.type.replace(/^(code|name):/, '') }];

  /** Props of a field that may have been prefilled: its class (highlight) and hint ("Tự động điền — kiểm tra lại"). */
  const auto = (k: AutoKey, hint?: ReactNode): { className?: string; hint?: ReactNode } => {
    const c = autoFilled[k];
    if (c === undefined) return { hint };
    const low = c < LOW_CONFIDENCE;
    return {
      className: low ? 'doc-field--auto doc-field--auto-low' : 'doc-field--auto',
      hint: (
        <>
          <span className="doc-autofill">
            <Icon name={low ? 'alert' : 'info'} /> {low ? t('doc.ocr.autoFilledLow') : t('doc.ocr.autoFilled')}
          </span>
          {hint ? <> {hint}</> : null}
        </>
      ),
    };
  };
  const span2 = (a: { className?: string; hint?: ReactNode }) => ({ ...a, className: a.className ? `${a.className} doc-span-2` : 'doc-span-2' });

  const duplicateOf =
    action.error instanceof ApiError && action.error.code === 'CONFLICT' && action.error.extensions.reason === 'DUPLICATE'
      ? (Array.isArray(action.error.extensions.duplicateOf) ? action.error.extensions.duplicateOf : []).filter((x): x is string => typeof x === 'string')
      : null;

  const fieldsGrid = (
    <div className="doc-form__grid">
      <Field label={t('doc.field.issuer')} required error={fieldErrors.issuer} {...span2(auto('issuer', t('doc.register.issuerHint')))}>
        {(c) => <IssuerInput control={{ ...c, 'data-field': 'issuer' } as typeof c} value={form.issuer} onChange={(v) => set('issuer', v)} />}
      </Field>
      <Field label={t('doc.field.symbol')} error={fieldErrors.symbol} {...auto('symbol', t('doc.register.symbolHint'))}>
        {(c) => <input {...c} data-field="symbol" type="text" value={form.symbol} onChange={(e) => set('symbol', e.target.value)} autoComplete="off" />}
      </Field>
      <Field label={t('doc.field.issuedDate')} error={fieldErrors.issuedDate} {...auto('issuedDate')}>
        {(c) => <input {...c} data-field="issuedDate" type="date" value={form.issuedDate} onChange={(e) => set('issuedDate', e.target.value)} />}
      </Field>
      <Field label={t('doc.field.type')} required error={fieldErrors.type} {...auto('type')}>
        {(c) => <TypeSelect control={c} value={form.type} options={typeOptions} placeholder={t('doc.form.choose')} onChange={(v) => set('type', v)} />}
      </Field>
      <Field label={t('doc.field.pageCount')} error={fieldErrors.pageCount} {...auto('pageCount')}>
        {(c) => <input {...c} data-field="pageCount" type="number" inputMode="numeric" min={1} value={form.pageCount} onChange={(e) => set('pageCount', e.target.value)} />}
      </Field>
      <Field label={t('doc.field.subject')} required error={fieldErrors.subject} {...span2(auto('subject'))}>
        {(c) => <textarea {...c} data-field="subject" rows={3} value={form.subject} onChange={(e) => set('subject', e.target.value)} />}
      </Field>
      <Field label={t('doc.field.signerName')} error={fieldErrors.signerName} {...auto('signerName')}>
        {(c) => <input {...c} data-field="signerName" type="text" value={form.signerName} onChange={(e) => set('signerName', e.target.value)} />}
      </Field>
      <Field label={t('doc.field.signerTitle')} error={fieldErrors.signerTitle} {...auto('signerTitle')}>
        {(c) => <input {...c} data-field="signerTitle" type="text" value={form.signerTitle} onChange={(e) => set('signerTitle', e.target.value)} />}
      </Field>
      <Field label={t('doc.field.urgency')} error={fieldErrors.urgency} {...auto('urgency')}>
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
      {!receivedDoc ? (
        <Field label={t('doc.register.receivedOn')} error={fieldErrors.receivedAt} hint={t('doc.register.receivedOnHint')}>
          {(c) => <input {...c} data-field="receivedAt" type="date" max={todayInVietnam()} value={receivedOn} onChange={(e) => setReceivedOn(e.target.value)} />}
        </Field>
      ) : null}
      {!receivedDoc && !scan ? (
        <label className="doc-check doc-span-2">
          <input type="checkbox" checked={paperOnly} onChange={(e) => setPaperOnly(e.target.checked)} />
          <span>{t('doc.register.paperOnly')}</span>
        </label>
      ) : null}
      {receivedDoc || scan ? (
        <Field
          label={receivedDoc ? t('doc.register.moreFiles') : t('doc.ocr.moreFiles')}
          error={fieldErrors.files}
          hint={receivedDoc ? t('doc.register.filesHint') : t('doc.ocr.moreFilesHint')}
          className="doc-span-2"
        >
          {(c) => <FilesInput control={{ ...c, 'data-field': 'files' } as typeof c} files={form.files} onChange={(f) => set('files', f)} accept={ACCEPTED_SCANS} />}
        </Field>
      ) : null}
    </div>
  );

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
        {duplicateOf ? (
          <div className="doc-duplicate-choice" role="group" aria-label={t('doc.register.duplicateChoice')}>
            <ul>
              {duplicateOf.map((id) => (
                <li key={id}>
                  <Link to={`/incoming/documents/${id}`}>{t('doc.register.openDuplicate')}</Link>
                </li>
              ))}
            </ul>
            <button type="button" className="btn btn--secondary" onClick={() => void submit(true)} disabled={action.pending}>
              {t('doc.register.registerAnyway')}
            </button>
          </div>
        ) : null}
        {receivedDoc ? (
          fieldsGrid
        ) : (
          <div className={scan ? 'doc-register doc-register--with-scan' : 'doc-register'}>
            <ScanPanel
              scan={scan}
              progress={progress}
              mode={mode}
              uploading={uploading}
              error={fieldErrors.files ?? (uploadError ? errorMessage(uploadError, t) : undefined)}
              onUpload={(f) => void uploadScan(f)}
              onRemove={removeScan}
              onRetry={() => void retryScan()}
              retrying={retrying}
              retryError={retryError}
              prefill={prefill}
            />
            {fieldsGrid}
          </div>
        )}
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

/** Today in Vietnam (YYYY-MM-DD), the upper bound of a ngày đến. */
function todayInVietnam(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
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
        <DuplicateWarning duplicateOf={doc.duplicateOf} area="incoming" />
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
