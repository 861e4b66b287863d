import { render, screen } from '@testing-library/react';
import type { FileInfoFragment } from '../../graphql/generated';
import { FileViewer } from './FileViewer';
import { pdfFrameUrl } from './pdfFrame';

const file = (over: Partial<FileInfoFragment>): FileInfoFragment => ({
  id: 'f1',
  kind: 'MAIN',
  version: 1,
  fileName: 'scan.jpg',
  contentType: 'image/jpeg',
  size: 1000,
  pageCount: 1,
  createdAt: '2026-12-06T02:00:00.000Z',
  uploadedBy: null,
  url: '/files/original',
  ocrStatus: 'DONE',
  ocrPagesDone: 1,
  ocrError: null,
  searchablePdfUrl: null,
  ...over,
});

describe('FileViewer', () => {
  it('shows a digitised scan (an image) as its searchable PDF, not as an image pointing at a PDF', () => {
    const { container } = render(<FileViewer files={[file({ searchablePdfUrl: '/files/searchable' })]} />);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('iframe')?.getAttribute('src')).toBe(pdfFrameUrl('/files/searchable'));
  });

  it('shows an image not yet digitised as the image, a PDF as itself, a TIFF scan once digitised as its PDF', () => {
    const image = render(<FileViewer files={[file({ ocrStatus: 'RUNNING' })]} />);
    expect(image.container.querySelector('img')?.getAttribute('src')).toBe('/files/original');
    image.unmount();
    const pdf = render(<FileViewer files={[file({ fileName: 'a.pdf', contentType: 'application/pdf' })]} />);
    expect(pdf.container.querySelector('iframe')?.getAttribute('src')).toBe(pdfFrameUrl('/files/original'));
    pdf.unmount();
    const tiff = render(<FileViewer files={[file({ fileName: 'a.tif', contentType: 'image/tiff', searchablePdfUrl: '/files/searchable' })]} />);
    expect(tiff.container.querySelector('iframe')?.getAttribute('src')).toBe(pdfFrameUrl('/files/searchable'));
    tiff.unmount();
    render(<FileViewer files={[file({ fileName: 'a.tif', contentType: 'image/tiff', ocrStatus: 'PENDING' })]} />);
    expect(screen.getByText(/xem trước|preview/i)).toBeTruthy();
  });
});
