import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session';
import { BrandMark } from '../../components/BrandMark';
import { Icon } from '../../components/Icon';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { loginErrorMessage } from './loginError';

interface LoginLocationState {
  /** The page the user wanted before being sent here. */
  from?: string;
  /** Why: 'UNAUTHENTICATED' when the previous session expired. */
  reason?: string;
}

const safeTarget = (from: unknown): string =>
  typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') && !from.startsWith('/login') ? from : '/';

/** Đăng nhập: username + password; the API sets the httpOnly session cookie. */
export function LoginPage() {
  const { t } = useTranslation();
  const { state, login } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const locState = (location.state ?? {}) as LoginLocationState;
  useDocumentTitle(t('login.pageTitle'));

  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<{ kind: 'missing' } | { kind: 'api'; error: unknown } | null>(null);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    usernameRef.current?.focus();
  }, []);

  if (state.status === 'authenticated' && !pending) return <Navigate to={safeTarget(locState.from)} replace />;

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (pending) return;
    const name = username.trim().normalize('NFC');
    if (!name || !password) {
      setError({ kind: 'missing' });
      (name ? passwordRef : usernameRef).current?.focus();
      return;
    }
    setPending(true);
    setError(null);
    try {
      await login(name, password);
      navigate(safeTarget(locState.from), { replace: true });
    } catch (err) {
      setError({ kind: 'api', error: err });
      setPassword('');
      setPending(false);
      passwordRef.current?.focus();
    }
  };

  const message =
    error?.kind === 'missing' ? t('login.missingFields') : error?.kind === 'api' ? loginErrorMessage(error.error, t) : null;
  const invalid = error !== null;

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
        <LanguageSwitch className="lang-switch--dark" />
      </header>

      <main id="main-content" className="login-main">
        <div className="login-card card">
          <h1 className="login-card__title">{t('login.heading')}</h1>
          <p className="login-card__intro">{t('login.intro')}</p>

          {locState.reason === 'UNAUTHENTICATED' && !error ? (
            <div className="alert alert--info" role="status">
              <Icon name="info" />
              <span>{t('errors.UNAUTHENTICATED')}</span>
            </div>
          ) : null}
          <div id="login-error" className="alert-slot" role="alert">
            {message ? (
              <div className="alert alert--error">
                <Icon name="alert" />
                <span>{message}</span>
              </div>
            ) : null}
          </div>

          <form className="form" onSubmit={(e) => void onSubmit(e)} noValidate aria-busy={pending}>
            <div className="field">
              <label htmlFor="login-username">{t('login.username')}</label>
              <input
                ref={usernameRef}
                id="login-username"
                name="username"
                type="text"
                autoComplete="username"
                autoCapitalize="none"
                autoCorrect="off"
                spellCheck={false}
                required
                aria-invalid={invalid && (error?.kind === 'api' || !username.trim())}
                aria-describedby={invalid ? 'login-error' : undefined}
                value={username}
                onChange={(e) => setUsername(e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="login-password">{t('login.password')}</label>
              <input
                ref={passwordRef}
                id="login-password"
                name="password"
                type="password"
                autoComplete="current-password"
                required
                aria-invalid={invalid && (error?.kind === 'api' || !password)}
                aria-describedby={invalid ? 'login-error' : undefined}
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </div>
            <button type="submit" className="btn btn--primary btn--block" disabled={pending}>
              {pending ? t('login.submitting') : t('login.submit')}
            </button>
          </form>
          <p className="login-card__help">{t('login.help')}</p>
        </div>
      </main>

      <footer className="login-footer">
        <p>{t('app.footer')}</p>
      </footer>
    </div>
  );
}
