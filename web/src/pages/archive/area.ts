import type { AppArea } from '../../routes/area';

export const archiveArea: AppArea = {
  id: 'archive',
  path: 'archive',
  icon: 'archive',
  routes: [
    // Lưu trữ & tra cứu: the search (issue 10); a hit opens the document at the page of the hit.
    { index: true, lazy: async () => ({ Component: (await import('./ArchiveHomePage')).default }) },
    { path: 'documents/:id', lazy: async () => ({ Component: (await import('../../components/documents/DocumentPage')).default }) },
    // Hồ sơ (issue 10, helper B): Danh mục hồ sơ and one hồ sơ.
    { path: 'records', lazy: async () => ({ Component: (await import('./records/RecordsListPage')).default }) },
    { path: 'records/:id', lazy: async () => ({ Component: (await import('./records/RecordDetailPage')).default }) },
    // Bảng thời hạn bảo quản: the archivist / administrator adjusts the agency's retention table.
    { path: 'retention', lazy: async () => ({ Component: (await import('./records/RetentionPage')).default }) },
  ],
};
