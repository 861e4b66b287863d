import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ApiError } from '../../graphql/client';
import { PositionForm, type PositionValues } from './PositionForm';

describe('PositionForm (ý kiến trước cuộc họp)', () => {
  it('requires a choice, and an opinion for "có ý kiến khác"; sends trimmed NFC text', async () => {
    const onSave = jest.fn(async (v: PositionValues) => v);
    render(<PositionForm itemTitle="Kế hoạch chuyển đổi số" current={null} onSave={onSave} />);
    const form = screen.getByRole('form', { name: 'Ý kiến về nội dung: Kế hoạch chuyển đổi số' });
    expect(form).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Gửi ý kiến' }));
    expect(await screen.findByText('Chưa chọn ý kiến.')).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: 'Có ý kiến khác' }));
    fireEvent.click(screen.getByRole('button', { name: 'Gửi ý kiến' }));
    expect(await screen.findByText('Nêu ý kiến khác của đồng chí.')).toBeTruthy();
    expect(screen.getByLabelText(/^Ý kiến$/).getAttribute('aria-invalid')).toBe('true');
    expect(onSave).not.toHaveBeenCalled();
    // "ế" typed as e + combining marks (NFD) is sent composed (NFC)
    fireEvent.change(screen.getByLabelText(/^Ý kiến$/), { target: { value: '  Đề nghị bổ sung kinh phí cho xã\u0301  '.normalize('NFD') } });
    fireEvent.click(screen.getByRole('button', { name: 'Gửi ý kiến' }));
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(1));
    expect(onSave.mock.calls[0][0]).toEqual({ kind: 'OTHER_OPINION', opinion: 'Đề nghị bổ sung kinh phí cho xã\u0301'.normalize('NFC') });
    expect(await screen.findByText('Đã ghi nhận ý kiến.')).toBeTruthy();
  });

  it('shows the recorded position, sends "đồng ý" without an opinion, and puts a server error at its field', async () => {
    const onSave = jest.fn(async () => {
      throw new ApiError('BAD_USER_INPUT', 'Ý kiến tối đa 2000 ký tự.', { field: 'input.opinion' });
    });
    render(<PositionForm itemTitle="Quy chế làm việc" current={{ kind: 'REQUEST_TO_SPEAK', opinion: 'Xin trình bày 5 phút' }} onSave={onSave} />);
    expect((screen.getByRole('radio', { name: 'Xin phát biểu' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText(/^Ý kiến$/) as HTMLTextAreaElement).value).toBe('Xin trình bày 5 phút');
    fireEvent.click(screen.getByRole('radio', { name: 'Đồng ý' }));
    fireEvent.change(screen.getByLabelText(/^Ý kiến$/), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Cập nhật ý kiến' }));
    await waitFor(() => expect(onSave).toHaveBeenCalledWith({ kind: 'AGREE', opinion: null }));
    expect(await screen.findByText('Ý kiến tối đa 2000 ký tự.')).toBeTruthy();
    expect(screen.getByLabelText(/^Ý kiến$/).getAttribute('aria-invalid')).toBe('true');
  });
});
