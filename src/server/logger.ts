import { pino } from 'pino';
import type { Logger } from '../core/index.js';

// Past this much unwritten log output (stdout blocked by a stalled reader) lines are dropped rather than held in memory.
const MAX_BUFFERED_LOG_BYTES = 16 * 1024 * 1024;
const BATCH_BYTES = 4096;
const BATCH_MS = 200;

/**
 * Structured JSON logs on stdout; QUARRY_LOG_LEVEL=debug|info|warn|error|silent.
 *
 * Written asynchronously: pino's default synchronous `write(2)` of every access-log line ran on the event loop between
 * one response and the next request, and was the largest single item in a c=1 profile of a proxied call (about a
 * fifth of the gateway's time on this machine). Even asynchronous, one `write` call a line was 5% of a busy gateway's
 * CPU, so lines are gathered until 4 KiB or 200 ms have passed, whichever is first: a line reaches stdout at most
 * 200 ms late. pino flushes what is buffered on a normal exit and on an uncaught exception; only a SIGKILL can lose the
 * last lines, which is why usage records — not logs — are the durable account of what was served.
 */
export function createLogger(level = process.env.QUARRY_LOG_LEVEL ?? 'info'): Logger {
  const destination = pino.destination({ dest: 1, sync: false, minLength: BATCH_BYTES, periodicFlush: BATCH_MS, maxLength: MAX_BUFFERED_LOG_BYTES });
  return pino({ level, base: { service: 'quarry' }, timestamp: pino.stdTimeFunctions.isoTime }, destination) as unknown as Logger;
}
