import { formatVnDate } from '../../../../schema/validation/dates';

const VN_OFFSET_MS = 7 * 3600_000;

/** An instant as dd/mm/yyyy hh:mm in Vietnam time, whatever the browser's zone and locale. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const v = new Date(d.getTime() + VN_OFFSET_MS).toISOString();
  return `${formatVnDate(v.slice(0, 10))} ${v.slice(11, 16)}`;
}
