import type { RouteObject } from 'react-router';

/** Tài khoản (every signed-in user): /account/password, /account/sessions, /account/certificates (chứng thư số). */
export const ACCOUNT_PASSWORD_PATH = '/account/password';

export const accountRoutes: RouteObject[] = [
  { path: 'password', lazy: async () => ({ Component: (await import('./ChangePasswordPage')).default }) },
  { path: 'sessions', lazy: async () => ({ Component: (await import('./SessionsPage')).default }) },
  { path: 'certificates', lazy: async () => ({ Component: (await import('./CertificatesPage')).default }) },
];
