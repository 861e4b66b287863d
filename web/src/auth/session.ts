import { createContext, useContext } from 'react';
import type { Role, SessionUserFragment } from '../graphql/generated';
import type { ApiError } from '../graphql/client';

/** The signed-in user, as the `SessionUser` fragment (web/src/graphql/session.graphql) selects it. */
export type SessionUser = SessionUserFragment;

export type SessionState =
  | { status: 'loading' }
  | {
      status: 'anonymous';
      /** The session ended on the server (expired, revoked) while the app was open. */
      reason?: ApiError;
      /** The user just signed out (go to /login without remembering the page). */
      signedOut?: boolean;
    }
  | { status: 'authenticated'; user: SessionUser }
  | { status: 'unreachable'; error: ApiError };

export interface SessionContextValue {
  state: SessionState;
  /** Sign in; rejects with ApiError (wrong password, locked, network…). */
  login(username: string, password: string): Promise<SessionUser>;
  /** Sign out (server clears the session and the cookie). */
  logout(): Promise<void>;
  /** Re-read `me` (after the user changed their profile, or to retry when unreachable). */
  refresh(): Promise<void>;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession() outside <SessionProvider>');
  return ctx;
}

/** The signed-in user; only inside routes guarded by <RequireAuth>. */
export function useCurrentUser(): SessionUser {
  const { state } = useSession();
  if (state.status !== 'authenticated') throw new Error('useCurrentUser() outside an authenticated route');
  return state.user;
}

/** Whether the user holds at least one of `roles` (no roles given: everyone). */
export function hasAnyRole(user: Pick<SessionUser, 'roles'>, roles: readonly Role[] | undefined): boolean {
  return !roles || roles.length === 0 || roles.some((r) => user.roles.includes(r));
}
