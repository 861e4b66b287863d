/**
 * Lấy lại / thu hồi / cập nhật / thay thế and .edxml on the document page (issue 13): the withdrawn banner
 * (marked and locked, number kept), the business actions of the record (per recipient outcome of a recall,
 * what changed, the replacing document) and the buttons the server allows (Document.allowedActions).
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useForm, type UseFormRegisterReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatVnDate } from '../../../../schema/validation/dates';
import {
  answerRecallForm,
  reasonForm,
  replaceForm,
  updateIssuedForm,
  type AnswerRecallFormInput,
  type ReasonFormInput,
  type ReplaceFormInput,
  type UpdateIssuedFormInput,
  type UpdateIssuedFormOutput,
} from '../../../../schema/validation/exchange-business';
import {
  AnswerRecallDocument,
  DocumentBusinessDocument,
  DocumentPageDocument,
  ExportEdxmlDocument,
  ReplaceIssuedDocument,
  ReplacementCandidatesDocument,
  RequestRecallDocument,
  RevokeIssuedDocument,
  UpdateIssuedDocument,
  type DocumentBusinessDataFragment,
} from '../../graphql/generated';
import { useApiMutation, useApiQuery } from '../../graphql/hooks';
import { Icon } from '../Icon';
import { Dialog } from '../documents/Dialog';
import { Field, FormError } from '../documents/fields';
import { FormActions, useServerFieldErrors } from '../formParts';

type Doc = DocumentBusinessDataFragment;
type BusinessDialog = 'REQUEST_RECALL' | 'REVOKE_ISSUED' | 'UPDATE_ISSUED' | 'REPLACE_ISSUED' | 'ANSWER_RECALL';
const BUTTONS = ['REQUEST_RECALL', 'UPDATE_ISSUED', 'REPLACE_ISSUED', 'REVOKE_ISSUED', 'ANSWER_RECALL', 'EXPORT_EDXML'] as const;

const pathOf = (d: { id: string; direction: string }) => `/${d.direction === 'INCOMING' ? 'incoming' : 'outgoing'}/documents/${d.id}`;

export function ExchangeBusinessSection({ documentId, onChanged }: { documentId: string; onChanged?: (notice: string) => void }) {
  const { t } = useTranslation();
  const { data, refetch } = useApiQuery(DocumentBusinessDocument, { id: documentId }, { requestPolicy: 'cache-and-network' });
  useFollowDocument(documentId, refetch);
  const [dialog, setDialog] = useState<BusinessDialog | null>(null);
  const [exported, setExported] = useState<{ url: string; fileName: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [exportEdxml, { fetching: exporting }] = useApiMutation(ExportEdxmlDocument);
  const doc = data?.document;
  if (!doc) return null;
  const allowed = BUTTONS.filter((a) => doc.allowedActions.includes(a));
  if (!allowed.length && !doc.withdrawal && !doc.businessActions.length && !doc.agencyAssignments.length) return null;

  const done = (notice: string) => {
    setDialog(null);
    onChanged?.(notice);
  };
  const runExport = async () => {
    setError(null);
    try {
      const r = await exportEdxml({ documentId: doc.id });
      setExported({ url: r.exportEdxml.url, fileName: r.exportEdxml.fileName });
      onChanged?.(t('exchangeBusiness.notice.exported'));
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section className="card doc-section" aria-labelledby="doc-exchange-business" data-testid="exchange-business">
      <h2 id="doc-exchange-business">{t('exchangeBusiness.title')}</h2>
      {doc.withdrawal ? (
        <div className="alert alert--warning" role="status" data-testid="withdrawn-banner">
          <Icon name="alert" />
          <span>
            <strong>{t(`exchangeBusiness.withdrawn.${doc.withdrawal.kind}`)}</strong> — {doc.withdrawal.note}
            <br />
            {t('exchangeBusiness.lockedHint')}
          </span>
        </div>
      ) : null}
      <FormError error={error} />
      {allowed.length ? (
        <div className="doc-actions">
          {allowed.map((a) =>
            a === 'EXPORT_EDXML' ? (
              <button key={a} type="button" className="btn btn--secondary" disabled={exporting} onClick={() => void runExport()}>
                {t('exchangeBusiness.action.EXPORT_EDXML')}
              </button>
            ) : (
              <button key={a} type="button" className={a === 'REVOKE_ISSUED' ? 'btn btn--danger' : 'btn btn--secondary'} onClick={() => setDialog(a)}>
                {t(`exchangeBusiness.action.${a}`)}
              </button>
            ),
          )}
        </div>
      ) : null}
      {exported ? (
        <p>
          <a href={exported.url} download={exported.fileName} data-testid="edxml-download">
            {t('exchangeBusiness.download', { name: exported.fileName })}
          </a>
        </p>
      ) : null}
      {doc.agencyAssignments.length ? <AgencyAssignmentList doc={doc} /> : null}
      {doc.businessActions.length ? <BusinessActionList doc={doc} /> : null}
      {dialog === 'REQUEST_RECALL' || dialog === 'REVOKE_ISSUED' ? <ReasonDialog doc={doc} kind={dialog} onClose={() => setDialog(null)} onDone={done} /> : null}
      {dialog === 'UPDATE_ISSUED' ? <UpdateDialog doc={doc} onClose={() => setDialog(null)} onDone={done} /> : null}
      {dialog === 'REPLACE_ISSUED' ? <ReplaceDialog doc={doc} onClose={() => setDialog(null)} onDone={done} /> : null}
      {dialog === 'ANSWER_RECALL' ? <AnswerDialog doc={doc} onClose={() => setDialog(null)} onDone={done} /> : null}
    </section>
  );
}

/**
 * Live: the page's `documentChanged` subscription keeps the cached document page (DocumentPage query) current;
 * when it changes (a status came back, a request to take back arrived, the document was replaced, an agency
 * finished), this section re-reads its own facts — nobody reloads the page.
 */
