/**
 * The figures of a Statistics answer (presentational, props only): the headline rate, the counts, and for the
 * agency or a unit the per-unit table. Rates are "—" when nothing was due, never "0 %".
 */
import { useTranslation } from 'react-i18next';
import type { StatisticsQuery } from '../../graphql/generated';
import { formatDate } from '../../components/documents/format';
import { onTimeRate, percent } from './statistics';

export type StatisticsData = StatisticsQuery['statistics'];

export function StatisticsFigures({ stats: s }: { stats: StatisticsData }) {
  const { t } = useTranslation();
  const handled = s.handledOnTime + s.handledLate;
  return (
    <>
      <section className="doc-kpis" aria-label={t('doc.reports.summary')}>
        <div className="card doc-kpi doc-kpi--headline">
          <p className="doc-kpi__value" data-testid="on-time-rate">
            {t('doc.reports.onTimeHeadline', { rate: percent(s.onTimeRate) })}
          </p>
          <p className="doc-kpi__label">
            {handled > 0 ? t('doc.reports.onTimeDetail', { onTime: s.handledOnTime, total: handled }) : t('doc.reports.noneDue')}
          </p>
        </div>
        <Kpi value={s.incoming} label={t(`doc.reports.incomingOf.${s.scope}`)} />
        <Kpi value={s.outgoing} label={t(`doc.reports.outgoingOf.${s.scope}`)} />
        <Kpi value={percent(s.electronicShare)} label={t('doc.reports.electronicShare')} />
        <Kpi value={s.openOnTime} label={t('doc.reports.openOnTime')} />
        <Kpi value={s.openOverdue} label={t('doc.reports.openOverdue')} tone={s.openOverdue > 0 ? 'bad' : undefined} />
      </section>
      <p className="doc-muted doc-small">
        {s.agency.name} · {t('doc.reports.scopeLine', { scope: t(`doc.reports.scope.${s.scope}`) })} · {formatDate(s.from)} – {formatDate(s.to)}
      </p>
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

/** Per unit: assigned, handled on time / late, open on time / overdue, on-time rate ("—" when none handled). */
export function UnitTable({ units, tableId }: { units: StatisticsData['units']; tableId: string }) {
  const { t } = useTranslation();
  return (
    <div className="doc-table-wrap">
      <table className="doc-table" id={tableId}>
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
          {units.map((u) => (
            <tr key={u.unit.id}>
              <th scope="row">
                {u.unit.name} ({u.unit.abbr})
              </th>
              <td>{u.assigned}</td>
              <td>{u.handledOnTime}</td>
              <td>{u.handledLate}</td>
              <td>{u.openOnTime}</td>
              <td className={u.openOverdue > 0 ? 'doc-bad' : undefined}>{u.openOverdue}</td>
              <td>{percent(onTimeRate(u.handledOnTime, u.handledLate))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
