import { useEffect, useRef, useState, type FormEvent } from 'react';
import { SECRECIES, URGENCIES } from '../../components/documents/Badges';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { requestWithFiles, useQuery } from '../../components/documents/api';
import { Field, FormError, LoadState, errorField } from '../../components/documents/fields';
import { documentTitle, formatDate } from '../../components/documents/format';
import { FileList } from '../../components/documents/FileViewer';
import {
  ACCEPTED_DRAFTS,
  FilesInput,
  PersonSelect,
  RecipientsPicker,
  TypeSelect,
  typeKey,
  useDocumentTypes,
  usePeople,
  type AgencyOption,
  type Person,
} from '../../components/documents/pickers';
import { useAction } from '../../components/documents/useAction';
import {
  CreateDraftDocument,
  DocumentDetailDocument,
  UpdateDraftDocument,
  type DocumentDetailFragment,
  type Role,
  type Secrecy,
  type Urgency,
} from '../../graphql/generated';
import '../../components/documents/documents.css';

const SIGNER_ROLES: readonly Role[] = ['LANH_DAO'];

const FIELD_OF: Record<string, string> = {
  typeCode: 'type',
  typeName: 'type',
  subject: 'subject',
  urgency: 'urgency',
  secrecy: 'secrecy',
  recipientAgencyIds: 'recipients',
  externalRecipients: 'recipients',
  signerId: 'signer',
  copies: 'copies',
  files: 'files',
};

interface FormState {
  type: string;
  subject: string;
  urgency: Urgency;
  secrecy: Secrecy;
  recipients: AgencyOption[];
  external: string[];
  signerId: string;
  copies: string;
  files: File[];
}

const EMPTY: FormState = { type: '', subject: '', urgency: 'THUONG', secrecy: 'THUONG', recipients: [], external: [], signerId: '', copies: '', files: [] };

function fromDocument(d: DocumentDetailFragment): FormState {
  return {
    type: d.typeCode ? `code:${d.typeCode}` : `name:${d.typeName}`,
    subject: d.subject,
    urgency: d.urgency,
    secrecy: d.secrecy,
    recipients: d.recipients.filter((r) => r.agency).map((r) => ({ id: r.agency!.id, code: r.agency!.code, name: r.name, abbr: '' })),
    external: [...d.externalRecipients],
    signerId: d.signer?.id ?? '',
    copies: d.copies ? String(d.copies) : '',
    files: [],
  };
}

/**
 * Soạn dự thảo văn bản đi (/outgoing/new, ?replyTo=<incoming id> for a reply) and sửa dự thảo
 * (/outgoing/documents/:id/edit: changed fields and new versions of the draft file).
 */
