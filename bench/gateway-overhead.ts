// Gateway overhead: Quarry vs a direct call to the upstream vs a minimal 10-line fetch proxy, side by side in one run;
// also Quarry with a policy-evaluated user key and quotas on ("quarry guarded"), for the cost of those steps.
//   node --import tsx bench/gateway-overhead.ts [--seconds 3] [--concurrency 1,10,50] [--rounds 3] [--warmup 3]
// Each cell runs `rounds` times, interleaved with the other targets of its row, and the median round is reported:
// this machine is shared and one round can be off by 30%. Prints a table and the headline ratios (throughput at c=10
// relative to the minimal proxy; p50 added latency at c=1 relative to the direct call and to the minimal proxy).
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type LoadResult, runLoad } from './load.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '1,10,50' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '3' },
  },
});
const seconds = Number(values.seconds);
// Seconds of c=10 load each target gets on each path before anything is measured: a server measured in steady state,
// its JIT warm. Without it the first round of the first cell (c=1) timed Quarry's code still being optimised (V8 was
// still compiling ~200 of its functions after 3 s at c=1), which no long-running gateway pays.
const warmup = Number(values.warmup);
const rounds = Number(values.rounds);
const levels = values.concurrency!.split(',').map(Number);
const API_KEY = 'qk-bench-0123456789abcdef';
const here = new URL('.', import.meta.url).pathname;
mkdirSync(join(here, '.out'), { recursive: true });

// Killed however this process ends (a failed set-up included), so no server outlives the run.
const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const c of children) c.kill('SIGTERM');
});

function start(script: string, args: string[], logName: string): Promise<{ child: ChildProcess; port: number }> {
  const log = openSync(join(here, '.out', logName), 'w');
  const child = fork(join(here, script), args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', log, log, 'ipc'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, port: (m as { port: number }).port }));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}; see bench/.out/${logName}`)));
  });
}

const upstream = await start('mock-upstream.ts', ['0'], 'upstream.log');
const upUrl = `http://127.0.0.1:${upstream.port}`;
const proxy = await start('minimal-proxy.ts', [upUrl], 'proxy.log');
const undiciProxy = await start('undici-proxy.ts', [upUrl], 'undici-proxy.log');
const dataDir = mkdtempSync(join(tmpdir(), 'quarry-bench-'));
const quarry = await start('quarry-target.ts', [upUrl, dataDir, API_KEY], 'quarry.log');
// The same server with what issue 5 adds on the request path switched on: a non-administrator key whose attached
// policy is evaluated on every call, and requests-per-minute, tokens-per-minute and concurrency quotas (high enough
// never to refuse) admitted and settled on every call.
const guardedDir = mkdtempSync(join(tmpdir(), 'quarry-bench-guarded-'));
const GUARDED_QUOTAS = 'quotas:\n  default: { requestsPerMinute: 10000000, tokensPerMinute: 1000000000, concurrentRequests: 10000 }\n  exemptAdministrators: false\n';
const guarded = await start('quarry-target.ts', [upUrl, guardedDir, API_KEY, GUARDED_QUOTAS], 'quarry-guarded.log');
const guardedKey = await userKey(`http://127.0.0.1:${guarded.port}`);

/** A user with one policy (invoke any model but a denied family), and a bearer key of theirs. */
async function userKey(base: string): Promise<string> {
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(base + path, { method, headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    const text = await r.text();
    return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  };
  await call('POST', '/quarry/iam/users', { userName: 'bench-user' });
  const policyDocument = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], Resource: '*' },
      { Effect: 'Deny', Action: 'bedrock:*', Resource: 'arn:aws:bedrock:*::foundation-model/forbidden.*' },
    ],
  };
  await call('POST', '/quarry/iam/policies', { policyName: 'bench-invoke', policyDocument });
  await call('PUT', '/quarry/iam/users/bench-user/policies/bench-invoke');
  const { key } = (await call('POST', '/quarry/iam/users/bench-user/keys', { type: 'bearer' })) as { key: { apiKey: string } };
  return key.apiKey;
}

const chatBody = (stream: boolean) =>
  JSON.stringify({
    model: 'acme.chat-v1:0',
    messages: [{ role: 'user', content: 'Write one sentence about a fox.' }],
    max_tokens: 64,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  });
const converseBody = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Write one sentence about a fox.' }] }], inferenceConfig: { maxTokens: 64 } });
const json = { 'content-type': 'application/json' };
const auth = { ...json, authorization: `Bearer ${API_KEY}` };
const guardedAuth = { ...json, authorization: `Bearer ${guardedKey}` };

interface Row {
  scenario: string;
  target: string;
  c: number;
  r: LoadResult;
}
const rows: Row[] = [];
type Target = { target: string; url: string; path: string; body: string; headers: Record<string, string> };
const median = (rs: LoadResult[]) => [...rs].sort((a, b) => a.rps - b.rps)[Math.floor(rs.length / 2)]!;

