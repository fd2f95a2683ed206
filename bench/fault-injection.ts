// Routing under faults, routing overhead, and the response cache.
//   node --import tsx bench/fault-injection.ts [--seconds 10] [--concurrency 20] [--fail-rate 0.3] [--breaker-rate 0.25]
//                                              [--rounds 3] [--parts a,b,c]
//
// A. Fault injection over HTTP: Quarry (production server, its own process) routes acme.chat-v1:0 over three
//    deployments on loopback upstreams (a third process): east and west healthy, flaky failing `fail-rate` of its
//    requests (500, 503, 429 with Retry-After, connection resets, hangs). A closed-loop client (this process; a
//    quarter of the requests streamed) runs four phases: baseline (all healthy), steady (flaky at fail-rate), outage
//    (flaky fails everything), recovery (flaky healthy again). The breaker opens at `breaker-rate` failures. Afterwards the usage records in Quarry's SQLite store are counted against
//    the successes the client saw.
// B. Routing overhead, in process: Runtime.converse on a provider that answers at once, routing disabled vs enabled
//    (one implicit deployment; three deployments with fallbacks), interleaved rounds, median per call.
// C. Response cache: in process (a hit through Runtime.converse) and over HTTP (hits vs the same requests told to skip
//    the cache, `x-quarry-cache: off`), interleaved rounds.
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { Pool } from 'undici';
import type { UsageMeter } from '../src/billing/index.js';
import { type ConverseResult, type ModelProvider, silentLogger, usageOf } from '../src/core/index.js';
import type { Metrics } from '../src/metrics/index.js';
import { ModelCatalog } from '../src/models/index.js';
import { ExactResponseCache, LruResponseCacheStore, responseCacheConfigSchema } from '../src/routing/index.js';
import { type InvocationContext, Runtime } from '../src/runtime/index.js';
import { parseConfig } from '../src/server/config.js';
import { createLogger } from '../src/server/logger.js';
import { startQuarry } from '../src/server/quarry-server.js';
import { standardRoutes } from '../src/server/standard-routes.js';
import { type Fault, startFaultUpstream } from '../test/routing/fault-upstream.js';
import { runLoad } from './load.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const self = fileURLToPath(import.meta.url);
const API_KEY = 'qk-bench-0123456789abcdef';
const MODEL = 'acme.chat-v1:0';
// Generous for a loopback upstream, because this shared machine stalls processes for hundreds of milliseconds.
const ATTEMPT_TIMEOUT_MS = 1000;
const MAX_BACKOFF_MS = 50;

/** Seeded, so a run's fault sequence can be replayed. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647;
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Child roles.

async function upstreamRole(): Promise<void> {
  const [east, west, flaky] = await Promise.all([startFaultUpstream('east'), startFaultUpstream('west'), startFaultUpstream('flaky')]);
  let failRate = 0;
  const rng = lcg(42);
  // The failure mix: mostly server errors and throttling, some dropped connections, a few hangs.
  const pick = (): Fault => {
    const x = rng();
    if (x < 0.35) return { status: 500 };
    if (x < 0.55) return { status: 503 };
    if (x < 0.75) return { status: 429, retryAfterS: 1 };
    if (x < 0.95) return 'reset';
    return 'hang';
  };
  flaky.setPlan(() => (rng() < failRate ? pick() : 'ok'));
  process.on('message', (m: { failRate?: number }) => {
    if (typeof m.failRate === 'number') failRate = m.failRate;
    process.send?.({ ack: true });
  });
  process.send?.({ urls: { east: east.baseUrl, west: west.baseUrl, flaky: flaky.baseUrl } });
}

function quarryConfig(variant: string, urls: Record<string, string>, breakerRate: number): string {
  const providers = Object.entries(urls)
    .map(([id, url]) => `  - { id: ${id}, type: openai-compatible, baseUrl: "${url}", apiKey: bench, timeoutMs: 10000 }\n`)
    .join('');
  const model = `  - { id: "${MODEL}", provider: east, upstreamModel: gpt-test, pricing: { inputPer1k: 0.0005, outputPer1k: 0.0015 } }\n`;
  if (variant === 'cache') return `providers:\n${providers}models:\n${model}responseCache: { ttlMs: 600000 }\n`;
  return `providers:\n${providers}models:\n${model}routing:
  strategy: least-outstanding
  retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: ${MAX_BACKOFF_MS} }
  breaker: { consecutiveFailures: 5, failureRate: ${breakerRate}, window: 20, minCalls: 10, cooldownMs: 1000 }
  attemptTimeoutMs: ${ATTEMPT_TIMEOUT_MS}
  firstTokenTimeoutMs: ${ATTEMPT_TIMEOUT_MS}
deployments:
  - { id: east, model: "${MODEL}", provider: east, region: us-east-1 }
  - { id: west, model: "${MODEL}", provider: west, region: us-west-2 }
  - { id: flaky, model: "${MODEL}", provider: flaky, region: eu-west-1 }
`;
}

async function quarryRole(variant: string, urls: Record<string, string>, dataDir: string, breakerRate: number): Promise<void> {
  const server = await startQuarry({
    config: parseConfig(quarryConfig(variant, urls, breakerRate), {}),
    dataDir,
    port: 0,
    log: createLogger('info'),
    autoProviders: false,
    routes: standardRoutes,
    env: { QUARRY_BOOTSTRAP_API_KEY: API_KEY },
  });
  process.on('message', (m: { type?: string }) => {
    if (m.type === 'health') process.send?.({ health: server.runtime.router.health(), cache: server.runtime.cache?.stats() });
  });
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
  process.send?.({ port: server.port });
}

// ---------------------------------------------------------------------------------------------------------------------
// The coordinator.

const outDir = join(here, '.out');

function start(args: string[], logName: string): Promise<{ child: ChildProcess; first: Record<string, unknown> }> {
  mkdirSync(outDir, { recursive: true });
  const log = openSync(join(outDir, logName), 'w');
  const child = fork(self, args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', log, log, 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, first: m as Record<string, unknown> }));
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}; see bench/.out/${logName}`)));
  });
}

function ask<T>(child: ChildProcess, msg: object): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(msg);
  });
}

interface Outcome {
  ok: boolean;
  /** For failures: the HTTP status and error type, or the exception inside a stream. */
  why?: string;
  ms: number;
  requestId: string;
  stream: boolean;
  phase: string;
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! : Number.NaN);
const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '-');

