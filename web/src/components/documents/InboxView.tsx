import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../auth/session';
import { request } from '../../graphql/client';
import {
  InboxDocument,
  type DocumentDirection,
  type DocumentListItemFragment,
  type InboxBox,
  type InboxFilter,
  type Urgency,
} from '../../graphql/generated';
import { onDocumentsChanged } from './api';
import { DeadlineMarker, SecrecyBadge, StatusBadge, UrgencyBadge } from './Badges';
import { LoadState } from './fields';
import { documentTitle, formatDate, formatDay } from './format';
import { useInboxCounts, visibleBoxes } from './inbox';
import './documents.css';

const PAGE_SIZE = 20;
const URGENCIES: readonly Urgency[] = ['HOA_TOC', 'THUONG_KHAN', 'KHAN', 'THUONG'];

interface Row {
  cursor: string;
  node: DocumentListItemFragment;
}

/**
 * The work queues (hộp văn bản): boxes with live counts on the left, the selected box's documents on the
 * right (server order: urgency, then deadline), with filters and "Xem thêm" (cursor pagination).
 * The selected box and filters live in the URL (?box=&urgency=&q=&direction=).
 */
export function InboxView({
  boxes,
  direction,
  detailPath,
}: {
  /** Candidate boxes, in order (only those relevant to the user, or non-empty, are shown). */
  boxes: readonly InboxBox[];
  /** Fixed direction (area pages); omitted: a filter lets the user choose. */
  direction?: DocumentDirection;
  /** Link prefix of a document, e.g. "/tasks/documents/". */
  detailPath: string;
}) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const { counts, error: countsError } = useInboxCounts();
  const shown = visibleBoxes(boxes, user.roles, counts);
  const requested = params.get('box') as InboxBox | null;
  const box: InboxBox | undefined =
    requested && boxes.includes(requested) ? requested : (shown.find((b) => (counts?.get(b) ?? 0) > 0) ?? shown[0]);

  const urgency = (params.get('urgency') as Urgency | null) ?? '';
  const dir = direction ?? ((params.get('direction') as DocumentDirection | null) || undefined);
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  useEffect(() => setSearch(q), [q]);

  const filter: InboxFilter = { direction: dir ?? null, urgency: urgency || null, search: q.trim() || null };
  const filterKey = JSON.stringify(filter);

  const [rows, setRows] = useState<Row[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [endCursor, setEndCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useRef(0);

  const load = useCallback(
    async (after: string | null) => {
      if (!box) return;
      const mine = ++run.current;
      setLoading(true);
      try {
        const r = await request(InboxDocument, { box, first: PAGE_SIZE, after, filter: JSON.parse(filterKey) as InboxFilter });
        if (mine !== run.current) return;
        setRows((prev) => (after ? [...prev, ...r.inbox.edges] : r.inbox.edges));
        setTotal(r.inbox.totalCount);
        setEndCursor(r.inbox.pageInfo.endCursor ?? null);
        setHasMore(r.inbox.pageInfo.hasNextPage);
        setError(null);
      } catch (e) {
        if (mine === run.current) setError(e);
      } finally {
        if (mine === run.current) setLoading(false);
      }
    },
    [box, filterKey],
  );

  useEffect(() => {
    setRows([]);
    setTotal(null);
    void load(null);
  }, [load]);
  useEffect(() => onDocumentsChanged(() => void load(null)), [load]);

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };
  const onSearch = (e: FormEvent) => {
    e.preventDefault();
    update({ q: search.trim() || null });
  };

  // Announce new arrivals (a count going up between polls).
  const [news, setNews] = useState('');
  const prevCounts = useRef<Map<InboxBox, number>>(undefined);
  useEffect(() => {
    if (!counts) return;
    const prev = prevCounts.current;
    prevCounts.current = counts;
    if (!prev) return;
    const grown = shown.filter((b) => (counts.get(b) ?? 0) > (prev.get(b) ?? 0));
    if (grown.length) setNews(t('doc.inbox.newItems', { boxes: grown.map((b) => `${t(`doc.box.${b}`)} (${counts.get(b)})`).join(', ') }));
  }, [counts]);

  const hasFilter = Boolean(urgency || q || (!direction && dir));

  return (
    <div className="inbox">
      <nav className="inbox__boxes card" aria-label={t('doc.inbox.boxesLabel')}>
        <ul>
          {shown.map((b) => {
            const n = counts?.get(b);
            const showCount = !(direction && b === 'WATCHING');
            return (
              <li key={b}>
                <Link
                  to={{ search: `?box=${b}` }}
                  replace
                  className={`inbox__box${b === 'OVERDUE' && (n ?? 0) > 0 ? ' inbox__box--alert' : ''}`}
                  aria-current={b === box ? 'page' : undefined}
                >
                  <span>{t(`doc.box.${b}`)}</span>
                  {showCount && n !== undefined ? (
                    <span className={n > 0 ? 'inbox__count inbox__count--some' : 'inbox__count'}>
                      {n}
                      <span className="visually-hidden"> {t('doc.inbox.documents')}</span>
                    </span>
                  ) : null}
                </Link>
              </li>
            );
          })}
        </ul>
        {countsError ? <p className="doc-muted doc-small">{t('doc.inbox.countsError')}</p> : null}
        <p className="visually-hidden" role="status" aria-live="polite">
          {news}
        </p>
      </nav>

      <section className="inbox__list" aria-labelledby="inbox-heading">
        <div className="inbox__list-header">
          <h2 id="inbox-heading">
            {box ? t(`doc.box.${box}`) : t('doc.inbox.noBoxes')}
            {total !== null ? <span className="inbox__total"> · {t('doc.inbox.total', { count: total })}</span> : null}
          </h2>
        </div>
        <form className="inbox__filters" role="search" aria-label={t('doc.inbox.filters')} onSubmit={onSearch}>
          <div className="doc-field doc-field--inline">
            <label htmlFor="inbox-q">{t('doc.inbox.search')}</label>
            <div className="doc-search">
              <input id="inbox-q" type="search" value={search} placeholder={t('doc.inbox.searchPlaceholder')} onChange={(e) => setSearch(e.target.value)} />
              <button type="submit" className="btn btn--secondary">
                {t('doc.inbox.searchButton')}
              </button>
            </div>
          </div>
          {direction ? null : (
            <div className="doc-field doc-field--inline">
              <label htmlFor="inbox-direction">{t('doc.inbox.direction')}</label>
              <select id="inbox-direction" value={dir ?? ''} onChange={(e) => update({ direction: e.target.value || null })}>
                <option value="">{t('doc.inbox.all')}</option>
                <option value="INCOMING">{t('doc.direction.INCOMING')}</option>
                <option value="OUTGOING">{t('doc.direction.OUTGOING')}</option>
              </select>
            </div>
          )}
          <div className="doc-field doc-field--inline">
            <label htmlFor="inbox-urgency">{t('doc.field.urgency')}</label>
            <select id="inbox-urgency" value={urgency} onChange={(e) => update({ urgency: e.target.value || null })}>
              <option value="">{t('doc.inbox.all')}</option>
              {URGENCIES.map((u) => (
                <option key={u} value={u}>
                  {t(`doc.urgency.${u}`)}
                </option>
              ))}
            </select>
          </div>
          {hasFilter ? (
            <button type="button" className="btn btn--secondary doc-btn--small" onClick={() => update({ q: null, urgency: null, direction: null })}>
              {t('doc.inbox.clearFilters')}
            </button>
          ) : null}
        </form>

        <LoadState loading={loading && rows.length === 0} error={error} onRetry={() => void load(null)} />
        {!loading && !error && box && rows.length === 0 ? (
          <p className="inbox__empty">{hasFilter ? t('doc.inbox.emptyFiltered') : t('doc.inbox.empty')}</p>
        ) : null}
        {rows.length > 0 ? (
          <ul className="doc-list" aria-busy={loading}>
            {rows.map((r) => (
              <DocumentRow key={r.cursor} doc={r.node} href={`${detailPath}${r.node.id}`} />
            ))}
          </ul>
        ) : null}
        {hasMore ? (
          <div className="inbox__more">
            <button type="button" className="btn btn--secondary" disabled={loading} onClick={() => void load(endCursor)}>
              {loading ? t('app.loading') : t('doc.inbox.more')}
            </button>
          </div>
        ) : null}
      </section>
    </div>
  );
}

