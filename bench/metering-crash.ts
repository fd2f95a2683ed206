// Metering under a crash, and what durable metering costs.
//   node --import tsx bench/metering-crash.ts [--requests 10000] [--concurrency 32] [--seconds 5] [--rounds 3]
//
// 1. Throughput: the real server (`node bin/quarry.js serve`, a child process) with durable metering (journaled
//    before each answer, the SQLite default; or committed in groups before each answer, `journal: false`) and with
//    the buffered meter (written within 250 ms), side by side against one mock
//    upstream, closed-loop Converse load at c=1 and c=concurrency, rounds interleaved, median round reported.
// 2. Crash: `requests` requests (Converse, Chat Completions, streamed Chat Completions in turn) at `concurrency`; the
//    server is killed with SIGKILL once half have been answered, restarted on the same data directory and port, and
//    the requests the kill cut off are sent again (as new requests). Then every whole 200 response must have exactly
//    one usage record, and no request id two. The same run with the buffered meter shows what it loses.
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  CRASH_MODEL,
  type CrashCheck,
  checkRecords,
  driveLoad,
  type LoadOutcome,
  recordsByRequest,
  type ServerProcess,
  startServerProcess,
} from '../test/metering/crashable-server.js';
import { type LoadResult, runLoad } from './load.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '32' },
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
  },
});
const REQUESTS = Number(values.requests);
const C = Number(values.concurrency);
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const API_KEY = 'qk-bench-0123456789abcdef';
const here = new URL('.', import.meta.url).pathname;
mkdirSync(join(here, '.out'), { recursive: true });

function startUpstream(): Promise<{ child: ChildProcess; url: string }> {
  const log = openSync(join(here, '.out', 'metering-upstream.log'), 'w');
  const child = fork(join(here, 'mock-upstream.ts'), ['0'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', log, log, 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, url: `http://127.0.0.1:${(m as { port: number }).port}` }));
    child.once('exit', (code) => reject(new Error(`mock-upstream exited with ${code}`)));
  });
}

const stop = async (s: ServerProcess) => {
  if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGTERM');
  await s.exited;
};
const median = (rs: LoadResult[]) => [...rs].sort((a, b) => a.rps - b.rps)[Math.floor(rs.length / 2)]!;
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'quarry-metering-bench-'));
  dirs.push(d);
  return d;
};

async function throughput(upstream: string): Promise<string[]> {
  const variants = [
    { name: 'durable (journal, default)', mode: 'durable' as const, journal: true },
    { name: 'durable, commit per group', mode: 'durable' as const, journal: false },
    { name: 'buffered', mode: 'buffered' as const },
  ];
  const servers = await Promise.all(variants.map((v) => startServerProcess({ upstream, dataDir: tempDir(), apiKey: API_KEY, mode: v.mode, journal: v.journal })));
  const body = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Write one sentence about a fox.' }] }], inferenceConfig: { maxTokens: 64 } });
  const headers = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' };
  const rows: string[] = [];
  try {
    for (const c of [1, C]) {
      const results = variants.map(() => [] as LoadResult[]);
      for (let round = 0; round < ROUNDS; round++) {
        for (const [i, v] of variants.entries()) {
          const r = await runLoad({ url: servers[i]!.url, path: `/model/${encodeURIComponent(CRASH_MODEL)}/converse`, body, headers, concurrency: c, seconds: SECONDS, warmupSeconds: 0.5 });
          results[i]!.push(r);
          process.stderr.write(`${v.name.padEnd(24)} c=${String(c).padEnd(3)} round ${round + 1}: ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  errors ${r.errors}\n`);
        }
      }
      const base = median(results[2]!);
      for (const [i, v] of variants.entries()) {
        const r = median(results[i]!);
        rows.push(`| ${v.name} | ${c} | ${r.rps.toFixed(0)} | ${((100 * r.rps) / base.rps).toFixed(0)}% | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.errors} |`);
      }
    }
  } finally {
    await Promise.all(servers.map(stop));
  }
  return rows;
}

