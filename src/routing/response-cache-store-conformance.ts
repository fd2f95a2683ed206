import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ModelInfo } from '../core/index.js';
import type { CachedAnswer, ResponseCacheStore } from './response-cache-store.js';

export interface StoreFixture {
  store: ResponseCacheStore;
  /** A second handle on the same entries (another replica's), where the store is shared; the same store otherwise. */
  peer: ResponseCacheStore;
  cleanup(): Promise<void>;
}

const model: ModelInfo = { id: 'acme.chat-v1:0', name: 'Chat', providerId: 'p', kind: 'text', runsOn: 'remote' } as ModelInfo;

const answer = (text: string): CachedAnswer => ({
  model,
  usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 },
  result: {
    message: { role: 'assistant', content: [{ text }, { image: { format: 'png', source: { bytes: new Uint8Array([0, 1, 254, 255]) } } }] },
    stopReason: 'end_turn',
    usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 },
    latencyMs: 7,
  } as CachedAnswer['result'],
  size: 300,
});

const textOf = async (s: ResponseCacheStore, k: string) => ((await s.get(k))?.result?.message.content[0] as { text: string } | undefined)?.text;

/** What every response-cache store must do; each implementation runs it (DESIGN.md: one suite per interface). */
export function responseCacheStoreConformance(name: string, open: () => Promise<StoreFixture>, opts: { skip?: string | false } = {}): void {
  describe(`${name}: response cache store conformance`, { skip: opts.skip }, () => {
    test('a stored answer reads back equal, bytes included, through the peer too', async () => {
      const f = await open();
      try {
        assert.equal(await f.store.get('k1'), undefined);
        await f.store.set('k1', answer('hello'), 60_000);
        for (const s of [f.store, f.peer]) {
          const got = await s.get('k1');
          assert.deepEqual(got, answer('hello'));
          const img = (got!.result!.message.content[1] as { image: { source: { bytes: Uint8Array } } }).image.source.bytes;
          assert.ok(img instanceof Uint8Array);
        }
      } finally {
        await f.cleanup();
      }
    });

    test('an entry expires after its TTL; delete removes it; set replaces', async () => {
      const f = await open();
      try {
        await f.store.set('short', answer('a'), 40);
        await f.store.set('long', answer('b'), 60_000);
        await f.store.set('long', answer('c'), 60_000);
        assert.equal(await textOf(f.peer, 'long'), 'c');
        await sleep(120);
        assert.equal(await f.store.get('short'), undefined);
        await f.peer.delete('long');
        assert.equal(await f.store.get('long'), undefined);
      } finally {
        await f.cleanup();
      }
    });

    test('keys with odd characters stay apart', async () => {
      const f = await open();
      try {
        await f.store.set('a:b', answer('1'), 60_000);
        await f.store.set('a', answer('2'), 60_000);
        assert.equal(await textOf(f.peer, 'a:b'), '1');
        assert.equal(await textOf(f.peer, 'a'), '2');
        assert.equal(await textOf(f.peer, 'b'), undefined);
      } finally {
        await f.cleanup();
      }
    });
  });
}
