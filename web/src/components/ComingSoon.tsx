import { useTranslation } from 'react-i18next';
import type { AreaId } from '../routes/area';
import { Icon } from './Icon';
import { PageHeader } from './PageHeader';

/** Placeholder for an area whose screens are not built yet. */
export function ComingSoon({ area }: { area: AreaId }) {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t(`nav.${area}`)} description={t(`pages.${area}.description`)} />
      <section className="card notice" aria-labelledby="coming-soon-heading">
        <Icon name="clock" className="notice__icon" />
        <div>
          <p className="badge badge--info">{t('comingSoon.badge')}</p>
          <h2 id="coming-soon-heading" className="notice__title">
            {t('comingSoon.heading')}
          </h2>
          <p>{t('comingSoon.text')}</p>
        </div>
      </section>
    </>
  );
}
