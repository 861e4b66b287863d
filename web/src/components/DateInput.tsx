/**
 * A date typed and shown as dd/mm/yyyy, whatever the browser's locale (a native `<input type="date">`
 * follows the browser: in an en-US browser "15/12/2026" would be read as month 15). The value is the text
 * the user sees; forms parse it with the shared zod schemas `vnDate()` / `optionalVnDate()`
 * (schema/validation/dates.ts), which give YYYY-MM-DD or a Vietnamese message at the field.
 *
 * While typing, digits are grouped as dd/mm/yyyy ("15122026" → "15/12/2026"). Shortcut buttons (e.g.
 * "Hôm nay", "+5 ngày làm việc") set a date computed by the caller.
 */
import { forwardRef, type ChangeEvent, type InputHTMLAttributes } from 'react';
import { formatVnDate } from '../../../schema/validation/dates';
import type { ControlProps } from './documents/fields';

export interface DateShortcut {
  label: string;
  /** YYYY-MM-DD */
  value: string;
}

/**
 * Groups typed digits as dd/mm/yyyy. Text whose separators are only the mask's own (after two-digit groups, as
 * typed key by key: "13/102" → "13/10/2") is re-grouped; other text with separators ("6/12/2026") is kept.
 */
export function maskVnDate(text: string): string {
  if (/[/.-]/.test(text) && !/^(\d{2}\/){0,2}\d*$/.test(text)) return text.slice(0, 10);
  const digits = text.replace(/\D/g, '').slice(0, 8);
  if (digits.length <= 2) return digits;
  if (digits.length <= 4) return `${digits.slice(0, 2)}/${digits.slice(2)}`;
  return `${digits.slice(0, 2)}/${digits.slice(2, 4)}/${digits.slice(4)}`;
}

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type'> &
  Partial<ControlProps> & {
    value: string;
    onChange: (text: string) => void;
    shortcuts?: readonly DateShortcut[];
  };

export const DateInput = forwardRef<HTMLInputElement, Props>(function DateInput({ value, onChange, shortcuts, ...rest }, ref) {
  const input = (
    <input
      {...rest}
      ref={ref}
      type="text"
      inputMode="numeric"
      autoComplete="off"
      placeholder="dd/mm/yyyy"
      maxLength={10}
      value={value}
      onChange={(e: ChangeEvent<HTMLInputElement>) => onChange(maskVnDate(e.target.value))}
    />
  );
  if (!shortcuts?.length) return input;
  return (
    <span className="date-input">
      {input}
      {shortcuts.map((s) => (
        <button key={s.label} type="button" className="btn btn--link date-input__shortcut" onClick={() => onChange(formatVnDate(s.value))}>
          {s.label}
        </button>
      ))}
    </span>
  );
});
