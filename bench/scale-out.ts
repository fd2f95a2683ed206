// Scale-out: throughput of one, two and three Quarry replicas on PostgreSQL + Redis against the mock upstream, and the
// latency that PostgreSQL metering and Redis rate limiting add over the embedded mode (SQLite, in-process limits).
//   node --import tsx bench/scale-out.ts [--seconds 3] [--rounds 5] [--pg postgres://postgres@127.0.0.1:5432/test] [--redis redis://127.0.0.1:6379]
// Every server is bench/quarry-target.ts with the same requests-per-minute and tokens-per-minute quota (high enough
// never to refuse, administrators not exempt), so the admission step runs on every call: in process for the embedded
// server, on Redis for the replicas. The three replicas are one deployment (one schema, one key prefix, one master
// key); "1 replica" sends everything to the first of them, "2" and "3" spread requests round robin in the load
// generator (no balancer process to take CPU from them). Cells are interleaved ABCD DCBA over rounds and the median
// round is reported, as in bench/gateway-overhead.ts. Per cell it records each process's CPU (from /proc) and checks
// that PostgreSQL's usage_records grew by exactly the number of 200 answers. The schema and the keys are removed after.
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { type LoadResult, runLoad } from './load.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '5' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    redis: { type: 'string', default: 'redis://127.0.0.1:6379' },
  },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const API_KEY = 'qk-bench-0123456789abcdef';
const HIGH = 1_000_000_000;
// onRedisError: deny, so a replica that could not reach Redis shows as errors instead of admitting without it.
const QUOTAS = `quotas:\n  default: { requestsPerMinute: ${HIGH}, tokensPerMinute: ${HIGH} }\n  exemptAdministrators: false\n  onRedisError: deny\n`;
const id = randomBytes(4).toString('hex');
const schema = `bench_scale_${id}`;
const keyPrefix = `quarry-bench-scale:${id}:`;
// Tags the replicas' PostgreSQL sessions, so their backends' CPU can be told from other clients'.
const appName = `quarry-bench-${id}`;
const here = new URL('.', import.meta.url).pathname;
mkdirSync(join(here, '.out'), { recursive: true });
const loadAtStart = loadavg();

const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const c of children) c.kill('SIGTERM');
});

function start(script: string, args: string[], logName: string, env: NodeJS.ProcessEnv = process.env): Promise<{ child: ChildProcess; port: number }> {
  const log = openSync(join(here, '.out', logName), 'w');
  const child = fork(join(here, script), args, { execArgv: ['--import', 'tsx'], env, stdio: ['ignore', log, log, 'ipc'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, port: (m as { port: number }).port }));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}; see bench/.out/${logName}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

// ---- CPU per process, from /proc (Linux only; the columns read "-" elsewhere) ----
const hasProc = existsSync('/proc/self/stat');
const ticksPerSecond = hasProc ? Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100 : 100;
/** User + system CPU seconds a process has used; undefined once it is gone. */
function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state is the first, utime the 12th, stime the 13th.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

const admin = new pg.Client({ connectionString: values.pg });
await admin.connect().catch((e: Error) => {
  throw new Error(`PostgreSQL not reachable at ${values.pg}: ${e.message}`);
});
const redis = new Redis(values.redis!, { lazyConnect: true, maxRetriesPerRequest: 1 });
await redis.connect().catch((e: Error) => {
  throw new Error(`Redis not reachable at ${values.redis}: ${e.message}`);
});
/** SCAN, not KEYS: this Redis serves other work too. */
async function deploymentKeys(): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500);
    cursor = next;
    out.push(...keys);
  } while (cursor !== '0');
  return out;
}
const redisPid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1]);

/**
 * The processes whose CPU a cell reports: this replica set's PostgreSQL backends (by application name) and the
 * server's WAL writer, checkpointer and background writer, which do part of every commit's work.
 */
async function pgPids(): Promise<number[]> {
  const r = await admin.query<{ pid: number }>(
    `select pid from pg_stat_activity where application_name = $1 or backend_type in ('walwriter', 'checkpointer', 'background writer')`,
    [appName],
  );
  return r.rows.map((x) => x.pid);
}

