import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { hasAnyRole, useCurrentUser } from '../../auth/session';
import { PageHeader } from '../../components/PageHeader';
import { InboxView } from '../../components/documents/InboxView';
import { INCOMING_BOXES } from '../../components/documents/inbox';
import { ImportEdxmlButton } from '../../components/exchange/ImportEdxmlButton';

/** Văn bản đến: the incoming boxes (chờ vào sổ, chờ bút phê, cần xử lý …) and "Vào sổ văn bản đến". */
export default function IncomingHomePage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  return (
    <>
      <PageHeader
        title={t('nav.incoming')}
        description={t('pages.incoming.description')}
        actions={
          hasAnyRole(user, ['VAN_THU']) ? (
            <>
              <Link to="/incoming/register" className="btn btn--primary">
                {t('doc.register.title')}
              </Link>
              {/* nhập tệp .edxml (issue 13) */}
              <ImportEdxmlButton />
            </>
          ) : null
        }
      />
      <InboxView boxes={INCOMING_BOXES} direction="INCOMING" detailPath="/incoming/documents/" />
    </>
  );
}
