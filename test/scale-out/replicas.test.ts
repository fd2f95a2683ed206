import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { type AuditTables, verifyAuditChains } from '../../src/audit/index.js';
import { openStore } from '../../src/store/index.js';
import { deleteKeysWithPrefix, dropSchema } from '../support/scale-out-cleanup.js';
import { Replica, startBalancer, startMockUpstream } from './replica-harness.js';

/**
 * Three `quarry serve` processes on one PostgreSQL schema and one Redis key prefix, behind a round-robin balancer.
 * Mixed requests run while one replica is SIGKILLed and restarted. Needs the machine's PostgreSQL and Redis
 * (QUARRY_TEST_PG_URL, QUARRY_TEST_REDIS_URL, which CI sets).
 */
const PG_URL = process.env.QUARRY_TEST_PG_URL;
const REDIS_URL = process.env.QUARRY_TEST_REDIS_URL;
const API_KEY = 'qk-replicas-0123456789abcdef';
const LIMIT = 7;

type Kind = 'openai' | 'openai-stream' | 'converse';
interface Outcome {
  kind: Kind;
  ok: boolean;
  status: number;
  requestId?: string;
  /** The replica the balancer sent it to, and when the answer was complete. */
  servedBy?: string;
  doneAt: number;
}

function countBy(values: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

async function call(base: string, kind: Kind, model = 'acme.chat-v1:0'): Promise<Outcome> {
  const headers = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' };
  try {
    if (kind === 'converse') {
      const res = await fetch(`${base}/model/${model}/converse`, { method: 'POST', headers, body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hi' }] }] }) });
      const body = (await res.json()) as { output?: { message?: { content?: { text?: string }[] } } };
      const ok = res.status === 200 && body.output?.message?.content?.[0]?.text === 'hello from mock';
      return { kind, status: res.status, ok, requestId: res.headers.get('x-amzn-requestid') ?? undefined, servedBy: res.headers.get('x-test-replica') ?? undefined, doneAt: Date.now() };
    }
    const stream = kind === 'openai-stream';
    const res = await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'hi' }] }) });
    const text = await res.text();
    // A stream cut by a dying replica may have sent 200 already: only a stream that reached [DONE] is a success.
    const complete = stream ? text.includes('data: [DONE]') && text.includes('from mock') : text.includes('hello from mock');
    return { kind, status: res.status, ok: res.status === 200 && complete, requestId: res.headers.get('x-request-id') ?? undefined, servedBy: res.headers.get('x-test-replica') ?? undefined, doneAt: Date.now() };
  } catch {
    return { kind, status: 0, ok: false, doneAt: Date.now() };
  }
}