try {
  for (const stream of [false, true]) {
    const scenario = stream ? 'chat stream' : 'chat';
    const targets: Target[] = [
      { target: 'direct upstream', url: upUrl, path: '/v1/chat/completions', body: chatBody(stream), headers: json },
      { target: 'minimal proxy', url: `http://127.0.0.1:${proxy.port}`, path: '/v1/chat/completions', body: chatBody(stream), headers: json },
      { target: 'undici proxy', url: `http://127.0.0.1:${undiciProxy.port}`, path: '/v1/chat/completions', body: chatBody(stream), headers: json },
      { target: 'quarry /v1/chat', url: `http://127.0.0.1:${quarry.port}`, path: '/v1/chat/completions', body: chatBody(stream), headers: auth },
      {
        target: 'quarry converse',
        url: `http://127.0.0.1:${quarry.port}`,
        path: `/model/acme.chat-v1%3A0/${stream ? 'converse-stream' : 'converse'}`,
        body: converseBody,
        headers: auth,
      },
      { target: 'quarry guarded', url: `http://127.0.0.1:${guarded.port}`, path: '/v1/chat/completions', body: chatBody(stream), headers: guardedAuth },
    ];
    for (const t of targets) if (warmup > 0) await runLoad({ url: t.url, path: t.path, body: t.body, headers: t.headers, concurrency: 10, seconds: warmup, warmupSeconds: 0 });
    for (const c of levels) {
      const results = new Map<string, LoadResult[]>();
      for (let round = 0; round < rounds; round++) {
        for (const t of targets) {
          const r = await runLoad({ url: t.url, path: t.path, body: t.body, headers: t.headers, concurrency: c, seconds, warmupSeconds: 0.5 });
          results.set(t.target, [...(results.get(t.target) ?? []), r]);
          process.stderr.write(`${scenario.padEnd(12)} ${t.target.padEnd(16)} c=${String(c).padEnd(3)} round ${round + 1}: ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(2)} ms\n`);
        }
      }
      for (const t of targets) rows.push({ scenario, target: t.target, c, r: median(results.get(t.target)!) });
    }
  }
} finally {
  for (const p of [upstream, proxy, undiciProxy, quarry, guarded]) p.child.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(guardedDir, { recursive: true, force: true });
}

const find = (scenario: string, target: string, c: number) => rows.find((x) => x.scenario === scenario && x.target === target && x.c === c)?.r;
const f = (n: number | undefined, d = 2) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(d));
const lines = [
  `Gateway overhead — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), Node ${process.version}, ${seconds}s per cell after ${warmup}s of warm-up per target, median of ${rounds} interleaved rounds`,
  '',
  '| scenario | target | c | req/s | p50 ms | p99 ms | TTFB p50 ms | TTFB p99 ms | errors |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map(({ scenario, target, c, r }) => `| ${scenario} | ${target} | ${c} | ${f(r.rps, 0)} | ${f(r.p50)} | ${f(r.p99)} | ${f(r.ttfb50)} | ${f(r.ttfb99)} | ${r.errors} |`),
  '',
];
for (const scenario of ['chat', 'chat stream']) {
  for (const target of ['quarry /v1/chat', 'quarry converse']) {
    const q10 = find(scenario, target, 10);
    const p10 = find(scenario, 'minimal proxy', 10);
    const q1 = find(scenario, target, 1);
    const d1 = find(scenario, 'direct upstream', 1);
    const m1 = find(scenario, 'minimal proxy', 1);
    const u1 = find(scenario, 'undici proxy', 1);
    const at = (r: LoadResult | undefined) => (r ? (scenario === 'chat' ? r.p50 : r.ttfb50) : Number.NaN);
    lines.push(
      `- ${scenario}, ${target}: ${q10 && p10 ? ((100 * q10.rps) / p10.rps).toFixed(0) : '-'}% of the minimal proxy's throughput at c=10; ` +
        `p50 added ${scenario === 'chat' ? 'latency' : 'TTFB'} at c=1: ${f(at(q1) - at(d1), 3)} ms over the direct call ` +
        `(the undici proxy alone adds ${f(at(u1) - at(d1), 3)} ms, the fetch proxy ${f(at(m1) - at(d1), 3)} ms)`,
    );
  }
}
for (const scenario of ['chat', 'chat stream']) {
  const at = (r: LoadResult | undefined) => (r ? (scenario === 'chat' ? r.p50 : r.ttfb50) : Number.NaN);
  const plain = (c: number) => find(scenario, 'quarry /v1/chat', c);
  const guardedAt = (c: number) => find(scenario, 'quarry guarded', c);
  const p10 = find(scenario, 'minimal proxy', 10);
  lines.push(
    `- ${scenario}, policy + quotas (quarry guarded vs quarry /v1/chat): added p50 at c=1 ${f(at(guardedAt(1)) - at(plain(1)), 3)} ms, at c=10 ${f(at(guardedAt(10)) - at(plain(10)), 3)} ms; ` +
      `throughput at c=10 ${guardedAt(10) && plain(10) ? ((100 * guardedAt(10)!.rps) / plain(10)!.rps).toFixed(0) : '-'}% of the plain server's, ` +
      `${guardedAt(10) && p10 ? ((100 * guardedAt(10)!.rps) / p10.rps).toFixed(0) : '-'}% of the minimal proxy's`,
  );
}
console.log(lines.join('\n'));