/** Busy and total CPU seconds of the whole machine (all cores), from the first line of /proc/stat. */
function machineCpu(): { busy: number; total: number } {
  if (!hasProc) return { busy: 0, total: 0 };
  const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const n = f.slice(0, 8).map(Number);
  const total = n.reduce((a, b) => a + b, 0);
  // idle and iowait are the not-busy ones.
  return { busy: (total - n[3]! - n[4]!) / ticksPerSecond, total: total / ticksPerSecond };
}

type Cpu = Record<string, number>;
interface Probe {
  quarry: { name: string; pid: number }[];
  upstream: number;
}
/** Starts a CPU window; the returned function ends it and gives each group's share of one core (1 = one core busy). */
async function cpuWindow(p: Probe): Promise<() => Promise<Cpu>> {
  const t0 = performance.now();
  const self0 = process.cpuUsage();
  const machine0 = machineCpu();
  const pids = new Map<number, number>();
  for (const pid of [...p.quarry.map((q) => q.pid), p.upstream, redisPid, ...(hasProc ? await pgPids() : [])]) pids.set(pid, cpuSeconds(pid) ?? 0);
  return async () => {
    const wall = (performance.now() - t0) / 1000;
    const self = process.cpuUsage(self0);
    const machine = machineCpu();
    const used = (pid: number) => Math.max(0, (cpuSeconds(pid) ?? pids.get(pid) ?? 0) - (pids.get(pid) ?? 0)) / wall;
    // A backend the pool opened during the window counts whole (all its CPU is from the window); one it closed is lost.
    let pgShare = 0;
    for (const pid of new Set([...pids.keys(), ...(hasProc ? await pgPids() : [])])) {
      if (pid === redisPid || pid === p.upstream || p.quarry.some((q) => q.pid === pid)) continue;
      pgShare += used(pid);
    }
    // The whole machine's busy time, as a share of one core like the rest: what is not ours is other work on this host.
    const busy = machine.total > machine0.total ? ((machine.busy - machine0.busy) / (machine.total - machine0.total)) * cpus().length : 0;
    const out: Cpu = { load: (self.user + self.system) / 1e6 / wall, upstream: used(p.upstream), redis: used(redisPid), postgres: pgShare, machine: busy, wall };
    for (const q of p.quarry) out[q.name] = used(q.pid);
    return out;
  };
}

// ---- PostgreSQL and Redis round trips on their own, for reading the latency figures ----
const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function timeEach(n: number, f: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await f();
  const ts: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await f();
    ts.push((performance.now() - t0) * 1000);
  }
  return medianOf(ts);
}
const trips = { syncCommit: '?', pingUs: Number.NaN, selectUs: Number.NaN, commitUs: Number.NaN };
async function roundTrips(): Promise<void> {
  await admin.query(`create table ${schema}.bench_commit (id serial primary key, body text not null)`);
  trips.syncCommit = (await admin.query<{ synchronous_commit: string }>('show synchronous_commit')).rows[0]?.synchronous_commit ?? '?';
  trips.pingUs = await timeEach(500, () => redis.ping());
  trips.selectUs = await timeEach(500, () => admin.query('select 1'));
  // One autocommitted single-row insert: the shape of a usage record committed alone (c=1), WAL flush included.
  trips.commitUs = await timeEach(300, () => admin.query(`insert into ${schema}.bench_commit (body) values ($1)`, ['x'.repeat(300)]));
  await admin.query(`drop table ${schema}.bench_commit`);
}

