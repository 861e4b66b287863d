import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ArcElement, BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, Tooltip } from 'chart.js';
import { Bar, Doughnut } from 'react-chartjs-2';
import { PageHeader } from '../../components/PageHeader';
import { Icon } from '../../components/Icon';
import { useQuery } from '../../components/documents/api';
import { Field, FormError, LoadState } from '../../components/documents/fields';
import { formatDate, todayVN } from '../../components/documents/format';
import { request } from '../../graphql/client';
import { RegisterReportDocument, StatisticsDocument, type RegisterReportKind, type RegisterReportQuery, type ReportFormat } from '../../graphql/generated';
import '../../components/documents/documents.css';

ChartJS.register(ArcElement, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

const COLORS = { onTime: '#1f7a3a', late: '#c8102e', openOnTime: '#0d4a91', openOverdue: '#b35900', incoming: '#0b3d78', outgoing: '#6b8fbf' };
/** A rate as a percentage; "—" when nothing was due (null), never "0 %". */
const percent = (x: number | null | undefined) => (x == null ? '—' : `${Math.round(x * 100)}%`);

/** Thống kê: figures and charts for a period, and sổ đăng ký exports (PDF/XLSX). */
export default function ReportsHomePage() {
  const { t } = useTranslation();
  const today = todayVN();
  const [range, setRange] = useState({ from: `${today.slice(0, 4)}-01-01`, to: today });
  const [draft, setDraft] = useState(range);
  const stats = useQuery(StatisticsDocument, { from: range.from, to: range.to, agencyId: null });
  const s = stats.data?.statistics;

  const onApply = (e: FormEvent) => {
    e.preventDefault();
    if (draft.from && draft.to && draft.from <= draft.to) setRange(draft);
  };
  const rangeInvalid = !draft.from || !draft.to || draft.from > draft.to;

  return (
    <>
      <PageHeader title={t('nav.reports')} description={t('pages.reports.description')} />
      <form className="card doc-toolbar" onSubmit={onApply} aria-label={t('doc.reports.period')}>
        <Field label={t('doc.reports.from')} error={rangeInvalid ? t('doc.reports.rangeInvalid') : null}>
          {(c) => <input {...c} type="date" value={draft.from} max={draft.to || undefined} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />}
        </Field>
        <Field label={t('doc.reports.to')}>
          {(c) => <input {...c} type="date" value={draft.to} min={draft.from || undefined} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />}
        </Field>
        <button type="submit" className="btn btn--primary" disabled={rangeInvalid}>
          {t('doc.reports.apply')}
        </button>
      </form>

      <LoadState loading={stats.loading && !s} error={stats.error} onRetry={stats.reload} />
      {s ? (
        <div aria-busy={stats.loading}>
          <section className="doc-kpis" aria-label={t('doc.reports.summary')}>
            <div className="card doc-kpi doc-kpi--headline">
              <p className="doc-kpi__value">{t('doc.reports.onTimeHeadline', { rate: percent(s.onTimeRate) })}</p>
              <p className="doc-kpi__label">
                {t('doc.reports.onTimeDetail', { onTime: s.handledOnTime, total: s.handledOnTime + s.handledLate })}
              </p>
            </div>
            <Kpi value={s.incoming} label={t('doc.reports.incoming')} />
            <Kpi value={s.outgoing} label={t('doc.reports.outgoing')} />
            <Kpi value={percent(s.electronicShare)} label={t('doc.reports.electronicShare')} />
            <Kpi value={s.openOverdue} label={t('doc.reports.openOverdue')} tone={s.openOverdue > 0 ? 'bad' : undefined} />
          </section>
          <p className="doc-muted doc-small">
            {s.agency.name} · {t('doc.reports.scopeLine', { scope: t(`doc.reports.scope.${s.scope}`) })} · {formatDate(s.from)} – {formatDate(s.to)}
          </p>

          <div className="doc-charts">
            <section className="card doc-section" aria-labelledby="chart-handling">
              <h2 id="chart-handling">{t('doc.reports.handling')}</h2>
              <div className="doc-chart doc-chart--small">
                <Doughnut
                  aria-label={t('doc.reports.handlingAlt', { onTime: s.handledOnTime, late: s.handledLate, openOnTime: s.openOnTime, openOverdue: s.openOverdue })}
                  role="img"
                  data={{
                    labels: [t('doc.reports.handledOnTime'), t('doc.reports.handledLate'), t('doc.reports.openOnTime'), t('doc.reports.openOverdue')],
                    datasets: [
                      {
                        data: [s.handledOnTime, s.handledLate, s.openOnTime, s.openOverdue],
                        backgroundColor: [COLORS.onTime, COLORS.late, COLORS.openOnTime, COLORS.openOverdue],
                      },
                    ],
                  }}
                  options={{ maintainAspectRatio: false, plugins: { legend: { position: 'bottom' } } }}
                />
              </div>
            </section>
            <section className="card doc-section" aria-labelledby="chart-volume">
              <h2 id="chart-volume">{t('doc.reports.volume')}</h2>
              <div className="doc-chart doc-chart--small">
                <Bar
                  aria-label={t('doc.reports.volumeAlt', { incoming: s.incoming, outgoing: s.outgoing, share: percent(s.electronicShare) })}
                  role="img"
                  data={{
                    labels: [t('doc.reports.incoming'), t('doc.reports.outgoing')],
                    datasets: [{ label: t('doc.reports.documents'), data: [s.incoming, s.outgoing], backgroundColor: [COLORS.incoming, COLORS.outgoing] }],
                  }}
                  options={{ maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }}
                />
              </div>
              <p className="doc-small">{t('doc.reports.electronicLine', { share: percent(s.electronicShare) })}</p>
            </section>
          </div>

          {/* A chuyên viên's figures are their own: no per-unit breakdown. */}
          {s.scope === 'SELF' ? null : (
            <section className="card doc-section" aria-labelledby="chart-units">
              <h2 id="chart-units">{t('doc.reports.byUnit')}</h2>
              {s.units.length === 0 ? (
                <p className="doc-muted">{t('doc.reports.noUnits')}</p>
              ) : (
                <>
                  <div className="doc-chart">
                    <Bar
                      aria-label={t('doc.reports.byUnitAlt')}
                      aria-describedby="units-table"
                      role="img"
                      data={{
                        labels: s.units.map((u) => u.unit.abbr),
                        datasets: [
                          { label: t('doc.reports.handledOnTime'), data: s.units.map((u) => u.handledOnTime), backgroundColor: COLORS.onTime },
                          { label: t('doc.reports.handledLate'), data: s.units.map((u) => u.handledLate), backgroundColor: COLORS.late },
                          { label: t('doc.reports.openOnTime'), data: s.units.map((u) => u.openOnTime), backgroundColor: COLORS.openOnTime },
                          { label: t('doc.reports.openOverdue'), data: s.units.map((u) => u.openOverdue), backgroundColor: COLORS.openOverdue },
                        ],
                      }}
                      options={{
                        maintainAspectRatio: false,
                        plugins: { legend: { position: 'bottom' } },
                        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
                      }}
                    />
                  </div>
                  <div className="doc-table-wrap">
                    <table className="doc-table" id="units-table">
                      <caption className="visually-hidden">{t('doc.reports.byUnit')}</caption>
                      <thead>
                        <tr>
                          <th scope="col">{t('doc.reports.unit')}</th>
                          <th scope="col">{t('doc.reports.assigned')}</th>
                          <th scope="col">{t('doc.reports.handledOnTime')}</th>
                          <th scope="col">{t('doc.reports.handledLate')}</th>
                          <th scope="col">{t('doc.reports.openOnTime')}</th>
                          <th scope="col">{t('doc.reports.openOverdue')}</th>
                          <th scope="col">{t('doc.reports.onTimeRate')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {s.units.map((u) => {
                          const handled = u.handledOnTime + u.handledLate;
                          return (
                            <tr key={u.unit.id}>
                              <th scope="row">
                                {u.unit.name} ({u.unit.abbr})
                              </th>
                              <td>{u.assigned}</td>
                              <td>{u.handledOnTime}</td>
                              <td>{u.handledLate}</td>
                              <td>{u.openOnTime}</td>
                              <td className={u.openOverdue > 0 ? 'doc-bad' : undefined}>{u.openOverdue}</td>
                              <td>{handled ? percent(u.handledOnTime / handled) : '—'}</td>
                            </tr>
                          );
                        })}
                      </tbody>
                    </table>
                  </div>
                </>
              )}
            </section>
          )}
        </div>
      ) : null}

      <RegisterExport defaultRange={range} />
    </>
  );
}

function Kpi({ value, label, tone }: { value: number | string; label: string; tone?: 'bad' }) {
  return (
    <div className={tone ? `card doc-kpi doc-kpi--${tone}` : 'card doc-kpi'}>
      <p className="doc-kpi__value">{value}</p>
      <p className="doc-kpi__label">{label}</p>
    </div>
  );
}

const KINDS: readonly RegisterReportKind[] = ['INCOMING', 'OUTGOING', 'FOLLOW_UP'];

/** Xuất sổ đăng ký: register, period, format → the signed URL of the generated file. */
function RegisterExport({ defaultRange }: { defaultRange: { from: string; to: string } }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<RegisterReportKind>('INCOMING');
  const [from, setFrom] = useState(defaultRange.from);
  const [to, setTo] = useState(defaultRange.to);
  const [format, setFormat] = useState<ReportFormat>('PDF');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<RegisterReportQuery['registerReport'] | null>(null);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setPending(true);
    setError(null);
    setResult(null);
    try {
      const r = await request(RegisterReportDocument, { kind, from: from || null, to: to || null, format });
      setResult(r.registerReport);
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  };

  return (
    <section className="card doc-section" aria-labelledby="export-heading">
      <h2 id="export-heading">{t('doc.reports.exportTitle')}</h2>
      <p className="doc-muted">{t('doc.reports.exportLead')}</p>
      <form className="doc-export" onSubmit={(e) => void onSubmit(e)} noValidate aria-busy={pending}>
        <FormError error={error} />
        <div className="doc-export__grid">
          <Field label={t('doc.reports.register')}>
            {(c) => (
              <select {...c} value={kind} onChange={(e) => setKind(e.target.value as RegisterReportKind)}>
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`doc.reports.kind.${k}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('doc.reports.from')}>{(c) => <input {...c} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />}</Field>
          <Field label={t('doc.reports.to')}>{(c) => <input {...c} type="date" value={to} onChange={(e) => setTo(e.target.value)} />}</Field>
          <fieldset className="doc-fieldset doc-fieldset--inline">
            <legend>{t('doc.reports.format')}</legend>
            {(['PDF', 'XLSX'] as const).map((f) => (
              <label key={f} className="doc-check">
                <input type="radio" name="report-format" value={f} checked={format === f} onChange={() => setFormat(f)} />
                <span>{f === 'PDF' ? t('doc.reports.pdf') : t('doc.reports.xlsx')}</span>
              </label>
            ))}
          </fieldset>
        </div>
        <div className="doc-form__actions">
          <button type="submit" className="btn btn--primary" disabled={pending}>
            {pending ? t('doc.reports.exporting') : t('doc.reports.export')}
          </button>
        </div>
      </form>
      <div role="status" aria-live="polite">
        {result ? (
          <div className="alert alert--success">
            <Icon name="info" />
            <span>
              {t('doc.reports.ready', { rows: result.rows })}{' '}
              <a href={result.url} target="_blank" rel="noopener noreferrer" download={result.fileName}>
                {t('doc.reports.download', { name: result.fileName })}
              </a>
            </span>
          </div>
        ) : null}
      </div>
    </section>
  );
}