function useFollowDocument(documentId: string, refetch: () => void) {
  const page = useApiQuery(DocumentPageDocument, { id: documentId }, { requestPolicy: 'cache-only' });
  const live = page.data?.document;
  const stamp = live ? [live.updatedAt, live.status, live.history.length, ...live.recipients.map((r) => `${r.statusCode ?? ''}@${r.statusAt ?? ''}`)].join('|') : '';
  const seen = useRef(stamp);
  useEffect(() => {
    if (!stamp || stamp === seen.current) return;
    const first = seen.current === '';
    seen.current = stamp;
    if (!first) refetch();
  }, [stamp, refetch]);
}

/** A titled list of the record's exchange facts (business actions, agency assignments). */
function TitledList({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <>
      <h3>{title}</h3>
      <ul className="doc-list" data-testid={testId}>
        {children}
      </ul>
    </>
  );
}

/** The business actions of the record, newest first: who, what, the reason, the answer, what changed. */
export function BusinessActionList({ doc }: { doc: Doc }) {
  const { t } = useTranslation();
  return (
    <TitledList title={t('exchangeBusiness.history')} testId="business-actions">
      {doc.businessActions.map((a) => (
        <li key={a.id} data-kind={a.kind} data-state={a.state}>
          <strong>{t(`exchangeBusiness.kind.${a.kind}`)}</strong>
          {a.counterpartName ? ` — ${a.side === 'SENDER' ? t('exchangeBusiness.to', { name: a.counterpartName }) : t('exchangeBusiness.from', { name: a.counterpartName })}` : ''}
          {': '}
          <span className="doc-badge">{t(`exchangeBusiness.state.${a.state}`)}</span>
          {a.reason ? (
            <div>
              {t('exchangeBusiness.reason')}: {a.reason}
            </div>
          ) : null}
          {a.answerReason ? <div>{t('exchangeBusiness.answer', { reason: a.answerReason })}</div> : null}
          {a.changes.length ? (
            <ul>
              {a.changes.map((c) => (
                <li key={c.field}>
                  {t('exchangeBusiness.change', {
                    field: isChangeField(c.field) ? t(`exchangeBusiness.field.${c.field}`) : c.field,
                    from: c.from ?? t('exchangeBusiness.empty'),
                    to: c.to ?? t('exchangeBusiness.empty'),
                  })}
                </li>
              ))}
            </ul>
          ) : null}
          {a.kind === 'REPLACE' ? (
            <div>
              {a.replacingDocument ? (
                <>
                  {t('exchangeBusiness.replacedBy')} <Link to={pathOf(a.replacingDocument)}>{a.replacingDocument.symbol ?? a.replacingDocument.subject}</Link>
                </>
              ) : a.replacingEdxmlId ? (
                t('exchangeBusiness.replacedByPending', { id: a.replacingEdxmlId })
              ) : null}
            </div>
          ) : null}
        </li>
      ))}
    </TitledList>
  );
}

