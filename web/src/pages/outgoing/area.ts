import type { AppArea } from '../../routes/area';

export const outgoingArea: AppArea = {
  id: 'outgoing',
  path: 'outgoing',
  icon: 'send',
  routes: [{ index: true, lazy: async () => ({ Component: (await import('./OutgoingHomePage')).default }) }],
};
