import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/**
 * Redis for tests: the server named by QUARRY_TEST_REDIS_URL (CI sets it; without it the Redis tests say they are
 * skipped and why). Each fixture uses a key prefix of its own and deletes its keys afterwards.
 */
export const REDIS_URL = process.env.QUARRY_TEST_REDIS_URL;
export const REDIS_SKIP: string | false = REDIS_URL ? false : 'set QUARRY_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379) to run the Redis tests';

export function testPrefix(): string {
  return `quarry-test:${randomBytes(6).toString('hex')}:`;
}

export function testRedis(): Redis {
  return new Redis(REDIS_URL!, { maxRetriesPerRequest: 1, lazyConnect: false });
}

/** Deletes every key under the prefix (SCAN, never KEYS: the server may be shared). */
export async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}
