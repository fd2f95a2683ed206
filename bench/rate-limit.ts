// Rate limiting's cost: the admission step alone (in process and on Redis), then the gateway with and without it.
//   node --import tsx bench/rate-limit.ts [--seconds 3] [--rounds 3] [--redis redis://127.0.0.1:6379] [--no-gateway]
// The step is measured as the runtime calls it (admit, then settle with usage) on one key and model under limits high
// enough never to refuse, so every call takes the full path: resolve the limits, reserve requests, tokens and a slot,
// then settle. The gateway part runs two Quarry servers on one mock upstream, one with `quotas:` configured, and
// interleaves rounds of /v1/chat/completions against both at c=1 and c=10 (median round reported).
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { silentLogger } from '../src/core/index.js';
import type { Principal } from '../src/iam/index.js';
import { MemoryRateLimiter, QuotaAdmission, QuotaDefinitions, QuotaStore, quotasConfigSchema, type RateLimiter, RedisRateLimiter } from '../src/quotas/index.js';
import { createScriptedProvider } from '../src/providers/scripted/index.js';
import { parseConfig } from '../src/server/config.js';
import { startQuarry } from '../src/server/quarry-server.js';
import { standardRoutes } from '../src/server/standard-routes.js';
import { type LoadResult, runLoad } from './load.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    redis: { type: 'string', default: 'redis://127.0.0.1:6379' },
    'no-gateway': { type: 'boolean', default: false },
  },
});
const HIGH = 1_000_000_000;
const limitsYaml = `quotas:\n  default: { requestsPerMinute: ${HIGH}, tokensPerMinute: ${HIGH}, concurrentRequests: 1000000 }\n`;
const lines: string[] = [`Rate limiting — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), Node ${process.version}`, ''];

function step(limiter: RateLimiter): QuotaAdmission {
  const config = quotasConfigSchema.parse({ default: { requestsPerMinute: HIGH, tokensPerMinute: HIGH, concurrentRequests: 1_000_000 } });
  // No stored overrides: the definitions never touch the store on this path.
  const definitions = new QuotaDefinitions(config, {} as QuotaStore, silentLogger);
  return new QuotaAdmission({ definitions, limiter, defaultAccountId: '000000000000', exemptAdministrators: false, defaultMaxTokens: 4096 });
}

const principal: Principal = { id: 'p-bench', name: 'bench', keyId: 'k-bench', isAdmin: false, authMethod: 'bearer' };
const request = { ctx: { principal }, modelId: 'acme.chat-v1:0', maxTokens: 64, inputTokens: () => Promise.resolve(12) };
const usage = { inputTokens: 12, outputTokens: 20, totalTokens: 32 };

/** Mean microseconds per admit+settle at concurrency c (c calls in flight at once, each awaiting its own). */
async function measureStep(s: QuotaAdmission, limiter: RateLimiter, n: number, c: number): Promise<{ us: number; perSecond: number; cpuUs: number }> {
  const one = async () => (await s.admit(request))!.settle({ outcome: 'ok', usage });
  for (let i = 0; i < Math.min(n, 2000); i++) await one();
  await limiter.flush();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let left = n;
  await Promise.all(
    Array.from({ length: c }, async () => {
      while (left-- > 0) await one();
    }),
  );
  await limiter.flush();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { us: (ms * 1000 * c) / n, perSecond: (n / ms) * 1000, cpuUs: (cpu.user + cpu.system) / n };
}

lines.push('| admission step (admit + settle) | c | µs per call, wall | CPU µs per call (this process) | calls/s |', '|---|---:|---:|---:|---:|');
{
  const limiter = new MemoryRateLimiter();
  const s = step(limiter);
  for (const c of [1, 10]) {
    const r = await measureStep(s, limiter, 200_000, c);
    lines.push(`| in process | ${c} | ${r.us.toFixed(2)} | ${r.cpuUs.toFixed(2)} | ${r.perSecond.toFixed(0)} |`);
  }
  await limiter.close();
}
{
  const redis = new Redis(values.redis!, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const ok = await redis.connect().then(
    () => true,
    () => false,
  );
  if (ok) {
    const prefix = `quarry-bench:${process.pid}:`;
    const limiter = new RedisRateLimiter({ redis, keyPrefix: prefix, log: silentLogger });
    const s = step(limiter);
    for (const c of [1, 10]) {
      const r = await measureStep(s, limiter, 20_000, c);
      lines.push(`| Redis (${values.redis}) | ${c} | ${r.us.toFixed(1)} | ${r.cpuUs.toFixed(1)} | ${r.perSecond.toFixed(0)} |`);
    }
    await limiter.close();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } else lines.push(`| Redis | - | not reachable at ${values.redis} | - | - |`);
  redis.disconnect();
}

// The whole request in process (Hono's app.request, no socket) on one server, limits switched on and off between
// interleaved rounds through the admin API: CPU per request is what the machine's load disturbs least.
{
  const dataDir = mkdtempSync(join(tmpdir(), 'quarry-bench-'));
  const key = 'qk-bench-0123456789abcdef';
  const server = await startQuarry({
    config: parseConfig('providers:\n  - id: scripted\n    type: scripted\n', {}),
    dataDir,
    port: 0,
    log: silentLogger,
    autoProviders: false,
    extraProviderTypes: { scripted: createScriptedProvider },
    routes: standardRoutes,
    env: { QUARRY_BOOTSTRAP_API_KEY: key },
  });
  const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const body = JSON.stringify({ model: 'scripted.echo-v1:0', messages: [{ role: 'user', content: 'Write one sentence about a fox.' }], max_tokens: 64 });
  // Requests and concurrency only, then all three (tokens per minute makes the runtime count the prompt's tokens).
  const states = {
    'no limits (step not installed)': undefined,
    'requests per minute + concurrency': JSON.stringify({ requestsPerMinute: HIGH, tokensPerMinute: null, concurrentRequests: 1_000_000 }),
    'all three, tokens per minute included': JSON.stringify({ requestsPerMinute: HIGH, tokensPerMinute: HIGH, concurrentRequests: 1_000_000 }),
  } as const;
  type State = keyof typeof states;
  const names = Object.keys(states) as State[];
  const measure = async (n: number) => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const r = await server.app.request('/v1/chat/completions', { method: 'POST', headers: auth, body });
      if (r.status !== 200) throw new Error(`status ${r.status}: ${await r.text()}`);
      await r.arrayBuffer();
    }
    const cpu = process.cpuUsage(cpu0);
    return { cpuUs: (cpu.user + cpu.system) / n, wallUs: ((performance.now() - t0) * 1000) / n };
  };
  const runs = new Map<State, { cpuUs: number; wallUs: number }[]>(names.map((n) => [n, []]));
  try {
    await measure(2000);
    // ABCCBA …, so a drift in the machine's load over the run favours no state.
    for (let round = 0; round < Number(values.rounds) * 3; round++) {
      const i = round % 6;
      const state = names[i < 3 ? i : 5 - i]!;
      const limits = states[state];
      const r = await server.app.request('/quarry/quotas', limits ? { method: 'PUT', headers: auth, body: limits } : { method: 'DELETE', headers: auth });
      if (r.status >= 500) throw new Error(`quota switch answered ${r.status}`);
      runs.get(state)!.push(await measure(3000));
    }
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const cpuOf = (s: State) => med(runs.get(s)!.map((r) => r.cpuUs));
  const base = cpuOf(names[0]!);
  lines.push(
    '',
    '| whole request in process (app.request, /v1/chat/completions, scripted model, c=1) | CPU µs per request | added CPU µs | wall µs per request |',
    '|---|---:|---:|---:|',
    ...names.map((s) => `| ${s} | ${cpuOf(s).toFixed(1)} | ${s === names[0] ? '-' : (cpuOf(s) - base).toFixed(1)} | ${med(runs.get(s)!.map((r) => r.wallUs)).toFixed(1)} |`),
    '',
    `(median of ${runs.get(names[0]!)!.length} rounds of 3,000 requests per state, states interleaved ABCCBA)`,
  );
}

