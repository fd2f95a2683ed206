import { Redis } from 'ioredis';
import type { Logger } from '../core/index.js';

// A command that has not answered in this long is treated as Redis being down (the limiter then fails open or closed)
// rather than holding every request behind it.
const COMMAND_TIMEOUT_MS = 1000;
const WARN_EVERY_MS = 30_000;

/**
 * The server's Redis connection for counters shared by replicas. Commands fail at once while disconnected (no offline
 * queue): a request must not wait for Redis to come back. Reconnection goes on in the background, and a Redis that is
 * down at startup does not stop the server.
 */
export async function connectRedis(url: string, log: Logger): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  let lastWarning = 0;
  // ioredis reports every failed reconnection as an 'error' event; one line per outage window is enough.
  redis.on('error', (err) => {
    const now = Date.now();
    if (now - lastWarning < WARN_EVERY_MS) return;
    lastWarning = now;
    log.warn({ err, redis: redacted(url) }, 'Redis connection error');
  });
  try {
    await redis.connect();
  } catch (err) {
    log.warn({ err, redis: redacted(url) }, 'Redis is not reachable at startup; retrying in the background');
  }
  return redis;
}

/** The URL without its password, for logs. */
function redacted(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis (unparseable URL)';
  }
}
