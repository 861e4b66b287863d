/**
 * Waiting in a test for what happens on its own time (a job, the exchange, a subscription, a page that re-renders):
 * `read` again until the value is there, and return it. After `timeoutMs` it throws, naming what it waited for and
 * the last value read. The timeout only ends a wait that would otherwise hang: never a timing assertion.
 *
 *   until('the 01 from Sở Nội vụ', async () => (await recipient()).statusCode === '01')      // until truthy
 *   until('one row in Chờ bút phê', () => boxCount(page), (n) => n === 1, 20_000)            // until ok(value)
 */
type Falsy = false | null | undefined | 0 | '';

const POLL_MS = 100;

export function until<T>(what: string, read: () => Promise<T | Falsy> | T | Falsy, timeoutMs?: number): Promise<T>;
export function until<T>(what: string, read: () => Promise<T> | T, ok: (value: T) => boolean, timeoutMs?: number): Promise<T>;
export async function until<T>(what: string, read: () => Promise<T> | T, okOrTimeout?: ((value: T) => boolean) | number, maybeTimeout?: number): Promise<T> {
  const ok = typeof okOrTimeout === 'function' ? okOrTimeout : (v: T) => Boolean(v);
  const timeoutMs = (typeof okOrTimeout === 'number' ? okOrTimeout : maybeTimeout) ?? 60_000;
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > end) throw new Error(`still waiting for ${what} after ${timeoutMs / 1000} s; last read: ${show(value)}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

function show(v: unknown): string {
  try {
    const s = typeof v === 'string' ? v : JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 300 ? `${s.slice(0, 300)}…` : s;
  } catch {
    return String(v);
  }
}
