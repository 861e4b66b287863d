import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ApiError } from '../../../graphql/client';
import { DisposeDialog, ExtendRetentionDialog, RecordMetadataDialog } from './RecordDialogs';

beforeAll(() => {
  // jsdom has no <dialog> methods
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
});

describe('Hủy hồ sơ (DisposeDialog)', () => {
  it('needs a decision number and a dd/mm/yyyy date, and sends the date as YYYY-MM-DD', async () => {
    const onSubmit = jest.fn(async (v: { decisionNumber: string; decisionDate: string; note: string | null }) => void v);
    render(<DisposeDialog onClose={() => undefined} onSubmit={onSubmit} />);
    fireEvent.click(screen.getByRole('button', { name: 'Hủy hồ sơ' }));
    expect(await screen.findByText('Nhập số quyết định hủy (tối đa 80 ký tự).')).toBeTruthy();
    expect(await screen.findByText('Chưa nhập ngày.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/Số quyết định hủy/), { target: { value: '15/QĐ-UBND' } });
    fireEvent.change(screen.getByLabelText(/Ngày quyết định/), { target: { value: '31/02/2026' } });
    fireEvent.click(screen.getByRole('button', { name: 'Hủy hồ sơ' }));
    expect(await screen.findByText('Ngày không hợp lệ, nhập theo dạng dd/mm/yyyy.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/Ngày quyết định/), { target: { value: '01122026' } });
    fireEvent.click(screen.getByRole('button', { name: 'Hủy hồ sơ' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith({ decisionNumber: '15/QĐ-UBND', decisionDate: '2026-12-01', note: null }));
  });

  it('shows a server error at the field it names', async () => {
    const onSubmit = jest.fn(async () => {
      throw new ApiError('BAD_USER_INPUT', 'Số quyết định đã dùng.', { field: 'decisionNumber' });
    });
    render(<DisposeDialog onClose={() => undefined} onSubmit={onSubmit} />);
    fireEvent.change(screen.getByLabelText(/Số quyết định hủy/), { target: { value: '15/QĐ-UBND' } });
    fireEvent.change(screen.getByLabelText(/Ngày quyết định/), { target: { value: '01/12/2026' } });
    fireEvent.click(screen.getByRole('button', { name: 'Hủy hồ sơ' }));
    expect(await screen.findByText('Số quyết định đã dùng.')).toBeTruthy();
    expect(screen.getByLabelText(/Số quyết định hủy/).getAttribute('aria-invalid')).toBe('true');
  });
});

describe('Kéo dài thời hạn (ExtendRetentionDialog)', () => {
  it('offers only longer periods (or Vĩnh viễn) and sends the years', async () => {
    const onSubmit = jest.fn(async (years: number | null, reason: string) => void [years, reason]);
    const options = [
      { years: null, name: 'Vĩnh viễn' },
      { years: 20, name: '20 năm' },
      { years: 10, name: '10 năm' },
      { years: 5, name: '05 năm' },
    ];
    render(<ExtendRetentionDialog current={10} options={options} onClose={() => undefined} onSubmit={onSubmit} />);
    const select = screen.getByLabelText(/Thời hạn mới/) as HTMLSelectElement;
    expect(Array.from(select.options).map((o) => o.text)).toEqual(['Vĩnh viễn', '20 năm']);
    fireEvent.change(select, { target: { value: '20' } });
    fireEvent.change(screen.getByLabelText(/Lý do/), { target: { value: 'Theo yêu cầu thanh tra' } });
    fireEvent.click(screen.getByRole('button', { name: 'Kéo dài thời hạn' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith(20, 'Theo yêu cầu thanh tra'));
  });
});

describe('Dữ liệu đặc tả hồ sơ (RecordMetadataDialog)', () => {
  it('shows dates dd/mm/yyyy, refuses an end before the start, sends YYYY-MM-DD', async () => {
    const onSubmit = jest.fn(async (v: unknown) => void v);
    render(<RecordMetadataDialog title="Hồ sơ A" metadata={{ startDate: '2010-03-02', endDate: '2011-06-01' }} onClose={() => undefined} onSubmit={onSubmit} />);
    expect((screen.getByLabelText(/Thời gian bắt đầu/) as HTMLInputElement).value).toBe('02/03/2010');
    fireEvent.change(screen.getByLabelText(/Thời gian kết thúc/), { target: { value: '01/01/2009' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu dữ liệu đặc tả' }));
    expect(await screen.findByText('Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/Thời gian kết thúc/), { target: { value: '31/12/2011' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu dữ liệu đặc tả' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith(expect.objectContaining({ title: 'Hồ sơ A', startDate: '2010-03-02', endDate: '2011-12-31' })));
  });
});
