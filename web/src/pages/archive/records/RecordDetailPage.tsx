/**
 * One hồ sơ (issue 10): its facts, its documents in order, and the buttons the server allows now
 * (ArchiveRecord.allowedActions): lập hồ sơ (find a document, add it), rút khỏi hồ sơ, kết thúc, mở lại, nộp lưu,
 * dữ liệu đặc tả (Circular 02/2019) of the hồ sơ and of each document, xác nhận, phong tỏa, kéo dài thời hạn, hủy;
 * and the export of the Mục lục văn bản trong hồ sơ.
 */
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader';
import { ConfirmDialog, ReasonDialog } from '../../../components/documents/ActionDialogs';
import { Field, FormError, LoadState } from '../../../components/documents/fields';
import { useApiMutation, useApiQuery } from '../../../graphql/hooks';
import {
  CloseRecordDocument,
  ConfirmArchiveMetadataDocument,
  DisposeRecordsDocument,
  ExtendRetentionDocument,
  FileDocumentDocument,
  PlaceLegalHoldDocument,
  RecordDetailDocument,
  RecordFileCandidatesDocument,
  ReleaseLegalHoldDocument,
  ReopenRecordDocument,
  RetentionItemsDocument,
  TransferRecordsDocument,
  UnfileDocumentDocument,
  UpdateArchiveMetadataDocument,
  type RecordAction,
  type RecordDetailQuery,
} from '../../../graphql/generated';
import { formatVnDate } from '../../../../../schema/validation/dates';
import { ExportButtons, RecordStateBadge, RetentionText } from './common';
import { DisposeDialog, DocumentMetadataDialog, ExtendRetentionDialog, RecordMetadataDialog } from './RecordDialogs';
// the hồ sơ tables are drawn as the registers' (register-table): their styles come with these pages too
import '../../registers/registers.css';
import './records.css';

type Rec = NonNullable<RecordDetailQuery['record']>;
type Doc = Rec['documents'][number]['document'];
type Open =
  | { kind: 'confirm'; action: 'CLOSE' | 'REOPEN' | 'TRANSFER' | 'CONFIRM_METADATA' }
  | { kind: 'hold' | 'release' | 'extend' | 'dispose' | 'metadata' }
  | { kind: 'docMetadata'; doc: Doc }
  | null;

/** Button order in the toolbar (the server decides which are shown). */
const TOOLBAR: readonly RecordAction[] = ['CLOSE', 'REOPEN', 'TRANSFER', 'UPDATE_METADATA', 'CONFIRM_METADATA', 'PLACE_LEGAL_HOLD', 'RELEASE_LEGAL_HOLD', 'EXTEND_RETENTION', 'DISPOSE'];