interface CrashRun {
  mode: string;
  first: LoadOutcome;
  resent: LoadOutcome;
  restartSeconds: number;
  check: CrashCheck;
}

async function crash(upstream: string, mode: 'durable' | 'buffered', journal?: boolean): Promise<CrashRun> {
  const dataDir = tempDir();
  const first = await startServerProcess({ upstream, dataDir, apiKey: API_KEY, mode, journal });
  const port = Number(new URL(first.url).port);
  let killed = false;
  const load = await driveLoad({
    url: first.url,
    apiKey: API_KEY,
    total: REQUESTS,
    concurrency: C,
    afterEach: (done) => {
      if (!killed && done >= REQUESTS / 2) {
        killed = true;
        first.child.kill('SIGKILL');
      }
    },
  });
  await first.exited;
  const t = performance.now();
  const second = await startServerProcess({ upstream, dataDir, apiKey: API_KEY, mode, journal, port });
  const restartSeconds = (performance.now() - t) / 1000;
  let resent: LoadOutcome;
  try {
    resent = await driveLoad({ url: second.url, apiKey: API_KEY, total: load.failed + load.cut.length, concurrency: C });
  } finally {
    await stop(second);
  }
  const all = { ...load, ok: [...load.ok, ...resent.ok], cut: [...load.cut, ...resent.cut], failed: load.failed + resent.failed };
  const check = checkRecords(all, recordsByRequest(dataDir));
  const name = journal === false ? `${mode}, commit per group` : mode === 'durable' ? 'durable (journal)' : mode;
  process.stderr.write(`crash (${name}): ${JSON.stringify(check)}\n`);
  return { mode: name, first: load, resent, restartSeconds, check };
}

const up = await startUpstream();
let tput: string[];
const runs: CrashRun[] = [];
try {
  tput = await throughput(up.url);
  runs.push(await crash(up.url, 'durable'));
  runs.push(await crash(up.url, 'durable', false));
  runs.push(await crash(up.url, 'buffered'));
} finally {
  up.child.kill('SIGTERM');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}

const lines = [
  `Metering under a crash — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), load average ${loadavg()[0]!.toFixed(1)}, Node ${process.version}, SQLite store (WAL)`,
  '',
  `Command: node --import tsx bench/metering-crash.ts --requests ${REQUESTS} --concurrency ${C} --seconds ${SECONDS} --rounds ${ROUNDS}`,
  '',
  `Throughput, Converse through the real server (child process) to a mock upstream, median of ${ROUNDS} interleaved ${SECONDS}s rounds:`,
  '',
  '| metering | c | req/s | vs buffered | p50 ms | p99 ms | errors |',
  '|---|---:|---:|---:|---:|---:|---:|',
  ...tput,
  '',
  `Crash: ${REQUESTS} requests at c=${C} (Converse, Chat Completions, streamed Chat Completions in turn), SIGKILL once half were answered, restart on the same data directory, cut-off requests sent again:`,
  '',
  '| metering | answered before kill | cut off by kill | restart s | re-sent, answered | whole 200s | with exactly 1 record | with none | request ids with 2+ | records |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...runs.map(
    (r) =>
      `| ${r.mode} | ${r.first.ok.length} | ${r.first.failed + r.first.cut.length} | ${r.restartSeconds.toFixed(1)} | ${r.resent.ok.length} | ${r.check.ok} | ${r.check.okWithOneRecord} | ${r.check.okMissing} | ${r.check.doubled} | ${r.check.records} |`,
  ),
];
console.log(lines.join('\n'));
const exact = (r: CrashRun) => r.check.okMissing === 0 && r.check.doubled === 0 && r.check.okWithOneRecord === r.check.ok;
process.exitCode = runs.filter((r) => !r.mode.startsWith('buffered')).every(exact) ? 0 : 1;
