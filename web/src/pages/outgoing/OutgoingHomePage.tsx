import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { InboxView } from '../../components/documents/InboxView';
import { OUTGOING_BOXES } from '../../components/documents/inbox';
import { PaperOutgoingButton } from '../../components/documents/issuing/PaperOutgoing';

/** Văn bản đi: chờ duyệt, chờ ký, chờ phát hành, đang theo dõi; and "Soạn dự thảo". */
export default function OutgoingHomePage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader
        title={t('nav.outgoing')}
        description={t('pages.outgoing.description')}
        actions={
          <>
            <PaperOutgoingButton />
            <Link to="/outgoing/new" className="btn btn--primary">
              {t('doc.draft.title')}
            </Link>
          </>
        }
      />
      <InboxView boxes={OUTGOING_BOXES} direction="OUTGOING" detailPath="/outgoing/documents/" />
    </>
  );
}
