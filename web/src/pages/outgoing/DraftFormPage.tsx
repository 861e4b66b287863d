import { useEffect, useMemo, useRef, useState } from 'react';
import { Controller, useForm, type FieldErrors } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { SECRECIES, URGENCIES } from '../../components/documents/Badges';
import { PageHeader } from '../../components/PageHeader';
import { Field, FormError, LoadState, errorField } from '../../components/documents/fields';
import { documentTitle, formatDate } from '../../components/documents/format';
import { FileList } from '../../components/documents/FileViewer';
import { FilesInput } from '../../components/documents/FilesInput';
import {
  ACCEPTED_DRAFTS,
  PersonSelect,
  RecipientsPicker,
  TypeSelect,
  typeKey,
  useDocumentTypes,
  usePeople,
  type RecipientOption,
  type Person,
} from '../../components/documents/pickers';
import {
  CreateDraftDocument,
  DocumentDetailDocument,
  UpdateDraftDocument,
  type DocumentDetailFragment,
  type Role,
  type Secrecy,
  type Urgency,
} from '../../graphql/generated';
import { useApiMutation, useApiQuery } from '../../graphql/hooks';
import { ApiError } from '../../graphql/client';
import { DRAFT_LIMITS, DRAFT_MESSAGES, draftCopies, draftExternalRecipients, draftSubject } from '../../../../schema/validation/draft';
import { draftAuthority, authorityInput } from '../../../../schema/validation/signing-authority';
import { AuthorityFields, EMPTY_AUTHORITY, authorityValueOf } from '../../components/documents/issuing/AuthorityFields';

const SIGNER_ROLES: readonly Role[] = ['LANH_DAO'];

/** The form field an API error's `extensions.field` points at. */
const FIELD_OF: Record<string, keyof DraftInput> = {
  typeCode: 'type',
  typeName: 'type',
  subject: 'subject',
  urgency: 'urgency',
  secrecy: 'secrecy',
  recipientAgencyIds: 'recipients',
  externalRecipients: 'recipients',
  signerId: 'signerId',
  copies: 'copies',
  files: 'files',
  signingAuthority: 'authority',
  collective: 'authority',
  principal: 'authority',
  mode: 'authority',
  legalNormative: 'legalNormative',
};

/** The form's rules (shared with the server where the server has the same: schema/validation/draft.ts). */
function draftSchema(isNew: boolean) {
  return z
    .object({
      type: z.string().min(1, { message: DRAFT_MESSAGES.type }),
      subject: draftSubject(),
      urgency: z.enum(URGENCIES as unknown as [Urgency, ...Urgency[]]),
      secrecy: z.enum(SECRECIES as unknown as [Secrecy, ...Secrecy[]]),
      recipients: z.array(z.custom<RecipientOption>()),
      external: draftExternalRecipients(),
      signerId: z.string(),
      copies: draftCopies(),
      // Thẩm quyền ký + quy phạm (issue 12): components/documents/issuing/AuthorityFields.
      authority: draftAuthority(),
      legalNormative: z.boolean(),
      // (a field rule, not a refinement: zod skips the refinements while any field is wrong)
      files: isNew ? z.array(z.custom<File>()).min(1, { message: DRAFT_MESSAGES.files }) : z.array(z.custom<File>()),
    })
    .superRefine((v, ctx) => {
      if (v.recipients.length + v.external.length > DRAFT_LIMITS.recipients) ctx.addIssue({ code: 'custom', path: ['recipients'], message: DRAFT_MESSAGES.recipients });
    });
}
type DraftInput = z.input<ReturnType<typeof draftSchema>>;
type DraftValues = z.output<ReturnType<typeof draftSchema>>;

const EMPTY: DraftInput = { type: '', subject: '', urgency: 'THUONG', secrecy: 'THUONG', recipients: [], external: [], signerId: '', copies: '', authority: EMPTY_AUTHORITY, legalNormative: false, files: [] };

