import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session';
import { BrandMark } from '../../components/BrandMark';
import { LanguageSwitch } from '../../components/LanguageSwitch';

// the same chunk as the /account/password route (loaded on demand there too), not a second copy in the main one
const ChangePasswordPage = lazy(() => import('./ChangePasswordPage'));

/**
 * What a user whose password must be changed (after an administrator's reset or account creation) sees
 * instead of the application: only the password form and "Đăng xuất". The server refuses every other
 * operation until then (PASSWORD_CHANGE_REQUIRED), so the shell (notifications, inbox counts) is not shown.
 */
export function ForcedPasswordChange() {
  const { t } = useTranslation();
  const { logout } = useSession();
  return (
    <div className="login-page">
      <header className="login-header">
        <div className="brand brand--static">
          <BrandMark size={44} />
          <span className="brand__text">
            <span className="brand__name">{t('app.name')}</span>
            <span className="brand__agency">{t('app.tagline')}</span>
          </span>
        </div>
        <div className="header-account">
          <LanguageSwitch className="lang-switch--dark" />
          <button type="button" className="btn btn--on-dark" onClick={() => void logout()}>
            {t('user.logout')}
          </button>
        </div>
      </header>
      <main className="login-main" id="main">
        <div className="login-card">
          <Suspense fallback={<p>{t('app.loading')}</p>}>
            <ChangePasswordPage />
          </Suspense>
        </div>
      </main>
    </div>
  );
}
