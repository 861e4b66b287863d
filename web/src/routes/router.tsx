import { createBrowserRouter, Navigate, Outlet, type RouteObject } from 'react-router';
import { RequireAuth } from '../auth/RequireAuth';
import { RequireRole } from '../auth/RequireRole';
import { hasAnyRole, useCurrentUser } from '../auth/session';
import { AppShell } from '../components/AppShell';
import { FullPageStatus } from '../components/FullPageStatus';
import { LoginPage } from '../pages/login/LoginPage';
import { NotFoundPage } from '../pages/errors/NotFoundPage';
import { RouteErrorPage } from '../pages/errors/RouteErrorPage';
import { AREAS } from './areas';
import { accountRoutes } from '../pages/account/routes';
import { lobbyDisplayRoute } from '../pages/meetings/area';

/** "/" opens Việc cần xử lý (the work inbox), else the first area the user may see. */
function HomeRedirect() {
  const user = useCurrentUser();
  const visible = AREAS.filter((a) => hasAnyRole(user, a.roles));
  const first = visible.find((a) => a.id === 'tasks') ?? visible[0];
  return first ? <Navigate to={`/${first.path}`} replace /> : <NotFoundPage />;
}

/** Route table: /login, and the authenticated shell with one subtree per area (see routes/areas.ts). */
export const routes: RouteObject[] = [
  {
    errorElement: <RouteErrorPage />,
    HydrateFallback: FullPageStatus,
    children: [
      { path: '/login', element: <LoginPage /> },
      lobbyDisplayRoute,
      {
        path: '/',
        element: (
          <RequireAuth>
            <AppShell />
          </RequireAuth>
        ),
        children: [
          {
            errorElement: <RouteErrorPage inShell />,
            children: [
              { index: true, element: <HomeRedirect /> },
              ...AREAS.map(
                (area): RouteObject => ({
                  path: area.path,
                  handle: { area: area.id },
                  element: (
                    <RequireRole roles={area.roles}>
                      <Outlet />
                    </RequireRole>
                  ),
                  children: area.routes,
                }),
              ),
              { path: 'account', children: accountRoutes },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
];

export const createAppRouter = () => createBrowserRouter(routes);
