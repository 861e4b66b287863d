import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { Client, Provider, type Operation } from 'urql';
import { filter, merge, never, pipe, tap } from 'wonka';
import { CopyDialog, ReturnDialog, parsePages } from './IssuingSection';

// Records what would be sent; answers nothing: these tests are about the forms' rules before any request.
const sent: Operation[] = [];
const recording = new Client({
  url: 'http://localhost/graphql',
  exchanges: [
    () => (ops$) =>
      pipe(
        ops$,
        tap((op) => {
          if (op.kind === 'mutation') sent.push(op);
        }),
        filter(() => false),
        // never answers
        (s) => merge([s, never]),
      ),
  ],
});
const wrap = (ui: ReactNode) =>
  render(
    <MemoryRouter>
      <Provider value={recording}>{ui}</Provider>
    </MemoryRouter>,
  );
beforeAll(() => {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
});
beforeEach(() => {
  sent.length = 0;
});

describe('parsePages (trích sao)', () => {
  it('reads "1, 3-4" and refuses anything else', () => {
    expect(parsePages('1, 3-4')).toEqual([1, 3, 4]);
    expect(parsePages(' 2 ,2')).toEqual([2]);
    expect(parsePages('')).toBeNull();
    expect(parsePages('0')).toBeNull();
    expect(parsePages('4-3')).toBeNull();
    expect(parsePages('a')).toBeNull();
  });
});

describe('Trả lại để sửa thể thức', () => {
  it('requires the reason before anything is sent', async () => {
    wrap(<ReturnDialog documentId="d1" onClose={() => undefined} onDone={() => undefined} />);
    fireEvent.click(screen.getByRole('button', { name: 'Trả lại' }));
    expect(await screen.findByText('Phải nêu lỗi thể thức cần sửa.')).toBeTruthy();
    expect(sent).toHaveLength(0);
    fireEvent.change(screen.getByLabelText(/Lỗi thể thức cần sửa/), { target: { value: 'Thiếu dòng KT. CHỦ TỊCH' } });
    fireEvent.click(screen.getByRole('button', { name: 'Trả lại' }));
    await waitFor(() => expect(sent.map((o) => o.variables)).toEqual([{ documentId: 'd1', reason: 'Thiếu dòng KT. CHỦ TỊCH' }]));
  });
});

describe('Sao văn bản', () => {
  it('offers sao y and trích sao for an original (pages required for trích sao), sao lục for a sao y', async () => {
    const { unmount } = wrap(<CopyDialog documentId="d1" copyForm={null} onClose={() => undefined} onDone={() => undefined} />);
    const select = screen.getByLabelText(/Hình thức sao/) as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual(['SY', 'TrS']);
    fireEvent.change(select, { target: { value: 'TrS' } });
    fireEvent.click(await screen.findByRole('button', { name: 'Sao và ký số' }));
    expect(await screen.findByText('Nhập số trang, ví dụ: 1, 3-4.')).toBeTruthy();
    expect(sent).toHaveLength(0);
    fireEvent.change(screen.getByLabelText(/Các trang trích sao/), { target: { value: '1-2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sao và ký số' }));
    await waitFor(() => expect(sent.map((o) => o.variables)).toEqual([{ input: { sourceDocumentId: 'd1', form: 'TrS', pages: [1, 2] } }]));
    unmount();
    wrap(<CopyDialog documentId="d2" copyForm="SY" onClose={() => undefined} onDone={() => undefined} />);
    expect([...(screen.getByLabelText(/Hình thức sao/) as HTMLSelectElement).options].map((o) => o.value)).toEqual(['SL']);
  });
});
