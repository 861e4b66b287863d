import type { AppArea } from '../../routes/area';

export const adminArea: AppArea = {
  id: 'admin',
  path: 'admin',
  icon: 'admin',
  roles: ['QUAN_TRI'],
  routes: [{ index: true, lazy: async () => ({ Component: (await import('./AdminHomePage')).default }) }],
};
