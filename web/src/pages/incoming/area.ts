import type { AppArea } from '../../routes/area';

export const incomingArea: AppArea = {
  id: 'incoming',
  path: 'incoming',
  icon: 'inbox',
  routes: [
    { index: true, lazy: async () => ({ Component: (await import('./IncomingHomePage')).default }) },
    // Vào sổ văn bản đến (paper), or ?documentId= for an electronically received one
    { path: 'register', lazy: async () => ({ Component: (await import('./RegisterIncomingPage')).default }) },
    { path: 'documents/:id', lazy: async () => ({ Component: (await import('../../components/documents/DocumentPage')).default }) },
    // Sổ văn bản đến (register view, issue 9): văn thư, lãnh đạo, lưu trữ — the server decides (FORBIDDEN otherwise)
    { path: 'registers', lazy: async () => ({ Component: (await import('../registers/IncomingRegistersPage')).default }) },
  ],
};
