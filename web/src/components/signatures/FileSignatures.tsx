import { useTranslation } from 'react-i18next';
import { DocumentFileSignaturesDocument, type FileSignatureInfoFragment } from '../../graphql/generated';
import { useApiQuery } from '../../graphql/hooks';
import { formatDateTime } from '../documents/format';
import './signatures.css';

type Tone = 'ok' | 'warn' | 'bad';

/**
 * The one-line verdict of a signature. "Hợp lệ" only when intact, trusted AND checked not revoked; with
 * revocation not checked (no CRL/OCSP reachable) it says so instead (issue 12: never "hợp lệ").
 */
export function signatureVerdict(s: Pick<FileSignatureInfoFragment, 'valid' | 'trusted' | 'revocation'>): { key: 'valid' | 'intactTrustedUnchecked' | 'untrusted' | 'invalid' | 'revoked'; tone: Tone } {
  if (!s.valid) return { key: 'invalid', tone: 'bad' };
  if (s.revocation === 'REVOKED') return { key: 'revoked', tone: 'bad' };
  if (!s.trusted) return { key: 'untrusted', tone: 'bad' };
  if (s.revocation === 'GOOD') return { key: 'valid', tone: 'ok' };
  return { key: 'intactTrustedUnchecked', tone: 'warn' };
}

/** Presentational: the signatures of a file, each with its verdict, checks, time, reason and errors. */
export function SignatureList({ signatures }: { signatures: readonly FileSignatureInfoFragment[] }) {
  const { t } = useTranslation();
  if (signatures.length === 0) return <p className="sig-none doc-muted doc-small">{t('signatures.none')}</p>;
  return (
    <ul className="sig-list" aria-label={t('signatures.title')}>
      {signatures.map((s) => {
        const v = signatureVerdict(s);
        return (
          <li key={s.index} className={`sig-item sig-item--${v.tone}`} data-testid="file-signature">
            <div className="sig-item__head">
              <span className={`sig-badge sig-badge--${v.tone}`}>{t(`signatures.state.${v.key}`)}</span>{' '}
              <strong>{s.signerName}</strong>
              {s.organization && s.organization !== s.signerName ? <span className="doc-muted"> — {s.organization}</span> : null}
            </div>
            <div className="doc-small doc-muted">
              {t(`signatures.kind.${s.kind}`)}
              {s.signedAt ? ` · ${t('signatures.signedAt', { time: formatDateTime(s.signedAt) })}` : ''}
              {s.reason ? ` · ${t('signatures.reason', { reason: s.reason })}` : ''}
            </div>
            <ul className="sig-checks doc-small">
              <li className={s.valid ? 'sig-check--ok' : 'sig-check--bad'}>{t(s.valid ? 'signatures.integrity.ok' : 'signatures.integrity.bad')}</li>
              <li className={s.trusted ? 'sig-check--ok' : 'sig-check--bad'}>{t(s.trusted ? 'signatures.trust.ok' : 'signatures.trust.bad')}</li>
              <li className={s.revocation === 'GOOD' ? 'sig-check--ok' : s.revocation === 'REVOKED' ? 'sig-check--bad' : 'sig-check--warn'}>{t(`signatures.revocation.${s.revocation}`)}</li>
            </ul>
            {s.errors.length ? (
              <div role="alert">
                <ul className="sig-errors doc-small">
                  {s.errors.map((e) => (
                    <li key={e}>{e}</li>
                  ))}
                </ul>
              </div>
            ) : null}
            {!s.coversWholeFile && s.valid ? <p className="doc-small doc-muted">{t('signatures.notWhole')}</p> : null}
          </li>
        );
      })}
    </ul>
  );
}

/** The digital signatures of one file of a document, as the server verified them (drop-in for the document page). */
export function FileSignatures({ documentId, fileId }: { documentId: string; fileId: string }) {
  const { t } = useTranslation();
  const { data, error, fetching } = useApiQuery(DocumentFileSignaturesDocument, { documentId });
  const file = data?.document?.files.find((f) => f.id === fileId);
  return (
    <section className="sig-panel" aria-label={t('signatures.title')}>
      <h3 className="sig-panel__title">{t('signatures.title')}</h3>
      {error ? (
        <p className="doc-bad doc-small">{t('signatures.loadError', { message: error.message })}</p>
      ) : !file && fetching ? (
        <p className="doc-loading doc-small">{t('signatures.loading')}</p>
      ) : (
        <SignatureList signatures={file?.signatures ?? []} />
      )}
    </section>
  );
}
