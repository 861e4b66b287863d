import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Provider as UrqlProvider } from 'urql';
import { CombinedError, type Client } from '@urql/core';
import { onUnauthenticated } from '../graphql/client';
import { LoginDocument, LogoutDocument, MeDocument } from '../graphql/generated';
import { SILENT, createUrqlClient, toApiError } from '../graphql/urql';
import { SessionContext, type SessionContextValue, type SessionState, type SessionUser } from './session';

/**
 * Holds the signed-in user (the `me` query) and the GraphQL client of the session.
 * The session itself is the httpOnly `cv_session` cookie set by `login`; nothing is stored in the browser.
 *
 * The urql client (and so its normalised cache and its live subscriptions) belongs to ONE session: on sign-in,
 * sign-out and when the server ends the session, a new client replaces it, so that nothing one user saw stays
 * in the cache for the next one. `me`, `login` and `logout` run with the `SILENT` context: their
 * UNAUTHENTICATED answer is an answer, not a signal that the session ended.
 */
export function SessionProvider({ children, createClient = createUrqlClient }: { children: ReactNode; createClient?: () => Client }) {
  const [state, setStateRaw] = useState<SessionState>({ status: 'loading' });
  const stateRef = useRef(state);
  const setState = useCallback((next: SessionState) => {
    stateRef.current = next;
    setStateRaw(next);
  }, []);
  const [client, setClient] = useState(createClient);
  const clientRef = useRef(client);
  clientRef.current = client;
  const createRef = useRef(createClient);
  createRef.current = createClient;

  /** A fresh client (empty cache, no subscriptions) for the next session. */
  const resetClient = useCallback(() => {
    const next = createRef.current();
    clientRef.current = next;
    setClient(next);
  }, []);

  const refresh = useCallback(async () => {
    const r = await clientRef.current.query(MeDocument, {}, { ...SILENT, requestPolicy: 'network-only' }).toPromise();
    if (r.data) {
      const user = r.data.me;
      const before = stateRef.current;
      // Another user behind the same cookie (signed in in another tab): start from an empty cache.
      if (before.status === 'authenticated' && before.user.id !== user.id) resetClient();
      setState({ status: 'authenticated', user });
      return;
    }
    const error = toApiError(r.error ?? new CombinedError({}));
    if (error.code === 'UNAUTHENTICATED') {
      if (stateRef.current.status === 'authenticated') resetClient();
      setState({ status: 'anonymous' });
    } else setState({ status: 'unreachable', error });
  }, [resetClient, setState]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // Any later request answering UNAUTHENTICATED (expired or revoked session) ends the session here.
  useEffect(
    () =>
      onUnauthenticated((error) => {
        if (stateRef.current.status !== 'authenticated') return;
        resetClient();
        setState({ status: 'anonymous', reason: error });
      }),
    [resetClient, setState],
  );

  const login = useCallback(
    async (username: string, password: string): Promise<SessionUser> => {
      const r = await clientRef.current.mutation(LoginDocument, { username, password }, SILENT).toPromise();
      if (r.error || !r.data) throw toApiError(r.error ?? new CombinedError({}));
      const user = r.data.login.user;
      resetClient();
      setState({ status: 'authenticated', user });
      return user;
    },
    [resetClient, setState],
  );

  const logout = useCallback(async () => {
    const r = await clientRef.current.mutation(LogoutDocument, {}, SILENT).toPromise();
    if (r.error) {
      const e = toApiError(r.error);
      // Already signed out on the server: fine. Anything else (network) must not pretend we logged out.
      if (e.code !== 'UNAUTHENTICATED') throw e;
    }
    resetClient();
    setState({ status: 'anonymous', signedOut: true });
  }, [resetClient, setState]);

  const value = useMemo<SessionContextValue>(() => ({ state, login, logout, refresh }), [state, login, logout, refresh]);
  return (
    <UrqlProvider value={client}>
      <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
    </UrqlProvider>
  );
}
