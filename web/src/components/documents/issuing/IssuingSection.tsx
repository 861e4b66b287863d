/**
 * Phát hành on the document page (issue 12): the signing authority as printed, legal normative flag, the
 * signer's digital signature, copy form and source, "Lưu:" copies, the numbers reserved for the document
 * (used, or cancelled with the reason), and the văn thư's buttons from the server's allowed actions:
 * RETURN_FOR_CORRECTION (trả lại để sửa thể thức) and MAKE_COPY (sao y / sao lục / trích sao).
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { z } from 'zod';
import { ApiError } from '../../../graphql/client';
import { IssuingPanelDocument, MakeCopyDocument, ReturnForCorrectionDocument, type CopyForm } from '../../../graphql/generated';
import { useApiMutation, useApiQuery } from '../../../graphql/hooks';
import { Dialog } from '../Dialog';
import { Field, FormError } from '../fields';

const MAX_REASON = 2000;

/** "1, 3-4" → [1, 3, 4]; null when not a list of page numbers. */
export function parsePages(text: string): number[] | null {
  const out: number[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(\d{1,4})(?:\s*-\s*(\d{1,4}))?$/.exec(part);
    if (!m) return null;
    const a = Number(m[1]);
    const b = m[2] ? Number(m[2]) : a;
    if (a < 1 || b < a || b - a > 1000) return null;
    for (let p = a; p <= b; p++) out.push(p);
  }
  return out.length ? [...new Set(out)] : null;
}

const fieldOf = (e: unknown) => (e instanceof ApiError && e.field ? e.field.split('.').pop() : undefined);

