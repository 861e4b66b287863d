import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';

/** Shown inside the shell when the user lacks the role a route requires. */
export function ForbiddenPage() {
  const { t } = useTranslation();
  return <PageHeader title={t('forbidden.title')} description={t('forbidden.text')} />;
}