/** Giao cơ quan khác: each agency named by the bút phê with its role, deadline and what it reported back. */
export function AgencyAssignmentList({ doc }: { doc: Doc }) {
  const { t } = useTranslation();
  return (
    <TitledList title={t('exchangeBusiness.agencies.title')} testId="agency-assignments">
      {doc.agencyAssignments.map((a) => (
        <li key={a.id} data-state={a.state}>
          <strong>{a.agencyName}</strong> — {t(`exchangeBusiness.agencies.${a.role}`)}
          {a.deadline ? ` · ${t('doc.field.deadlineShort', { date: formatVnDate(a.deadline) })}` : ''}: <span className="doc-badge">{t(`exchangeBusiness.agencies.state.${a.state}`)}</span>
          {a.statusCode ? <div className="doc-muted">{t('exchangeBusiness.agencies.status', { code: a.statusCode })}{a.statusNote ? ` — ${a.statusNote}` : ''}</div> : null}
        </li>
      ))}
    </TitledList>
  );
}

const CHANGE_FIELDS = ['subject', 'signerName', 'signerTitle', 'pageCount', 'urgency'] as const;
const isChangeField = (f: string): f is (typeof CHANGE_FIELDS)[number] => (CHANGE_FIELDS as readonly string[]).includes(f);

/** The reason (lý do) textarea of the dialogs below. */
function ReasonField({ label, required, error, registration }: { label: string; required: boolean; error?: string; registration: UseFormRegisterReturn<'reason'> }) {
  return (
    <Field label={label} required={required} error={error}>
      {(c) => <textarea {...c} rows={3} {...registration} />}
    </Field>
  );
}

function ReasonDialog({ doc, kind, onClose, onDone }: { doc: Doc; kind: 'REQUEST_RECALL' | 'REVOKE_ISSUED'; onClose: () => void; onDone: (n: string) => void }) {
  const { t } = useTranslation();
  const form = useForm<ReasonFormInput, unknown, { reason: string }>({ resolver: zodResolver(reasonForm), defaultValues: { reason: '' } });
  const [recall] = useApiMutation(RequestRecallDocument);
  const [revoke] = useApiMutation(RevokeIssuedDocument);
  const { apiError, guard } = useServerFieldErrors(form.setError, ['reason']);
  const recalling = kind === 'REQUEST_RECALL';
  const submit = form.handleSubmit((v) =>
    guard(async () => {
      if (recalling) await recall({ documentId: doc.id, reason: v.reason });
      else await revoke({ documentId: doc.id, reason: v.reason });
      onDone(t(recalling ? 'exchangeBusiness.notice.recall' : 'exchangeBusiness.notice.revoke'));
    }),
  );
  return (
    <Dialog title={t(recalling ? 'exchangeBusiness.dialog.recallTitle' : 'exchangeBusiness.dialog.revokeTitle')} onClose={onClose}>
      <form className="doc-form-plain" noValidate onSubmit={(e) => void submit(e)}>
        <p className="doc-muted">{t(recalling ? 'exchangeBusiness.dialog.recallHint' : 'exchangeBusiness.dialog.revokeHint')}</p>
        <FormError error={apiError} />
        <ReasonField label={t('exchangeBusiness.reason')} required error={form.formState.errors.reason?.message} registration={form.register('reason')} />
        <FormActions
          onCancel={onClose}
          cancelLabel={t('exchangeBusiness.cancel')}
          submitClassName={recalling ? 'btn btn--primary' : 'btn btn--danger'}
          submitLabel={t(recalling ? 'exchangeBusiness.dialog.recallSubmit' : 'exchangeBusiness.dialog.revokeSubmit')}
          disabled={form.formState.isSubmitting}
        />
      </form>
    </Dialog>
  );
}

