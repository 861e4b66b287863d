import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { FormProvider, useForm, type FieldErrors } from 'react-hook-form';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { ReasonDialog } from '../../components/documents/ActionDialogs';
import { FormError, LoadState } from '../../components/documents/fields';
import { formatDay } from '../../components/documents/format';
import { FileList } from '../../components/documents/FileViewer';
import { typeKey, useDocumentTypes, usePeople } from '../../components/documents/pickers';
import type { ApiError } from '../../graphql/client';
import { DocumentDetailDocument, RegistrationRegistersDocument, RejectIncomingDocument, type DocumentDetailFragment, type ScanInfoFragment } from '../../graphql/generated';
import { useApiMutation, useApiQuery } from '../../graphql/hooks';
import { errorMessage } from '../../i18n/errors';
import { ScanPanel } from './ScanPanel';
import { emptyValues, fieldOfApiError, isSecret, registrationResolver, todayInVietnam, valuesFromDocument, type RegistrationContext, type RegistrationValues } from './register/form';
import { initialRegistration, phaseOf, registrationReducer } from './register/machine';
import { usePrefill } from './register/usePrefill';
import { useScan } from './register/useScan';
import { useSubmit } from './register/useSubmit';
import { useAutoProps } from './register/sections/auto';
import { DocumentSection } from './register/sections/DocumentSection';
import { DuplicateNotice } from './register/sections/DuplicateNotice';
import { ReceiptSection } from './register/sections/ReceiptSection';
import { RegisterResult } from './register/sections/RegisterResult';
import { SecrecySection } from './register/sections/SecrecySection';
import { SenderSection } from './register/sections/SenderSection';
import './register/register.css';

/**
 * Vào sổ văn bản đến (the container). Paper documents: the văn thư uploads the scan first; it is digitised in
 * the background (live per-page progress), then the fields read off the page prefill the form (marked "Tự động
 * điền — kiểm tra lại"; never over what she typed); registering attaches the uploaded scan. A paper document
 * without a scan is registered by hand ("Văn bản giấy, không có bản quét") with its real ngày đến. A secret
 * document (Mật, Tối mật, Tuyệt mật) is registered as information only, without any file, into the secret
 * register. A duplicate is shown before numbering, with "Vẫn vào sổ" / "Hủy". Electronically received documents
 * (?documentId=…, status RECEIVED): the form is prefilled from the package; the văn thư confirms or refuses.
 *
 * The lifecycle is the reducer of ./register/machine.ts; the form is react-hook-form with the rules shared with
 * the server (./register/form.ts → schema/validation/incoming.ts); the sections are ./register/sections/*.
 */
