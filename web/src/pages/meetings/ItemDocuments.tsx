/**
 * Tài liệu họp of an agenda item: each document readable in the browser (PDF inline, others as a download),
 * the caller's private note on it (ghi chú cá nhân — only the caller ever sees it), and, for the chair and
 * the secretary during the meeting, "Trình chiếu" (every screen follows the document and page on show).
 * `AttachDocumentForm` takes documents from the inbox / archive (search) or an uploaded file.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { pdfFrameUrl } from '../../components/documents/pdfFrame';
import {
  AttachMeetingDocumentDocument,
  MeetingDocumentSearchDocument,
  RemoveMeetingDocumentDocument,
  SaveDocumentNoteDocument,
  type MeetingDocumentFieldsFragment,
} from '../../graphql/generated';
import { useApiMutation, useApiQuery } from '../../graphql/hooks';
import { FormError } from '../../components/documents/fields';
import { FileInput } from '../../components/documents/FilesInput';
import { formatSize } from '../../components/documents/format';
import { useRun } from './useRun';

const isPdf = (d: MeetingDocumentFieldsFragment) => d.contentType === 'application/pdf';
const isImage = (d: MeetingDocumentFieldsFragment) => /^image\/(jpeg|png|gif|webp)$/.test(d.contentType);

/** A meeting document shown inline (PDF at a page, image), or a link to download it. */
export function DocumentFrame({ doc, page }: { doc: MeetingDocumentFieldsFragment; page?: number | null }) {
  const { t } = useTranslation();
  if (isPdf(doc)) {
    return <iframe className="mtg-doc-frame" title={t('meetings.docs.viewerTitle', { title: doc.title })} src={pdfFrameUrl(doc.url, page)} />;
  }
  if (isImage(doc)) return <img className="mtg-doc-image" src={doc.url} alt={doc.title} />;
  return (
    <p>
      <a href={doc.url} target="_blank" rel="noopener noreferrer">
        {t('meetings.docs.download', { name: doc.fileName })}
      </a>
    </p>
  );
}

function NoteEditor({ doc }: { doc: MeetingDocumentFieldsFragment }) {
  const { t } = useTranslation();
  const [text, setText] = useState(doc.myNote ?? '');
  const [saved, setSaved] = useState(false);
  const [save] = useApiMutation(SaveDocumentNoteDocument);
  const { run, busy, error } = useRun();
  useEffect(() => setText(doc.myNote ?? ''), [doc.myNote]);
  const id = `note-${doc.id}`;
  return (
    <div className="mtg-note">
      <label htmlFor={id}>{t('meetings.docs.note')}</label>
      <textarea id={id} rows={3} value={text} onChange={(e) => (setText(e.target.value), setSaved(false))} />
      <p className="doc-field__hint">{t('meetings.docs.noteHint')}</p>
      <div className="mtg-buttons">
        <button
          type="button"
          className="btn btn--secondary doc-btn--small"
          disabled={busy}
          onClick={() => void run(() => save({ meetingDocumentId: doc.id, text: text.normalize('NFC') })).then((r) => setSaved(!!r))}
        >
          {t('meetings.docs.saveNote')}
        </button>
        <span role="status" className="doc-muted doc-small">
          {saved ? t('meetings.docs.noteSaved') : ''}
        </span>
      </div>
      <FormError error={error} />
    </div>
  );
}

