import type { AppArea } from '../../routes/area';

export const tasksArea: AppArea = {
  id: 'tasks',
  path: 'tasks',
  icon: 'tasks',
  routes: [
    { index: true, lazy: async () => ({ Component: (await import('./TasksHomePage')).default }) },
    { path: 'documents/:id', lazy: async () => ({ Component: (await import('../../components/documents/DocumentPage')).default }) },
  ],
};
