import { isRouteErrorResponse, useRouteError } from 'react-router';
import { useTranslation } from 'react-i18next';
import { BrandMark } from '../../components/BrandMark';
import { PageHeader } from '../../components/PageHeader';
import { errorMessage } from '../../i18n/errors';

/**
 * Unexpected error while rendering or loading a route (e.g. a page chunk that no longer exists after a
 * deployment). Inside the shell it replaces only the page; outside it is a full page.
 */
export function RouteErrorPage({ inShell = false }: { inShell?: boolean }) {
  const { t } = useTranslation();
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  if (!notFound) console.error(error);
  const title = notFound ? t('notFound.title') : t('errors.INTERNAL');
  const body = notFound ? (
    <p>
      <a href="/" className="btn btn--secondary">
        {t('notFound.back')}
      </a>
    </p>
  ) : (
    <>
      <p role="alert">{errorMessage(error, t)}</p>
      <button type="button" className="btn btn--primary" onClick={() => window.location.reload()}>
        {t('errors.retry')}
      </button>
    </>
  );
  if (inShell) {
    return (
      <>
        <PageHeader title={title} />
        {body}
      </>
    );
  }
  return (
    <main id="main-content" className="full-page-status">
      <BrandMark size={56} />
      <h1>{title}</h1>
      {body}
    </main>
  );
}
