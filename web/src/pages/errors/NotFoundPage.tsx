import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';

/** Unknown address inside the shell. */
export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('notFound.title')} description={t('notFound.text')} />
      <p>
        <Link to="/" className="btn btn--secondary">
          {t('notFound.back')}
        </Link>
      </p>
    </>
  );
}
