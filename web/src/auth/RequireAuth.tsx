import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useSession } from './session';
import { FullPageStatus } from '../components/FullPageStatus';

/** Renders its children only for a signed-in user; otherwise sends them to /login and back afterwards. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading' || state.status === 'unreachable') return <FullPageStatus />;
  if (state.status === 'anonymous') {
    if (state.signedOut) return <Navigate to="/login" replace />;
    const from = location.pathname + location.search + location.hash;
    return <Navigate to="/login" replace state={{ from, reason: state.reason?.code }} />;
  }
  return <>{children}</>;
}
