/**
 * Sổ văn bản đến / đi on screen (issue 9): year + register selector, filters (dates typed dd/mm/yyyy, number
 * from–to, issuer, type, unit, state), the register's columns in number order, "Xem thêm" (keyset pages), links
 * to each document, annulled lines struck through with "hủy: lý do", and the export of the same register
 * (registerReport, PDF / Excel). The secret register (sổ văn bản mật) is offered to the văn thư and leaders only
 * (server: domain/register-view.ts); the server decides every row.
 */
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useClient } from 'urql';
import { CombinedError } from '@urql/core';
import { hasAnyRole, useCurrentUser } from '../../auth/session';
import { DateInput } from '../../components/DateInput';
import { PageHeader } from '../../components/PageHeader';
import { StatusBadge } from '../../components/documents/Badges';
import { Field, FormError, LoadState } from '../../components/documents/fields';
import { useApiQuery } from '../../graphql/hooks';
import { toApiError } from '../../graphql/urql';
import {
  DocumentTypesDocument,
  RegisterBooksDocument,
  RegisterEntriesDocument,
  RegisterBookExportDocument,
  UnitsOfDocument,
  type DocumentDirection,
  type DocumentStatus,
  type RegisterFilter,
  type RegisterBookExportQuery,
  type ReportFormat,
  type Role,
} from '../../graphql/generated';
import { formatVnDate } from '../../../../schema/validation/dates';
import { EMPTY_REGISTER_FILTER, registerFilterSchema, type RegisterFilterForm, type RegisterFilterValues } from '../../../../schema/validation/registers';
import './registers.css';

const PAGE_SIZE = 50;
const SECRET_ROLES: readonly Role[] = ['VAN_THU', 'LANH_DAO'];
const STATES: Record<DocumentDirection, readonly DocumentStatus[]> = {
  INCOMING: ['REGISTERED', 'SUBMITTED', 'RETURNED', 'ASSIGNED', 'IN_PROGRESS', 'DONE', 'FOR_INFO', 'ANNULLED'],
  OUTGOING: ['ISSUED'],
  ARCHIVE: [], // no register for archive documents (modules/records)
};
/** The register choice: '' = every ordinary register of the direction, a key, or SECRET. */
const SECRET = 'SECRET';

const thisYear = () => Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(new Date()));

function toFilter(v: RegisterFilterValues): RegisterFilter {
  return {
    receivedFrom: v.receivedFrom,
    receivedTo: v.receivedTo,
    issuedFrom: v.issuedFrom,
    issuedTo: v.issuedTo,
    numberFrom: v.numberFrom,
    numberTo: v.numberTo,
    issuer: v.issuer,
    typeName: v.typeName,
    unitId: v.unitId,
    states: v.state ? [v.state as DocumentStatus] : null,
  };
}

