import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useSession } from './session';
import { FullPageStatus } from '../components/FullPageStatus';
import { ForcedPasswordChange } from '../pages/account/ForcedPasswordChange';
import { ACCOUNT_PASSWORD_PATH } from '../pages/account/routes';

/**
 * Renders its children only for a signed-in user; otherwise sends them to /login and back afterwards.
 * A user who must change their password (reset by an administrator) is kept on /account/password,
 * outside the application shell, until they have chosen a new one.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading' || state.status === 'unreachable') return <FullPageStatus />;
  if (state.status === 'anonymous') {
    if (state.signedOut) return <Navigate to="/login" replace />;
    const from = location.pathname + location.search + location.hash;
    return <Navigate to="/login" replace state={{ from, reason: state.reason?.code }} />;
  }
  if (state.user.mustChangePassword) {
    if (location.pathname !== ACCOUNT_PASSWORD_PATH) return <Navigate to={ACCOUNT_PASSWORD_PATH} replace />;
    return <ForcedPasswordChange />;
  }
  return <>{children}</>;
}