// ---- the servers ----
const dirs: string[] = [];
const dataDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'quarry-bench-scale-'));
  dirs.push(d);
  return d;
};
const storeUrl = new URL(values.pg!);
storeUrl.searchParams.set('schema', schema);
storeUrl.searchParams.set('application_name', appName);
const scaleYaml = `store:\n  url: ${JSON.stringify(storeUrl.toString())}\nredis:\n  url: ${JSON.stringify(values.redis)}\n  keyPrefix: ${JSON.stringify(keyPrefix)}\n${QUOTAS}`;
// One deployment: the keyring in the shared store is wrapped with this key, which every replica needs (docs/scale-out.md).
const replicaEnv = { ...process.env, QUARRY_MASTER_KEY: randomBytes(32).toString('base64') };
const servers: { child: ChildProcess; port: number }[] = [];
const body = JSON.stringify({ model: 'acme.chat-v1:0', messages: [{ role: 'user', content: 'Write one sentence about a fox.' }], max_tokens: 64 });
const headers = { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` };

interface Mode {
  name: string;
  urls: string[];
  probe: Probe;
  /** Checks metering against PostgreSQL. */
  pg: boolean;
}
interface Cell {
  r: LoadResult;
  cpu: Cpu;
  /** CPU milliseconds per answered request of the serving side: Quarry, plus PostgreSQL and Redis for the replicas. */
  serverMs: number;
}
const cells = new Map<string, Cell[]>();
const usage = { answered: 0, recorded: 0, mismatches: [] as string[], doubled: -1, redisKeys: -1, tables: [] as string[] };
const countUsage = async () => Number((await admin.query<{ n: string }>(`select count(*) as n from ${schema}.usage_records`)).rows[0]!.n);

async function measure(m: Mode, c: number, secs: number, warmup: number): Promise<Cell> {
  const before = m.pg ? await countUsage() : 0;
  const end = await cpuWindow(m.probe);
  const r = await runLoad({ url: m.urls[0]!, urls: m.urls, path: '/v1/chat/completions', body, headers, concurrency: c, seconds: secs, warmupSeconds: warmup });
  const cpu = await end();
  if (m.pg) {
    // Usage is committed before the answer is sent, so every 200 the client got is already a row.
    const recorded = (await countUsage()) - before;
    usage.answered += r.answered;
    usage.recorded += recorded;
    if (recorded !== r.answered) usage.mismatches.push(`${m.name} c=${c}: ${recorded} records for ${r.answered} answers`);
  }
  const serving = m.probe.quarry.reduce((sum, q) => sum + (cpu[q.name] ?? 0), 0) + (m.pg ? cpu.postgres! + cpu.redis! : 0);
  return { r, cpu, serverMs: r.answered ? (serving * cpu.wall! * 1000) / r.answered : Number.NaN };
}

let modes: Mode[] = [];
try {
  await admin.query(`create schema ${schema}`);
  await roundTrips();
  const upstream = await start('mock-upstream.ts', ['0'], 'scale-upstream.log');
  servers.push(upstream);
  const upUrl = `http://127.0.0.1:${upstream.port}`;
  const embedded = await start('quarry-target.ts', [upUrl, dataDir(), API_KEY, QUOTAS], 'scale-embedded.log');
  servers.push(embedded);
  // The first replica migrates the empty schema and creates the administrator; the others find both.
  const replicas = [await start('quarry-target.ts', [upUrl, dataDir(), API_KEY, scaleYaml], 'scale-replica-0.log', replicaEnv)];
  replicas.push(...(await Promise.all([1, 2].map((i) => start('quarry-target.ts', [upUrl, dataDir(), API_KEY, scaleYaml], `scale-replica-${i}.log`, replicaEnv)))));
  servers.push(...replicas);
  const url = (p: { port: number }) => `http://127.0.0.1:${p.port}`;
  const replicaProbe: Probe = { quarry: replicas.map((r, i) => ({ name: `replica ${i + 1}`, pid: r.child.pid! })), upstream: upstream.child.pid! };
  modes = [
    { name: 'embedded (SQLite, in-process limits)', urls: [url(embedded)], probe: { quarry: [{ name: 'embedded', pid: embedded.child.pid! }], upstream: upstream.child.pid! }, pg: false },
    { name: '1 replica (PostgreSQL + Redis)', urls: [url(replicas[0]!)], probe: replicaProbe, pg: true },
    { name: '2 replicas', urls: replicas.slice(0, 2).map(url), probe: replicaProbe, pg: true },
    { name: '3 replicas', urls: replicas.map(url), probe: replicaProbe, pg: true },
  ];
  // First requests run cold code (tsx, JIT, pools filling): one unreported second each before the rounds.
  for (const m of modes) await measure(m, 10, 1, 0.5);

  // c=1 compares the embedded server with one replica only: more replicas at c=1 would be the same request path.
  const levels: { c: number; modes: Mode[] }[] = [
    { c: 1, modes: modes.slice(0, 2) },
    { c: 10, modes },
    { c: 50, modes },
  ];
  for (const { c, modes: ms } of levels) {
    for (let round = 0; round < rounds; round++) {
      // ABCD DCBA …: a drift in the machine's load over the run favours no mode.
      for (const m of round % 2 ? [...ms].reverse() : ms) {
        const cell = await measure(m, c, seconds, 0.5);
        const key = `${m.name}|${c}`;
        cells.set(key, [...(cells.get(key) ?? []), cell]);
        const cpu = Object.entries(cell.cpu)
          .filter(([k]) => k !== 'wall')
          .map(([k, v]) => `${k} ${(100 * v).toFixed(0)}%`)
          .join(', ');
        process.stderr.write(`${m.name.padEnd(37)} c=${String(c).padEnd(3)} round ${round + 1}: ${cell.r.rps.toFixed(0).padStart(5)} req/s  p50 ${cell.r.p50.toFixed(2)} ms  (${cpu}; ${cell.serverMs.toFixed(2)} CPU ms per request)\n`);
      }
    }
  }
  usage.doubled = Number(
    (await admin.query<{ n: string }>(`select count(*) - count(distinct request_id) as n from ${schema}.usage_records`)).rows[0]!.n,
  );
  // The limiter's counters under the deployment's prefix: proof that admission went through Redis.
  usage.redisKeys = (await deploymentKeys()).length;
} finally {
  await Promise.all(servers.map((s) => stop(s.child)));
  if (usage.answered) {
    // What PostgreSQL did per request, table by table (start-up and migrations included, a rounding error here). Read
    // once the replicas have stopped: a backend reports its last statistics as it exits (a moment after its client).
    await new Promise((r) => setTimeout(r, 1000));
    const stats = await admin.query<{ relname: string; scans: string; ins: string; upd: string }>(
      `select relname, coalesce(seq_scan, 0) + coalesce(idx_scan, 0) as scans, n_tup_ins as ins, n_tup_upd + n_tup_del as upd from pg_stat_user_tables where schemaname = $1`,
      [schema],
    );
    const per = (n: string) => Number(n) / usage.answered;
    for (const t of stats.rows.sort((a, b) => a.relname.localeCompare(b.relname))) {
      const parts = [per(t.scans) >= 0.01 ? `${per(t.scans).toFixed(2)} scans` : '', per(t.ins) >= 0.01 ? `${per(t.ins).toFixed(2)} inserts` : '', per(t.upd) >= 0.01 ? `${per(t.upd).toFixed(2)} updates/deletes` : ''].filter(Boolean);
      if (parts.length) usage.tables.push(`${t.relname} ${parts.join(', ')}`);
    }
  }
  await admin.query(`drop schema if exists ${schema} cascade`);
  const keys = await deploymentKeys();
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  redis.disconnect();
  await admin.end();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}

