import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ApiError } from '../../../graphql/client';
import { ApprovalChainForm } from './ApprovalChainSection';
import { DocumentTypesForm } from './DocumentTypesSection';
import { IncomingRegistersForm } from './IncomingRegistersSection';

const GENERAL = { key: 'INCOMING', name: 'Sổ văn bản đến', active: true };

describe('Sổ văn bản đến (settings form)', () => {
  it('refuses a duplicate code at its field and sends nothing', async () => {
    const onSave = jest.fn(async () => [GENERAL]);
    render(<IncomingRegistersForm registers={[GENERAL, { key: 'INCOMING:DANG', name: 'Sổ VB đến của Đảng', active: true }]} onSave={onSave} />);
    fireEvent.click(screen.getByRole('button', { name: 'Thêm sổ' }));
    fireEvent.change(screen.getByLabelText('Mã sổ 3'), { target: { value: 'dang' } });
    fireEvent.change(screen.getByLabelText('Tên sổ 3'), { target: { value: 'Sổ đơn thư' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu sổ văn bản đến' }));
    expect(await screen.findByText('Mã sổ DANG bị trùng.')).toBeTruthy();
    expect(screen.getByLabelText('Mã sổ 3').getAttribute('aria-invalid')).toBe('true');
    expect(onSave).not.toHaveBeenCalled();
  });

  it('sends the registers with their keys, and puts a server error at the field it names', async () => {
    const onSave = jest.fn(async (list: unknown[]) => {
      void list;
      throw new ApiError('BAD_USER_INPUT', 'Tên sổ "Sổ đơn thư" bị trùng.', { field: 'incomingRegisters.1.name' });
    });
    render(<IncomingRegistersForm registers={[GENERAL]} onSave={onSave} />);
    fireEvent.click(screen.getByRole('button', { name: 'Thêm sổ' }));
    fireEvent.change(screen.getByLabelText('Mã sổ 2'), { target: { value: ' don_thu ' } });
    fireEvent.change(screen.getByLabelText('Tên sổ 2'), { target: { value: ' Sổ đơn thư ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu sổ văn bản đến' }));
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(1));
    expect(onSave.mock.calls[0][0]).toEqual([GENERAL, { key: 'INCOMING:DON_THU', name: 'Sổ đơn thư', active: true }]);
    expect(await screen.findByText('Tên sổ "Sổ đơn thư" bị trùng.')).toBeTruthy();
    expect(screen.getByLabelText('Tên sổ 2').getAttribute('aria-invalid')).toBe('true');
  });
});

describe('Quy trình duyệt (settings form)', () => {
  const CHAIN = [
    { kind: 'ROLE', role: 'TRUONG_PHONG' as const, scope: 'DRAFTING_UNIT', label: 'Trưởng phòng', user: null },
    { kind: 'ROLE', role: 'LANH_DAO' as const, scope: 'AGENCY', label: 'Lãnh đạo', user: null },
  ];
  const APPROVERS = [{ id: 'u-ld', fullName: 'Nguyễn Văn Lãnh', title: 'Chủ tịch' }];

  it('a step by person needs the person; the chain is sent in order', async () => {
    const onSave = jest.fn(async () => CHAIN);
    render(<ApprovalChainForm chain={CHAIN} approvers={APPROVERS} onSave={onSave} onReset={async () => CHAIN} />);
    fireEvent.change(screen.getByLabelText('Bước 2: loại'), { target: { value: 'USER' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu quy trình duyệt' }));
    expect(await screen.findByText('Vui lòng chọn người duyệt.')).toBeTruthy();
    expect(onSave).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText('Bước 2: người duyệt'), { target: { value: 'u-ld' } });
    fireEvent.click(screen.getByRole('button', { name: 'Chuyển bước 2 lên' }));
    fireEvent.click(screen.getByRole('button', { name: 'Lưu quy trình duyệt' }));
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(1));
    expect(onSave.mock.calls[0]).toEqual([
      [
        { kind: 'USER', userId: 'u-ld', label: 'Lãnh đạo' },
        { kind: 'ROLE', role: 'TRUONG_PHONG', scope: 'DRAFTING_UNIT', label: 'Trưởng phòng' },
      ],
    ]);
  });
});

describe('Loại văn bản (settings form)', () => {
  it('switches a Decree 30 type off and adds the agency’s own type', async () => {
    const types = [
      { key: 'QUYET_DINH', code: 'QĐ', name: 'Quyết định', category: 'ADMINISTRATIVE', active: true },
      { key: 'BAN_GHI_NHO', code: 'BGN', name: 'Bản ghi nhớ', category: 'ADMINISTRATIVE', active: true },
    ];
    const onSave = jest.fn(async () => types);
    render(<DocumentTypesForm types={types} onSave={onSave} />);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Đang dùng: Bản ghi nhớ' }));
    fireEvent.click(screen.getByRole('button', { name: 'Thêm loại văn bản' }));
    fireEvent.change(screen.getByLabelText('Tên loại 3'), { target: { value: 'Phiếu trình' } });
    fireEvent.change(screen.getByLabelText('Viết tắt 3'), { target: { value: 'QĐ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu loại văn bản' }));
    expect(await screen.findByText('Chữ viết tắt QĐ đã dùng cho loại khác.')).toBeTruthy();
    expect(onSave).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText('Viết tắt 3'), { target: { value: 'PTr' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu loại văn bản' }));
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(1));
    expect(onSave.mock.calls[0]).toEqual([
      [
        { key: 'QUYET_DINH', active: true },
        { key: 'BAN_GHI_NHO', active: false },
        { key: 'CUSTOM_PTR', code: 'PTr', name: 'Phiếu trình', active: true },
      ],
    ]);
  });
});