function fromDocument(d: DocumentDetailFragment): DraftInput {
  return {
    type: d.typeCode ? `code:${d.typeCode}` : `name:${d.typeName}`,
    subject: d.subject,
    urgency: d.urgency,
    secrecy: d.secrecy,
    recipients: d.recipients
      .filter((r) => r.agency || r.agencyCode)
      // An agency of a peer deployment (liên thông) has no id here: it is kept by its code.
      .map((r) => (r.agency ? { id: r.agency.id, code: r.agency.code, name: r.name, abbr: '' } : { id: '', code: r.agencyCode!, name: r.name, abbr: '', peerName: '' })),
    external: [...d.externalRecipients],
    signerId: d.signer?.id ?? '',
    copies: d.copies ? String(d.copies) : '',
    authority: authorityValueOf(d.issuing?.signingAuthority),
    legalNormative: d.issuing?.legalNormative ?? false,
    files: [],
  };
}

/** Field order, to focus the first one in error. */
const ORDER: readonly (keyof DraftInput)[] = ['type', 'copies', 'subject', 'urgency', 'secrecy', 'signerId', 'authority', 'recipients', 'files'];

function focusFirst(errors: FieldErrors<DraftInput>) {
  const first = ORDER.find((k) => errors[k]);
  if (first) document.querySelector<HTMLElement>(`[data-field="${first === 'signerId' ? 'signer' : first}"]`)?.focus();
}

/**
 * Soạn dự thảo văn bản đi (/outgoing/new, ?replyTo=<incoming id> for a reply) and sửa dự thảo
 * (/outgoing/documents/:id/edit: changed fields and new versions of the draft file). react-hook-form + zod;
 * files go up through the urql client (GraphQL multipart request).
 */
