import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session';
import { errorMessage } from '../i18n/errors';
import { BrandMark } from './BrandMark';

/** Shown while the session is being read, or when the API cannot be reached at start-up. */
export function FullPageStatus() {
  const { t } = useTranslation();
  const { state, refresh } = useSession();
  if (state.status === 'unreachable') {
    return (
      <main id="main-content" className="full-page-status">
        <BrandMark size={56} />
        <h1>{t('errors.unreachableTitle')}</h1>
        <p role="alert">{errorMessage(state.error, t)}</p>
        <button type="button" className="btn btn--primary" onClick={() => void refresh()}>
          {t('errors.retry')}
        </button>
      </main>
    );
  }
  return (
    <main id="main-content" className="full-page-status" aria-busy="true">
      <BrandMark size={56} />
      <p role="status" className="full-page-status__loading">
        {t('app.loading')}
      </p>
    </main>
  );
}
