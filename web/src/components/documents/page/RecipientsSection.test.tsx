import { render, screen, within } from '@testing-library/react';
import { RecipientsSection } from './RecipientsSection';
import type { PageDoc } from './types';

type R = PageDoc['recipients'][number];
const recipient = (p: Partial<R> & { id: string; name: string }): R =>
  ({ agency: null, agencyCode: null, status: null, statusCode: null, statusAt: null, note: null, transportState: null, transportError: null, ...p }) as R;

const doc = (recipients: R[]): PageDoc => ({ id: 'd1', direction: 'OUTGOING', status: 'ISSUED', recipients, externalRecipients: [] }) as unknown as PageDoc;

describe('RecipientsSection (liên thông: transport state and edXML status per recipient)', () => {
  it('shows queued, delivered with its code, failed with the receiver reason, and peer agencies by their code', () => {
    render(
      <RecipientsSection
        doc={doc([
          recipient({ id: 'r1', name: 'Sở Nội vụ', agency: { id: 'a1', code: '000.00.02.H27' } as R['agency'], agencyCode: '000.00.02.H27', transportState: 'QUEUED', transportError: 'Hệ thống nhận tạm ngừng' }),
          recipient({ id: 'r2', name: 'Sở Tài chính', agency: { id: 'a2', code: '000.00.03.H27' } as R['agency'], agencyCode: '000.00.03.H27', transportState: 'DELIVERED', status: 'RECEIVED', statusCode: '03', note: 'Số đến: 12' }),
          recipient({ id: 'r3', name: 'Bộ Nội vụ', agencyCode: '000.00.00.G10', transportState: 'FAILED', transportError: 'DocumentId sai định dạng' }),
          recipient({ id: 'r4', name: 'Báo Bắc Ninh' }),
        ])}
      />,
    );
    const row = (name: string) => screen.getByRole('rowheader', { name: new RegExp(name) }).closest('tr')!;
    expect(within(row('Sở Nội vụ')).getByText('Đang chờ gửi')).toBeTruthy();
    expect(within(row('Sở Nội vụ')).getByText('Sẽ gửi lại: Hệ thống nhận tạm ngừng')).toBeTruthy();
    expect(within(row('Sở Tài chính')).getByText('Đã gửi đến')).toBeTruthy();
    expect(within(row('Sở Tài chính')).getByText('03')).toBeTruthy();
    expect(within(row('Sở Tài chính')).getByText('Số đến: 12')).toBeTruthy();
    expect(within(row('Bộ Nội vụ')).getByText('000.00.00.G10')).toBeTruthy();
    expect(within(row('Bộ Nội vụ')).getByRole('alert').textContent).toBe('Lý do: DocumentId sai định dạng');
    expect(within(row('Báo Bắc Ninh')).getByText('Không gửi điện tử')).toBeTruthy();
  });
});
