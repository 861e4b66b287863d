import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../auth/session';
import { WatchDocument } from '../../graphql/generated';
import { useApiMutation } from '../../graphql/hooks';
import { Icon } from '../Icon';
import { PageHeader } from '../PageHeader';
import { LoadState } from './fields';
import { FileViewer } from './FileViewer';
import { SearchHitView } from './SearchHitView';
import { History } from './History';
import { AssignmentsSection } from './page/AssignmentsSection';
import { ChainSection } from './page/ChainSection';
import { CommentsSection } from './page/CommentsSection';
import { DocumentDialogs } from './page/DocumentDialogs';
import { DocumentHeader } from './page/DocumentHeader';
import { DocumentFacts } from './page/FactsSection';
import { IssuingSection } from './issuing/IssuingSection';
import { ExchangeBusinessSection } from '../exchange/ExchangeBusinessSection';
import { DocumentRecordSection } from '../../pages/archive/records/DocumentRecordSection';
import { RecipientsSection } from './page/RecipientsSection';
import type { DialogState } from './page/types';
import { useDocumentPage } from './page/useDocumentPage';
import { usePrintPhieu } from './page/usePrintPhieu';

/**
 * Chi tiết văn bản — the container: data (useDocumentPage: urql query + the live `documentChanged`
 * subscription through the normalised cache), the open dialog and the notice; the sections (page/…) render:
 * header & actions (allowedActions), files, the bút phê chain (ĐẾN stamp, leader → unit → person),
 * assignments, recipients, comments, facts and history.
 */
export default function DocumentPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const location = useLocation();
  const area = location.pathname.split('/')[1] || 'tasks';
  const user = useCurrentUser();
  const { doc, fetching, error, refetch } = useDocumentPage(id);
  const [dialog, setDialog] = useState<DialogState | null>(null);
  const initialNotice = (location.state as { notice?: 'created' | 'updated' } | null)?.notice;
  const [notice, setNotice] = useState(initialNotice ? t(`doc.notice.${initialNotice}`) : '');
  const [pageError, setPageError] = useState<unknown>(null);
  const [watch] = useApiMutation(WatchDocument);
  const phieu = usePrintPhieu(id);

  if (!doc) {
    return (
      <>
        <PageHeader title={t('doc.detail.title')} />
        {fetching || error ? (
          <LoadState loading={fetching} error={error} onRetry={refetch} />
        ) : (
          <div className="alert alert--error" role="alert">
            <Icon name="alert" />
            <span>{t('errors.NOT_FOUND')}</span>
          </div>
        )}
        <p>
          <Link to={`/${area}`}>{t('doc.action.backToList')}</Link>
        </p>
      </>
    );
  }

  const incoming = doc.direction === 'INCOMING';
  const watching = doc.watchers.some((w) => w.id === user.id);
  /** After an action: the dialog closes, the notice is announced (lists follow through the cache). */
  const done = (message: string) => {
    setDialog(null);
    setNotice(message);
  };
  const toggleWatch = async () => {
    setPageError(null);
    try {
      await watch({ documentId: doc.id, on: !watching });
      setNotice(watching ? t('doc.notice.unwatched') : t('doc.notice.watched'));
    } catch (e) {
      setPageError(e);
    }
  };
  const printPhieu = async () => {
    setPageError(null);
    try {
      await phieu.print();
      setNotice(t('document.phieu.ready'));
    } catch (e) {
      setPageError(e);
    }
  };

  return (
    <>
      <DocumentHeader
        doc={doc}
        area={area}
        watching={watching}
        notice={notice}
        error={pageError}
        phieu={phieu.phieu}
        printing={phieu.pending}
        onToggleWatch={() => void toggleWatch()}
        onPrint={() => void printPhieu()}
        onDismissNotice={() => setNotice('')}
        onOpen={setDialog}
      />

      <div className="doc-layout">
        <div className="doc-layout__main">
          <section className="card doc-section" aria-labelledby="doc-files">
            <h2 id="doc-files">{t('doc.detail.files')}</h2>
            <SearchHitView documentId={doc.id} />
            <FileViewer files={doc.files} documentId={doc.id} onOcrDone={refetch} />
          </section>
          {incoming && (doc.annotation || doc.incomingNumber) ? <ChainSection doc={doc} /> : null}
          {incoming ? <AssignmentsSection doc={doc} onAction={(kind, assignment) => setDialog({ kind, assignment })} /> : null}
          {!incoming ? <RecipientsSection doc={doc} /> : null}
          {!incoming ? <CommentsSection doc={doc} canComment={doc.allowedActions.includes('COMMENT')} onDone={() => done(t('doc.notice.commented'))} /> : null}
        </div>
        <aside className="doc-layout__side">
          <section className="card doc-section" aria-labelledby="doc-info">
            <h2 id="doc-info">{t('doc.detail.info')}</h2>
            <DocumentFacts doc={doc} />
          </section>
          {!incoming ? (
            <IssuingSection
              documentId={doc.id}
              onChanged={(n) => {
                setNotice(n);
                refetch();
              }}
            />
          ) : null}
          {/* lấy lại / thu hồi / cập nhật / thay thế / .edxml (issue 13) */}
          <ExchangeBusinessSection
            documentId={doc.id}
            onChanged={(n) => {
              setNotice(n);
              refetch();
            }}
          />
          {/* hồ sơ: lập hồ sơ / đưa vào hồ sơ (issue 10; Document.recordActions) */}
          <DocumentRecordSection
            documentId={doc.id}
            onChanged={(n) => {
              setNotice(n);
              refetch();
            }}
          />
          <section className="card doc-section" aria-labelledby="doc-history">
            <h2 id="doc-history">{t('doc.detail.history')}</h2>
            <History events={doc.history} />
          </section>
        </aside>
      </div>

      <DocumentDialogs doc={doc} dialog={dialog} onClose={() => setDialog(null)} onDone={done} refetch={refetch} />
    </>
  );
}
