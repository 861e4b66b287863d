/**
 * Issue "Trust", finding 6: live updates stopped for good after a PostgreSQL restart (LISTEN was retried
 * once). A private embedded PostgreSQL is really stopped and started again (twice, the second time after a
 * longer outage, so several reconnect tries fail first; the PostgreSQL runs in a helper process,
 * security-pubsub-pg.script.ts); the pub/sub reconnects, says so with a local
 * `reconnected` event, and events flow again.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { createPgEventTarget, RECONNECTED_TOPIC, retryDelay, type PgEventTarget } from '../../../server/src/infra/pubsub/pg-event-target';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });

/** Resolves with the next event of `type` (rejects after `ms`, so a broken reconnect fails instead of hanging). */
const nextEvent = (t: EventTarget, type: string, ms = 45_000) =>
  new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${type}" event`)), ms);
    t.addEventListener(
      type,
      (e) => {
        clearTimeout(timer);
        resolve((e as CustomEvent).detail);
      },
      { once: true },
    );
  });

/** The helper process running PostgreSQL: send a command, get its answer line. */
class PgProcess {
  private readonly lines: string[] = [];
  private waiter: ((l: string) => void) | null = null;
  constructor(readonly child: ChildProcessByStdio<Writable, Readable, null>) {
    readline.createInterface({ input: child.stdout }).on('line', (l) => {
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = null;
        w(l);
      } else this.lines.push(l);
    });
  }
  next(): Promise<string> {
    const l = this.lines.shift();
    if (l !== undefined) return Promise.resolve(l);
    return new Promise((resolve, reject) => {
      this.waiter = resolve;
      this.child.once('exit', (code) => reject(new Error(`PostgreSQL helper exited (${code})`)));
    });
  }
  async send(cmd: 'stop' | 'start' | 'exit'): Promise<string> {
    this.child.stdin.write(`${cmd}\n`);
    return this.next();
  }
}

describe('pub/sub across a PostgreSQL restart (finding 6)', () => {
  let dataDir: string;
  let pg: PgProcess;
  let url: string;
  let events: PgEventTarget | null = null;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvan-pubsub-'));
    fs.chmodSync(dataDir, 0o755);
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'security-pubsub-pg.script.ts'), dataDir, String(port)], {
      env: { ...process.env, LOG_LEVEL: 'silent' },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    pg = new PgProcess(child);
    url = (await pg.next()).replace(/^READY /, '');
  }, 120_000);

  afterAll(async () => {
    await events?.close();
    if (pg && pg.child.exitCode === null) {
      await pg.send('exit').catch(() => undefined);
      if (pg.child.exitCode === null) pg.child.kill('SIGTERM');
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('back-off doubles from the minimum up to the cap, for ever', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 10, 1000].map((a) => retryDelay(a, 500, 30_000, mid))).toEqual([500, 1000, 2000, 4000, 30_000, 30_000]);
  });

  it('reconnects after each restart, announces it, and events flow again', async () => {
    expect(url).toMatch(/^postgres/);
    events = await createPgEventTarget(url, { minRetryDelayMs: 50, maxRetryDelayMs: 400 });
    const hookCalls: number[] = [];
    events.onReconnected((info) => hookCalls.push(info.attempts));

    const first = nextEvent(events, 'inboxChanged:a1');
    events.dispatchEvent(new CustomEvent('inboxChanged:a1', { detail: { n: 1 } }));
    expect(await first).toEqual({ n: 1 });

    for (const round of [1, 2]) {
      const reconnected = nextEvent(events, RECONNECTED_TOPIC);
      expect(await pg.send('stop')).toBe('STOPPED');
      if (round === 2) {
        // A longer outage: tries fail while nothing listens on the port.
        const failing = await createPgEventTarget(url).then(
          async (t) => {
            await t.close();
            return 'connected';
          },
          () => 'refused',
        );
        expect(failing).toBe('refused');
      }
      expect(await pg.send('start')).toBe(`READY ${url}`);
      expect(await reconnected).toEqual({ at: expect.any(String) });
      expect(events.listening).toBe(true);

      const again = nextEvent(events, 'inboxChanged:a1');
      events.dispatchEvent(new CustomEvent('inboxChanged:a1', { detail: { n: round + 1 } }));
      expect(await again).toEqual({ n: round + 1 });
    }
    expect(hookCalls).toHaveLength(2);
    expect(hookCalls.every((n) => n >= 1)).toBe(true);
  }, 180_000);
});
