import pino from 'pino';

export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: { svc: process.env.CONGVAN_PROCESS ?? 'congvan' },
  redact: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'],
});
export type Logger = pino.Logger;
