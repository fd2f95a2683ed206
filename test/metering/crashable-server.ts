// The real server as a child process (`node bin/quarry.js serve`), a local OpenAI-compatible upstream, a load driver
// that notes each request id a response carried, and a reader of the usage records left in the data directory. Used
// by the crash test and by bench/metering-crash.ts, which kill the server with SIGKILL in the middle of the load.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Pool } from 'undici';

const ROOT = new URL('../../', import.meta.url).pathname;
export const CRASH_MODEL = 'acme.chat-v1:0';

export interface MockUpstream {
  url: string;
  close(): Promise<void>;
}

/** A fixed chat completion (JSON or SSE), after `delayMs`, so requests are in flight when the server dies. */
export async function startMockUpstream(delayMs = 2): Promise<MockUpstream> {
  const completion = JSON.stringify({
    id: 'chatcmpl-crash',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'gpt-test',
    choices: [{ index: 0, message: { role: 'assistant', content: 'The quick brown fox.' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 },
  });
  const chunk = (o: object) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-test', ...o })}\n\n`;
  const sse =
    chunk({ choices: [{ index: 0, delta: { role: 'assistant', content: 'The quick' }, finish_reason: null }] }) +
    chunk({ choices: [{ index: 0, delta: { content: ' brown fox.' }, finish_reason: 'stop' }] }) +
    chunk({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 } }) +
    'data: [DONE]\n\n';
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      setTimeout(() => {
        if (body.includes('"stream":true')) {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.end(sse);
        } else {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(completion);
        }
      }, delayMs);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      return closed;
    },
  };
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code or signal. */
  exited: Promise<string>;
}

/** Starts `node bin/quarry.js serve` on a free port; resolves once it listens. */
export async function startServerProcess(o: {
  upstream: string;
  dataDir: string;
  apiKey: string;
  mode: 'durable' | 'buffered';
  groupCommitMs?: number;
  /** Durable mode: false commits each group to SQLite instead of journaling first. */
  journal?: boolean;
  port?: number;
}): Promise<ServerProcess> {
  const config = join(o.dataDir, 'quarry.yaml');
  writeFileSync(
    config,
    `ollama: { autoDetect: false }
metering: { mode: ${o.mode}, groupCommitMs: ${o.groupCommitMs ?? 0}${o.journal === undefined ? '' : `, journal: ${o.journal}`} }
providers:
  - { id: upstream, type: openai-compatible, baseUrl: "${o.upstream}/v1", apiKey: test }
models:
  - { id: "${CRASH_MODEL}", provider: upstream, upstreamModel: gpt-test, pricing: { inputPer1k: 0.0005, outputPer1k: 0.0015 } }
`,
  );
  const child = spawn(process.execPath, [join(ROOT, 'bin/quarry.js'), 'serve', '--config', config, '--data-dir', o.dataDir, '--port', String(o.port ?? 0), '--no-pull'], {
    cwd: ROOT,
    env: { ...process.env, QUARRY_BOOTSTRAP_API_KEY: o.apiKey, QUARRY_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<string>((r) => child.once('exit', (code, signal) => r(signal ?? String(code))));
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within 60 s:\n${err}`)), 60_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/[\d.:]+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
      if (err.length > 100_000) err = err.slice(-50_000);
    });
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${how}) before listening:\n${err}`));
    });
  });
  return { url, child, exited };
}

export interface LoadOutcome {
  /** Request ids of the responses that arrived whole with status 200. */
  ok: string[];
  /** Request ids of streams that began (200) but were cut off before their end. */
  cut: string[];
  /** Requests that got no response, or a status other than 200. */
  failed: number;
  seconds: number;
}

const bodies = {
  converse: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Write one sentence about a fox.' }] }], inferenceConfig: { maxTokens: 32 } }),
  chat: JSON.stringify({ model: CRASH_MODEL, messages: [{ role: 'user', content: 'Write one sentence about a fox.' }], max_tokens: 32 }),
  chatStream: JSON.stringify({ model: CRASH_MODEL, messages: [{ role: 'user', content: 'Write one sentence about a fox.' }], max_tokens: 32, stream: true, stream_options: { include_usage: true } }),
};

/**
 * Sends `total` requests with `concurrency` in flight, cycling Converse, Chat Completions and streamed Chat
 * Completions (with a tag header on every third). `afterEach` sees the running count of whole responses (the crash
 * is triggered from there). A request whose connection dies counts as failed, never retried.
 */
export async function driveLoad(o: { url: string; apiKey: string; total: number; concurrency: number; afterEach?: (done: number) => void }): Promise<LoadOutcome> {
  const pool = new Pool(o.url, { connections: o.concurrency, pipelining: 1, keepAliveTimeout: 60_000 });
  const out: LoadOutcome = { ok: [], cut: [], failed: 0, seconds: 0 };
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < o.total; i = next++) {
      const kind = i % 3 === 0 ? 'converse' : i % 3 === 1 ? 'chat' : 'chatStream';
      const path = kind === 'converse' ? `/model/${encodeURIComponent(CRASH_MODEL)}/converse` : '/v1/chat/completions';
      const headers: Record<string, string> = { authorization: `Bearer ${o.apiKey}`, 'content-type': 'application/json' };
      if (i % 3 === 0) headers['x-quarry-tags'] = 'team=search,env=bench';
      let id: string | undefined;
      try {
        const res = await pool.request({ path, method: 'POST', headers, body: bodies[kind] });
        id = String(res.headers['x-amzn-requestid'] ?? res.headers['x-request-id'] ?? '');
        const text = await res.body.text();
        // A stream is whole when its last event arrived; a JSON answer when it parses.
        const whole = kind === 'chatStream' ? text.includes('data: [DONE]') : isJson(text);
        if (res.statusCode === 200 && whole && id) {
          out.ok.push(id);
          o.afterEach?.(out.ok.length);
        } else if (res.statusCode === 200 && id) out.cut.push(id);
        else out.failed++;
      } catch {
        if (id) out.cut.push(id);
        else out.failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  out.seconds = (performance.now() - started) / 1000;
  await pool.destroy();
  return out;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Usage records per request id, read straight from the SQLite file (WAL lets this run beside the server). */
export function recordsByRequest(dataDir: string): Map<string, number> {
  const db = new Database(join(dataDir, 'quarry.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT request_id, COUNT(*) AS n FROM usage_records GROUP BY request_id').all() as { request_id: string; n: number }[];
    return new Map(rows.map((r) => [r.request_id, r.n]));
  } finally {
    db.close();
  }
}

export interface CrashCheck {
  ok: number;
  okWithOneRecord: number;
  okMissing: number;
  doubled: number;
  cutWithRecord: number;
  cut: number;
  records: number;
}

/** Every whole response must have exactly one record; no request id may have two. */
export function checkRecords(outcome: LoadOutcome, records: Map<string, number>): CrashCheck {
  let one = 0;
  let missing = 0;
  for (const id of outcome.ok) {
    const n = records.get(id) ?? 0;
    if (n === 1) one++;
    else if (n === 0) missing++;
  }
  return {
    ok: outcome.ok.length,
    okWithOneRecord: one,
    okMissing: missing,
    doubled: [...records.values()].filter((n) => n > 1).length,
    cutWithRecord: outcome.cut.filter((id) => records.has(id)).length,
    cut: outcome.cut.length,
    records: [...records.values()].reduce((a, b) => a + b, 0),
  };
}