test('three replicas on PostgreSQL + Redis: a replica killed mid-load loses no metered success, doubles nothing; limits and the audit chain hold', {
  skip: PG_URL && REDIS_URL ? false : 'set QUARRY_TEST_PG_URL and QUARRY_TEST_REDIS_URL (the machine PostgreSQL and Redis) to run',
  timeout: 540_000,
}, async (t) => {
  const id = randomBytes(5).toString('hex');
  const schema = `quarry_rep_${id}`;
  const keyPrefix = `quarry-rep:${id}:`;
  const storeUrl = new URL(PG_URL!);
  storeUrl.searchParams.set('schema', schema);
  const dir = mkdtempSync(join(tmpdir(), 'quarry-replicas-'));
  const upstream = await startMockUpstream(40);
  const configFile = join(dir, 'quarry.yaml');
  writeFileSync(
    configFile,
    `store:
  url: ${JSON.stringify(storeUrl.toString())}
redis:
  url: ${JSON.stringify(REDIS_URL)}
  keyPrefix: ${JSON.stringify(keyPrefix)}
providers:
  - id: upstream
    type: openai-compatible
    baseUrl: ${upstream.url}/v1
    apiKey: mock
models:
  - id: acme.chat-v1:0
    provider: upstream
    upstreamModel: gpt-test
  - id: acme.limited-v1:0
    provider: upstream
    upstreamModel: gpt-test
quotas:
  models:
    acme.limited-v1:0: { requestsPerMinute: ${LIMIT} }
audit:
  dataPlane: true
`,
  );
  // One master key for all: the secrets keyring lives in the shared store (docs/scale-out.md).
  const env = { ...process.env, QUARRY_BOOTSTRAP_API_KEY: API_KEY, QUARRY_MASTER_KEY: randomBytes(32).toString('base64'), QUARRY_LOG_LEVEL: 'warn' };
  // Each replica has its own data dir (blobs stay local in this test); all state that matters is in PostgreSQL and Redis.
  const replicas = [0, 1, 2].map((i) => new Replica(`replica-${i}`, { configFile, dataDir: join(dir, `data-${i}`), env }));
  const balancer = await startBalancer(() => replicas.map((r) => r.url));
  try {
    // All three at once: concurrent migrations and bootstrap on an empty schema.
    await Promise.all(replicas.map((r) => r.start()));

    const outcomes: Outcome[] = [];
    const kinds: Kind[] = ['openai', 'openai-stream', 'converse'];
    const TOTAL = 150;
    let issued = 0;
    let killedAt = -1;
    let restartedAt = -1;
    let killedTime = 0;
    const victim = replicas[1]!;
    // Load continues past TOTAL until 30 requests have been answered with the restarted replica back in rotation.
    const more = () => issued < TOTAL || restartedAt < 0 || outcomes.length < restartedAt + 30;
    const worker = async () => {
      while (more()) {
        const n = issued++;
        if (n === 40) {
          killedAt = outcomes.length;
          await victim.kill();
          killedTime = Date.now();
        }
        if (n === 80) {
          await victim.start();
          restartedAt = outcomes.length;
        }
        outcomes.push(await call(balancer.url, kinds[n % kinds.length]!));
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    const succeeded = outcomes.filter((o) => o.ok);
    t.diagnostic(`${succeeded.length}/${outcomes.length} succeeded; kill after ${killedAt} answers, back after ${restartedAt}; failures by status: ${JSON.stringify(countBy(outcomes.filter((o) => !o.ok).map((o) => o.status)))}`);
    assert.ok(outcomes.some((o) => !o.ok), 'the kill cost some requests (else it happened outside the load)');
    assert.ok(succeeded.length >= outcomes.length * 0.5, 'most requests succeed');
    // Requests already in flight when it came back may predate it; from a few answers on, all succeed.
    const afterRestart = outcomes.slice(restartedAt + 6);
    assert.ok(afterRestart.length > 0 && afterRestart.every((o) => o.ok), 'after the restart every request succeeds again');
    for (const o of succeeded) assert.ok(o.requestId, `a success of kind ${o.kind} carries a request id`);

    const store = await openStore({ dataDir: dir, url: storeUrl.toString() });
    try {
      const rows = (await sql<{ request_id: string; n: number }>`select request_id, count(*)::int as n from usage_records group by request_id`.execute(store.db)).rows;
      const counts = new Map(rows.map((r) => [r.request_id, r.n]));
      const lost = succeeded.filter((o) => !counts.has(o.requestId!));
      assert.deepEqual(lost, [], 'every success is in usage_records');
      assert.deepEqual(
        rows.filter((r) => r.n > 1),
        [],
        'no request is metered twice',
      );
      for (const kind of kinds) assert.ok(succeeded.some((o) => o.kind === kind), `some ${kind} succeeded`);

      // The limit is shared through Redis: N per minute across all three replicas, not N on each.
      const limited = await Promise.all(Array.from({ length: LIMIT * 3 }, (_, i) => call(balancer.url, kinds[i % 2]!, 'acme.limited-v1:0')));
      const statuses = limited.map((o) => o.status);
      assert.equal(statuses.filter((s) => s === 200).length, LIMIT, `admitted across replicas: ${statuses.join(',')}`);
      assert.equal(statuses.filter((s) => s === 429).length, LIMIT * 2);

      // Audit events are written in batches a quarter second apart (src/audit/audit-log.ts): a SIGKILL may lose the
      // batch the victim held, and nothing else. Every success answered elsewhere, or by the victim after its restart, is recorded.
      // The live replicas' last batch may still be on its way: wait out a few flushes before calling anything missing.
      const excusable = (o: Outcome) => o.servedBy === victim.url && o.doneAt <= killedTime;
      let unaudited: Outcome[] = [];
      for (const deadline = Date.now() + 10_000; ; await new Promise((r) => setTimeout(r, 250))) {
        const audited = new Set((await sql<{ request_id: string }>`select request_id from audit_events`.execute(store.db)).rows.map((r) => r.request_id));
        unaudited = succeeded.filter((o) => !audited.has(o.requestId!));
        if (unaudited.every(excusable) || Date.now() > deadline) break;
      }
      t.diagnostic(`unaudited: ${unaudited.length} (all answered by the victim before its kill: ${unaudited.every(excusable)})`);
      assert.deepEqual(unaudited.filter((o) => !excusable(o)), [], 'every success not held by the killed replica is in the audit trail');
      // Appends from three processes (and one killed mid-write) leave every account's chain valid.
      const report = await verifyAuditChains(store.db.withTables<AuditTables>());
      t.diagnostic(`audit: ${report.eventsChecked} events in ${report.chains.length} chains`);
      assert.equal(report.valid, true, JSON.stringify(report.chains.filter((c) => !c.valid)));
    } finally {
      await store.close();
    }
  } catch (err) {
    for (const r of replicas) t.diagnostic(`${r.name} log tail:\n${r.log.slice(-3000)}`);
    throw err;
  } finally {
    await Promise.all(replicas.map((r) => r.stop()));
    await balancer.close();
    await upstream.close();
    await dropSchema(PG_URL!, schema);
    await deleteKeysWithPrefix(REDIS_URL!, keyPrefix);
    rmSync(dir, { recursive: true, force: true });
  }
});