function UpdateDialog({ doc, onClose, onDone }: { doc: Doc; onClose: () => void; onDone: (n: string) => void }) {
  const { t } = useTranslation();
  const before = { subject: doc.subject, signerName: doc.signerName ?? '', signerTitle: doc.signerTitle ?? '', pageCount: doc.pageCount != null ? String(doc.pageCount) : '', urgency: doc.urgency };
  const form = useForm<UpdateIssuedFormInput, unknown, UpdateIssuedFormOutput>({ resolver: zodResolver(updateIssuedForm), defaultValues: { reason: '', ...before } });
  const [run] = useApiMutation(UpdateIssuedDocument);
  const { apiError, setApiError, guard } = useServerFieldErrors(form.setError, ['reason', ...CHANGE_FIELDS]);
  const submit = form.handleSubmit(async (v) => {
    setApiError(null);
    // only what changed goes to the server (the same rule: at least one change)
    const input: Record<string, unknown> = { reason: v.reason };
    if (v.subject !== doc.subject) input.subject = v.subject;
    if (v.signerName !== (doc.signerName ?? '')) input.signerName = v.signerName || null;
    if (v.signerTitle !== (doc.signerTitle ?? '')) input.signerTitle = v.signerTitle || null;
    if (v.pageCount !== (doc.pageCount ?? null)) input.pageCount = v.pageCount;
    if (v.urgency !== doc.urgency) input.urgency = v.urgency;
    if (Object.keys(input).length === 1) {
      setApiError(new Error(t('exchangeBusiness.dialog.noChange')));
      return;
    }
    await guard(async () => {
      await run({ documentId: doc.id, input: input as never });
      onDone(t('exchangeBusiness.notice.update'));
    });
  });
  const err = form.formState.errors;
  return (
    <Dialog title={t('exchangeBusiness.dialog.updateTitle')} onClose={onClose} wide>
      <form className="doc-form-plain" noValidate onSubmit={(e) => void submit(e)}>
        <p className="doc-muted">{t('exchangeBusiness.dialog.updateHint')}</p>
        <FormError error={apiError} />
        <Field label={t('exchangeBusiness.field.subject')} required error={err.subject?.message}>
          {(c) => <textarea {...c} rows={3} {...form.register('subject')} />}
        </Field>
        <Field label={t('exchangeBusiness.field.signerName')} error={err.signerName?.message}>
          {(c) => <input {...c} type="text" {...form.register('signerName')} />}
        </Field>
        <Field label={t('exchangeBusiness.field.signerTitle')} error={err.signerTitle?.message}>
          {(c) => <input {...c} type="text" {...form.register('signerTitle')} />}
        </Field>
        <Field label={t('exchangeBusiness.field.pageCount')} error={err.pageCount?.message}>
          {(c) => <input {...c} type="text" inputMode="numeric" {...form.register('pageCount')} />}
        </Field>
        <Field label={t('exchangeBusiness.field.urgency')} error={err.urgency?.message}>
          {(c) => (
            <select {...c} {...form.register('urgency')}>
              {(['THUONG', 'KHAN', 'THUONG_KHAN', 'HOA_TOC'] as const).map((u) => (
                <option key={u} value={u}>
                  {t(`doc.urgency.${u}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('exchangeBusiness.reason')} required error={err.reason?.message}>
          {(c) => <textarea {...c} rows={2} {...form.register('reason')} />}
        </Field>
        <FormActions onCancel={onClose} cancelLabel={t('exchangeBusiness.cancel')} submitLabel={t('exchangeBusiness.dialog.updateSubmit')} disabled={form.formState.isSubmitting} />
      </form>
    </Dialog>
  );
}

function ReplaceDialog({ doc, onClose, onDone }: { doc: Doc; onClose: () => void; onDone: (n: string) => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const { data } = useApiQuery(ReplacementCandidatesDocument, { documentId: doc.id, search: search.trim() || null }, { requestPolicy: 'network-only' });
  const candidates = data?.replacementCandidates ?? [];
  const form = useForm<ReplaceFormInput, unknown, { replacementId: string; reason: string }>({ resolver: zodResolver(replaceForm), defaultValues: { replacementId: '', reason: '' } });
  const [run] = useApiMutation(ReplaceIssuedDocument);
  const { apiError, guard } = useServerFieldErrors(form.setError, ['reason', 'replacementId']);
  const submit = form.handleSubmit((v) =>
    guard(async () => {
      await run({ documentId: doc.id, replacementId: v.replacementId, reason: v.reason });
      onDone(t('exchangeBusiness.notice.replace'));
    }),
  );
  return (
    <Dialog title={t('exchangeBusiness.dialog.replaceTitle')} onClose={onClose} wide>
      <form className="doc-form-plain" noValidate onSubmit={(e) => void submit(e)}>
        <p className="doc-muted">{t('exchangeBusiness.dialog.replaceHint')}</p>
        <FormError error={apiError} />
        <Field label={t('exchangeBusiness.dialog.replacementSearch')}>
          {(c) => <input {...c} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />}
        </Field>
        <Field
          label={t('exchangeBusiness.dialog.replacement')}
          required
          hint={data && !candidates.length ? t('exchangeBusiness.dialog.noCandidates') : undefined}
          error={form.formState.errors.replacementId?.message}
        >
          {(c) => (
            <select {...c} {...form.register('replacementId')}>
              <option value="">{t('exchangeBusiness.dialog.chooseReplacement')}</option>
              {candidates.map((d) => (
                <option key={d.id} value={d.id}>
                  {`${d.symbol ?? ''} — ${d.subject}`}
                </option>
              ))}
            </select>
          )}
        </Field>
        <ReasonField label={t('exchangeBusiness.reason')} required error={form.formState.errors.reason?.message} registration={form.register('reason')} />
        <FormActions
          onCancel={onClose}
          cancelLabel={t('exchangeBusiness.cancel')}
          submitClassName="btn btn--danger"
          submitLabel={t('exchangeBusiness.dialog.replaceSubmit')}
          disabled={form.formState.isSubmitting}
        />
      </form>
    </Dialog>
  );
}

function AnswerDialog({ doc, onClose, onDone }: { doc: Doc; onClose: () => void; onDone: (n: string) => void }) {
  const { t } = useTranslation();
  const form = useForm<AnswerRecallFormInput, unknown, { accept: boolean; reason: string }>({ resolver: zodResolver(answerRecallForm), defaultValues: { accept: true, reason: '' } });
  const [run] = useApiMutation(AnswerRecallDocument);
  const { apiError, guard } = useServerFieldErrors(form.setError, ['reason']);
  const accept = form.watch('accept');
  const pending = doc.businessActions.find((a) => a.kind === 'RECALL' && a.state === 'PENDING');
  const submit = form.handleSubmit((v) =>
    guard(async () => {
      await run({ documentId: doc.id, accept: v.accept, reason: v.reason || null });
      onDone(t(v.accept ? 'exchangeBusiness.notice.answerAccepted' : 'exchangeBusiness.notice.answerRefused'));
    }),
  );
  return (
    <Dialog title={t('exchangeBusiness.dialog.answerTitle')} onClose={onClose}>
      <form className="doc-form-plain" noValidate onSubmit={(e) => void submit(e)}>
        {pending ? (
          <p>
            {pending.counterpartName ? `${t('exchangeBusiness.from', { name: pending.counterpartName })}. ` : ''}
            {pending.reason ? `${t('exchangeBusiness.reason')}: ${pending.reason}` : ''}
          </p>
        ) : null}
        <FormError error={apiError} />
        <fieldset className="doc-fieldset">
          <legend className="visually-hidden">{t('exchangeBusiness.dialog.answerTitle')}</legend>
          <label className="doc-check">
            <input type="radio" name="accept" checked={accept} onChange={() => form.setValue('accept', true)} /> {t('exchangeBusiness.dialog.answerAccept')}
          </label>
          <label className="doc-check">
            <input type="radio" name="accept" checked={!accept} onChange={() => form.setValue('accept', false)} /> {t('exchangeBusiness.dialog.answerRefuse')}
          </label>
        </fieldset>
        <ReasonField label={t('exchangeBusiness.dialog.answerReason')} required={!accept} error={form.formState.errors.reason?.message} registration={form.register('reason')} />
        <FormActions
          onCancel={onClose}
          cancelLabel={t('exchangeBusiness.cancel')}
          submitClassName={accept ? 'btn btn--primary' : 'btn btn--danger'}
          submitLabel={t('exchangeBusiness.dialog.answerSubmit')}
          disabled={form.formState.isSubmitting}
        />
      </form>
    </Dialog>
  );
}
