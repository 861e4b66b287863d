import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { FormProvider, useForm } from 'react-hook-form';
import { Client, Provider } from 'urql';
import { ApiError } from '../../../graphql/client';
import { checkRegistration, emptyValues, fieldOfApiError, registrationResolver, toRegisterInput, type RegistrationContext, type RegistrationValues } from './form';
import { DocumentSection } from './sections/DocumentSection';
import { ReceiptSection } from './sections/ReceiptSection';
import { SenderSection } from './sections/SenderSection';
import { duplicatesOf } from './useSubmit';

const today = '2026-12-06';
const context: RegistrationContext = {
  today,
  received: false,
  withScan: false,
  peopleAvailable: true,
  messages: { files: 'Vui lòng đính kèm bản quét.', readers: 'Chọn người được xem.' },
};
const types = [{ code: null, name: 'Công văn' }, { code: 'KH', name: 'Kế hoạch' }];

function Harness({ onValid }: { onValid: (v: RegistrationValues) => void }) {
  const form = useForm<RegistrationValues, RegistrationContext, RegistrationValues>({ defaultValues: emptyValues(today), resolver: registrationResolver, context });
  return (
    <FormProvider {...form}>
      <form noValidate onSubmit={(e) => void form.handleSubmit(onValid)(e)}>
        <SenderSection auto={(_k, hint) => ({ hint })} />
        <DocumentSection auto={(_k, hint) => ({ hint })} typeOptions={types} />
        <ReceiptSection today={today} received={false} withScan={false} secret={false} />
        <button type="submit">Vào sổ</button>
      </form>
    </FormProvider>
  );
}

/** No server here: the issuer's suggestions (urql) simply never arrive. */
const offline = new Client({ url: 'http://localhost/graphql', exchanges: [] });

