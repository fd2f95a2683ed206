import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../core/index.js';
import type { BreakerSync } from './breaker-sync.js';
import type { CircuitBreaker } from './circuit-breaker.js';

export interface RedisBreakerSyncOptions {
  /** Commands (the key and the publish); a second connection is made from it for the subscription. */
  redis: Redis;
  /** Prefix of the keys and the channel (the configured `redis.keyPrefix` plus the breakers' own segment). */
  keyPrefix: string;
  log: Logger;
}

// What peers publish; anything else on the channel is ignored (another version, or junk).
const eventSchema = z.object({
  from: z.string().max(64),
  id: z.string().min(1).max(512),
  state: z.enum(['open', 'closed']),
  remainingMs: z.number().finite().nonnegative().max(3_600_000),
});

const WARN_EVERY_MS = 30_000;

/**
 * Breakers shared through Redis. A transition is published on one channel that every replica subscribes to, so the
 * others follow within a round trip, and an open breaker is also kept as a key that expires with its cooldown, so a
 * replica that starts (or first routes to the deployment) during the cooldown finds it open too. Peers apply what
 * they receive without publishing it again. Redis errors are logged (once per 30 s) and otherwise ignored: every
 * breaker keeps working on its own replica's evidence, which is the state without sharing.
 */
export class RedisBreakerSync implements BreakerSync {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly instance = randomUUID();
  private readonly channel: string;
  private readonly sub: Redis;
  private lastWarning = 0;

  constructor(private readonly o: RedisBreakerSyncOptions) {
    this.channel = `${o.keyPrefix}events`;
    // A subscribed connection cannot send other commands. Its offline queue holds the SUBSCRIBE until it connects;
    // it subscribes again on every reconnection ('ready'), which covers a Redis that was down at startup.
    this.sub = o.redis.duplicate({ lazyConnect: true, enableOfflineQueue: true });
    this.sub.on('error', (err) => this.warn(err, 'breaker sync subscription error'));
    this.sub.on('ready', () => void this.sub.subscribe(this.channel).catch((err) => this.warn(err, 'breaker sync could not subscribe')));
    this.sub.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.receive(message);
    });
    this.sub.connect().catch((err) => this.warn(err, 'breaker sync could not connect; breakers stay local until it does'));
  }

  attach(id: string, breaker: CircuitBreaker): void {
    this.breakers.set(id, breaker);
    breaker.onChange = (state, cooldownMs) => this.share(id, state, cooldownMs);
    this.o.redis.pttl(this.key(id)).then(
      (ms) => {
        if (ms > 0 && breaker.state === 'closed') breaker.openFromPeer(ms);
      },
      (err) => this.warn(err, 'breaker sync could not read a shared breaker'),
    );
  }

  async close(): Promise<void> {
    for (const b of this.breakers.values()) b.onChange = undefined;
    this.sub.disconnect();
  }

  private share(id: string, state: 'open' | 'closed', cooldownMs: number): void {
    const event = JSON.stringify({ from: this.instance, id, state, remainingMs: cooldownMs });
    const m = this.o.redis.multi();
    if (state === 'open') m.set(this.key(id), this.instance, 'PX', cooldownMs);
    else m.del(this.key(id));
    m.publish(this.channel, event)
      .exec()
      .catch((err) => this.warn(err, 'breaker sync could not share a transition'));
  }

  private receive(message: string): void {
    let parsed: z.infer<typeof eventSchema>;
    try {
      const r = eventSchema.safeParse(JSON.parse(message));
      if (!r.success) return;
      parsed = r.data;
    } catch {
      return;
    }
    if (parsed.from === this.instance) return;
    const b = this.breakers.get(parsed.id);
    if (!b) return;
    if (parsed.state === 'open') b.openFromPeer(parsed.remainingMs);
    else b.closeFromPeer();
  }

  private key(id: string): string {
    return `${this.o.keyPrefix}open:${id}`;
  }

  private warn(err: unknown, msg: string): void {
    const now = Date.now();
    if (now - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = now;
    this.o.log.warn({ err }, msg);
  }
}
