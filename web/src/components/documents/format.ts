/** Formatting of dates, sizes and document titles for the documents screens (Vietnamese conventions). */
import type { DocumentListItemFragment } from '../../graphql/generated';

/** Hà Nội time: the agencies' time zone (dates of documents and deadlines are local dates). */
export const VN_TZ = 'Asia/Ho_Chi_Minh';

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD` → `dd/mm/yyyy`. */
export function formatDate(date: string | null | undefined): string {
  if (!date) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : date;
}

function partsIn(iso: string): Record<string, string> | null {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: VN_TZ,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d);
  return Object.fromEntries(parts.map((p) => [p.type, p.value]));
}

/** An instant → `dd/mm/yyyy HH:mm` (Hà Nội time). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const p = partsIn(iso);
  return p ? `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}` : iso;
}

/** An instant → `dd/mm/yyyy` (Hà Nội time). */
export function formatDay(iso: string | null | undefined): string {
  if (!iso) return '';
  const p = partsIn(iso);
  return p ? `${p.day}/${p.month}/${p.year}` : iso;
}

/** Today in Hà Nội as `YYYY-MM-DD`. */
export function todayVN(now = new Date()): string {
  const p = partsIn(now.toISOString())!;
  return `${p.year}-${p.month}-${p.day}`;
}

/** `YYYY-MM-DD` plus `days`. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Whole days from today to `date` (negative when past). */
export function daysUntil(date: string, today = todayVN()): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} MB`;
}

/** "Kế hoạch 05/KH-UBND", or the type alone for a document without a number yet. */
export function documentTitle(doc: Pick<DocumentListItemFragment, 'typeName' | 'symbol'>): string {
  return doc.symbol ? `${doc.typeName} ${doc.symbol}` : doc.typeName;
}

/** A fresh key for idempotent mutations (issue, register). */
export function newIdempotencyKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
