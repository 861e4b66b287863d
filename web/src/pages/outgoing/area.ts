import type { AppArea } from '../../routes/area';

export const outgoingArea: AppArea = {
  id: 'outgoing',
  path: 'outgoing',
  icon: 'send',
  routes: [
    { index: true, lazy: async () => ({ Component: (await import('./OutgoingHomePage')).default }) },
    // Soạn dự thảo (?replyTo=<incoming id> for a reply)
    { path: 'new', lazy: async () => ({ Component: (await import('./DraftFormPage')).default }) },
    { path: 'documents/:id', lazy: async () => ({ Component: (await import('../../components/documents/DocumentPage')).default }) },
    // Sổ văn bản đi (register view, issue 9): văn thư, lãnh đạo, lưu trữ — the server decides (FORBIDDEN otherwise)
    { path: 'registers', lazy: async () => ({ Component: (await import('../registers/OutgoingRegistersPage')).default }) },
    { path: 'documents/:id/edit', lazy: async () => ({ Component: (await import('./DraftFormPage')).default }) },
  ],
};
