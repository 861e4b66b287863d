import { fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { listIsStale, NotificationBellView, type NotificationBellViewProps, type NotificationItem } from './NotificationBell';

const reminder: NotificationItem = {
  id: 'n1',
  kind: 'DEADLINE_UPCOMING',
  text: 'Sắp đến thời hạn giải quyết (15/01/2027): văn bản 412/BTC-NSNN (số đến 7) — V/v dự toán',
  createdAt: '2027-01-14T00:00:00.000Z',
  readAt: null,
  document: { id: 'd1', direction: 'INCOMING' },
  meeting: null,
};

function renderBell(props: Partial<NotificationBellViewProps>) {
  const all: NotificationBellViewProps = { count: null, open: false, onToggle: () => {}, onClose: () => {}, items: null, error: null, onMarkRead: () => {}, ...props };
  const view = render(
    <MemoryRouter>
      <NotificationBellView {...all} />
    </MemoryRouter>,
  );
  return {
    ...view,
    update: (next: Partial<NotificationBellViewProps>) =>
      view.rerender(
        <MemoryRouter>
          <NotificationBellView {...all} {...next} />
        </MemoryRouter>,
      ),
  };
}

describe('NotificationBellView', () => {
  it('shows the unread count on the button and follows its changes', () => {
    const { update } = renderBell({ count: 3 });
    expect(screen.getByRole('button', { name: 'Thông báo: 3 chưa đọc' })).toBeTruthy();
    expect(screen.getByText('3')).toBeTruthy();
    update({ count: 4 });
    expect(screen.getByRole('button', { name: 'Thông báo: 4 chưa đọc' })).toBeTruthy();
    expect(screen.getByTestId('notification-count').textContent).toBe('Thông báo: 4 chưa đọc');
    update({ count: 120 });
    expect(screen.getByText('99+')).toBeTruthy();
    update({ count: 0 });
    expect(screen.getByRole('button', { name: 'Thông báo' })).toBeTruthy();
    expect(screen.queryByText('0')).toBeNull();
  });

  it('announces nothing before the count is known', () => {
    renderBell({ count: null });
    expect(screen.getByTestId('notification-count').textContent).toBe('');
  });

  it('lists a reminder with a link to its document, dated dd/mm/yyyy, and marks it read', () => {
    const onMarkRead = jest.fn();
    const onClose = jest.fn();
    renderBell({ count: 1, open: true, items: [reminder], onMarkRead, onClose });
    const panel = screen.getByRole('region', { name: 'Thông báo' });
    const link = within(panel).getByRole('link', { name: /^Sắp đến thời hạn giải quyết \(15\/01\/2027\)/ });
    expect(link.getAttribute('href')).toBe('/incoming/documents/d1');
    // 00:00 UTC is 07:00 in Hà Nội.
    expect(within(panel).getByText('14/01/2027 07:00')).toBeTruthy();
    fireEvent.click(within(panel).getByRole('button', { name: 'Đánh dấu đã đọc' }));
    expect(onMarkRead).toHaveBeenCalledWith(['n1']);
    fireEvent.click(within(panel).getByRole('button', { name: 'Đánh dấu tất cả đã đọc' }));
    expect(onMarkRead).toHaveBeenLastCalledWith(null);
    fireEvent.click(link);
    expect(onClose).toHaveBeenCalled();
  });

  it('links a meeting notification to its meeting, and one without a visible target to nothing', () => {
    const invite: NotificationItem = { ...reminder, id: 'n2', kind: 'MEETING_INVITED', text: 'Mời họp: Giao ban tuần', document: null, meeting: { id: 'm1' } };
    const gone: NotificationItem = { ...invite, id: 'n3', text: 'Mời họp: Họp đã bị xoá', meeting: null };
    renderBell({ count: 2, open: true, items: [invite, gone] });
    const panel = screen.getByRole('region', { name: 'Thông báo' });
    expect(within(panel).getByRole('link', { name: 'Mời họp: Giao ban tuần' }).getAttribute('href')).toBe('/meetings/m1');
    expect(within(panel).queryByRole('link', { name: 'Mời họp: Họp đã bị xoá' })).toBeNull();
    expect(within(panel).getByText('Mời họp: Họp đã bị xoá')).toBeTruthy();
  });

  it('says so when there is nothing, and shows a failure in Vietnamese', () => {
    const { update } = renderBell({ count: 0, open: true, items: [] });
    expect(screen.getByText('Không có thông báo.')).toBeTruthy();
    update({ items: null, error: new Error('x') });
    expect(screen.getByRole('alert').textContent).toBe('Lỗi hệ thống. Vui lòng thử lại sau.');
  });
});

describe('listIsStale', () => {
  const unread = { readAt: null };
  const read = { readAt: '2027-01-14T00:00:00.000Z' };
  it('a complete list must hold exactly the unread count; no list more than it', () => {
    expect(listIsStale(1, [read, read], true)).toBe(true); // the pushed reminder is missing
    expect(listIsStale(1, [unread, read], true)).toBe(false);
    expect(listIsStale(0, [unread], true)).toBe(true); // read elsewhere since
    expect(listIsStale(0, [unread], false)).toBe(true);
    expect(listIsStale(5, [unread, read], false)).toBe(false); // more unread on the next pages
  });
  it('says nothing before both are known', () => {
    expect(listIsStale(null, [unread], true)).toBe(false);
    expect(listIsStale(1, null, true)).toBe(false);
  });
});
