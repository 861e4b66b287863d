import type { AppArea } from '../../routes/area';

export const incomingArea: AppArea = {
  id: 'incoming',
  path: 'incoming',
  icon: 'inbox',
  routes: [{ index: true, lazy: async () => ({ Component: (await import('./IncomingHomePage')).default }) }],
};
