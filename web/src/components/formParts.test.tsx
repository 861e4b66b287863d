import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useForm } from 'react-hook-form';
import { ApiError } from '../graphql/client';
import { Field, FormError } from './documents/fields';
import { ActionFeedback, FormActions, useNoticedAction, useServerFieldErrors } from './formParts';

function ReasonForm({ send, onCancel }: { send: (reason: string) => Promise<unknown>; onCancel?: () => void }) {
  const form = useForm<{ reason: string }>({ defaultValues: { reason: '' } });
  const { apiError, guard } = useServerFieldErrors(form.setError, ['reason']);
  const submit = form.handleSubmit((v) => guard(() => send(v.reason)));
  return (
    <form noValidate onSubmit={(e) => void submit(e)}>
      <FormError error={apiError} />
      <Field label="Lý do" error={form.formState.errors.reason?.message}>
        {(c) => <textarea {...c} {...form.register('reason')} />}
      </Field>
      <FormActions onCancel={onCancel} cancelLabel="Hủy" submitLabel="Gửi" submitClassName="btn btn--danger" disabled={form.formState.isSubmitting} />
    </form>
  );
}

function Page({ fn, after }: { fn: () => Promise<unknown>; after: () => void }) {
  const { notice, error, act } = useNoticedAction(after);
  return (
    <>
      <ActionFeedback error={error} notice={notice} />
      <button type="button" onClick={() => void act(fn, 'Đã thu hồi.')}>
        Thu hồi
      </button>
    </>
  );
}

describe('useServerFieldErrors + FormActions', () => {
  it('puts a server error that names a form field at that field, any other one above the form', async () => {
    const send = jest
      .fn<Promise<unknown>, [string]>()
      .mockRejectedValueOnce(new ApiError('BAD_USER_INPUT', 'Lý do quá dài.', { field: 'input.reason' }))
      .mockRejectedValueOnce(new ApiError('BAD_USER_INPUT', 'Số ký hiệu đã có.', { field: 'input.symbol' }));
    const onCancel = jest.fn();
    render(<ReasonForm send={send} onCancel={onCancel} />);
    expect(screen.getByRole('button', { name: 'Gửi' }).className).toBe('btn btn--danger');
    fireEvent.click(screen.getByRole('button', { name: 'Hủy' }));
    expect(onCancel).toHaveBeenCalledTimes(1);

    fireEvent.change(screen.getByLabelText('Lý do'), { target: { value: 'x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Gửi' }));
    expect(await screen.findByText('Lý do quá dài.')).toBeTruthy();
    expect(screen.getByLabelText('Lý do').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toBe('');

    fireEvent.click(screen.getByRole('button', { name: 'Gửi' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Số ký hiệu đã có.'));
    expect(send).toHaveBeenCalledWith('x');
  });

  it('has no cancel button without onCancel', () => {
    render(<ReasonForm send={async () => undefined} />);
    expect(screen.queryByRole('button', { name: 'Hủy' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Gửi' })).toBeTruthy();
  });
});

describe('useNoticedAction + ActionFeedback', () => {
  it('shows the notice and calls after on success; on failure shows the error and drops the old notice', async () => {
    const after = jest.fn();
    const fn = jest.fn<Promise<unknown>, []>().mockResolvedValueOnce(undefined).mockRejectedValueOnce(new ApiError('FORBIDDEN', 'Bạn không có quyền thu hồi.'));
    render(<Page fn={fn} after={after} />);
    fireEvent.click(screen.getByRole('button', { name: 'Thu hồi' }));
    expect((await screen.findByRole('status')).textContent).toBe('Đã thu hồi.');
    expect(after).toHaveBeenCalledTimes(1);

    fireEvent.click(screen.getByRole('button', { name: 'Thu hồi' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Bạn không có quyền thu hồi.'));
    expect(screen.queryByRole('status')).toBeNull();
    expect(after).toHaveBeenCalledTimes(1);
  });
});
