import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { pdfFrameUrl } from './pdfFrame';
import type { FileInfoFragment } from '../../graphql/generated';
import { formatDateTime, formatSize } from './format';
import { DocumentFileOcr } from './OcrProgress';
import { FileSignatures } from '../signatures/FileSignatures';

const isPdf = (f: FileInfoFragment) => f.contentType === 'application/pdf';
const isImage = (f: FileInfoFragment) => /^image\/(jpeg|png|gif|webp)$/.test(f.contentType);
/**
 * How a file is shown inline: a digitised file (a PDF or a scan as JPEG/PNG/TIFF) as its searchable PDF (text
 * layer), a PDF as itself, a browser-readable image as an image; else not at all. A scanned image once digitised
 * used to be put in an <img> pointing at its PDF: a broken image.
 */
function preview(f: FileInfoFragment): { as: 'pdf' | 'image'; url: string } | null {
  if (f.searchablePdfUrl) return { as: 'pdf', url: f.searchablePdfUrl };
  if (isPdf(f)) return { as: 'pdf', url: f.url };
  if (isImage(f)) return { as: 'image', url: f.url };
  return null;
}

/** The files of a document as a list with download links. */
export function FileList({ files }: { files: readonly FileInfoFragment[] }) {
  const { t } = useTranslation();
  if (files.length === 0) return <p className="doc-muted">{t('doc.files.none')}</p>;
  return (
    <ul className="doc-file-list">
      {files.map((f) => (
        <li key={f.id}>
          <a href={f.url} target="_blank" rel="noopener noreferrer">
            {f.fileName}
          </a>{' '}
          <span className="doc-muted doc-small">
            {t(`doc.files.kind.${f.kind}`)}
            {f.kind === 'DRAFT' || f.kind === 'REPLY_DRAFT' ? ` v${f.version}` : ''} · {formatSize(f.size)}
            {f.pageCount ? ` · ${t('doc.files.pages', { count: f.pageCount })}` : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}

/**
 * The document's files: a tab per file and the selected one shown inline — PDFs in an <iframe> (the
 * searchable PDF once OCR is done), images as <img>; other types (TIFF, Word) as a download link.
 * With `documentId`, a file being digitised shows its live progress and `onOcrDone` runs when it is done
 * (the caller reloads the document so that the searchable PDF is shown).
 */
export function FileViewer({ files, documentId, onOcrDone }: { files: readonly FileInfoFragment[]; documentId?: string; onOcrDone?: () => void }) {
  const { t } = useTranslation();
  // Newest draft version first among drafts; main files first overall.
  const ordered = [...files].sort((a, b) => kindRank(a) - kindRank(b) || b.version - a.version);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = ordered.find((f) => f.id === selectedId) ?? ordered[0];
  if (!selected) return <p className="doc-muted">{t('doc.files.none')}</p>;
  const shown = preview(selected);
  return (
    <div className="doc-viewer">
      {ordered.length > 1 ? (
        <div className="doc-viewer__tabs" role="group" aria-label={t('doc.files.choose')}>
          {ordered.map((f) => (
            <button key={f.id} type="button" className="doc-viewer__tab" aria-pressed={f.id === selected.id} onClick={() => setSelectedId(f.id)}>
              {f.fileName}
              {f.kind === 'DRAFT' || f.kind === 'REPLY_DRAFT' ? ` (v${f.version})` : ''}
            </button>
          ))}
        </div>
      ) : null}
      <div className="doc-viewer__frame">
        {shown?.as === 'pdf' ? (
          <iframe src={pdfFrameUrl(shown.url)} title={t('doc.files.viewerTitle', { name: selected.fileName })} />
        ) : shown?.as === 'image' ? (
          <img src={shown.url} alt={t('doc.files.imageAlt', { name: selected.fileName })} />
        ) : (
          <p className="doc-viewer__nopreview">{t('doc.files.noPreview')}</p>
        )}
      </div>
      <p className="doc-viewer__meta doc-small">
        <a href={selected.url} target="_blank" rel="noopener noreferrer" download={selected.fileName}>
          {t('doc.files.download', { name: selected.fileName })}
        </a>
        {selected.searchablePdfUrl ? (
          <>
            {' · '}
            <a href={selected.searchablePdfUrl} target="_blank" rel="noopener noreferrer">
              {t('doc.files.searchable')}
            </a>
          </>
        ) : !documentId && (selected.ocrStatus === 'PENDING' || selected.ocrStatus === 'RUNNING') ? (
          <span className="doc-muted"> · {t('doc.files.ocrRunning')}</span>
        ) : null}
        <span className="doc-muted">
          {' · '}
          {formatSize(selected.size)}
          {selected.uploadedBy ? ` · ${selected.uploadedBy.fullName}` : ''} · {formatDateTime(selected.createdAt)}
        </span>
      </p>
      {documentId ? <DocumentFileOcr key={selected.id} file={selected} documentId={documentId} onDone={onOcrDone} /> : null}
      {documentId && isPdf(selected) ? <FileSignatures key={`sig-${selected.id}`} documentId={documentId} fileId={selected.id} /> : null}
    </div>
  );
}

const kindRank = (f: FileInfoFragment) => ({ MAIN: 0, DRAFT: 1, REPLY_DRAFT: 2, ATTACHMENT: 3 })[f.kind] ?? 4;
