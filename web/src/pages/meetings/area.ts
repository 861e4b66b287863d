import type { RouteObject } from 'react-router';
import type { AppArea } from '../../routes/area';

export const meetingsArea: AppArea = {
  id: 'meetings',
  path: 'meetings',
  icon: 'meetings',
  routes: [
    { index: true, lazy: async () => ({ Component: (await import('./MeetingsHomePage')).default }) },
    { path: 'new', lazy: async () => ({ Component: (await import('./MeetingFormPage')).default }) },
    { path: 'calendar', lazy: async () => ({ Component: (await import('./WorkCalendarPage')).default }) },
    { path: ':id', lazy: async () => ({ Component: (await import('./MeetingPage')).default }) },
    { path: ':id/edit', lazy: async () => ({ Component: (await import('./MeetingFormPage')).default }) },
  ],
};

/** Màn hình sảnh: outside the signed-in shell, needs only the display token (routes/router.tsx mounts it). */
export const lobbyDisplayRoute: RouteObject = {
  path: '/display/:token',
  lazy: async () => ({ Component: (await import('./LobbyDisplayPage')).default }),
};
