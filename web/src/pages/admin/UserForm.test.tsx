import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ApiError } from '../../graphql/client';
import { UserForm, type UserFormValues } from './UserForm';

const UNITS = [
  { id: 'u-kt', name: 'Phòng Kinh tế' },
  { id: 'u-vp', name: 'Văn phòng' },
];

describe('UserForm (tạo người dùng)', () => {
  it('shows the rules in Vietnamese at each field and sends nothing while the form is invalid', async () => {
    const onSubmit = jest.fn(async () => undefined);
    render(<UserForm mode="create" units={UNITS} onSubmit={onSubmit} />);
    fireEvent.change(screen.getByLabelText(/Tên đăng nhập/), { target: { value: 'Trần Minh' } });
    fireEvent.change(screen.getByLabelText(/Mật khẩu ban đầu/), { target: { value: 'ngan' } });
    fireEvent.click(screen.getByRole('button', { name: 'Tạo người dùng' }));
    expect(await screen.findByText('Tên đăng nhập chỉ gồm chữ thường không dấu, số và . _ - (2–100 ký tự).')).toBeTruthy();
    expect(screen.getByText('Mật khẩu phải có ít nhất 8 ký tự.')).toBeTruthy();
    expect(screen.getByText('Vui lòng nhập họ và tên.')).toBeTruthy();
    expect(screen.getByText('Người dùng phải có ít nhất một vai trò.')).toBeTruthy();
    expect(screen.getByLabelText(/Họ và tên/).getAttribute('aria-invalid')).toBe('true');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('gives back trimmed values (login name in lower case) and puts a server error at its field', async () => {
    const onSubmit = jest.fn(async (v: UserFormValues) => {
      void v;
      throw new ApiError('CONFLICT', 'Tên đăng nhập "tran.minh" đã được sử dụng.', { field: 'username' });
    });
    render(<UserForm mode="create" units={UNITS} onSubmit={onSubmit} />);
    fireEvent.change(screen.getByLabelText(/Tên đăng nhập/), { target: { value: ' Tran.Minh ' } });
    fireEvent.change(screen.getByLabelText(/Mật khẩu ban đầu/), { target: { value: 'BanDau2026' } });
    fireEvent.change(screen.getByLabelText(/Họ và tên/), { target: { value: '  Trần Văn Minh ' } });
    fireEvent.change(screen.getByLabelText(/Đơn vị/), { target: { value: 'u-kt' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Chuyên viên' }));
    fireEvent.click(screen.getByRole('button', { name: 'Tạo người dùng' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0][0]).toEqual({ username: 'tran.minh', password: 'BanDau2026', fullName: 'Trần Văn Minh', title: '', unitId: 'u-kt', roles: ['CHUYEN_VIEN'] });
    expect(await screen.findByText('Tên đăng nhập "tran.minh" đã được sử dụng.')).toBeTruthy();
    expect(screen.getByLabelText(/Tên đăng nhập/).getAttribute('aria-invalid')).toBe('true');
  });

  it('edits without login name and password fields', () => {
    render(<UserForm mode="edit" units={UNITS} initial={{ fullName: 'Lê Thị Hoa', roles: ['VAN_THU'] }} onSubmit={async () => undefined} />);
    expect(screen.queryByLabelText(/Tên đăng nhập/)).toBeNull();
    expect(screen.queryByLabelText(/Mật khẩu/)).toBeNull();
    expect((screen.getByRole('checkbox', { name: 'Văn thư' }) as HTMLInputElement).checked).toBe(true);
  });
});
