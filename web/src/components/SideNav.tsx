import { NavLink } from 'react-router';
import { useTranslation } from 'react-i18next';
import { hasAnyRole, useCurrentUser } from '../auth/session';
import { AREAS } from '../routes/areas';
import { Icon } from './Icon';
import { LanguageSwitch } from './LanguageSwitch';
import { UserSummary } from './UserSummary';

/**
 * The main navigation: one link per area the user may open (NavLink marks the current one aria-current="page").
 * On small screens it is a drawer that also holds the account summary and the language switch.
 */
export function SideNav({ id, open }: { id: string; open: boolean }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const areas = AREAS.filter((a) => hasAnyRole(user, a.roles));
  return (
    <div id={id} className={open ? 'side-nav is-open' : 'side-nav'}>
      <section className="side-nav__account" aria-label={t('user.account')}>
        <UserSummary showAgency />
        <LanguageSwitch />
      </section>
      <nav aria-label={t('nav.label')}>
        <ul className="side-nav__list">
          {areas.map((area) => (
            <li key={area.id}>
              <NavLink to={`/${area.path}`} className="side-nav__link">
                <Icon name={area.icon} />
                <span>{t(`nav.${area.id}`)}</span>
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
    </div>
  );
}
