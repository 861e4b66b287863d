import { useTranslation } from 'react-i18next';
import { ScanSignaturesDocument, type FileSignatureInfoFragment } from '../../graphql/generated';
import { useApiQuery } from '../../graphql/hooks';
import { SignatureList, signatureVerdict } from './FileSignatures';
import './signatures.css';

/** True when a signature blocks vào sổ (not intact, not trusted or revoked); "chưa kiểm tra" does not. */
export const blocksRegistration = (sigs: readonly FileSignatureInfoFragment[]) => sigs.some((s) => signatureVerdict(s).tone === 'bad');

/**
 * The signatures of a PDF uploaded on the registration form (a document received by e-mail), shown before it
 * is registered: an invalid one is announced as blocking (the server refuses it with the reason at the file).
 */
export function ScanSignatures({ scanId }: { scanId: string }) {
  const { t } = useTranslation();
  const { data, error, fetching } = useApiQuery(ScanSignaturesDocument, { id: scanId });
  const sigs = data?.scan?.id === scanId ? data.scan.signatures : null;
  return (
    <section className="sig-panel" aria-label={t('signatures.title')} data-testid="scan-signatures">
      <h3 className="sig-panel__title">{t('signatures.title')}</h3>
      {error ? (
        <p className="doc-bad doc-small">{t('signatures.loadError', { message: error.message })}</p>
      ) : !sigs && fetching ? (
        <p className="doc-loading doc-small">{t('signatures.loading')}</p>
      ) : (
        <>
          <SignatureList signatures={sigs ?? []} />
          {sigs && blocksRegistration(sigs) ? (
            <p className="alert alert--error doc-small" role="alert">
              {t('signatures.blocksRegistration')}
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
