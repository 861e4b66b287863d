import { Icon } from '../../../components/Icon';

/** An error under a table cell's control. */
export function CellError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p className="doc-field__error" role="alert">
      <Icon name="alert" /> {message}
    </p>
  );
}

/**
 * The form path of a server error's field: "incomingRegisters.1.key" with prefix "incomingRegisters" → "registers.1.code"
 * (prefix replaced by `formPrefix`, last segment renamed by `rename`). null when the field is not under the prefix.
 */
export function serverFieldPath(field: string | undefined, prefix: string, formPrefix: string, rename: Record<string, string> = {}): string | null {
  if (!field) return null;
  const parts = field.replace(/^input\./, '').split('.');
  if (parts[0] !== prefix) return null;
  const rest = parts.slice(1).map((p) => rename[p] ?? p);
  return [formPrefix, ...rest].join('.');
}
