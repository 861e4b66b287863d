import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { InboxView } from '../../components/documents/InboxView';
import { ALL_BOXES } from '../../components/documents/inbox';

/** Việc cần xử lý: every box relevant to the user's roles, with live counts. */
export default function TasksHomePage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('nav.tasks')} description={t('pages.tasks.description')} />
      <InboxView boxes={ALL_BOXES} detailPath="/tasks/documents/" />
    </>
  );
}
