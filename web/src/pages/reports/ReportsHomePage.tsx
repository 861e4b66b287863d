import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../auth/session';
import { PageHeader } from '../../components/PageHeader';
import { RegisterExportSection } from './RegisterExportSection';
import { StatisticsSection, defaultPeriod } from './StatisticsSection';
import { exportableRegisters } from './statistics';

/**
 * Thống kê: the figures of a period in the user's scope (StatisticsSection), and for those who keep the
 * registers, the sổ đăng ký exports (RegisterExportSection).
 */
export default function ReportsHomePage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const [period, setPeriod] = useState(() => defaultPeriod());
  const kinds = exportableRegisters(user.roles);
  return (
    <>
      <PageHeader title={t('nav.reports')} description={t('pages.reports.description')} />
      <StatisticsSection period={period} onPeriodChange={setPeriod} />
      {kinds.length ? <RegisterExportSection kinds={kinds} defaultRange={period} /> : null}
    </>
  );
}
