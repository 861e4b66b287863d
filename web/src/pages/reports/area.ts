import type { AppArea } from '../../routes/area';
import { STATISTICS_AREA_ROLES } from './statistics';

export const reportsArea: AppArea = {
  id: 'reports',
  path: 'reports',
  icon: 'reports',
  roles: STATISTICS_AREA_ROLES,
  routes: [{ index: true, lazy: async () => ({ Component: (await import('./ReportsHomePage')).default }) }],
};
