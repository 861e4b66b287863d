/**
 * Times of meetings as Vietnamese agencies write them: "08:00 thứ Hai, 07/12/2026", always in Hà Nội time
 * (UTC+7, no daylight saving) whatever the browser's time zone. Pure helpers, no I/O.
 */
import { VN_TZ } from '../../components/documents/format';

const VN_OFFSET = '+07:00';

function parts(iso: string): Record<string, string> | null {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  const p = new Intl.DateTimeFormat('en-GB', {
    timeZone: VN_TZ,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    weekday: 'short',
    hourCycle: 'h23',
  }).formatToParts(d);
  return Object.fromEntries(p.map((x) => [x.type, x.value]));
}

/** An instant → `HH:mm` (Hà Nội time). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const p = parts(iso);
  return p ? `${p.hour}:${p.minute}` : '';
}

/** An instant → the Hà Nội date `YYYY-MM-DD`. */
export function isoDateVN(iso: string): string {
  const p = parts(iso);
  return p ? `${p.year}-${p.month}-${p.day}` : '';
}

/** Day of the week of a `YYYY-MM-DD` date: 1 = Monday … 7 = Sunday. */
export function weekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** A date `YYYY-MM-DD` and a time `HH:mm` in Hà Nội → an ISO instant. */
export function vnInstant(date: string, time: string): string {
  return new Date(`${date}T${time}:00${VN_OFFSET}`).toISOString();
}

/** `HH:mm` typed loosely ("8", "8h", "8:5", "0830") → `HH:mm`, or null. */
export function parseTime(text: string): string | null {
  const s = text.trim().toLowerCase().replace(/h$/, '').replace('h', ':');
  let m = /^(\d{1,2})(?::(\d{1,2}))?$/.exec(s);
  if (!m) {
    const four = /^(\d{2})(\d{2})$/.exec(s);
    if (!four) return null;
    m = four;
  }
  const h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

/** Seconds left of a speech: `speakingStartedAt + speakingSeconds − now` (negative when over time). */
export function secondsLeft(startedAt: string | null | undefined, allowed: number, now: number): number | null {
  if (!startedAt) return null;
  const start = Date.parse(startedAt);
  if (Number.isNaN(start)) return null;
  return Math.ceil((start + allowed * 1000 - now) / 1000);
}

/** Seconds → `m:ss` (with a minus sign when over time). */
export function formatCountdown(seconds: number): string {
  const sign = seconds < 0 ? '−' : '';
  const s = Math.abs(seconds);
  return `${sign}${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
