import { pino } from 'pino';
import type { Logger } from '../core/index.js';

/** Structured JSON logs on stdout; QUARRY_LOG_LEVEL=debug|info|warn|error|silent. */
export function createLogger(level = process.env.QUARRY_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service: 'quarry' }, timestamp: pino.stdTimeFunctions.isoTime }) as unknown as Logger;
}
