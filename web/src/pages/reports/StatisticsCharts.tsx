/** Charts of a Statistics answer (chart.js): handling, volume, and per unit (the table carries the same figures). */
import { useTranslation } from 'react-i18next';
import { ArcElement, BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, Tooltip } from 'chart.js';
import { Bar, Doughnut } from 'react-chartjs-2';
import { percent } from './statistics';
import type { StatisticsData } from './StatisticsView';

ChartJS.register(ArcElement, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

const COLORS = { onTime: '#1f7a3a', late: '#c8102e', openOnTime: '#0d4a91', openOverdue: '#b35900', incoming: '#0b3d78', outgoing: '#6b8fbf' };

export function HandlingCharts({ stats: s }: { stats: StatisticsData }) {
  const { t } = useTranslation();
  return (
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
              labels: [t(`doc.reports.incomingOf.${s.scope}`), t(`doc.reports.outgoingOf.${s.scope}`)],
              datasets: [{ label: t('doc.reports.documents'), data: [s.incoming, s.outgoing], backgroundColor: [COLORS.incoming, COLORS.outgoing] }],
            }}
            options={{ maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }}
          />
        </div>
        <p className="doc-small">{t('doc.reports.electronicLine', { share: percent(s.electronicShare) })}</p>
      </section>
    </div>
  );
}

export function UnitChart({ units, tableId }: { units: StatisticsData['units']; tableId: string }) {
  const { t } = useTranslation();
  return (
    <div className="doc-chart">
      <Bar
        aria-label={t('doc.reports.byUnitAlt')}
        aria-describedby={tableId}
        role="img"
        data={{
          labels: units.map((u) => u.unit.abbr),
          datasets: [
            { label: t('doc.reports.handledOnTime'), data: units.map((u) => u.handledOnTime), backgroundColor: COLORS.onTime },
            { label: t('doc.reports.handledLate'), data: units.map((u) => u.handledLate), backgroundColor: COLORS.late },
            { label: t('doc.reports.openOnTime'), data: units.map((u) => u.openOnTime), backgroundColor: COLORS.openOnTime },
            { label: t('doc.reports.openOverdue'), data: units.map((u) => u.openOverdue), backgroundColor: COLORS.openOverdue },
          ],
        }}
        options={{
          maintainAspectRatio: false,
          plugins: { legend: { position: 'bottom' } },
          scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
        }}
      />
    </div>
  );
}
