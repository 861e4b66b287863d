/**
 * Quản trị → Chứng thư số (issue 12), /admin/certificates: every signing certificate of the agency (the
 * agency's and its users'), with its validity and state, and "Thu hồi" (with a reason, after a confirmation)
 * for those the server says may be revoked (SigningCredential.canRevoke: issued by the CA this deployment
 * runs, not yet revoked). Signatures made with a revoked certificate then read "Đã bị thu hồi" everywhere.
 * The operator's CLI does the same: `npm run -s cli -- signing revoke <id|serial> --reason …`.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { revocationForm } from '../../../../schema/validation/certificate-revocation';
import { DataTable } from '../../components/DataTable';
import { Dialog } from '../../components/documents/Dialog';
import { Field, FormError, LoadState } from '../../components/documents/fields';
import { formatDay } from '../../components/documents/format';
import { ActionFeedback, FormActions, useServerFieldErrors } from '../../components/formParts';
import { AgencySigningCredentialsDocument, RevokeAgencySigningCredentialDocument, type AgencyCredentialFragment } from '../../graphql/generated';
import { useApiMutation, useApiQuery } from '../../graphql/hooks';

const cn = (subject: string) => /(?:^|\n)CN=([^\n]*)/.exec(subject)?.[1] ?? subject;

function RevokeDialog({ credential, onClose, onDone }: { credential: AgencyCredentialFragment; onClose: () => void; onDone: (name: string) => void }) {
  const { t } = useTranslation();
  const form = useForm<{ reason: string }>({ resolver: zodResolver(revocationForm()), defaultValues: { reason: '' } });
  const [revoke] = useApiMutation(RevokeAgencySigningCredentialDocument);
  const { apiError, guard } = useServerFieldErrors(form.setError, ['reason']);
  const name = credential.holderName ?? cn(credential.subject);
  const submit = form.handleSubmit((v) =>
    guard(async () => {
      await revoke({ id: credential.id, reason: v.reason.trim() || null });
      onDone(name);
    }),
  );
  return (
    <Dialog title={t('issuing.revokeCert.title')} onClose={onClose}>
      <form className="doc-form-plain" noValidate onSubmit={(e) => void submit(e)}>
        <p>{t('issuing.revokeCert.confirm', { name, serial: credential.serialNumber })}</p>
        <p className="doc-muted">{t('issuing.revokeCert.effect')}</p>
        <FormError error={apiError} />
        <Field label={t('issuing.revokeCert.reason')} hint={t('issuing.revokeCert.reasonHint')} error={form.formState.errors.reason?.message}>
          {(c) => <textarea {...c} rows={3} {...form.register('reason')} />}
        </Field>
        <FormActions
          onCancel={onClose}
          cancelLabel={t('issuing.cancel')}
          submitLabel={t('issuing.revokeCert.submit')}
          submitClassName="btn btn--danger"
          disabled={form.formState.isSubmitting}
        />
      </form>
    </Dialog>
  );
}

function CertificateState({ c }: { c: AgencyCredentialFragment }) {
  const { t } = useTranslation();
  if (!c.revokedAt) return <>{c.active ? t('issuing.revokeCert.active') : t('issuing.revokeCert.inactive')}</>;
  const date = formatDay(c.revokedAt);
  return (
    <span className="doc-badge doc-badge--bad">
      {c.revocationReason ? t('issuing.revokeCert.revokedWhy', { date, reason: c.revocationReason }) : t('issuing.revokeCert.revokedOn', { date })}
    </span>
  );
}

export default function CertificatesPage() {
  const { t } = useTranslation();
  const [includeInactive, setIncludeInactive] = useState(false);
  const q = useApiQuery(AgencySigningCredentialsDocument, { includeInactive }, { requestPolicy: 'cache-and-network' });
  const [revoking, setRevoking] = useState<AgencyCredentialFragment | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const creds = q.data?.agencySigningCredentials ?? [];
  return (
    <section aria-labelledby="admin-certificates-heading">
      <h2 id="admin-certificates-heading" className="doc-subheading">
        {t('issuing.revokeCert.heading')}
      </h2>
      <p className="doc-muted">{t('issuing.revokeCert.lead')}</p>
      <ActionFeedback error={null} notice={notice} />
      <label className="doc-check">
        <input type="checkbox" checked={includeInactive} onChange={(e) => setIncludeInactive(e.target.checked)} /> {t('issuing.revokeCert.includeInactive')}
      </label>
      <LoadState loading={q.fetching && !q.data} error={q.error} onRetry={q.refetch} />
      <DataTable
        caption={t('issuing.revokeCert.heading')}
        testId="agency-certificates"
        columns={[
          t('issuing.revokeCert.holder'),
          t('issuing.revokeCert.certificate'),
          t('issuing.revokeCert.validity'),
          t('issuing.revokeCert.state'),
          t('admin.common.actions'),
        ]}
        empty={q.data && creds.length === 0 ? t('issuing.revokeCert.empty') : null}
      >
        {creds.map((c) => (
          <tr key={c.id} data-credential={c.id}>
            <td className="doc-table__name">
              {c.holderName ?? t('issuing.revokeCert.agency')}
              <span className="doc-muted">
                {' '}
                — {t(`issuing.revokeCert.kind.${c.kind}`)}, {t(`issuing.certs.source.${c.source}`)}
              </span>
            </td>
            <td>
              {cn(c.subject)}
              <div className="doc-small doc-muted">{t('issuing.certs.serial', { serial: c.serialNumber })}</div>
            </td>
            <td>
              {formatDay(c.notBefore)} – {formatDay(c.notAfter)}
            </td>
            <td data-testid="certificate-state">
              <CertificateState c={c} />
            </td>
            <td className="doc-table__actions">
              {c.canRevoke ? (
                <button
                  type="button"
                  className="btn btn--secondary doc-btn--small"
                  aria-label={`${t('issuing.revokeCert.button')}: ${c.holderName ?? cn(c.subject)}`}
                  onClick={() => {
                    setNotice(null);
                    setRevoking(c);
                  }}
                >
                  {t('issuing.revokeCert.button')}
                </button>
              ) : null}
            </td>
          </tr>
        ))}
      </DataTable>
      {revoking ? (
        <RevokeDialog
          credential={revoking}
          onClose={() => setRevoking(null)}
          onDone={(name) => {
            setRevoking(null);
            setNotice(t('issuing.revokeCert.done', { name }));
            // The revoked certificate stays in view, with its state (the list then includes inactive ones).
            if (includeInactive) q.refetch();
            else setIncludeInactive(true);
          }}
        />
      ) : null}
    </section>
  );
}
