import type { AppArea } from '../../routes/area';

export const reportsArea: AppArea = {
  id: 'reports',
  path: 'reports',
  icon: 'reports',
  routes: [{ index: true, lazy: async () => ({ Component: (await import('./ReportsHomePage')).default }) }],
};
