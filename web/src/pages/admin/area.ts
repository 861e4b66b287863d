import { createElement } from 'react';
import { Navigate } from 'react-router';
import type { AppArea } from '../../routes/area';

export const adminArea: AppArea = {
  id: 'admin',
  path: 'admin',
  icon: 'admin',
  roles: ['QUAN_TRI'],
  routes: [
    {
      lazy: async () => ({ Component: (await import('./AdminLayout')).default }),
      children: [
        { index: true, element: createElement(Navigate, { to: 'users', replace: true }) },
        { path: 'users', lazy: async () => ({ Component: (await import('./UsersPage')).default }) },
        { path: 'units', lazy: async () => ({ Component: (await import('./UnitsPage')).default }) },
        { path: 'agencies', lazy: async () => ({ Component: (await import('./AgenciesPage')).default }) },
        { path: 'settings', lazy: async () => ({ Component: (await import('./DocumentSettingsPage')).default }) },
        { path: 'delegations', lazy: async () => ({ Component: (await import('./DelegationsPage')).default }) },
        // Chứng thư số của cơ quan: list, thu hồi (issue 12)
        { path: 'certificates', lazy: async () => ({ Component: (await import('./CertificatesPage')).default }) },
        { path: 'audit', lazy: async () => ({ Component: (await import('./AuditPage')).default }) },
        { path: 'peers', lazy: async () => ({ Component: (await import('./PeersPage')).default }) },
      ],
    },
  ],
};