export default function RegisterIncomingPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const documentId = params.get('documentId');
  const received = useApiQuery(DocumentDetailDocument, { id: documentId ?? '' }, { pause: !documentId });
  const receivedDoc = documentId ? (received.data?.document ?? null) : null;

  const today = useMemo(() => todayInVietnam(), []);
  const empty = useMemo(() => emptyValues(today), [today]);
  const [state, dispatch] = useReducer(registrationReducer<ScanInfoFragment, DocumentDetailFragment>, undefined, initialRegistration<ScanInfoFragment, DocumentDetailFragment>);
  const phase = phaseOf(state);

  const { types } = useDocumentTypes();
  const registerList = useApiQuery(RegistrationRegistersDocument, {});
  const activeRegisters = useMemo(() => (registerList.data?.documentSettings.incomingRegisters ?? []).filter((r) => r.active), [registerList.data]);
  const { people, unavailable: peopleUnavailable } = usePeople({});

  const context: RegistrationContext = {
    today,
    received: !!receivedDoc,
    withScan: state.scanPhase !== 'idle',
    peopleAvailable: !peopleUnavailable,
    messages: { files: t('registration.errors.files'), readers: t('registration.errors.readers') },
  };
  const form = useForm<RegistrationValues, RegistrationContext, RegistrationValues>({
    defaultValues: empty,
    resolver: registrationResolver,
    context,
    shouldFocusError: false,
  });

  // An electronic arrival: the form shows its package's values (once per document).
  const prefilledFrom = useRef<string | null>(null);
  useEffect(() => {
    if (receivedDoc && prefilledFrom.current !== receivedDoc.id) {
      prefilledFrom.current = receivedDoc.id;
      form.reset(valuesFromDocument(receivedDoc, today));
    }
  }, [receivedDoc, form, today]);

  const prefill = usePrefill(form, types, empty);
  const { prefillFrom } = prefill;
  const onRead = useCallback(
    async (s: ScanInfoFragment, stillCurrent: () => boolean) => {
      const summary = await prefillFrom(s, stillCurrent);
      if (summary) dispatch({ type: 'PREFILLED', scanId: s.id, summary });
    },
    [prefillFrom],
  );
  const scan = useScan(state, dispatch, onRead);
  const [retryError, setRetryError] = useState<ApiError | null>(null);
  const { submit } = useSubmit({ form, context, dispatch, receivedDocumentId: receivedDoc?.id ?? null, types, scan: scan.settled });

  const formRef = useRef<HTMLFormElement>(null);
  /** After a refused submit: focus the first field in error, in the order of the page. */
  const focusFirstError = (errors: FieldErrors<RegistrationValues>) => {
    const fields = formRef.current?.querySelectorAll<HTMLElement>('[data-field]') ?? [];
    for (const el of fields) {
      if (el.dataset.field && el.dataset.field in errors) {
        el.focus();
        return;
      }
    }
  };
  const onSubmit = form.handleSubmit((v) => submit(v, false), focusFirstError);
  const registerAnyway = form.handleSubmit((v) => submit(v, true), focusFirstError);

  const [rejecting, setRejecting] = useState(false);
  const [rejectIncoming] = useApiMutation(RejectIncomingDocument);
  const onReject = async (reason: string) => {
    if (!receivedDoc) return;
    await rejectIncoming({ documentId: receivedDoc.id, reason });
    setRejecting(false);
    navigate(`/incoming/documents/${receivedDoc.id}`);
  };

  const title = receivedDoc ? t('doc.register.titleReceived') : t('doc.register.title');
  const auto = useAutoProps(prefill.autoFilled);
  const secrecy = form.watch('secrecy');
  const paperOnly = form.watch('paperOnly');
  const typeValue = form.watch('type');

  if (state.result) {
    return (
      <>
        <PageHeader title={title} />
        <RegisterResult
          doc={state.result}
          registers={activeRegisters}
          onAnother={() => {
            dispatch({ type: 'RESET' });
            form.reset(empty);
            prefill.resetPrefill();
            setRetryError(null);
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
        <LoadState loading={received.fetching} error={received.error} onRetry={received.refetch} />
      </>
    );
  }

  const typeOptions =
    types.some((x) => typeKey(x) === typeValue) || !typeValue ? types : [...types, { code: null, name: receivedDoc?.typeName ?? typeValue.replace(/^(code|name):/, '') }];
  const secret = isSecret(secrecy);
  const pending = phase === 'submitting';
  const submitError = state.submitPhase === 'failed' ? state.submitError : null;
  const showScan = !receivedDoc && !secret && !paperOnly;
  // A server error about the other uploaded files is shown under them (ReceiptSection), not at the scan.
  const filesError = form.formState.errors.files?.type === 'server' ? undefined : form.formState.errors.files?.message;

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
          <p className="doc-muted">{t('doc.register.receivedFrom', { issuer: receivedDoc.issuer?.name ?? '', date: formatDay(receivedDoc.receivedDate) })}</p>
          <FileList files={receivedDoc.files} />
        </section>
      ) : null}

      <FormProvider {...form}>
        <form ref={formRef} className="card doc-form" onSubmit={(e) => void onSubmit(e)} noValidate aria-busy={pending} data-phase={phase}>
          <FormError error={submitError} shownAtField={Boolean(submitError && fieldOfApiError(submitError.field))} />
          {state.submitPhase === 'duplicate' || (pending && state.duplicateOf.length > 0) ? (
            <DuplicateNotice
              duplicateOf={state.duplicateOf}
              pending={pending}
              onRegisterAnyway={() => void registerAnyway()}
              onCancel={() => dispatch({ type: 'DUPLICATE_CANCELLED' })}
            />
          ) : null}
          <div className={showScan && state.scan ? 'doc-register doc-register--with-scan' : 'doc-register'}>
            {showScan ? (
              <ScanPanel
                scan={state.scan}
                progress={scan.progress}
                mode={scan.mode}
                uploading={state.scanPhase === 'uploading'}
                error={filesError ?? (state.uploadError ? errorMessage(state.uploadError, t) : undefined)}
                onUpload={(f) => {
                  form.clearErrors('files');
                  void scan.start(f);
                }}
                onRemove={() => {
                  prefill.clearPrefill();
                  setRetryError(null);
                  scan.remove();
                }}
                onRetry={() => {
                  setRetryError(null);
                  void scan.retry().then((r) => setRetryError(r.error));
                }}
                retrying={scan.retrying}
                retryError={retryError}
                prefill={state.prefill}
              />
            ) : null}
            <div className="reg-sections">
              <SenderSection auto={auto} />
              <DocumentSection auto={auto} typeOptions={typeOptions} />
              <ReceiptSection today={today} received={!!receivedDoc} withScan={state.scanPhase !== 'idle'} secret={secret} registers={activeRegisters} />
              <SecrecySection people={people} peopleUnavailable={peopleUnavailable} />
            </div>
          </div>
          <div className="doc-form__actions">
            <button type="submit" className="btn btn--primary" disabled={pending || state.submitPhase === 'duplicate'}>
              {pending ? t('doc.register.submitting') : receivedDoc ? t('doc.register.confirm') : t('doc.register.submit')}
            </button>
            {receivedDoc ? (
              <button type="button" className="btn btn--danger" onClick={() => setRejecting(true)} disabled={pending}>
                {t('doc.action.REJECT_INCOMING')}
              </button>
            ) : null}
          </div>
        </form>
      </FormProvider>
      {rejecting ? <ReasonDialog title={t('doc.action.REJECT_INCOMING')} label={t('doc.dialog.rejectIncomingReason')} onClose={() => setRejecting(false)} onSubmit={onReject} /> : null}
    </>
  );
}