if (!values['no-gateway']) {
  const here = new URL('.', import.meta.url).pathname;
  mkdirSync(join(here, '.out'), { recursive: true });
  const start = (script: string, args: string[], logName: string) =>
    new Promise<{ child: ChildProcess; port: number }>((resolve, reject) => {
      const log = openSync(join(here, '.out', logName), 'w');
      const child = fork(join(here, script), args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', log, log, 'ipc'] });
      child.once('message', (m) => resolve({ child, port: (m as { port: number }).port }));
      child.once('exit', (code) => reject(new Error(`${script} exited with ${code}; see bench/.out/${logName}`)));
    });
  const API_KEY = 'qk-bench-0123456789abcdef';
  const upstream = await start('mock-upstream.ts', ['0'], 'rl-upstream.log');
  const upUrl = `http://127.0.0.1:${upstream.port}`;
  const dirs = [mkdtempSync(join(tmpdir(), 'quarry-bench-')), mkdtempSync(join(tmpdir(), 'quarry-bench-'))];
  const plain = await start('quarry-target.ts', [upUrl, dirs[0]!, API_KEY], 'rl-quarry.log');
  const limited = await start('quarry-target.ts', [upUrl, dirs[1]!, API_KEY, limitsYaml], 'rl-quarry-limited.log');
  const body = JSON.stringify({ model: 'acme.chat-v1:0', messages: [{ role: 'user', content: 'Write one sentence about a fox.' }], max_tokens: 64 });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` };
  const median = (rs: LoadResult[]) => [...rs].sort((a, b) => a.rps - b.rps)[Math.floor(rs.length / 2)]!;
  try {
    lines.push('', '| gateway, /v1/chat/completions | c | req/s | p50 ms | p99 ms | errors |', '|---|---:|---:|---:|---:|---:|');
    const summary: string[] = [];
    for (const c of [1, 10]) {
      const results: Record<string, LoadResult[]> = { 'quarry, no limits': [], 'quarry, rate limits on': [] };
      for (let round = 0; round < Number(values.rounds); round++) {
        for (const [name, t] of [
          ['quarry, no limits', plain],
          ['quarry, rate limits on', limited],
        ] as const) {
          const r = await runLoad({ url: `http://127.0.0.1:${t.port}`, path: '/v1/chat/completions', body, headers, concurrency: c, seconds: Number(values.seconds), warmupSeconds: 0.5 });
          results[name]!.push(r);
          process.stderr.write(`${name.padEnd(24)} c=${c} round ${round + 1}: ${r.rps.toFixed(0)} req/s p50 ${r.p50.toFixed(3)} ms\n`);
        }
      }
      const a = median(results['quarry, no limits']!);
      const b = median(results['quarry, rate limits on']!);
      for (const [name, r] of [
        ['quarry, no limits', a],
        ['quarry, rate limits on', b],
      ] as const) {
        lines.push(`| ${name} | ${c} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(3)} | ${r.p99.toFixed(3)} | ${r.errors} |`);
      }
      summary.push(`- c=${c}: rate limits on give ${((100 * b.rps) / a.rps).toFixed(0)}% of the throughput without; p50 ${(b.p50 - a.p50 >= 0 ? '+' : '') + (b.p50 - a.p50).toFixed(3)} ms`);
    }
    lines.push('', ...summary);
  } finally {
    for (const p of [upstream, plain, limited]) p.child.kill('SIGTERM');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}
console.log(lines.join('\n'));
