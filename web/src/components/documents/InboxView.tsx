import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { hasAnyRole, useCurrentUser } from '../../auth/session';
import type { ApiError } from '../../graphql/client';
import { useApiQuery } from '../../graphql/hooks';
import {
  DocumentSearchDocument,
  InboxDocument,
  type DocumentDirection,
  type DocumentListItemFragment,
  type InboxBox,
  type InboxFilter,
  type Role,
  type Urgency,
} from '../../graphql/generated';
import { DeadlineMarker, SecrecyBadge, StatusBadge, UrgencyBadge } from './Badges';
import { LoadState } from './fields';
import { documentTitle, formatDate, formatDay } from './format';
import { useInboxCounts, visibleBoxes } from './inbox';

const PAGE_SIZE = 20;
const URGENCIES: readonly Urgency[] = ['HOA_TOC', 'THUONG_KHAN', 'KHAN', 'THUONG'];
/** Who sees the "Sổ văn bản" link (server: domain/register-access.ts REGISTER_ROLES). */
const REGISTER_ROLES: readonly Role[] = ['VAN_THU', 'LANH_DAO', 'LUU_TRU'];

/**
 * The work queues (hộp văn bản): boxes with live counts on the left, the selected box's documents on the
 * right (server order: urgency, then deadline), with filters and "Xem thêm" (cursor pagination).
 * A search (?q=) spans EVERY box — every document the user may see — and each result says which of the
 * user's boxes it is in now. The selected box and filters live in the URL (?box=&urgency=&q=&direction=).
 * Data through urql: lists and counts re-run when graphcache invalidates them (inboxChanged, mutations).
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
  const shown = useMemo(() => visibleBoxes(boxes, user.roles, counts), [boxes, user.roles, counts]);
  const requested = params.get('box') as InboxBox | null;
  const box: InboxBox | undefined =
    requested && boxes.includes(requested) ? requested : (shown.find((b) => (counts?.get(b) ?? 0) > 0) ?? shown[0]);

  const urgency = (params.get('urgency') as Urgency | null) ?? '';
  const dir = direction ?? ((params.get('direction') as DocumentDirection | null) || undefined);
  const q = (params.get('q') ?? '').trim();
  const [search, setSearch] = useState(q);
  useEffect(() => setSearch(q), [q]);

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

  // Announce new arrivals (a count going up between updates).
  const [news, setNews] = useState('');
  const prevCounts = useRef<Map<InboxBox, number>>(undefined);
  useEffect(() => {
    if (!counts) return;
    const prev = prevCounts.current;
    prevCounts.current = counts;
    if (!prev || prev === counts) return;
    const grown = shown.filter((b) => (counts.get(b) ?? 0) > (prev.get(b) ?? 0));
    if (grown.length) setNews(t('doc.inbox.newItems', { boxes: grown.map((b) => `${t(`doc.box.${b}`)} (${counts.get(b)})`).join(', ') }));
  }, [counts, shown, t]);

  const searching = q !== '';
  const hasFilter = Boolean(urgency || q || (!direction && dir));
  const filter: InboxFilter = { direction: dir ?? null, urgency: urgency || null };
  const registersPath = direction && hasAnyRole(user, REGISTER_ROLES) ? (direction === 'INCOMING' ? '/incoming/registers' : '/outgoing/registers') : null;

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
                  aria-current={b === box && !searching ? 'page' : undefined}
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
        {registersPath && direction ? (
          <p>
            <Link to={registersPath} className="inbox__box">
              {t(`registers.nav.${direction}`)}
            </Link>
          </p>
        ) : null}
        {countsError ? <p className="doc-muted doc-small">{t('doc.inbox.countsError')}</p> : null}
        <p className="visually-hidden" role="status" aria-live="polite">
          {news}
        </p>
      </nav>

      <section className="inbox__list" aria-labelledby="inbox-heading">
        <div className="inbox__list-header">
          <h2 id="inbox-heading">{searching ? t('registers.search.heading') : box ? t(`doc.box.${box}`) : t('doc.inbox.noBoxes')}</h2>
        </div>
        <form className="inbox__filters" role="search" aria-label={t('doc.inbox.filters')} onSubmit={onSearch}>
          <div className="doc-field doc-field--inline">
            <label htmlFor="inbox-q">{t('doc.inbox.search')}</label>
            <div className="doc-search">
              <input
                id="inbox-q"
                type="search"
                value={search}
                placeholder={t('doc.inbox.searchPlaceholder')}
                title={t('registers.search.hint')}
                onChange={(e) => setSearch(e.target.value)}
              />
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
          {searching ? null : (
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
          )}
          {hasFilter ? (
            <button type="button" className="btn btn--secondary doc-btn--small" onClick={() => update({ q: null, urgency: null, direction: null })}>
              {searching ? t('registers.search.back') : t('doc.inbox.clearFilters')}
            </button>
          ) : null}
        </form>
        <p className="doc-muted doc-small">{t('registers.search.hint')}</p>

        {searching ? (
          <SearchResults key={`${q}|${dir ?? ''}`} search={q} direction={dir} detailPath={detailPath} />
        ) : box ? (
          <BoxList key={`${box}|${JSON.stringify(filter)}`} box={box} filter={filter} detailPath={detailPath} hasFilter={hasFilter} />
        ) : null}
      </section>
    </div>
  );
}

/** One loaded page of a document list (an inbox box or the search across boxes). */
interface ListPage {
  totalCount: number;
  edges: readonly { cursor: string; node: DocumentListItemFragment; boxes?: readonly InboxBox[] }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}
