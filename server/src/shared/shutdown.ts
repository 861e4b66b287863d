/**
 * Graceful stop of a process (npm start's supervisor, the API, the workers): `stop` runs once, then the
 * process exits 0 (1 if `stop` failed).
 *
 * Triggers: SIGINT, SIGTERM, SIGHUP, and, in a child forked by `npm start`, the loss of the IPC channel
 * (the supervisor died: an orphan must not run on). One Ctrl-C can arrive several times within
 * milliseconds (from the terminal to the whole group, forwarded again by npm and by tsx): signals within
 * DUPLICATE_WINDOW_MS of the first are that same request. A signal after that forces the exit.
 */
import { logger } from './logger';

const DUPLICATE_WINDOW_MS = 2000;

export function onShutdown(stop: (signal: string) => Promise<void>): void {
  let startedAt: number | undefined;
  const handler = (signal: string) => {
    if (startedAt !== undefined) {
      if (signal === 'disconnect' || Date.now() - startedAt < DUPLICATE_WINDOW_MS) return;
      logger.warn({ signal }, 'forced exit');
      process.exit(1);
    }
    startedAt = Date.now();
    stop(signal).then(
      () => process.exit(0),
      (e) => {
        logger.error({ err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, handler);
  if (process.connected) process.once('disconnect', () => handler('disconnect'));
}