// ---- report ----
const byRps = (cs: Cell[]) => [...cs].sort((a, b) => a.r.rps - b.r.rps)[Math.floor(cs.length / 2)]!;
// Per-request CPU varies less with the machine's load than throughput does: the median over all rounds, not the median round's.
const serverMs = (cs: Cell[]) => medianOf(cs.map((x) => x.serverMs));
const get = (m: Mode, c: number) => cells.get(`${m.name}|${c}`);
const f = (n: number | undefined, d = 2) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(d));
const pct = (x: number | undefined) => (x === undefined || !hasProc ? '-' : (100 * x).toFixed(0));
const lines = [
  `Scale-out — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), Node ${process.version}, ` +
    `${seconds}s per cell, median of ${rounds} interleaved rounds; load average ${loadAtStart.map((x) => x.toFixed(1)).join(' ')} at the start, ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} at the end`,
  `Round trips alone (median): Redis PING ${trips.pingUs.toFixed(0)} µs; PostgreSQL select 1 ${trips.selectUs.toFixed(0)} µs, one-row insert + commit ${trips.commitUs.toFixed(0)} µs (synchronous_commit ${trips.syncCommit})`,
  '',
  `/v1/chat/completions, JSON answer. Serving CPU ms/req: CPU time of Quarry (all replicas), PostgreSQL and Redis per answered request (median over rounds). CPU: % of one core over the cell (${100 * cpus().length}% = every core), per process: Quarry (each replica), PostgreSQL (this deployment’s backends + WAL writer, checkpointer, bgwriter), Redis, mock upstream, load generator; and the whole machine, other work included.`,
  '',
  '| mode | c | req/s | p50 ms | p99 ms | errors | serving CPU ms/req | Quarry CPU % | PostgreSQL % | Redis % | upstream % | load gen % | machine % |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
];
for (const c of [1, 10, 50]) {
  for (const m of modes) {
    const cs = get(m, c);
    if (!cs) continue;
    const { r, cpu } = byRps(cs);
    const quarry = m.probe.quarry.map((q) => pct(cpu[q.name])).join(' / ');
    const isPg = m.pg;
    lines.push(
      `| ${m.name} | ${c} | ${f(r.rps, 0)} | ${f(r.p50)} | ${f(r.p99)} | ${r.errors} | ${f(serverMs(cs))} | ${quarry} | ${isPg ? pct(cpu.postgres) : '-'} | ${isPg ? pct(cpu.redis) : '-'} | ${pct(cpu.upstream)} | ${pct(cpu.load)} | ${pct(cpu.machine)} |`,
    );
  }
}
lines.push('');
const [emb, one, two, three] = modes;
if (emb && one && two && three) {
  const a1 = get(emb, 1);
  const b1 = get(one, 1);
  if (a1 && b1) {
    // Paired by round (each pair ran back to back), so the machine's drift over the run cancels.
    const diffs = a1.map((a, i) => b1[i]!.r.p50 - a.r.p50);
    lines.push(
      `- Added latency of PostgreSQL metering + Redis rate limiting (1 replica vs embedded, c=1): p50 +${f(medianOf(diffs), 3)} ms ` +
        `(median of the per-round differences: ${diffs.map((d) => f(d, 3)).join(', ')}; embedded p50 ${f(byRps(a1).r.p50, 3)} ms, replica ${f(byRps(b1).r.p50, 3)} ms)`,
    );
  }
  for (const c of [10, 50]) {
    const rps = (m: Mode) => {
      const cs = get(m, c);
      return cs ? byRps(cs).r.rps : Number.NaN;
    };
    lines.push(
      `- c=${c}: 2 replicas ${f(rps(two) / rps(one))}×, 3 replicas ${f(rps(three) / rps(one))}× the throughput of 1 replica; ` +
        `1 replica ${f((100 * rps(one)) / rps(emb), 0)}% of the embedded server's`,
    );
  }
}
for (const m of modes) {
  const cs = get(m, 50);
  if (cs) {
    const ms = serverMs(cs);
    lines.push(`- ${m.name}, c=50: ${f(ms)} CPU ms per request on the serving side, a ceiling of ${f((cpus().length * 1000) / ms, 0)} req/s if it had all ${cpus().length} cores to itself`);
  }
}
lines.push(
  `- Metering check (every PostgreSQL cell, warm-up included): ${usage.recorded} usage records for ${usage.answered} 200 answers` +
    (usage.mismatches.length ? `; MISMATCH: ${usage.mismatches.join('; ')}` : ' — none lost, none extra') +
    `; request ids recorded twice: ${usage.doubled}; Redis keys under the deployment's prefix at the end: ${usage.redisKeys}`,
);
lines.push(`- PostgreSQL per answered request (pg_stat_user_tables over the run): ${usage.tables.join('; ') || '-'}`);
console.log(lines.join('\n'));
if (usage.mismatches.length || usage.doubled !== 0) process.exitCode = 1;
