import type { AppArea } from '../../routes/area';

export const archiveArea: AppArea = {
  id: 'archive',
  path: 'archive',
  icon: 'archive',
  routes: [{ index: true, lazy: async () => ({ Component: (await import('./ArchiveHomePage')).default }) }],
};
