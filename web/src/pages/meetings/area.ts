import type { AppArea } from '../../routes/area';

export const meetingsArea: AppArea = {
  id: 'meetings',
  path: 'meetings',
  icon: 'meetings',
  routes: [{ index: true, lazy: async () => ({ Component: (await import('./MeetingsHomePage')).default }) }],
};