export function ItemDocuments({
  documents,
  canRemove,
  onShow,
}: {
  documents: readonly MeetingDocumentFieldsFragment[];
  canRemove: boolean;
  /** Chair/secretary during the meeting: put the document on every screen. */
  onShow?: (doc: MeetingDocumentFieldsFragment) => void;
}) {
  const { t } = useTranslation();
  const [openId, setOpenId] = useState<string | null>(null);
  const [remove] = useApiMutation(RemoveMeetingDocumentDocument);
  const { run, busy, error } = useRun();
  if (documents.length === 0) return <p className="doc-muted doc-small">{t('meetings.docs.none')}</p>;
  return (
    <div className="mtg-docs">
      <ul className="mtg-doc-list">
        {documents.map((d) => (
          <li key={d.id}>
            <div className="mtg-doc-list__row">
              <span>
                <strong>{d.title}</strong>{' '}
                <span className="doc-muted doc-small">
                  {d.fileName} · {formatSize(d.size)}
                  {d.pageCount ? ` · ${t('meetings.docs.pages', { count: d.pageCount })}` : ''}
                  {d.myNote ? ` · ${t('meetings.docs.hasNote')}` : ''}
                </span>
              </span>
              <span className="mtg-buttons">
                <button
                  type="button"
                  className="btn btn--secondary doc-btn--small"
                  aria-expanded={openId === d.id}
                  onClick={() => setOpenId(openId === d.id ? null : d.id)}
                >
                  {openId === d.id ? t('meetings.docs.hide') : t('meetings.docs.read', { title: d.title })}
                </button>
                {onShow ? (
                  <button type="button" className="btn btn--secondary doc-btn--small" onClick={() => onShow(d)}>
                    {t('meetings.docs.show')}
                  </button>
                ) : null}
                {canRemove ? (
                  <button type="button" className="btn btn--link doc-btn--small" disabled={busy} onClick={() => void run(() => remove({ meetingDocumentId: d.id }))}>
                    {t('meetings.docs.remove', { title: d.title })}
                  </button>
                ) : null}
              </span>
            </div>
            {openId === d.id ? (
              <div className="mtg-doc-open">
                <DocumentFrame doc={d} />
                <NoteEditor doc={d} />
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      <FormError error={error} />
    </div>
  );
}

/** Đính kèm tài liệu: a document found in the inbox / archive, or a file uploaded. */
export function AttachDocumentForm({ itemId }: { itemId: string }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [term, setTerm] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [attach] = useApiMutation(AttachMeetingDocumentDocument);
  const { run, busy, error } = useRun();
  useEffect(() => {
    const h = window.setTimeout(() => setTerm(search.trim()), 300);
    return () => window.clearTimeout(h);
  }, [search]);
  const found = useApiQuery(MeetingDocumentSearchDocument, { query: term }, { pause: term.length < 2 });
  const hits = term.length < 2 ? [] : (found.data?.search.edges.map((e) => e.node.document) ?? []);
  const searchId = `attach-search-${itemId}`;
  const fileId = `attach-file-${itemId}`;
  return (
    <div className="mtg-attach">
      <div className="doc-field">
        <label htmlFor={searchId}>{t('meetings.docs.searchLabel')}</label>
        <input id={searchId} type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder={t('meetings.docs.searchPlaceholder')} />
      </div>
      {hits.length > 0 ? (
        <ul className="mtg-doc-list" aria-label={t('meetings.docs.results')}>
          {hits.map((d) => (
            <li key={d.id} className="mtg-doc-list__row">
              <span>
                {d.symbol ? `${d.typeName} ${d.symbol}: ` : ''}
                {d.subject}
              </span>
              <button type="button" className="btn btn--secondary doc-btn--small" disabled={busy} onClick={() => void run(() => attach({ itemId, input: { documentId: d.id } }))}>
                {t('meetings.docs.attach')}
              </button>
            </li>
          ))}
        </ul>
      ) : term.length >= 2 && !found.fetching ? (
        <p className="doc-muted doc-small">{t('meetings.docs.noResults')}</p>
      ) : null}
      <div className="doc-field">
        <label htmlFor={fileId}>{t('meetings.docs.upload')}</label>
        <FileInput control={{ id: fileId }} accept=".pdf,.doc,.docx,.odt,.xlsx,.jpg,.jpeg,.png" file={file} onChange={setFile} />
      </div>
      {file ? (
        <button
          type="button"
          className="btn btn--secondary doc-btn--small"
          disabled={busy}
          onClick={() =>
            void run(() => attach({ itemId, input: { file } })).then((r) => {
              if (r) setFile(null);
            })
          }
        >
          {t('meetings.docs.uploadButton', { name: file.name })}
        </button>
      ) : null}
      <FormError error={error} />
    </div>
  );
}