async function loadPhase(pool: Pool, phase: string, seconds: number, concurrency: number, out: Outcome[]): Promise<void> {
  const end = performance.now() + seconds * 1000;
  let n = 0;
  const converse = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Write one sentence about a fox.' }] }], inferenceConfig: { maxTokens: 64 } });
  const headers = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' };
  const worker = async () => {
    while (performance.now() < end) {
      const stream = n++ % 4 === 3;
      const t0 = performance.now();
      let ok = false;
      let why: string | undefined;
      let requestId = '';
      try {
        const res = await pool.request({ method: 'POST', path: `/model/${encodeURIComponent(MODEL)}/${stream ? 'converse-stream' : 'converse'}`, headers, body: converse });
        requestId = String(res.headers['x-amzn-requestid'] ?? '');
        const body = Buffer.from(await res.body.arrayBuffer()).toString('latin1');
        // A stream is a success only if it ran to its metadata event with no exception inside.
        ok = res.statusCode === 200 && (!stream || (body.includes('metadata') && !body.includes(':exception-type')));
        if (!ok) why = `${res.statusCode} ${String(res.headers['x-amzn-errortype'] ?? /(\w+Exception)/.exec(body)?.[1] ?? '')}`;
      } catch (e) {
        why = `client: ${(e as Error).message}`;
      }
      out.push({ ok, why, ms: performance.now() - t0, requestId, stream, phase });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

interface Health {
  id: string;
  state: string;
  calls: number;
  failures: number;
  timeouts: number;
  breakerOpened: number;
}

async function faultInjection(seconds: number, concurrency: number, failRate: number, breakerRate: number): Promise<string[]> {
  const upstream = await start(['--role=upstream'], 'fault-upstream.log');
  const urls = upstream.first.urls as Record<string, string>;
  const dataDir = mkdtempSync(join(tmpdir(), 'quarry-fault-'));
  const quarry = await start(['--role=quarry', 'fault', JSON.stringify(urls), dataDir, String(breakerRate)], 'fault-quarry.log');
  const pool = new Pool(`http://127.0.0.1:${quarry.first.port}`, { connections: concurrency, keepAliveTimeout: 60_000 });
  const outcomes: Outcome[] = [];
  const snapshots: { phase: string; health: Health[] }[] = [];
  const phases: [string, number, number][] = [
    ['warm-up', 0, 2],
    ['baseline', 0, Math.max(2, seconds / 3)],
    ['steady', failRate, seconds],
    ['outage', 1, Math.max(2, seconds / 3)],
    ['recovery', 0, Math.max(2, seconds / 3)],
  ];
  try {
    for (const [phase, rate, secs] of phases) {
      await ask(upstream.child, { failRate: rate });
      await loadPhase(pool, phase, secs, concurrency, outcomes);
      snapshots.push({ phase, health: ((await ask<{ health: Health[] }>(quarry.child, { type: 'health' })).health) });
      process.stderr.write(`fault injection: ${phase} done (${outcomes.length} requests so far)\n`);
    }
  } finally {
    await pool.close();
    const exited = new Promise((r) => quarry.child.once('exit', r));
    quarry.child.kill('SIGTERM');
    await exited;
    upstream.child.kill('SIGTERM');
  }
  // Usage as the server stored it (its close flushed the meter).
  const db = new Database(join(dataDir, 'quarry.db'), { readonly: true });
  const records = db.prepare('SELECT request_id, outcome, cost_usd FROM usage_records').all() as { request_id: string; outcome: string; cost_usd: number }[];
  db.close();
  rmSync(dataDir, { recursive: true, force: true });

  const measured = outcomes.filter((o) => o.phase !== 'warm-up');
  const perRequest = new Map<string, number>();
  for (const r of records) perRequest.set(r.request_id, (perRequest.get(r.request_id) ?? 0) + 1);
  const twice = [...perRequest.values()].filter((n) => n > 1).length;
  const okRecords = records.filter((r) => r.outcome === 'ok').length;
  const successes = outcomes.filter((o) => o.ok).length;
  const missing = outcomes.filter((o) => o.requestId && !perRequest.has(o.requestId)).length;

  const lines = [
    `Fault injection — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), load average ${loadavg()[0]!.toFixed(1)} at the end, Node ${process.version}, c=${concurrency}, flaky fails ${Math.round(failRate * 100)}% in the steady phase, breaker opens at a ${Math.round(breakerRate * 100)}% failure rate`,
    '',
    '| phase | seconds | requests | success | p50 ms | p90 ms | p99 ms | max ms | flaky: calls | failures | timeouts | breaker opened | state at end |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  let prev: Health | undefined;
  for (const [phase, , secs] of phases) {
    const os = outcomes.filter((o) => o.phase === phase);
    const ms = os.map((o) => o.ms).sort((a, b) => a - b);
    const fl = snapshots.find((s) => s.phase === phase)!.health.find((h) => h.id === 'flaky')!;
    const d = (k: 'calls' | 'failures' | 'timeouts' | 'breakerOpened') => fl[k] - (prev?.[k] ?? 0);
    lines.push(
      `| ${phase} | ${f(secs, 0)} | ${os.length} | ${f((100 * os.filter((o) => o.ok).length) / Math.max(1, os.length), 3)}% | ${f(pct(ms, 0.5))} | ${f(pct(ms, 0.9))} | ${f(pct(ms, 0.99))} | ${f(ms.at(-1) ?? Number.NaN)} | ${d('calls')} | ${d('failures')} | ${d('timeouts')} | ${d('breakerOpened')} | ${fl.state} |`,
    );
    prev = fl;
  }
  const all = measured.map((o) => o.ms).sort((a, b) => a - b);
  const causes = new Map<string, number>();
  for (const o of measured) if (!o.ok) causes.set(`${o.stream ? 'stream' : 'whole'} ${o.why}`, (causes.get(`${o.stream ? 'stream' : 'whole'} ${o.why}`) ?? 0) + 1);
  const rate = measured.filter((o) => o.ok).length / Math.max(1, measured.length);
  const steady = snapshots.find((s) => s.phase === 'steady')!.health.find((h) => h.id === 'flaky')!;
  const end = snapshots.at(-1)!.health;
  const p99 = pct(all, 0.99);
  const bound = ATTEMPT_TIMEOUT_MS + 2 * MAX_BACKOFF_MS + 100;
  lines.push(
    '',
    `- Success over all measured phases: ${f(100 * rate, 3)}% of ${measured.length} requests (${measured.length - measured.filter((o) => o.ok).length} failed) — target ≥ 99.9%: ${rate >= 0.999 ? 'met' : 'NOT met'}.`,
    `- Failures by cause: ${causes.size ? [...causes].map(([k, n]) => `${k} ×${n}`).join(', ') : 'none'}.`,
    `- Billing: ${records.length} usage records for ${outcomes.length} requests (${missing} requests without a record); ${okRecords} records with outcome ok for ${successes} successes; ${twice} request ids with more than one record — no request billed twice: ${twice === 0 && okRecords === successes ? 'met' : 'NOT met'}.`,
    `- Breaker on flaky: opened ${steady.breakerOpened} times in the steady phase, ${snapshots.find((s) => s.phase === 'outage')!.health.find((h) => h.id === 'flaky')!.breakerOpened - steady.breakerOpened} more in the outage; state at the end of recovery: ${end.find((h) => h.id === 'flaky')!.state} (east ${end.find((h) => h.id === 'east')!.state}, west ${end.find((h) => h.id === 'west')!.state}).`,
    `- p99 over all measured phases: ${f(p99)} ms (max ${f(all.at(-1) ?? Number.NaN)} ms) — bounded by one attempt timeout plus backoff (${bound} ms): ${p99 <= bound ? 'met' : 'NOT met'}.`,
  );
  return lines;
}

// ---------------------------------------------------------------------------------------------------------------------
// B and C in process.

function instantProvider(id: string): ModelProvider {
  const info = {
    id: MODEL,
    name: 'Acme chat',
    providerId: id,
    upstreamModel: 'gpt-test',
    family: 'generic' as const,
    kind: 'text' as const,
    inputModalities: ['TEXT' as const],
    outputModalities: ['TEXT' as const],
    pricing: { inputPer1k: 0.0005, outputPer1k: 0.0015 },
    runsOn: 'remote' as const,
    supportsTools: true,
    supportsStreaming: true,
  };
  return {
    id,
    type: 'instant',
    listModels: async () => [info],
    generate: async (): Promise<ConverseResult> => ({
      message: { role: 'assistant', content: [{ text: 'The quick brown fox jumps over the lazy dog.' }] },
      stopReason: 'end_turn',
      usage: usageOf(12, 10),
      latencyMs: 0,
    }),
    stream: async function* () {},
  };
}

const noMeter = { record() {} } as unknown as UsageMeter;
const noMetrics = { observe() {} } as unknown as Metrics;

async function inProcess(rounds: number): Promise<string[]> {
  const providers = [instantProvider('east'), instantProvider('west'), instantProvider('flaky')];
  const catalog = new ModelCatalog(providers, '');
  await catalog.refresh();
  const runtimeFor = (yaml: string, cache = false) => {
    const config = parseConfig(`providers:\n  - { id: east, type: x }\n  - { id: west, type: x }\n  - { id: flaky, type: x }\n${yaml}`, {});
    return new Runtime({
      catalog,
      meter: noMeter,
      metrics: noMetrics,
      timeoutMs: 60_000,
      region: 'us-east-1',
      routing: { config, providers, log: silentLogger },
      cache: cache ? new ExactResponseCache(new LruResponseCacheStore(1000, 1e8), responseCacheConfigSchema.parse({})) : undefined,
    });
  };
  const three = `routing: { strategy: least-outstanding }
deployments:
  - { id: e, model: "${MODEL}", provider: east }
  - { id: w, model: "${MODEL}", provider: west }
  - { id: f, model: "${MODEL}", provider: flaky }
fallbacks:
  "${MODEL}": [other.model-v1:0]
`;
  const variants: [string, Runtime][] = [
    ['routing disabled', runtimeFor('')],
    ['routing on, one implicit deployment', runtimeFor('routing: {}\n')],
    ['routing on, three deployments + fallbacks', runtimeFor(three)],
    ['cache hit (routing disabled)', runtimeFor('', true)],
  ];
  const ctx: InvocationContext = {
    requestId: 'bench',
    principal: { id: 'p', name: 'p', keyId: 'k', isAdmin: true, authMethod: 'bearer' },
    api: 'bench',
    signal: new AbortController().signal,
    log: silentLogger,
  };
  const req = { modelId: MODEL, messages: [{ role: 'user' as const, content: [{ text: 'Write one sentence about a fox.' }] }], inferenceConfig: { temperature: 0, maxTokens: 64 } };
  const N = 50_000;
  const results = new Map<string, number[]>();
  for (const [, rt] of variants) for (let i = 0; i < 5_000; i++) await rt.converse(ctx, req); // warm-up (and fills the cache)
  // CPU time of this process rather than wall time: on a shared machine other processes' load mostly shows up as
  // time this one waits, not as time it computes.
  for (let r = 0; r < rounds + 1; r++) {
    for (const [name, rt] of variants) {
      const c0 = process.cpuUsage();
      for (let i = 0; i < N; i++) await rt.converse(ctx, req);
      const c = process.cpuUsage(c0);
      if (r >= 1) results.set(name, [...(results.get(name) ?? []), (c.user + c.system) / N]);
    }
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const base = med(results.get('routing disabled')!);
  const lines = [
    `In process — Runtime.converse on a provider that answers at once (no metering, no metrics), CPU time per call, ${N} calls per round, median of ${rounds} interleaved rounds`,
    '',
    '| variant | CPU µs per call | vs routing disabled | calls/s of CPU |',
    '|---|---:|---:|---:|',
  ];
  for (const [name] of variants) {
    const us = med(results.get(name)!);
    lines.push(`| ${name} | ${f(us)} | ${us >= base ? '+' : ''}${f(us - base)} µs | ${f(1e6 / us, 0)} |`);
  }
  const over = med(results.get('routing on, three deployments + fallbacks')!) - base;
  lines.push('', `- Routing overhead per request (three deployments, least outstanding, fallbacks configured): ${f(over / 1000, 4)} ms — target ≤ 0.1 ms: ${over <= 100 ? 'met' : 'NOT met'}.`);
  return lines;
}

async function cacheOverHttp(seconds: number, rounds: number): Promise<string[]> {
  const upstream = await start(['--role=upstream'], 'cache-upstream.log');
  const urls = upstream.first.urls as Record<string, string>;
  const dataDir = mkdtempSync(join(tmpdir(), 'quarry-cache-'));
  const quarry = await start(['--role=quarry', 'cache', JSON.stringify(urls), dataDir, '0.5'], 'cache-quarry.log');
  const url = `http://127.0.0.1:${quarry.first.port}`;
  const body = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Write one sentence about a fox.' }] }], inferenceConfig: { temperature: 0, maxTokens: 64 } });
  const headers = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' };
  const targets = [
    { name: 'cache hit', headers },
    { name: 'cache skipped (x-quarry-cache: off)', headers: { ...headers, 'x-quarry-cache': 'off' } },
  ];
  const lines = ['', `Over HTTP — Converse at temperature 0 through the production server, ${seconds}s per cell, median of ${rounds} interleaved rounds`, ''];
  lines.push('| requests | c | req/s | p50 ms | p99 ms |', '|---|---:|---:|---:|---:|');
  try {
    for (const c of [1, 10]) {
      const res = new Map<string, Awaited<ReturnType<typeof runLoad>>[]>();
      for (let r = 0; r < rounds; r++) {
        for (const t of targets) {
          const x = await runLoad({ url, path: `/model/${encodeURIComponent(MODEL)}/converse`, body, headers: t.headers, concurrency: c, seconds, warmupSeconds: 0.5 });
          res.set(t.name, [...(res.get(t.name) ?? []), x]);
        }
      }
      for (const t of targets) {
        const xs = [...res.get(t.name)!].sort((a, b) => a.rps - b.rps);
        const m = xs[Math.floor(xs.length / 2)]!;
        lines.push(`| ${t.name} | ${c} | ${f(m.rps, 0)} | ${f(m.p50)} | ${f(m.p99)} |`);
      }
    }
    const stats = await ask<{ cache: { hits: number; misses: number; savedUsd: number } }>(quarry.child, { type: 'health' });
    lines.push('', `- Server cache counters: ${stats.cache.hits} hits, ${stats.cache.misses} misses, $${stats.cache.savedUsd.toFixed(4)} saved at list price.`);
  } finally {
    const exited = new Promise((r) => quarry.child.once('exit', r));
    quarry.child.kill('SIGTERM');
    await exited;
    upstream.child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
  return lines;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '10' },
      concurrency: { type: 'string', default: '20' },
      'fail-rate': { type: 'string', default: '0.3' },
      'breaker-rate': { type: 'string', default: '0.25' },
      rounds: { type: 'string', default: '3' },
      parts: { type: 'string', default: 'a,b,c' },
    },
  });
  const parts = new Set(values.parts!.split(','));
  const out: string[] = [];
  if (parts.has('a')) out.push(...(await faultInjection(Number(values.seconds), Number(values.concurrency), Number(values['fail-rate']), Number(values['breaker-rate']))), '');
  if (parts.has('b')) out.push(...(await inProcess(Number(values.rounds))));
  if (parts.has('c')) out.push(...(await cacheOverHttp(2, Number(values.rounds))));
  console.log(out.join('\n'));
}

const role = process.argv[2];
if (role === '--role=upstream') await upstreamRole();
else if (role === '--role=quarry') await quarryRole(process.argv[3]!, JSON.parse(process.argv[4]!), process.argv[5]!, Number(process.argv[6]));
else await main();