interface PageQuery {
  page: ListPage | undefined;
  error: ApiError | undefined;
  fetching: boolean;
  refetch: () => void;
}

/** The page after `after` of a box (server order: urgency, then deadline). */
function useBoxPage(args: { box: InboxBox; filter: InboxFilter }, after: string | null): PageQuery {
  const { data, error, fetching, refetch } = useApiQuery(InboxDocument, { box: args.box, first: PAGE_SIZE, after, filter: args.filter });
  return { page: data?.inbox, error, fetching, refetch };
}

/** The page after `after` of the search across every box (newest first, each result with its boxes). */
function useSearchPage(args: { search: string; direction?: DocumentDirection }, after: string | null): PageQuery {
  const { data, error, fetching, refetch } = useApiQuery(
    DocumentSearchDocument,
    { search: args.search, direction: args.direction ?? null, first: PAGE_SIZE, after },
    { requestPolicy: 'cache-and-network' },
  );
  return { page: data?.documentSearch, error, fetching, refetch };
}

function BoxList({ box, filter, detailPath, hasFilter }: { box: InboxBox; filter: InboxFilter; detailPath: string; hasFilter: boolean }) {
  const { t } = useTranslation();
  const args = useMemo(() => ({ box, filter }), [box, filter]);
  return (
    <DocumentPages
      usePage={useBoxPage}
      args={args}
      detailPath={detailPath}
      total={(count) => t('doc.inbox.total', { count })}
      empty={hasFilter ? t('doc.inbox.emptyFiltered') : t('doc.inbox.empty')}
    />
  );
}

function SearchResults({ search, direction, detailPath }: { search: string; direction?: DocumentDirection; detailPath: string }) {
  const { t } = useTranslation();
  const args = useMemo(() => ({ search, direction }), [search, direction]);
  return (
    <DocumentPages
      usePage={useSearchPage}
      args={args}
      label={search}
      detailPath={detailPath}
      total={(count) => t('registers.search.total', { count })}
      empty={t('registers.search.empty')}
      showBoxes
    />
  );
}

/**
 * A document list loaded page by page (keyset cursors): one query per loaded page, all in one list, the total
 * on top, "Xem thêm" at the end. `usePage` is the query of one page (a hook, fixed for the list's lifetime).
 */
function DocumentPages<A>(props: {
  usePage: (args: A, after: string | null) => PageQuery;
  args: A;
  detailPath: string;
  total: (count: number) => string;
  empty: string;
  label?: string;
  /** Each result says which of the user's boxes it is in now (the search). */
  showBoxes?: boolean;
}) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return (
    <ul className="doc-list" aria-label={props.label}>
      {cursors.map((after, i) => (
        <DocumentListPage key={after ?? ''} {...props} after={after} first={i === 0} last={i === cursors.length - 1} onMore={(c) => setCursors((prev) => [...prev, c])} />
      ))}
    </ul>
  );
}

function DocumentListPage<A>(props: {
  usePage: (args: A, after: string | null) => PageQuery;
  args: A;
  after: string | null;
  first: boolean;
  last: boolean;
  detailPath: string;
  total: (count: number) => string;
  empty: string;
  showBoxes?: boolean;
  onMore: (cursor: string) => void;
}) {
  const { t } = useTranslation();
  const { usePage } = props;
  const { page, error, fetching, refetch } = usePage(props.args, props.after);
  return (
    <>
      {props.first && page ? (
        <li className="inbox__total doc-muted" aria-live="polite">
          {props.total(page.totalCount)}
        </li>
      ) : null}
      {!page || error ? (
        <li>
          <LoadState loading={fetching && !page} error={error} onRetry={refetch} />
        </li>
      ) : null}
      {props.first && page && page.edges.length === 0 ? <li className="inbox__empty">{props.empty}</li> : null}
      {page?.edges.map((r) => (
        <DocumentRow
          key={r.cursor}
          doc={r.node}
          href={`${props.detailPath}${r.node.id}`}
          extra={
            props.showBoxes ? (
              <span className="inbox__in-boxes">
                {r.boxes?.length ? t('registers.search.inBoxes', { boxes: r.boxes.map((b) => t(`doc.box.${b}`)).join(', ') }) : t('registers.search.noBox')}
              </span>
            ) : undefined
          }
        />
      ))}
      {props.last && page?.pageInfo.hasNextPage && page.pageInfo.endCursor ? (
        <li className="inbox__more">
          <button type="button" className="btn btn--secondary" onClick={() => props.onMore(page.pageInfo.endCursor!)}>
            {t('doc.inbox.more')}
          </button>
        </li>
      ) : null}
    </>
  );
}

/** One document in a list: urgency, number, trích yếu (the link), issuer/unit, dates, deadline, status. */
export function DocumentRow({ doc, href, extra }: { doc: DocumentListItemFragment; href: string; extra?: ReactNode }) {
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
        {extra ? <p className="doc-row__meta">{extra}</p> : null}
      </div>
      <div className="doc-row__side">
        <StatusBadge status={doc.status} />
        <DeadlineMarker deadline={doc.deadline} overdue={doc.overdue} done={done} />
      </div>
    </li>
  );
}