export default function RecordDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const q = useApiQuery(RecordDetailDocument, { id }, { requestPolicy: 'cache-and-network' });
  const retention = useApiQuery(RetentionItemsDocument, {});
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [close] = useApiMutation(CloseRecordDocument);
  const [reopen] = useApiMutation(ReopenRecordDocument);
  const [transfer] = useApiMutation(TransferRecordsDocument);
  const [confirmMeta] = useApiMutation(ConfirmArchiveMetadataDocument);
  const [hold] = useApiMutation(PlaceLegalHoldDocument);
  const [release] = useApiMutation(ReleaseLegalHoldDocument);
  const [extend] = useApiMutation(ExtendRetentionDocument);
  const [dispose] = useApiMutation(DisposeRecordsDocument);
  const [updateMeta] = useApiMutation(UpdateArchiveMetadataDocument);
  const [unfile] = useApiMutation(UnfileDocumentDocument);
  const [rowError, setRowError] = useState<unknown>(null);

  const r = q.data?.record;
  const allowed = new Set(r?.allowedActions ?? []);
  const done = (message = t('records.actions.done'), refetch = false) => {
    setOpen(null);
    setNotice(message);
    if (refetch) q.refetch();
  };

  const onToolbar = (a: RecordAction) => {
    setNotice(null);
    if (a === 'CLOSE' || a === 'REOPEN' || a === 'TRANSFER' || a === 'CONFIRM_METADATA') setOpen({ kind: 'confirm', action: a });
    else if (a === 'PLACE_LEGAL_HOLD') setOpen({ kind: 'hold' });
    else if (a === 'RELEASE_LEGAL_HOLD') setOpen({ kind: 'release' });
    else if (a === 'EXTEND_RETENTION') setOpen({ kind: 'extend' });
    else if (a === 'DISPOSE') setOpen({ kind: 'dispose' });
    else if (a === 'UPDATE_METADATA') setOpen({ kind: 'metadata' });
  };

  if (!r) {
    return (
      <div className="records-page">
        <p className="records-crumbs">
          <Link to="/archive/records">{t('records.backToList')}</Link>
        </p>
        <LoadState loading={q.fetching} error={q.error} onRetry={q.refetch} />
      </div>
    );
  }

  return (
    <div className="records-page">
      <p className="records-crumbs">
        <Link to="/archive">{t('records.backToSearch')}</Link> › <Link to={`/archive/records?year=${r.year}`}>{t('records.backToList')}</Link>
      </p>
      <PageHeader title={`${r.fileNotation} — ${r.title}`} description={<RecordStateBadge state={r.state} legalHold={r.legalHold} unverified={r.metadataUnverified} />} />
      <div role="status" aria-live="polite">
        {notice ? <div className="alert alert--success">{notice}</div> : null}
      </div>
      {r.state === 'TRANSFERRED' ? <p className="alert alert--info">{t('records.detail.immutable')}</p> : null}
      {r.state === 'DISPOSED' ? <p className="alert alert--info">{t('records.detail.disposed', { decision: r.disposalDecision ?? '' })}</p> : null}

      <div className="records-toolbar" role="toolbar" aria-label={t('records.title')}>
        {TOOLBAR.filter((a) => allowed.has(a)).map((a) => (
          <button key={a} type="button" className={a === 'DISPOSE' ? 'btn btn--danger' : a === 'TRANSFER' ? 'btn btn--primary' : 'btn btn--secondary'} onClick={() => onToolbar(a)}>
            {a === 'UPDATE_METADATA' ? t('records.metadata.edit') : t(`records.actions.${a as Exclude<RecordAction, 'UPDATE_METADATA' | 'FILE_DOCUMENT' | 'UNFILE_DOCUMENT'>}`)}
          </button>
        ))}
      </div>

      <section className="card doc-section">
        <dl className="records-facts">
          <dt>{t('records.detail.code')}</dt>
          <dd>{r.fileCode}</dd>
          <dt>{t('records.detail.retention')}</dt>
          <dd>
            <RetentionText years={r.retentionYears} until={r.retentionUntilYear} />
          </dd>
          <dt>{t('records.detail.unit')}</dt>
          <dd>{r.unit?.name ?? '—'}</dd>
          <dt>{t('records.detail.creator')}</dt>
          <dd>{r.creator?.fullName ?? '—'}</dd>
          <dt>{t('records.detail.pages')}</dt>
          <dd>{r.pageTotal}</dd>
          <dt>{t('records.metadata.startDate')}</dt>
          <dd>{formatVnDate(r.metadata.startDate) || '—'}</dd>
          <dt>{t('records.metadata.endDate')}</dt>
          <dd>{formatVnDate(r.metadata.endDate) || '—'}</dd>
          {r.metadata.rights ? (
            <>
              <dt>{t('records.metadata.rights')}</dt>
              <dd>{t(`records.metadata.modes.${r.metadata.rights}`)}</dd>
            </>
          ) : null}
          {r.metadata.language ? (
            <>
              <dt>{t('records.metadata.language')}</dt>
              <dd>{r.metadata.language}</dd>
            </>
          ) : null}
          {r.legalHold && r.legalHoldReason ? (
            <>
              <dt>{t('records.legalHold')}</dt>
              <dd>{t('records.detail.legalHoldReason', { reason: r.legalHoldReason })}</dd>
            </>
          ) : null}
        </dl>
      </section>

      <section className="card doc-section" aria-labelledby="record-docs">
        <h2 id="record-docs">
          {t('records.detail.documents')} ({r.documentCount})
        </h2>
        <FormError error={rowError} />
        {r.documents.length ? (
          <div className="register-table__wrap">
            <table className="register-table records-table">
              <thead>
                <tr>
                  <th scope="col">{t('records.detail.order')}</th>
                  <th scope="col">{t('records.detail.symbol')}</th>
                  <th scope="col">{t('records.detail.date')}</th>
                  <th scope="col">{t('records.detail.issuer')}</th>
                  <th scope="col">{t('records.detail.subject')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('records.columns.state')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.documents.map(({ order, document: d }) => (
                  <tr key={d.id}>
                    <td className="records-num">{order}</td>
                    <td>
                      <Link to={`/archive/documents/${d.id}`}>{d.symbol || '—'}</Link>
                    </td>
                    <td>{formatVnDate(d.issuedDate)}</td>
                    <td>{d.issuer?.name ?? ''}</td>
                    <td>
                      {d.subject}
                      {d.metadataUnverified && d.archivedAt ? <span className="records-flag">{t('records.unverified')}</span> : null}
                    </td>
                    <td className="records-row-actions">
                      {d.canEditArchiveMetadata ? (
                        <button type="button" className="btn btn--link" onClick={() => setOpen({ kind: 'docMetadata', doc: d })}>
                          {t('records.detail.editMetadata')}
                        </button>
                      ) : null}
                      {d.canEditArchiveMetadata && d.metadataUnverified && d.archivedAt ? (
                        <button
                          type="button"
                          className="btn btn--link"
                          onClick={() => {
                            setRowError(null);
                            confirmMeta({ documentId: d.id }).then(() => done(), setRowError);
                          }}
                        >
                          {t('records.detail.confirmDoc')}
                        </button>
                      ) : null}
                      {allowed.has('UNFILE_DOCUMENT') ? (
                        <button
                          type="button"
                          className="btn btn--link"
                          onClick={() => {
                            setRowError(null);
                            unfile({ recordId: r.id, documentId: d.id }).then(() => done(undefined, true), setRowError);
                          }}
                        >
                          {t('records.detail.unfile')}
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="inbox__empty">{t('records.detail.noDocuments')}</p>
        )}
      </section>

      {allowed.has('FILE_DOCUMENT') ? <FileDocumentSection recordId={r.id} onFiled={() => done(undefined, true)} /> : null}

      <section className="card doc-section" aria-labelledby="record-export">
        <h2 id="record-export">{t('records.export.title')}</h2>
        <ExportButtons label={t('records.export.mucLucVanBan')} kind="MUC_LUC_VAN_BAN" recordId={r.id} />
      </section>

      {open?.kind === 'confirm' ? (
        <ConfirmDialog
          title={t(`records.actions.${open.action}`)}
          message={t(`records.confirm.${open.action}`)}
          submitLabel={t(`records.actions.${open.action}`)}
          onClose={() => setOpen(null)}
          onSubmit={async () => {
            if (open.action === 'CLOSE') await close({ id: r.id });
            else if (open.action === 'REOPEN') await reopen({ id: r.id });
            else if (open.action === 'TRANSFER') await transfer({ ids: [r.id] });
            else await confirmMeta({ recordId: r.id });
            done(undefined, open.action === 'TRANSFER');
          }}
        />
      ) : null}
      {open?.kind === 'hold' || open?.kind === 'release' ? (
        <ReasonDialog
          title={open.kind === 'hold' ? t('records.hold.title') : t('records.hold.releaseTitle')}
          label={t('records.reason')}
          onClose={() => setOpen(null)}
          onSubmit={async (reason) => {
            if (open.kind === 'hold') await hold({ id: r.id, reason });
            else await release({ id: r.id, reason });
            done();
          }}
        />
      ) : null}
      {open?.kind === 'extend' ? (
        <ExtendRetentionDialog
          current={r.retentionYears ?? null}
          options={retention.data?.retentionItems ?? []}
          onClose={() => setOpen(null)}
          onSubmit={async (retentionYears, reason) => {
            await extend({ id: r.id, retentionYears, reason });
            done();
          }}
        />
      ) : null}
      {open?.kind === 'dispose' ? (
        <DisposeDialog
          onClose={() => setOpen(null)}
          onSubmit={async (v) => {
            const res = await dispose({ input: { recordIds: [r.id], ...v } });
            done(t('records.dispose.done', { documents: res.disposeRecords.documentCount, objects: res.disposeRecords.deletedObjects }), true);
          }}
        />
      ) : null}
      {open?.kind === 'metadata' ? (
        <RecordMetadataDialog
          title={r.title}
          metadata={r.metadata}
          onClose={() => setOpen(null)}
          onSubmit={async (v) => {
            await updateMeta({
              input: {
                recordId: r.id,
                expectedVersion: r.version,
                record: { ...v, rights: v.rights ? (v.rights as NonNullable<Rec['metadata']['rights']>) : null },
              },
            });
            done(t('records.metadata.saved'));
          }}
        />
      ) : null}
      {open?.kind === 'docMetadata' ? (
        <DocumentMetadataDialog
          metadata={open.doc.archiveMetadata ?? {}}
          onClose={() => setOpen(null)}
          onSubmit={async (v) => {
            await updateMeta({ input: { documentId: open.doc.id, document: v } });
            done(t('records.metadata.saved'));
          }}
        />
      ) : null}
    </div>
  );
}

/** Lập hồ sơ: find a document by what one remembers (the search), add it at the end. */
function FileDocumentSection({ recordId, onFiled }: { recordId: string; onFiled: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [error, setError] = useState<unknown>(null);
  const found = useApiQuery(RecordFileCandidatesDocument, { query }, { pause: !query, requestPolicy: 'network-only' });
  const [file, { fetching }] = useApiMutation(FileDocumentDocument);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setQuery(text.trim());
  };
  const hits = found.data?.search.edges.map((e) => e.node.document) ?? [];
  return (
    <section className="card doc-section" aria-labelledby="record-file">
      <h2 id="record-file">{t('records.file.title')}</h2>
      <form className="records-file" onSubmit={submit} role="search">
        <Field label={t('records.file.query')} hint={t('records.file.queryHint')} error={found.error?.message}>
          {(c) => <input {...c} type="search" value={text} onChange={(e) => setText(e.target.value)} />}
        </Field>
        <button type="submit" className="btn btn--secondary">
          {t('records.file.search')}
        </button>
      </form>
      <FormError error={error} />
      {query && !found.fetching && !hits.length && !found.error ? <p className="inbox__empty">{t('records.file.none')}</p> : null}
      {hits.length ? (
        <ul className="records-candidates">
          {hits.map((d) => (
            <li key={d.id}>
              <span>
                <strong>{d.symbol || '—'}</strong> {formatVnDate(d.issuedDate)} — {d.subject}
              </span>
              {d.record ? (
                <span className="doc-muted">{t('records.file.inRecord', { notation: d.record.fileNotation })}</span>
              ) : (
                <button
                  type="button"
                  className="btn btn--primary"
                  disabled={fetching}
                  onClick={() => {
                    setError(null);
                    file({ recordId, documentId: d.id }).then(() => {
                      setQuery('');
                      setText('');
                      onFiled();
                    }, setError);
                  }}
                >
                  {t('records.file.add')}
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