export default function DraftFormPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { id } = useParams();
  const [params] = useSearchParams();
  const replyToId = params.get('replyTo');
  const existing = useApiQuery(DocumentDetailDocument, { id: id ?? '' }, { pause: !id });
  const replyTo = useApiQuery(DocumentDetailDocument, { id: replyToId ?? '' }, { pause: !replyToId || !!id });
  const doc = id ? (existing.data?.document ?? null) : null;
  const replyDoc = replyToId && !id ? (replyTo.data?.document ?? null) : null;
  const [createDraft] = useApiMutation(CreateDraftDocument);
  const [updateDraft] = useApiMutation(UpdateDraftDocument);

  const resolver = useMemo(() => zodResolver(draftSchema(!id)), [id]);
  const form = useForm<DraftInput, unknown, DraftValues>({ resolver, defaultValues: EMPTY });
  const { control, handleSubmit, reset, setError, getValues, formState } = form;
  const errors = formState.errors;

  // Fill the form once from the draft being edited, or from the document being replied to.
  const loaded = useRef<string | null>(null);
  // The draft being edited is shown only once the form holds its values (no flash of an empty form).
  const [filledFrom, setFilledFrom] = useState<string | null>(null);
  useEffect(() => {
    if (doc && loaded.current !== doc.id) {
      loaded.current = doc.id;
      reset(fromDocument(doc));
      setFilledFrom(doc.id);
    }
  }, [doc, reset]);
  useEffect(() => {
    if (!replyDoc || loaded.current === `reply:${replyDoc.id}`) return;
    loaded.current = `reply:${replyDoc.id}`;
    const f = getValues();
    reset({
      ...f,
      // A reply goes back to the issuer of the incoming document by default.
      subject:
        f.subject ||
        t('doc.draft.replySubject', {
          symbol: replyDoc.symbol ?? '',
          date: replyDoc.issuedDate ? formatDate(replyDoc.issuedDate) : '',
          issuer: replyDoc.issuer?.name ?? replyDoc.issuer?.agency?.name ?? '',
        }),
      recipients: replyDoc.issuer?.agency ? [{ ...replyDoc.issuer.agency, abbr: '' }] : f.recipients,
      external: !replyDoc.issuer?.agency && replyDoc.issuer?.name ? [replyDoc.issuer.name] : f.external,
    });
  }, [replyDoc, getValues, reset, t]);

  const { types } = useDocumentTypes();
  const knownSigners = useMemo<Person[]>(() => (doc?.signer ? [doc.signer] : []), [doc?.signer]);
  const { people: signers, unavailable } = usePeople({ roles: SIGNER_ROLES, extra: knownSigners });

  // A server error that belongs to no field of the form (shown above it).
  const [formError, setFormError] = useState<unknown>(null);

  const onValid = async (v: DraftValues) => {
    setFormError(null);
    const type = types.find((x) => typeKey(x) === v.type);
    const common = {
      typeCode: type?.code ?? null,
      typeName: type?.name ?? null,
      subject: v.subject,
      urgency: v.urgency,
      secrecy: v.secrecy,
      recipientAgencyIds: v.recipients.filter((r) => r.id).map((r) => r.id),
      recipientAgencyCodes: v.recipients.filter((r) => !r.id).map((r) => r.code),
      externalRecipients: v.external,
      signerId: v.signerId || null,
      copies: v.copies,
      signingAuthority: authorityInput(v.authority),
      legalNormative: v.legalNormative,
      files: v.files.length ? v.files : null,
    };
    try {
      const saved = id
        ? (await updateDraft({ documentId: id, input: common })).updateDraft
        : (await createDraft({ input: { ...common, replyToId: replyToId ?? null } })).createDraft;
      navigate(`/outgoing/documents/${saved.id}`, { state: { notice: id ? 'updated' : 'created' } });
    } catch (e) {
      const field = errorField(e);
      const target = field ? FIELD_OF[field] : undefined;
      if (target && e instanceof ApiError) {
        setError(target, { type: 'server', message: e.message }, { shouldFocus: false });
        focusFirst({ [target]: { type: 'server', message: e.message } });
      } else setFormError(e);
    }
  };

  const title = id ? t('doc.draft.editTitle') : t('doc.draft.title');
  if (id && (!doc || filledFrom !== doc.id)) {
    return (
      <>
        <PageHeader title={title} />
        <LoadState loading={existing.fetching || !!doc} error={existing.error} onRetry={existing.refetch} />
      </>
    );
  }
  const currentType = form.watch('type');
  const typeOptions = types.some((x) => typeKey(x) === currentType) || !currentType ? types : [...types, { code: doc?.typeCode ?? null, name: doc?.typeName ?? '' }];
  const pending = formState.isSubmitting;

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
      {replyDoc ? <p className="alert alert--info">{t('doc.draft.replyingTo', { title: documentTitle(replyDoc), subject: replyDoc.subject })}</p> : null}
      <form className="card doc-form" onSubmit={(e) => void handleSubmit(onValid, focusFirst)(e)} noValidate aria-busy={pending}>
        <FormError error={formError} />
        <div className="doc-form__grid">
          <Controller
            control={control}
            name="type"
            render={({ field }) => (
              <Field label={t('doc.field.type')} required error={errors.type?.message}>
                {(c) => <TypeSelect control={c} value={field.value} options={typeOptions} placeholder={t('doc.form.choose')} onChange={field.onChange} />}
              </Field>
            )}
          />
          <Controller
            control={control}
            name="copies"
            render={({ field }) => (
              <Field label={t('doc.field.copies')} error={errors.copies?.message}>
                {(c) => <input {...c} data-field="copies" type="text" inputMode="numeric" value={field.value} onChange={field.onChange} onBlur={field.onBlur} />}
              </Field>
            )}
          />
          <Controller
            control={control}
            name="subject"
            render={({ field }) => (
              <Field label={t('doc.field.subject')} required error={errors.subject?.message} className="doc-span-2">
                {(c) => <textarea {...c} data-field="subject" rows={3} value={field.value} onChange={field.onChange} onBlur={field.onBlur} />}
              </Field>
            )}
          />
          <Controller
            control={control}
            name="urgency"
            render={({ field }) => (
              <Field label={t('doc.field.urgency')} error={errors.urgency?.message}>
                {(c) => (
                  <select {...c} data-field="urgency" value={field.value} onChange={(e) => field.onChange(e.target.value as Urgency)}>
                    {URGENCIES.map((u) => (
                      <option key={u} value={u}>
                        {t(`doc.urgency.${u}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
          />
          <Controller
            control={control}
            name="secrecy"
            render={({ field }) => (
              <Field label={t('doc.field.secrecy')} error={errors.secrecy?.message} hint={field.value !== 'THUONG' ? t('doc.draft.secretHint') : undefined}>
                {(c) => (
                  <select {...c} data-field="secrecy" value={field.value} onChange={(e) => field.onChange(e.target.value as Secrecy)}>
                    {SECRECIES.map((s) => (
                      <option key={s} value={s}>
                        {t(`doc.secrecy.${s}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
          />
          <Controller
            control={control}
            name="signerId"
            render={({ field }) => (
              <Field
                label={t('doc.field.signer')}
                error={errors.signerId?.message}
                hint={unavailable && signers.length === 0 ? t('doc.draft.signerAny') : t('doc.draft.signerHint')}
                className="doc-span-2"
              >
                {(c) => (
                  <PersonSelect control={{ ...c, 'data-field': 'signer' } as typeof c} people={signers} value={field.value} onChange={field.onChange} placeholder={t('doc.draft.signerNone')} />
                )}
              </Field>
            )}
          />
          <Controller
            control={control}
            name="authority"
            render={({ field }) => (
              <Controller
                control={control}
                name="legalNormative"
                render={({ field: ln }) => (
                  <AuthorityFields
                    value={field.value}
                    onChange={field.onChange}
                    errors={{ mode: errors.authority?.mode?.message ?? errors.authority?.message, collective: errors.authority?.collective?.message, principal: errors.authority?.principal?.message }}
                    legalNormative={ln.value}
                    onLegalNormativeChange={ln.onChange}
                  />
                )}
              />
            )}
          />
          <div className="doc-span-2" data-field="recipients" tabIndex={-1}>
            <Controller
              control={control}
              name="recipients"
              render={({ field }) => (
                <Controller
                  control={control}
                  name="external"
                  render={({ field: ext }) => (
                    <RecipientsPicker
                      selected={field.value}
                      onChange={field.onChange}
                      external={ext.value}
                      onExternalChange={ext.onChange}
                      error={errors.recipients?.message ?? errors.external?.message ?? errors.external?.[0]?.message}
                    />
                  )}
                />
              )}
            />
          </div>
          {doc ? (
            <div className="doc-span-2">
              <h2 className="doc-subheading">{t('doc.draft.currentFiles')}</h2>
              <FileList files={doc.files} />
            </div>
          ) : null}
          <Controller
            control={control}
            name="files"
            render={({ field }) => (
              <Field
                label={doc ? t('doc.draft.newVersion') : t('doc.draft.files')}
                required={!doc}
                error={errors.files?.message}
                hint={t('doc.draft.filesHint')}
                className="doc-span-2"
              >
                {(c) => <FilesInput control={{ ...c, 'data-field': 'files' } as typeof c} files={field.value} onChange={field.onChange} accept={ACCEPTED_DRAFTS} />}
              </Field>
            )}
          />
        </div>
        <div className="doc-form__actions">
          <button type="submit" className="btn btn--primary" disabled={pending}>
            {pending ? t('doc.form.sending') : doc ? t('doc.draft.save') : t('doc.draft.create')}
          </button>
        </div>
      </form>
    </>
  );
}
