import { render, screen, fireEvent } from '@testing-library/react';
import { useState } from 'react';
import { DateInput, maskVnDate } from './DateInput';
import { vnDate } from '../../../schema/validation/dates';

function Harness({ onValid }: { onValid: (iso: string | null) => void }) {
  const [text, setText] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const r = vnDate().safeParse(text);
        onValid(r.success ? r.data : null);
      }}
    >
      <label htmlFor="d">Hạn</label>
      <DateInput id="d" value={text} onChange={setText} shortcuts={[{ label: 'Hôm nay', value: '2026-12-06' }]} />
      <button type="submit">Lưu</button>
    </form>
  );
}

describe('DateInput', () => {
  it('groups typed digits as dd/mm/yyyy', () => {
    expect(maskVnDate('15122026')).toBe('15/12/2026');
    expect(maskVnDate('151')).toBe('15/1');
    expect(maskVnDate('6/12/2026')).toBe('6/12/2026');
    expect(maskVnDate('13/1/2026')).toBe('13/1/2026');
    // typed key by key: each keystroke appends to the masked text
    let text = '';
    for (const key of '13102026') text = maskVnDate(text + key);
    expect(text).toBe('13/10/2026');
  });

  it('is a text field whatever the locale, read day first', () => {
    const seen: (string | null)[] = [];
    render(<Harness onValid={(v) => seen.push(v)} />);
    const input = screen.getByLabelText('Hạn') as HTMLInputElement;
    expect(input.type).toBe('text');
    fireEvent.change(input, { target: { value: '15122026' } });
    expect(input.value).toBe('15/12/2026');
    fireEvent.click(screen.getByText('Lưu'));
    fireEvent.change(input, { target: { value: '31/02/2026' } });
    fireEvent.click(screen.getByText('Lưu'));
    fireEvent.click(screen.getByText('Hôm nay'));
    expect(input.value).toBe('06/12/2026');
    expect(seen).toEqual(['2026-12-15', null]);
  });
});
