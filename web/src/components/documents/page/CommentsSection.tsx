import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CommentOnDocumentDocument } from '../../../graphql/generated';
import { useApiMutation } from '../../../graphql/hooks';
import { errorMessage } from '../../../i18n/errors';
import { formatDateTime } from '../format';
import type { PageDoc } from './types';

/** Ý kiến trong quá trình trình duyệt, and a form to add one. */
export function CommentsSection({ doc, canComment, onDone }: { doc: PageDoc; canComment: boolean; onDone: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [comment, { fetching: pending }] = useApiMutation(CommentOnDocumentDocument);
  if (!canComment && doc.comments.length === 0) return null;
  return (
    <section className="card doc-section" aria-labelledby="doc-comments">
      <h2 id="doc-comments">{t('doc.detail.comments')}</h2>
      {doc.comments.length === 0 ? <p className="doc-muted">{t('doc.detail.noComments')}</p> : null}
      <ul className="doc-comments">
        {doc.comments.map((c) => (
          <li key={c.id} className={`doc-comment doc-comment--${c.kind.toLowerCase()}`}>
            <p className="doc-comment__meta">
              <strong>{c.author.fullName}</strong>
              {c.author.title ? `, ${c.author.title}` : ''} · {formatDateTime(c.createdAt)}
              {c.kind !== 'COMMENT' ? <span className="doc-badge doc-badge--plain"> {t(`doc.commentKind.${c.kind}` as 'doc.commentKind.APPROVE', { defaultValue: c.kind })}</span> : null}
            </p>
            <p className="doc-comment__text">{c.text}</p>
          </li>
        ))}
      </ul>
      {canComment ? (
        <form
          className="doc-form-plain"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!text.trim() || pending) return;
            setError(null);
            comment({ documentId: doc.id, text: text.trim().normalize('NFC') })
              .then(() => {
                setText('');
                onDone();
              })
              .catch(setError);
          }}
        >
          <div className="doc-field">
            <label htmlFor="doc-comment-text">{t('doc.detail.addComment')}</label>
            <textarea id="doc-comment-text" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
          </div>
          {error ? (
            <p className="doc-field__error" role="alert">
              {errorMessage(error, t)}
            </p>
          ) : null}
          <div>
            <button type="submit" className="btn btn--secondary" disabled={pending || !text.trim()}>
              {t('doc.detail.sendComment')}
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
