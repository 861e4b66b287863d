import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCurrentUser, useSession } from '../auth/session';
import { errorMessage } from '../i18n/errors';
import { BrandMark } from './BrandMark';
import { Icon } from './Icon';
import { LanguageSwitch } from './LanguageSwitch';
import { NotificationBell } from './NotificationBell';
import { UserSummary } from './UserSummary';
import { HeaderSearch } from '../pages/archive/HeaderSearch';

/**
 * Top bar: menu toggle (small screens), brand + agency, the notification bell, language, the signed-in user and logout.
 * Below 640px the language switch and the user move into the navigation drawer (SideNav).
 */
export function AppHeader({ menuOpen, onToggleMenu }: { menuOpen: boolean; onToggleMenu: () => void }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const { logout } = useSession();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const onLogout = async () => {
    setPending(true);
    setError(null);
    try {
      await logout(); // the route guard then shows /login
    } catch (e) {
      setError(e);
      setPending(false);
    }
  };

  return (
    <header className="app-header">
      <div className="app-header__start">
        <button
          type="button"
          className="icon-button menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="app-drawer"
          onClick={onToggleMenu}
        >
          <Icon name={menuOpen ? 'close' : 'menu'} />
          <span className="visually-hidden">{t('nav.menu')}</span>
        </button>
        <Link to="/" className="brand">
          <BrandMark size={36} />
          <span className="brand__text">
            <span className="brand__name">{t('app.name')}</span>
            <span className="brand__agency">{user.agency.name}</span>
          </span>
        </Link>
      </div>
      <HeaderSearch />
      <div className="app-header__end">
        <NotificationBell />
        <div className="header-account">
          <LanguageSwitch className="lang-switch--dark" />
          <UserSummary />
          <Link to="/account/password" className="btn btn--on-dark">
            <span className="btn__label">{t('account.link')}</span>
          </Link>
        </div>
        <button type="button" className="btn btn--on-dark" onClick={() => void onLogout()} disabled={pending}>
          <Icon name="logout" />
          <span className="btn__label">{pending ? t('user.loggingOut') : t('user.logout')}</span>
        </button>
        {error ? (
          <p className="header-error" role="alert">
            {errorMessage(error, t)}
          </p>
        ) : null}
      </div>
    </header>
  );
}