export function RegisterView({ direction, actions }: { direction: DocumentDirection; actions?: ReactNode }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const incoming = direction === 'INCOMING';
  const books = useApiQuery(RegisterBooksDocument, { direction }, { requestPolicy: 'cache-and-network' });
  const [year, setYear] = useState<number>(thisYear);
  const [choice, setChoice] = useState<string>(incoming ? 'INCOMING' : '');
  const [filter, setFilter] = useState<RegisterFilter>({});
  const [serverError, setServerError] = useState<unknown>(null);

  const years = useMemo(() => {
    const set = new Set<number>([thisYear(), ...(books.data?.registerBooks ?? []).map((b) => b.year)]);
    return [...set].sort((a, b) => b - a);
  }, [books.data]);
  const keys = useMemo(
    () => [...new Set((books.data?.registerBooks ?? []).filter((b) => b.year === year && !b.secret).map((b) => b.registerKey))].sort(),
    [books.data, year],
  );
  const mayOpenSecret = hasAnyRole(user, SECRET_ROLES);
  const secret = choice === SECRET;
  const registerKey = secret || choice === '' ? null : choice;

  const form = useForm<RegisterFilterForm, unknown, RegisterFilterValues>({ resolver: zodResolver(registerFilterSchema()), defaultValues: EMPTY_REGISTER_FILTER });
  const { control, register, handleSubmit, formState, reset, setError } = form;
  const onFieldError = useCallback(
    (field: string, message: string) => {
      const name = field.replace(/^filter\./, '');
      if (name in EMPTY_REGISTER_FILTER) setError(name as keyof RegisterFilterForm, { message });
      else setServerError(message);
    },
    [setError],
  );
  const types = useApiQuery(DocumentTypesDocument, {});
  const units = useApiQuery(UnitsOfDocument, {});

  /** The agency's own names of its sổ văn bản đến (RegisterBook.name). */
  const names = useMemo(() => new Map((books.data?.registerBooks ?? []).filter((b) => b.name).map((b) => [b.registerKey, b.name as string])), [books.data]);
  const keyLabel = (key: string) => {
    const named = names.get(key);
    if (named) return named;
    if (key === 'INCOMING' || key === 'OUTGOING' || key === 'INCOMING_SECRET' || key === 'OUTGOING_SECRET') return t(`registers.key.${key}`);
    return t('registers.key.typed', { type: key.replace(/^OUTGOING:/, '') });
  };
  const listKey = JSON.stringify([direction, year, registerKey, secret, filter]);

  return (
    <>
      <PageHeader title={t(`registers.nav.${direction}`)} description={t(`registers.description.${direction}`)} actions={actions} />
      {books.error?.code === 'FORBIDDEN' ? (
        <div className="alert alert--error" role="alert">
          {t('registers.forbidden')}
        </div>
      ) : (
        <>
          <section className="card doc-section register-controls" aria-label={t('registers.filters')}>
            <div className="register-controls__book">
              <Field label={t('registers.year')}>
                {(c) => (
                  <select {...c} value={year} onChange={(e) => setYear(Number(e.target.value))}>
                    {years.map((y) => (
                      <option key={y} value={y}>
                        {y}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label={t('registers.register')}>
                {(c) => (
                  <select {...c} value={choice} onChange={(e) => setChoice(e.target.value)}>
                    {incoming ? <option value="INCOMING">{keyLabel('INCOMING')}</option> : <option value="">{t('registers.allOutgoing')}</option>}
                    {keys
                      .filter((k) => k !== 'INCOMING')
                      .map((k) => (
                        <option key={k} value={k}>
                          {keyLabel(k)}
                        </option>
                      ))}
                    {mayOpenSecret ? <option value={SECRET}>{t(incoming ? 'registers.key.INCOMING_SECRET' : 'registers.key.OUTGOING_SECRET')}</option> : null}
                  </select>
                )}
              </Field>
              {secret ? <p className="doc-muted doc-small">{t('registers.secretHint')}</p> : null}
            </div>
            <form
              className="register-filters"
              noValidate
              onSubmit={(e) =>
                void handleSubmit((v) => {
                  setServerError(null);
                  setFilter(toFilter(v));
                })(e)
              }
            >
              <FormError error={serverError} />
              <div className="register-filters__grid">
                {incoming
                  ? (['receivedFrom', 'receivedTo'] as const).map((name) => (
                      <Controller
                        key={name}
                        control={control}
                        name={name}
                        render={({ field }) => (
                          <Field label={t(`registers.${name}`)} error={formState.errors[name]?.message}>
                            {(c) => <DateInput {...c} ref={field.ref} name={field.name} value={field.value} onChange={field.onChange} onBlur={field.onBlur} />}
                          </Field>
                        )}
                      />
                    ))
                  : null}
                {(['issuedFrom', 'issuedTo'] as const).map((name) => (
                  <Controller
                    key={name}
                    control={control}
                    name={name}
                    render={({ field }) => (
                      <Field label={t(`registers.${name}`)} error={formState.errors[name]?.message}>
                        {(c) => <DateInput {...c} ref={field.ref} name={field.name} value={field.value} onChange={field.onChange} onBlur={field.onBlur} />}
                      </Field>
                    )}
                  />
                ))}
                <Field label={t('registers.numberFrom')} error={formState.errors.numberFrom?.message}>
                  {(c) => <input {...c} {...register('numberFrom')} inputMode="numeric" />}
                </Field>
                <Field label={t('registers.numberTo')} error={formState.errors.numberTo?.message}>
                  {(c) => <input {...c} {...register('numberTo')} inputMode="numeric" />}
                </Field>
                {incoming ? (
                  <Field label={t('registers.issuer')} error={formState.errors.issuer?.message}>
                    {(c) => <input {...c} {...register('issuer')} />}
                  </Field>
                ) : null}
                <Field label={t('registers.type')}>
                  {(c) => (
                    <select {...c} {...register('typeName')}>
                      <option value="">{t('registers.all')}</option>
                      {(types.data?.documentTypes ?? []).map((d) => (
                        <option key={d.name} value={d.name}>
                          {d.name}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field label={t(`registers.unit.${direction}`)}>
                  {(c) => (
                    <select {...c} {...register('unitId')}>
                      <option value="">{t('registers.all')}</option>
                      {(units.data?.units ?? []).map((u) => (
                        <option key={u.id} value={u.id}>
                          {u.name}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field label={t('registers.state')}>
                  {(c) => (
                    <select {...c} {...register('state')}>
                      <option value="">{t('registers.all')}</option>
                      {STATES[direction].map((s) => (
                        <option key={s} value={s}>
                          {t(`doc.status.${s}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              </div>
              <div className="doc-form__actions">
                <button type="submit" className="btn btn--primary">
                  {t('registers.apply')}
                </button>
                <button
                  type="button"
                  className="btn btn--secondary"
                  onClick={() => {
                    reset(EMPTY_REGISTER_FILTER);
                    setFilter({});
                  }}
                >
                  {t('registers.clear')}
                </button>
              </div>
            </form>
            <RegisterExport direction={direction} year={year} filter={filter} secret={secret} />
          </section>
          <RegisterTable
            key={listKey}
            direction={direction}
            year={year}
            registerKey={registerKey}
            secret={secret}
            filter={filter}
            filtered={Object.values(filter).some((v) => v != null && v !== '')}
            onFieldError={onFieldError}
          />
        </>
      )}
    </>
  );
}

interface TableProps {
  direction: DocumentDirection;
  year: number;
  registerKey: string | null;
  secret: boolean;
  filter: RegisterFilter;
  filtered: boolean;
  onFieldError: (field: string, message: string) => void;
}

function RegisterTable(props: TableProps) {
  const { t } = useTranslation();
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [total, setTotal] = useState<number | null>(null);
  const incoming = props.direction === 'INCOMING';
  const headers = incoming
    ? [t('registers.col.number.INCOMING'), t('registers.col.date.INCOMING'), t('registers.col.issuer'), t('registers.col.symbol'), t('registers.col.issuedDate'), t('registers.col.subject'), t('registers.col.state')]
    : [t('registers.col.number.OUTGOING'), t('registers.col.symbol'), t('registers.col.date.OUTGOING'), t('registers.col.subject'), t('registers.col.unit'), t('registers.col.signer'), t('registers.col.state')];
  return (
    <section className="card doc-section" aria-labelledby="register-heading">
      <h2 id="register-heading">
        {t(`registers.nav.${props.direction}`)} {props.year}
        {total !== null ? <span className="inbox__total"> · {t('registers.total', { count: total })}</span> : null}
      </h2>
      <div className="register-table__wrap">
        <table className="register-table">
          <thead>
            <tr>
              {headers.map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          {cursors.map((after, i) => (
            <RegisterPage
              key={after ?? ''}
              {...props}
              after={after}
              first={i === 0}
              last={i === cursors.length - 1}
              columns={headers.length}
              onTotal={setTotal}
              onMore={(c) => setCursors((prev) => [...prev, c])}
            />
          ))}
        </table>
      </div>
    </section>
  );
}

function RegisterPage(
  props: TableProps & { after: string | null; first: boolean; last: boolean; columns: number; onTotal: (n: number) => void; onMore: (cursor: string) => void },
) {
  const { t } = useTranslation();
  const { direction, year, registerKey, secret, filter, after } = props;
  const { data, error, fetching, refetch } = useApiQuery(
    RegisterEntriesDocument,
    { direction, year, registerKey, secret, filter, first: PAGE_SIZE, after },
    { requestPolicy: 'cache-and-network' },
  );
  const page = data?.registerEntries;
  const incoming = direction === 'INCOMING';
  const detail = incoming ? '/incoming/documents/' : '/outgoing/documents/';
  const { onTotal, onFieldError, first } = props;
  // the total in the heading, the server's field errors at the filter's fields
  const totalCount = page?.totalCount;
  useEffect(() => {
    if (first && totalCount !== undefined) onTotal(totalCount);
  }, [first, totalCount, onTotal]);
  useEffect(() => {
    if (error?.field) onFieldError(error.field, error.message);
  }, [error, onFieldError]);
  return (
    <tbody>
      {!page || (error && !error.field) ? (
        <tr>
          <td colSpan={props.columns}>
            <LoadState loading={fetching && !page} error={error?.field ? null : error} onRetry={refetch} />
          </td>
        </tr>
      ) : null}
      {props.first && page && page.edges.length === 0 ? (
        <tr>
          <td colSpan={props.columns} className="inbox__empty">
            {props.filtered ? t('registers.emptyFiltered') : t('registers.empty')}
          </td>
        </tr>
      ) : null}
      {page?.edges.map((e) => {
        const d = e.node;
        const annulled = e.annulledReason !== null && e.annulledReason !== undefined;
        const subject = (
          <>
            <Link to={`${detail}${d.id}`}>{annulled ? <s>{`${d.typeName}: ${d.subject}`}</s> : `${d.typeName}: ${d.subject}`}</Link>
            {annulled ? <div className="register-row__note">{t('registers.annulled', { reason: e.annulledReason })}</div> : null}
            {d.withdrawal ? <div className="register-row__note" data-testid="register-withdrawn">{d.withdrawal.note}</div> : null}
          </>
        );
        return (
          <tr key={e.cursor} className={annulled ? 'register-row register-row--annulled' : 'register-row'} data-number={e.number}>
            <td className="register-row__number">{annulled ? <s>{e.number}</s> : e.number}</td>
            {incoming ? (
              <>
                <td>{formatVnDate(e.date)}</td>
                <td>{e.issuerName ?? ''}</td>
                <td>{d.symbol ?? ''}</td>
                <td>{formatVnDate(d.issuedDate)}</td>
                <td>{subject}</td>
              </>
            ) : (
              <>
                <td>{d.symbol ?? ''}</td>
                <td>{formatVnDate(e.date)}</td>
                <td>{subject}</td>
                <td>{d.drafterUnit?.abbr ?? ''}</td>
                <td>{d.issuing?.signerLine ?? d.signerName ?? ''}</td>
              </>
            )}
            <td>
              <StatusBadge status={d.status} />
            </td>
          </tr>
        );
      })}
      {props.last && page?.pageInfo.hasNextPage && page.pageInfo.endCursor ? (
        <tr>
          <td colSpan={props.columns} className="inbox__more">
            <button type="button" className="btn btn--secondary" onClick={() => props.onMore(page.pageInfo.endCursor!)}>
              {t('registers.more')}
            </button>
          </td>
        </tr>
      ) : null}
    </tbody>
  );
}

/** Xuất sổ: the same book (ordinary or secret) for the year, or the filter's date range within it. */
function RegisterExport({ direction, year, filter, secret }: { direction: DocumentDirection; year: number; filter: RegisterFilter; secret: boolean }) {
  const { t } = useTranslation();
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<RegisterBookExportQuery['registerReport'] | null>(null);
  const from = [`${year}-01-01`, direction === 'INCOMING' ? filter.receivedFrom : filter.issuedFrom].filter((d): d is string => !!d).sort().pop()!;
  const to = [`${year}-12-31`, direction === 'INCOMING' ? filter.receivedTo : filter.issuedTo].filter((d): d is string => !!d).sort()[0];
  const run = async (format: ReportFormat) => {
    setBusy(true);
    setError(null);
    setResult(null);
    const r = await client.query(RegisterBookExportDocument, { kind: direction === 'OUTGOING' ? 'OUTGOING' : 'INCOMING', from, to, format, secret }, { requestPolicy: 'network-only' }).toPromise();
    setBusy(false);
    if (r.data) setResult(r.data.registerReport);
    else setError(toApiError(r.error ?? new CombinedError({})));
  };
  return (
    <div className="register-export">
      <FormError error={error} />
      {(['PDF', 'XLSX'] as const).map((f) => (
        <button key={f} type="button" className="btn btn--secondary" disabled={busy} onClick={() => void run(f)}>
          {t(`registers.export.${f}`)}
        </button>
      ))}
      <span role="status" aria-live="polite">
        {busy ? t('registers.export.working') : null}
        {result ? (
          <a href={result.url} target="_blank" rel="noopener noreferrer" download={result.fileName}>
            {t('registers.export.ready', { name: result.fileName, rows: result.rows })}
          </a>
        ) : null}
      </span>
    </div>
  );
}
