/**
 * The process logger (pino). Errors are serialised without what they may carry of users' data: database
 * driver errors (knex/MikroORM put the SQL with its parameters, e.g. the trích yếu of a secret document, into
 * the message, and PostgreSQL puts key values into `detail`) keep only PostgreSQL's own message and codes.
 */
import pino from 'pino';

const level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info');
/** Human-readable logs on an interactive terminal (npm start); JSON lines everywhere else (production, CI). */
const pretty = process.env.LOG_FORMAT === 'pretty' || (process.env.LOG_FORMAT !== 'json' && process.stdout.isTTY && process.env.NODE_ENV !== 'production');

/** Fields of driver errors that may hold SQL text or values. */
const DB_DATA_FIELDS = ['query', 'sql', 'parameters', 'params', 'bindings', 'detail', 'where', 'internalQuery', 'hint', 'sqlMessage', 'errmsg'];

const isDriverError = (e: Record<string, unknown>): boolean =>
  typeof e.sqlState === 'string' || (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && ('severity' in e || 'routine' in e));

/**
 * The message of a driver error without the SQL: knex formats it as `<sql with values inlined> - <pg message>`,
 * and the SQL may itself contain ` - `, so only what follows the last separator is kept.
 */
export function driverMessage(message: string): string {
  const i = message.lastIndexOf(' - ');
  return i >= 0 ? message.slice(i + 3) : message;
}

/** pino's error serialiser, with database errors stripped of SQL, parameters and key values (recursively in `cause`). */
export function safeErrorSerializer(err: unknown): unknown {
  if (!err || typeof err !== 'object') return err;
  const out = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  const src = err as Record<string, unknown>;
  if (isDriverError(src)) {
    const msg = driverMessage(String(src.message ?? ''));
    out.message = msg;
    const stack = typeof out.stack === 'string' ? out.stack.split('\n').filter((l) => l.trim().startsWith('at ')) : [];
    out.stack = [`${String(out.type ?? 'Error')}: ${msg}`, ...stack].join('\n');
    for (const f of DB_DATA_FIELDS) delete out[f];
  }
  if (src.cause && typeof src.cause === 'object') out.cause = safeErrorSerializer(src.cause);
  return out;
}

export const logger = pino({
  level,
  base: { svc: process.env.CONGVAN_PROCESS ?? 'congvan' },
  redact: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token', '*.variables', '*.parameters', '*.params'],
  serializers: { err: safeErrorSerializer, error: safeErrorSerializer },
  ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
});
export type Logger = pino.Logger;