export function IssuingSection({ documentId, onChanged }: { documentId: string; onChanged: (notice: string) => void }) {
  const { t } = useTranslation();
  const { data, refetch } = useApiQuery(IssuingPanelDocument, { id: documentId }, { requestPolicy: 'cache-and-network' });
  const [dialog, setDialog] = useState<'RETURN' | 'COPY' | null>(null);
  const doc = data?.document;
  // Signing, issuing or a return change the issuing details (authority lines, the numbers reserved): the
  // document's status (normalised, updated by the mutation) moving is the cue to read them again.
  const status = doc?.status;
  const seen = useRef(status);
  useEffect(() => {
    if (seen.current !== undefined && status !== undefined && status !== seen.current) refetch();
    seen.current = status;
  }, [status, refetch]);
  if (!doc || doc.direction !== 'OUTGOING' || !doc.issuing) return null;
  const i = doc.issuing;
  const canReturn = doc.allowedActions.includes('RETURN_FOR_CORRECTION');
  const canCopy = doc.allowedActions.includes('MAKE_COPY');
  return (
    <section className="card doc-section" aria-labelledby="doc-issuing">
      <h2 id="doc-issuing">{t('issuing.title')}</h2>
      <dl className="doc-facts">
        <dt>{t('issuing.authority')}</dt>
        <dd data-testid="issuing-authority">{i.signingAuthority ? (i.signingAuthority.lines.length ? i.signingAuthority.lines.join(' / ') : i.signingAuthority.label) : t('issuing.authorityDefault')}</dd>
      </dl>
      <ul className="doc-muted">
        {i.legalNormative ? <li>{t('issuing.legalNormative')}</li> : null}
        {i.personallySigned ? <li>{t('issuing.personallySigned')}</li> : null}
        {i.paper ? <li>{t('issuing.paper')}</li> : null}
        {i.copyForm ? (
          <li>
            {t('issuing.copyOf', { form: t(`issuing.form.${i.copyForm}`) })}{' '}
            {i.copyOf ? <Link to={`/outgoing/documents/${i.copyOf.id}`}>{i.copyOf.symbol ?? ''}</Link> : null}
          </li>
        ) : null}
        {i.archiveCopies.length ? <li>{t('issuing.archive', { list: i.archiveCopies.map((c) => `${c.holder} (${c.count})`).join(', ') })}</li> : null}
      </ul>
      {i.reservations.length ? (
        <>
          <h3>{t('issuing.reservations')}</h3>
          <ul data-testid="issuing-reservations">
            {i.reservations.map((r) => (
              <li key={r.id}>
                <strong>{r.symbol}</strong> — {t(`issuing.reservation.${r.status}`)}
                {r.status !== 'USED' && r.attempts > 1 ? ` (${t('issuing.attempts', { count: r.attempts })})` : ''}
                {r.reason ? `: ${r.reason}` : r.status === 'RESERVED' && r.lastError ? `: ${r.lastError}` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {canReturn || canCopy ? (
        <div className="doc-actions">
          {canReturn ? (
            <button type="button" className="btn btn--danger" onClick={() => setDialog('RETURN')}>
              {t('issuing.return.button')}
            </button>
          ) : null}
          {canCopy ? (
            <button type="button" className="btn btn--secondary" onClick={() => setDialog('COPY')}>
              {t('issuing.copy.button')}
            </button>
          ) : null}
        </div>
      ) : null}
      {dialog === 'RETURN' ? (
        <ReturnDialog
          documentId={doc.id}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            onChanged(t('issuing.return.done'));
          }}
        />
      ) : null}
      {dialog === 'COPY' ? <CopyDialog documentId={doc.id} copyForm={i.copyForm ?? null} onClose={() => setDialog(null)} onDone={(symbol) => onChanged(t('issuing.copy.done', { symbol }))} /> : null}
    </section>
  );
}

export function ReturnDialog({ documentId, onClose, onDone }: { documentId: string; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const schema = z.object({
    reason: z
      .string()
      .trim()
      .min(1, t('issuing.return.reasonRequired'))
      .max(MAX_REASON, t('issuing.return.reasonTooLong')),
  });
  const form = useForm<z.input<typeof schema>, unknown, z.output<typeof schema>>({ resolver: zodResolver(schema), defaultValues: { reason: '' } });
  const [run] = useApiMutation(ReturnForCorrectionDocument);
  const [apiError, setApiError] = useState<unknown>(null);
  const submit = form.handleSubmit(async (v) => {
    setApiError(null);
    try {
      await run({ documentId, reason: v.reason });
      onDone();
    } catch (e) {
      if (fieldOf(e) === 'reason') form.setError('reason', { message: (e as Error).message });
      else setApiError(e);
    }
  });
  return (
    <Dialog title={t('issuing.return.title')} onClose={onClose}>
      <form className="doc-form-plain" noValidate onSubmit={(e) => void submit(e)}>
        <FormError error={apiError} />
        <Field label={t('issuing.return.reason')} required error={form.formState.errors.reason?.message}>
          {(c) => <textarea {...c} rows={4} {...form.register('reason')} />}
        </Field>
        <div className="doc-form__actions">
          <button type="button" className="btn btn--secondary" onClick={onClose}>
            {t('issuing.cancel')}
          </button>
          <button type="submit" className="btn btn--danger" disabled={form.formState.isSubmitting}>
            {t('issuing.return.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function CopyDialog({ documentId, copyForm, onClose, onDone }: { documentId: string; copyForm: CopyForm | null; onClose: () => void; onDone: (symbol: string) => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  // Sao lục is made from a bản sao y; sao y and trích sao from an original.
  const forms: CopyForm[] = copyForm === 'SY' ? ['SL'] : copyForm ? [] : ['SY', 'TrS'];
  const schema = z
    .object({ form: z.enum(['SY', 'SL', 'TrS']), pages: z.string() })
    .refine((v) => v.form !== 'TrS' || parsePages(v.pages) !== null, { path: ['pages'], message: t('issuing.copy.pagesInvalid') });
  const form = useForm<z.input<typeof schema>, unknown, z.output<typeof schema>>({ resolver: zodResolver(schema), defaultValues: { form: forms[0] ?? 'SY', pages: '' } });
  const [run] = useApiMutation(MakeCopyDocument);
  const [apiError, setApiError] = useState<unknown>(null);
  const chosen = form.watch('form');
  const submit = form.handleSubmit(async (v) => {
    setApiError(null);
    try {
      const r = await run({ input: { sourceDocumentId: documentId, form: v.form, pages: v.form === 'TrS' ? parsePages(v.pages) : null } });
      onDone(r.makeCopy.symbol ?? '');
      void navigate(`/outgoing/documents/${r.makeCopy.id}`);
    } catch (e) {
      if (fieldOf(e) === 'pages') form.setError('pages', { message: (e as Error).message });
      else setApiError(e);
    }
  });
  return (
    <Dialog title={t('issuing.copy.title')} onClose={onClose}>
      <form className="doc-form-plain" noValidate onSubmit={(e) => void submit(e)}>
        <FormError error={apiError} />
        <Field label={t('issuing.copy.form')} required error={form.formState.errors.form?.message}>
          {(c) => (
            <select {...c} {...form.register('form')}>
              {forms.map((f) => (
                <option key={f} value={f}>
                  {t(`issuing.form.${f}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {chosen === 'TrS' ? (
          <Field label={t('issuing.copy.pages')} hint={t('issuing.copy.pagesHint')} required error={form.formState.errors.pages?.message}>
            {(c) => <input {...c} type="text" inputMode="numeric" {...form.register('pages')} />}
          </Field>
        ) : null}
        <div className="doc-form__actions">
          <button type="button" className="btn btn--secondary" onClick={onClose}>
            {t('issuing.cancel')}
          </button>
          <button type="submit" className="btn btn--primary" disabled={form.formState.isSubmitting || !forms.length}>
            {t('issuing.copy.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
