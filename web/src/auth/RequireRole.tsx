import type { ReactNode } from 'react';
import type { Role } from '../graphql/generated';
import { hasAnyRole, useCurrentUser } from './session';
import { ForbiddenPage } from '../pages/errors/ForbiddenPage';

/** Renders its children only if the user holds one of `roles`; otherwise an "access denied" page. */
export function RequireRole({ roles, children }: { roles: readonly Role[] | undefined; children: ReactNode }) {
  const user = useCurrentUser();
  return hasAnyRole(user, roles) ? <>{children}</> : <ForbiddenPage />;
}
