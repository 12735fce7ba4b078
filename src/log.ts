import pino, { type Logger as PinoLogger } from 'pino';
import type { Config } from './config.js';

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** The pino logger underneath, for pino-http's request lines (src/http/request-log.ts). */
  readonly pino: PinoLogger;
}

/**
 * Headers that carry credentials. Request lines keep only method, route pattern, status, duration
 * and id (src/http/request-log.ts), so these never reach a line; the redaction is the second lock.
 */
export const REDACTED_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'headers.authorization',
  'password',
  'token',
  'key',
  'body',
];

/**
 * A JSON-lines logger (pino; UTC ISO timestamps, `level` as a word). JSON escaping means a forged
 * value cannot start a fake log line. Callers pass ids and reason codes, never message text,
 * passwords, session ids or health data. `write` receives each line (tests read the log with it).
 */
export function createLogger(level: Config['logLevel'], write?: (line: string) => void): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  const base = write ? pino(options, { write }) : pino(options);
  const at =
    (lvl: 'debug' | 'info' | 'warn' | 'error') =>
    (msg: string, fields: LogFields = {}) =>
      base[lvl](fields, msg);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), pino: base };
}