/** One document in a list: urgency, number, trích yếu (the link), issuer/unit, dates, deadline, status. */
export function DocumentRow({ doc, href }: { doc: DocumentListItemFragment; href: string }) {
  const { t } = useTranslation();
  const incoming = doc.direction === 'INCOMING';
  const done = doc.status === 'DONE' || doc.status === 'ISSUED' || doc.status === 'FOR_INFO';
  return (
    <li className={`doc-row doc-row--${doc.urgency.toLowerCase()}${doc.overdue && !done ? ' doc-row--overdue' : ''}`}>
      <div className="doc-row__main">
        <div className="doc-row__badges">
          <span className="doc-row__kind">{t(`doc.direction.${doc.direction}`)}</span>
          <UrgencyBadge urgency={doc.urgency} />
          <SecrecyBadge secrecy={doc.secrecy} />
          {doc.electronic ? <span className="doc-badge doc-badge--plain">{t('doc.field.electronic')}</span> : null}
        </div>
        <Link to={href} className="doc-row__subject">
          {doc.subject || t('doc.field.noSubject')}
        </Link>
        <p className="doc-row__meta">
          <span>{documentTitle(doc)}</span>
          {incoming && doc.incomingNumber ? <span>{t('doc.field.incomingNumberShort', { n: doc.incomingNumber })}</span> : null}
          {incoming && doc.issuer ? <span>{doc.issuer.name}</span> : null}
          {!incoming && doc.drafterUnit ? <span>{t('doc.field.drafterUnitShort', { unit: doc.drafterUnit.abbr })}</span> : null}
          {doc.issuedDate ? <span>{t('doc.field.issuedDateShort', { date: formatDate(doc.issuedDate) })}</span> : null}
          {incoming && doc.receivedDate ? <span>{t('doc.field.receivedShort', { date: formatDay(doc.receivedDate) })}</span> : null}
        </p>
      </div>
      <div className="doc-row__side">
        <StatusBadge status={doc.status} />
        <DeadlineMarker deadline={doc.deadline} overdue={doc.overdue} done={done} />
      </div>
    </li>
  );
}