const messageOf = (label: string): string => {
  const input = screen.getByLabelText(label, { exact: false, selector: 'input,textarea,select' });
  const ids = (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
};

describe('registration form (react-hook-form + the rules shared with the server)', () => {
  it('shows the Vietnamese messages at the field: 31/02/2026 and a missing trích yếu', async () => {
    const onValid = jest.fn();
    render(
      <Provider value={offline}>
        <Harness onValid={onValid} />
      </Provider>,
    );
    fireEvent.change(screen.getByLabelText('Cơ quan ban hành', { exact: false, selector: 'input' }), { target: { value: 'Sở Nội vụ tỉnh Bắc Ninh' } });
    fireEvent.change(screen.getByLabelText('Ngày ban hành', { selector: 'input' }), { target: { value: '31022026' } });
    expect((screen.getByLabelText('Ngày ban hành', { selector: 'input' }) as HTMLInputElement).value).toBe('31/02/2026');
    fireEvent.change(screen.getByLabelText('Loại văn bản', { exact: false, selector: 'select' }), { target: { value: 'name:Công văn' } });
    fireEvent.click(screen.getByRole('button', { name: 'Vào sổ' }));

    await waitFor(() => expect(messageOf('Ngày ban hành')).toContain('Ngày ban hành không hợp lệ, nhập theo dạng dd/mm/yyyy.'));
    expect(messageOf('Trích yếu nội dung')).toContain('Chưa nhập trích yếu nội dung văn bản.');
    expect(screen.getByLabelText('Trích yếu nội dung', { exact: false, selector: 'textarea' }).getAttribute('aria-invalid')).toBe('true');
    // Neither a scan nor "văn bản giấy": asked for at the files (here: the paper checkbox' form-level rule).
    expect(onValid).not.toHaveBeenCalled();

    // Corrected: 28/02/2026, a subject, "Văn bản giấy, không có bản quét" → valid, and the ngày đến defaults to today.
    fireEvent.change(screen.getByLabelText('Ngày ban hành', { selector: 'input' }), { target: { value: '28/02/2026' } });
    fireEvent.change(screen.getByLabelText('Trích yếu nội dung', { exact: false, selector: 'textarea' }), { target: { value: 'Về việc  tuyển dụng' } });
    fireEvent.click(screen.getByLabelText('Văn bản giấy, không có bản quét'));
    fireEvent.click(screen.getByRole('button', { name: 'Vào sổ' }));
    await waitFor(() => expect(onValid).toHaveBeenCalledTimes(1));
    const v = onValid.mock.calls[0][0] as RegistrationValues;
    expect(v).toMatchObject({ issuedDate: '28/02/2026', receivedDate: '06/12/2026', paperOnly: true });
    expect(messageOf('Ngày ban hành')).not.toContain('không hợp lệ');
  });

  it('a ngày đến in the future or before the ngày ban hành is refused at the field', () => {
    const base = { ...emptyValues(today), issuer: { name: 'UBND xã A', agency: null }, subject: 'V/v', type: 'name:Công văn', paperOnly: true, issuedDate: '01/12/2026' };
    const errs = (v: Partial<RegistrationValues>) => {
      const r = checkRegistration({ ...base, ...v }, context);
      return r.ok ? {} : r.errors;
    };
    expect(errs({ receivedDate: '07/12/2026' })).toEqual({ receivedDate: 'Ngày đến không được sau thời điểm hiện tại.' });
    expect(errs({ receivedDate: '30/11/2026' })).toEqual({ receivedDate: 'Ngày đến không được trước ngày ban hành văn bản.' });
    expect(errs({ paperOnly: false })).toEqual({ files: context.messages.files });
    // A secret document needs no file, but named readers.
    expect(errs({ paperOnly: false, secrecy: 'MAT' })).toEqual({ readerIds: context.messages.readers });
  });

  it('builds the API input: dates as YYYY-MM-DD, an earlier ngày đến at the end of that day, no file for a secret document', () => {
    const v: RegistrationValues = { ...emptyValues(today), issuer: { name: 'UBND xã A', agency: null }, subject: ' V/v  họp ', type: 'name:Công văn', issuedDate: '01/12/2026', receivedDate: '03/12/2026', secrecy: 'MAT', readerIds: ['u1'], files: [new File(['x'], 'a.pdf')] };
    const r = checkRegistration(v, context);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const input = toRegisterInput(v, r.fields, { today, receivedDocumentId: null, scanId: 's1', types, idempotencyKey: 'k', allowDuplicate: true });
    expect(input).toMatchObject({ issuerName: 'UBND xã A', subject: 'V/v họp', issuedDate: '2026-12-01', receivedAt: '2026-12-03T17:00:00+07:00', typeName: 'Công văn', typeCode: null, secrecy: 'MAT', readerIds: ['u1'], files: null, fileIds: null, allowDuplicate: true });
    const todayInput = toRegisterInput({ ...v, receivedDate: '06/12/2026', secrecy: 'THUONG' }, { ...r.fields, receivedDate: today }, { today, receivedDocumentId: null, scanId: 's1', types, idempotencyKey: 'k', allowDuplicate: false });
    expect(todayInput).toMatchObject({ receivedAt: null, fileIds: ['s1'], readerIds: null, allowDuplicate: null });
  });

  it('sends the chosen sổ văn bản đến, except for a secret document (always the secret register)', () => {
    const v: RegistrationValues = { ...emptyValues(today), issuer: { name: 'UBND xã A', agency: null }, subject: 'Đơn', type: 'name:Công văn', issuedDate: '01/12/2026', paperOnly: true, registerKey: 'INCOMING:DON_THU' };
    const r = checkRegistration(v, context);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const opts = { today, receivedDocumentId: null, scanId: null, types, idempotencyKey: 'k', allowDuplicate: false };
    expect(toRegisterInput(v, r.fields, opts).registerKey).toBe('INCOMING:DON_THU');
    expect(toRegisterInput({ ...v, registerKey: '' }, r.fields, opts).registerKey).toBeNull();
    expect(toRegisterInput({ ...v, secrecy: 'MAT' }, r.fields, opts).registerKey).toBeNull();
    expect(fieldOfApiError('input.registerKey')).toBe('registerKey');
  });

  it('maps server errors to fields and reads the duplicates of a CONFLICT', () => {
    expect(fieldOfApiError('input.issuerName')).toBe('issuer');
    expect(fieldOfApiError('input.receivedAt')).toBe('receivedDate');
    expect(fieldOfApiError('input.files.0')).toBe('files');
    expect(fieldOfApiError('input.somethingElse')).toBeUndefined();
    expect(duplicatesOf(new ApiError('CONFLICT', 'Trùng', { reason: 'DUPLICATE', duplicateOf: ['a', 'b'] }))).toEqual(['a', 'b']);
    expect(duplicatesOf(new ApiError('CONFLICT', 'Đã thay đổi'))).toBeNull();
  });
});
