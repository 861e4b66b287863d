import pino from 'pino';

const level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info');
/** Human-readable logs on an interactive terminal (npm start); JSON lines everywhere else (production, CI). */
const pretty = process.env.LOG_FORMAT === 'pretty' || (process.env.LOG_FORMAT !== 'json' && process.stdout.isTTY && process.env.NODE_ENV !== 'production');

export const logger = pino({
  level,
  base: { svc: process.env.CONGVAN_PROCESS ?? 'congvan' },
  redact: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'],
  ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
});
export type Logger = pino.Logger;
