/**
 * A refusal about the scan uploaded beforehand (input.fileIds, e.g. its signature blocks registration) is shown
 * once, at the scan — not again under "Tệp đính kèm khác" (ReceiptSection); one about the other uploaded files
 * (input.files) is shown there.
 */
import { act, render, screen } from '@testing-library/react';
import { FormProvider, useForm, type UseFormReturn } from 'react-hook-form';
import { emptyValues, fieldOfApiError, serverErrorType, SCAN_ERROR_TYPE, type RegistrationContext, type RegistrationValues } from './form';
import { ReceiptSection } from './sections/ReceiptSection';

const today = '2026-12-06';
const context: RegistrationContext = { today, received: false, withScan: true, peopleAvailable: true, messages: { files: 'Vui lòng đính kèm bản quét.', readers: 'Chọn người được xem.' } };
let form: UseFormReturn<RegistrationValues, RegistrationContext, RegistrationValues>;

function Harness() {
  form = useForm<RegistrationValues, RegistrationContext, RegistrationValues>({ defaultValues: emptyValues(today), context });
  return (
    <FormProvider {...form}>
      <ReceiptSection today={today} received={false} withScan secret={false} />
    </FormProvider>
  );
}

const serverError = (field: string, message: string) =>
  act(() => form.setError(fieldOfApiError(field)!, { type: serverErrorType(field), message }));

describe('where a refusal about the files is shown', () => {
  it('classifies the server field: fileIds → the scan, files → the other files', () => {
    expect(serverErrorType('input.fileIds')).toBe(SCAN_ERROR_TYPE);
    expect(serverErrorType('fileIds')).toBe(SCAN_ERROR_TYPE);
    expect(serverErrorType('input.files.0')).toBe('server');
    expect(serverErrorType(undefined)).toBe('server');
  });

  it('a scan refusal is not repeated under "Tệp đính kèm khác"; a refusal of the other files is', () => {
    render(<Harness />);
    serverError('input.fileIds', 'Không vào sổ được tệp "quet.pdf": chữ ký không hợp lệ');
    expect(screen.queryByText(/quet\.pdf/)).toBeNull();
    serverError('input.files', 'Không vào sổ được tệp "kem.pdf": chữ ký không hợp lệ');
    expect(screen.getByText(/kem\.pdf/)).toBeTruthy();
  });
});
