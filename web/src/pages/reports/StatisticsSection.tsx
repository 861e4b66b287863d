/**
 * Thống kê for a period, in the user's scope (the server decides it from the roles: the agency, the unit of a
 * trưởng phòng, a chuyên viên's own work). The period is typed as dd/mm/yyyy (DateInput, shared zod rules).
 */
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslation } from 'react-i18next';
import { LoadState } from '../../components/documents/fields';
import { todayVN } from '../../components/documents/format';
import { StatisticsDocument } from '../../graphql/generated';
import { useApiQuery } from '../../graphql/hooks';
import { formatVnDate } from '../../../../schema/validation/dates';
import { periodSchema, type Period, type PeriodInput } from '../../../../schema/validation/period';
import { useCurrentUser } from '../../auth/session';
import { expectedScope } from './statistics';
import { HandlingCharts, UnitChart } from './StatisticsCharts';
import { StatisticsFigures, UnitTable } from './StatisticsView';
import { PeriodFields } from './PeriodFields';

const UNITS_TABLE_ID = 'units-table';

/** From 1 January of this year to today (Vietnam time). */
export function defaultPeriod(today = todayVN()): Period {
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}

export function StatisticsSection({ period, onPeriodChange }: { period: Period; onPeriodChange: (p: Period) => void }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const scope = expectedScope(user.roles);
  const stats = useApiQuery(StatisticsDocument, { from: period.from, to: period.to, agencyId: null });
  const s = stats.data?.statistics;
  const shownScope = s?.scope ?? scope;
  const heading =
    shownScope === 'UNIT'
      ? t('doc.reports.heading.UNIT', { unit: user.unit?.name ?? '' })
      : shownScope === 'SELF'
        ? t('doc.reports.heading.SELF')
        : t('doc.reports.heading.AGENCY', { agency: user.agency.name });

  return (
    <section aria-labelledby="stats-heading" className="doc-stats">
      <h2 id="stats-heading" className="doc-subheading">
        {heading}
      </h2>
      <PeriodForm period={period} onApply={onPeriodChange} />
      {/* A permission error is final: no "Thử lại" that cannot help. */}
      <LoadState loading={stats.fetching && !s} error={stats.error} onRetry={stats.error?.code === 'FORBIDDEN' ? undefined : stats.refetch} />
      {s ? (
        <div aria-busy={stats.fetching}>
          <StatisticsFigures stats={s} />
          <HandlingCharts stats={s} />
          {/* A chuyên viên's figures are their own: no per-unit breakdown. */}
          {s.scope === 'SELF' ? null : (
            <section className="card doc-section" aria-labelledby="chart-units">
              <h2 id="chart-units">{t('doc.reports.byUnit')}</h2>
              {s.units.length === 0 ? (
                <p className="doc-muted">{t('doc.reports.noUnits')}</p>
              ) : (
                <>
                  <UnitChart units={s.units} tableId={UNITS_TABLE_ID} />
                  <UnitTable units={s.units} tableId={UNITS_TABLE_ID} />
                </>
              )}
            </section>
          )}
        </div>
      ) : null}
    </section>
  );
}

/** Từ ngày – đến ngày (dd/mm/yyyy), validated at the fields with the server's rules. */
function PeriodForm({ period, onApply }: { period: Period; onApply: (p: Period) => void }) {
  const { t } = useTranslation();
  const [initial] = useState<PeriodInput>(() => ({ from: formatVnDate(period.from), to: formatVnDate(period.to) }));
  const { control, handleSubmit } = useForm<PeriodInput, unknown, Period>({
    resolver: zodResolver(periodSchema()),
    defaultValues: initial,
  });
  return (
    <form className="card doc-toolbar" onSubmit={(e) => void handleSubmit(onApply)(e)} aria-label={t('doc.reports.period')} noValidate>
      <PeriodFields control={control} />
      <button type="submit" className="btn btn--primary">
        {t('doc.reports.apply')}
      </button>
    </form>
  );
}
