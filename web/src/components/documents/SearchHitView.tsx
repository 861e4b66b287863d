/**
 * Opening a search hit (issue 10): when the document page is reached from the search (?q=…&page=…), the page of
 * the hit of the digitised bản chính is shown with the query's words boxed on the scan (OCR word boxes from
 * `searchHitPage`), with the other pages that hold a word one click away. Renders nothing without `q` or when the
 * document has no digitised file. Owned by the archive/search feature (helper C); DocumentPage only mounts it.
 */
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { SearchHitPageDocument } from '../../graphql/generated';
import { useApiQuery } from '../../graphql/hooks';
import { LoadState } from './fields';
import './hit-view.css';

export function SearchHitView({ documentId }: { documentId: string }) {
  const [params] = useSearchParams();
  const query = params.get('q') ?? '';
  const fromUrl = Number(params.get('page'));
  const initial = Number.isInteger(fromUrl) && fromUrl > 0 ? fromUrl : null;
  if (!query.trim()) return null;
  return <HitPage key={`${documentId}|${query}|${initial}`} documentId={documentId} query={query} initial={initial} />;
}

function HitPage({ documentId, query, initial }: { documentId: string; query: string; initial: number | null }) {
  const { t } = useTranslation();
  const [page, setPage] = useState<number | null>(initial);
  const [hidden, setHidden] = useState(false);
  const r = useApiQuery(SearchHitPageDocument, { documentId, query, page }, { pause: hidden });
  if (hidden) return null;
  const hit = r.data?.searchHitPage;
  if (!hit) return r.error ? <LoadState loading={false} error={r.error} onRetry={r.refetch} /> : null;
  const back = `/archive?${new URLSearchParams({ q: query }).toString()}`;
  return (
    <section className="hit-view" aria-labelledby="hit-view-title">
      <h3 id="hit-view-title">{t('archive.hit.title')}</h3>
      <div className="hit-view__bar">
        <span>{t('archive.hit.query', { query })}</span>
        <strong aria-live="polite">{t('archive.hit.page', { page: hit.page, count: hit.pageCount })}</strong>
        <span className="doc-muted" role="status">
          {hit.boxes.length ? t('archive.hit.words', { count: hit.boxes.length }) : t('archive.hit.noWords')}
        </span>
        <button type="button" className="btn btn--secondary doc-btn--small" disabled={hit.page <= 1} onClick={() => setPage(hit.page - 1)}>
          {t('archive.hit.prev')}
        </button>
        <button type="button" className="btn btn--secondary doc-btn--small" disabled={hit.page >= hit.pageCount} onClick={() => setPage(hit.page + 1)}>
          {t('archive.hit.next')}
        </button>
        {hit.pagesWithHits.length > 1 ? (
          <span>
            {t('archive.hit.pagesWithHits')}{' '}
            {hit.pagesWithHits.map((p) => (
              <button key={p} type="button" className="btn btn--secondary doc-btn--small" aria-pressed={p === hit.page} aria-label={t('archive.hit.goPage', { page: p })} onClick={() => setPage(p)}>
                {p}
              </button>
            ))}
          </span>
        ) : null}
        <Link to={back}>{t('archive.hit.backToResults')}</Link>
        <button type="button" className="btn btn--secondary doc-btn--small" onClick={() => setHidden(true)}>
          {t('archive.hit.close')}
        </button>
      </div>
      {hit.imageUrl ? (
        <div className="hit-view__page" data-page={hit.page}>
          <img src={hit.imageUrl} alt={t('archive.hit.imageAlt', { page: hit.page })} width={hit.width || undefined} height={hit.height || undefined} />
          {hit.boxes.map((b, i) => (
            <mark
              key={i}
              className="hit-view__box"
              title={b.text}
              style={{ left: `${b.x * 100}%`, top: `${b.y * 100}%`, width: `${b.width * 100}%`, height: `${b.height * 100}%` }}
            >
              <span className="visually-hidden">{b.text}</span>
            </mark>
          ))}
        </div>
      ) : (
        <p className="doc-muted">{t('archive.hit.noImage')}</p>
      )}
    </section>
  );
}
