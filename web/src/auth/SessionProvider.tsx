import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, onUnauthenticated, request } from '../graphql/client';
import { LoginDocument, LogoutDocument, MeDocument } from '../graphql/generated';
import { SessionContext, type SessionContextValue, type SessionState, type SessionUser } from './session';

/**
 * Holds the signed-in user (the `me` query), loaded once at start-up and kept in memory.
 * The session itself is the httpOnly `cv_session` cookie set by `login`; nothing is stored in the browser.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const refresh = useCallback(async () => {
    try {
      const { me } = await request(MeDocument, {}, { silentUnauthenticated: true });
      setState({ status: 'authenticated', user: me });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'UNAUTHENTICATED') setState({ status: 'anonymous' });
      else setState({ status: 'unreachable', error: e instanceof ApiError ? e : new ApiError('INTERNAL', String(e)) });
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // Any later request answering UNAUTHENTICATED (expired or revoked session) ends the session here.
  useEffect(
    () =>
      onUnauthenticated((error) => {
        setState((s) => (s.status === 'authenticated' ? { status: 'anonymous', reason: error } : s));
      }),
    [],
  );

  const login = useCallback(async (username: string, password: string): Promise<SessionUser> => {
    const { login } = await request(LoginDocument, { username, password }, { silentUnauthenticated: true });
    setState({ status: 'authenticated', user: login.user });
    return login.user;
  }, []);

  const logout = useCallback(async () => {
    try {
      await request(LogoutDocument, {}, { silentUnauthenticated: true });
    } catch (e) {
      // Already signed out on the server: fine. Anything else (network) must not pretend we logged out.
      if (!(e instanceof ApiError && e.code === 'UNAUTHENTICATED')) throw e;
    }
    setState({ status: 'anonymous', signedOut: true });
  }, []);

  const value = useMemo<SessionContextValue>(() => ({ state, login, logout, refresh }), [state, login, logout, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