export default function DraftFormPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { id } = useParams();
  const [params] = useSearchParams();
  const replyToId = params.get('replyTo');
  const existing = useQuery(DocumentDetailDocument, { id: id ?? '' }, { skip: !id });
  const replyTo = useQuery(DocumentDetailDocument, { id: replyToId ?? '' }, { skip: !replyToId });
  const doc = existing.data?.document ?? null;

  const [form, setForm] = useState<FormState>(EMPTY);
  const loaded = useRef<string | null>(null);
  useEffect(() => {
    if (doc && loaded.current !== doc.id) {
      loaded.current = doc.id;
      setForm(fromDocument(doc));
    }
  }, [doc]);
  // A reply goes back to the issuer of the incoming document by default.
  useEffect(() => {
    const r = replyTo.data?.document;
    if (!r || id || loaded.current === `reply:${r.id}`) return;
    loaded.current = `reply:${r.id}`;
    setForm((f) => ({
      ...f,
      subject: f.subject || t('doc.draft.replySubject', { symbol: r.symbol ?? '', date: r.issuedDate ? formatDate(r.issuedDate) : '', issuer: r.issuer?.name ?? r.issuer?.agency?.name ?? '' }),
      recipients: r.issuer?.agency ? [{ ...r.issuer.agency, abbr: '' }] : f.recipients,
      external: !r.issuer?.agency && r.issuer?.name ? [r.issuer.name] : f.external,
    }));
  }, [replyTo.data, id, t]);

  const { types } = useDocumentTypes();
  const knownSigners: Person[] = doc?.signer ? [doc.signer] : [];
  const { people: signers, unavailable } = usePeople({ roles: SIGNER_ROLES, extra: knownSigners });
  const action = useAction();
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setForm((f) => ({ ...f, [k]: v }));
  const apiField = errorField(action.error);
  const fieldErrors: Record<string, string> = { ...localErrors };
  if (apiField && FIELD_OF[apiField] && action.error instanceof Error) fieldErrors[FIELD_OF[apiField]] = action.error.message;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (action.pending) return;
    const errors: Record<string, string> = {};
    if (!form.type) errors.type = t('doc.register.errors.type');
    if (!form.subject.trim()) errors.subject = t('doc.register.errors.subject');
    if (form.copies && !(Number(form.copies) > 0)) errors.copies = t('doc.draft.errors.copies');
    if (!id && form.files.length === 0) errors.files = t('doc.draft.errors.files');
    setLocalErrors(errors);
    if (Object.keys(errors).length) {
      document.querySelector<HTMLElement>(`[data-field="${Object.keys(errors)[0]}"]`)?.focus();
      return;
    }
    const type = types.find((x) => typeKey(x) === form.type);
    const common = {
      typeCode: type?.code ?? null,
      typeName: type?.name ?? null,
      subject: form.subject.trim().normalize('NFC'),
      urgency: form.urgency,
      secrecy: form.secrecy,
      recipientAgencyIds: form.recipients.map((r) => r.id),
      externalRecipients: form.external,
      signerId: form.signerId || null,
      copies: form.copies ? Number(form.copies) : null,
      files: form.files.length ? form.files : null,
    };
    const r = id
      ? await action.run(async () => (await requestWithFiles(UpdateDraftDocument, { documentId: id, input: common })).updateDraft)
      : await action.run(async () => (await requestWithFiles(CreateDraftDocument, { input: { ...common, replyToId: replyToId ?? null } })).createDraft);
    if (r) navigate(`/outgoing/documents/${r.id}`, { state: { notice: id ? 'updated' : 'created' } });
  };

  const title = id ? t('doc.draft.editTitle') : t('doc.draft.title');
  if (id && !doc) {
    return (
      <>
        <PageHeader title={title} />
        <LoadState loading={existing.loading} error={existing.error} onRetry={existing.reload} />
      </>
    );
  }
  const typeOptions = types.some((x) => typeKey(x) === form.type) || !form.type ? types : [...types, { code: doc?.typeCode ?? null, name: doc?.typeName ?? '' }];

  return (
    <>
      <PageHeader
        title={title}
        description={doc ? documentTitle(doc) : t('doc.draft.lead')}
        actions={
          <Link to={doc ? `/outgoing/documents/${doc.id}` : '/outgoing'} className="btn btn--secondary">
            {doc ? t('doc.action.backToDocument') : t('doc.action.backToList')}
          </Link>
        }
      />
      {replyTo.data?.document ? (
        <p className="alert alert--info">
          {t('doc.draft.replyingTo', { title: documentTitle(replyTo.data.document), subject: replyTo.data.document.subject })}
        </p>
      ) : null}
      <form className="card doc-form" onSubmit={(e) => void onSubmit(e)} noValidate aria-busy={action.pending}>
        <FormError error={action.error} shownAtField={Boolean(apiField && FIELD_OF[apiField])} />
        <div className="doc-form__grid">
          <Field label={t('doc.field.type')} required error={fieldErrors.type}>
            {(c) => <TypeSelect control={c} value={form.type} options={typeOptions} placeholder={t('doc.form.choose')} onChange={(v) => set('type', v)} />}
          </Field>
          <Field label={t('doc.field.copies')} error={fieldErrors.copies}>
            {(c) => <input {...c} data-field="copies" type="number" min={1} inputMode="numeric" value={form.copies} onChange={(e) => set('copies', e.target.value)} />}
          </Field>
          <Field label={t('doc.field.subject')} required error={fieldErrors.subject} className="doc-span-2">
            {(c) => <textarea {...c} data-field="subject" rows={3} value={form.subject} onChange={(e) => set('subject', e.target.value)} />}
          </Field>
          <Field label={t('doc.field.urgency')} error={fieldErrors.urgency}>
            {(c) => (
              <select {...c} value={form.urgency} onChange={(e) => set('urgency', e.target.value as Urgency)}>
                {URGENCIES.map((u) => (
                  <option key={u} value={u}>
                    {t(`doc.urgency.${u}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('doc.field.secrecy')} error={fieldErrors.secrecy} hint={form.secrecy !== 'THUONG' ? t('doc.draft.secretHint') : undefined}>
            {(c) => (
              <select {...c} value={form.secrecy} onChange={(e) => set('secrecy', e.target.value as Secrecy)}>
                {SECRECIES.map((s) => (
                  <option key={s} value={s}>
                    {t(`doc.secrecy.${s}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label={t('doc.field.signer')}
            error={fieldErrors.signer}
            hint={unavailable && signers.length === 0 ? t('doc.draft.signerAny') : t('doc.draft.signerHint')}
            className="doc-span-2"
          >
            {(c) => <PersonSelect control={c} people={signers} value={form.signerId} onChange={(v) => set('signerId', v)} placeholder={t('doc.draft.signerNone')} />}
          </Field>
          <div className="doc-span-2" data-field="recipients" tabIndex={-1}>
            <RecipientsPicker
              selected={form.recipients}
              onChange={(v) => set('recipients', v)}
              external={form.external}
              onExternalChange={(v) => set('external', v)}
              error={fieldErrors.recipients}
            />
          </div>
          {doc ? (
            <div className="doc-span-2">
              <h2 className="doc-subheading">{t('doc.draft.currentFiles')}</h2>
              <FileList files={doc.files} />
            </div>
          ) : null}
          <Field
            label={doc ? t('doc.draft.newVersion') : t('doc.draft.files')}
            required={!doc}
            error={fieldErrors.files}
            hint={t('doc.draft.filesHint')}
            className="doc-span-2"
          >
            {(c) => <FilesInput control={{ ...c, 'data-field': 'files' } as typeof c} files={form.files} onChange={(f) => set('files', f)} accept={ACCEPTED_DRAFTS} />}
          </Field>
        </div>
        <div className="doc-form__actions">
          <button type="submit" className="btn btn--primary" disabled={action.pending}>
            {action.pending ? t('doc.form.sending') : doc ? t('doc.draft.save') : t('doc.draft.create')}
          </button>
        </div>
      </form>
    </>
  );
}
