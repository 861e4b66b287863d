import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { Client, Provider } from 'urql';
import { never } from 'wonka';
import { ApiError } from '../../graphql/client';
import { AnnotateDialog, CompleteDialog, ProgressDialog, SubmitDialog } from './ActionDialogs';

// The pickers' lists (people, units, holidays) stay empty: these tests are about the forms' rules.
const quiet = new Client({ url: 'http://localhost/graphql', exchanges: [() => () => never] });
const wrap = (ui: ReactNode) => render(<Provider value={quiet}>{ui}</Provider>);
beforeAll(() => {
  // jsdom has no <dialog> methods
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
});

const leader = (id: string, fullName: string) => ({ id, fullName, title: 'Chủ tịch', unit: null });

describe('Trình (SubmitDialog)', () => {
  it('requires a leader when there are several, and sends the one chosen', async () => {
    const onSubmit = jest.fn(async (id: string) => void id);
    wrap(<SubmitDialog onClose={() => undefined} onSubmit={onSubmit} known={[leader('u1', 'Nguyễn Văn A'), leader('u2', 'Trần Thị B')]} />);
    fireEvent.click(screen.getByRole('button', { name: 'Trình lãnh đạo' }));
    expect(await screen.findByText('Vui lòng chọn lãnh đạo để trình.')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText(/Lãnh đạo/), { target: { value: 'u2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Trình lãnh đạo' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith('u2'));
  });

  it('preselects the only leader', async () => {
    const onSubmit = jest.fn(async (id: string) => void id);
    wrap(<SubmitDialog onClose={() => undefined} onSubmit={onSubmit} known={[leader('u1', 'Nguyễn Văn A')]} />);
    fireEvent.click(screen.getByRole('button', { name: 'Trình lãnh đạo' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith('u1'));
  });
});

describe('Bút phê (AnnotateDialog)', () => {
  it('needs a chủ trì unless "để biết"; a past deadline is refused at its field', async () => {
    const onSubmit = jest.fn(async (v: unknown) => void v);
    wrap(<AnnotateDialog onClose={() => undefined} onSubmit={onSubmit} />);
    fireEvent.change(screen.getByLabelText(/Thời hạn giải quyết/), { target: { value: '01/01/2020' } });
    fireEvent.click(screen.getByRole('button', { name: 'Bút phê' }));
    expect(await screen.findByText('Thời hạn giải quyết không được trước ngày hôm nay.')).toBeTruthy();
    expect(screen.getByLabelText(/Thời hạn giải quyết/).getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText(/Đơn vị hoặc người chủ trì/).getAttribute('aria-invalid')).toBe('true');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('"để biết" sends no assignees; a server error naming the instruction is shown there', async () => {
    const onSubmit = jest.fn(async (v: unknown) => {
      void v;
      throw new ApiError('BAD_USER_INPUT', 'Ý kiến chỉ đạo không được dài quá 2000 ký tự.', { field: 'instruction' });
    });
    wrap(<AnnotateDialog onClose={() => undefined} onSubmit={onSubmit} />);
    fireEvent.change(screen.getByLabelText('Ý kiến chỉ đạo'), { target: { value: '  Đề nghị các phòng nghiên cứu  ' } });
    fireEvent.click(screen.getByRole('checkbox', { name: /Để biết/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Bút phê' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0][0]).toEqual({ instruction: 'Đề nghị các phòng nghiên cứu', forInfo: true, watcherIds: [] });
    expect(await screen.findByText('Ý kiến chỉ đạo không được dài quá 2000 ký tự.')).toBeTruthy();
    expect(screen.getByLabelText('Ý kiến chỉ đạo').getAttribute('aria-invalid')).toBe('true');
  });
});

describe('Cập nhật tiến độ (ProgressDialog)', () => {
  it('requires the note, sends it trimmed, and shows a server error at the note', async () => {
    const onSubmit = jest.fn(async (v: { text: string; file: File | null }) => {
      void v;
      throw new ApiError('BAD_USER_INPUT', 'Nội dung tiến độ không được dài quá 2000 ký tự.', { field: 'text' });
    });
    wrap(<ProgressDialog onClose={() => undefined} onSubmit={onSubmit} />);
    fireEvent.click(screen.getByRole('button', { name: 'Cập nhật tiến độ' }));
    expect(await screen.findByText('Vui lòng nhập nội dung tiến độ.')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText(/Nội dung/), { target: { value: ' Đã dự thảo văn bản trả lời ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Cập nhật tiến độ' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith({ text: 'Đã dự thảo văn bản trả lời', file: null }));
    expect(await screen.findByText('Nội dung tiến độ không được dài quá 2000 ký tự.')).toBeTruthy();
  });
});

describe('Hoàn thành (CompleteDialog)', () => {
  it('sends the note trimmed, or null when empty', async () => {
    const onSubmit = jest.fn(async (note: string | null) => void note);
    wrap(<CompleteDialog lead onClose={() => undefined} onSubmit={onSubmit} />);
    fireEvent.click(screen.getByRole('button', { name: 'Hoàn thành' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith(null));
    fireEvent.change(screen.getByRole('textbox'), { target: { value: '  Đã xong ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Hoàn thành' }));
    await waitFor(() => expect(onSubmit).toHaveBeenLastCalledWith('Đã xong'));
  });
});
