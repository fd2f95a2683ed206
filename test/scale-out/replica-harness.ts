import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'quarry.js');

/** One `quarry serve` child process; `start` again after a kill brings it back on the same port. */
export class Replica {
  child?: ChildProcess;
  port = 0;
  log = '';

  constructor(
    readonly name: string,
    private readonly args: { configFile: string; dataDir: string; env: NodeJS.ProcessEnv },
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(timeoutMs = 120_000): Promise<void> {
    const child = spawn(process.execPath, [BIN, 'serve', '--no-pull', '--host', '127.0.0.1', '--port', String(this.port), '--config', this.args.configFile, '--data-dir', this.args.dataDir], {
      env: this.args.env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    let seen = '';
    const started = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name} did not start in ${timeoutMs} ms:\n${seen}`)), timeoutMs);
      child.stderr!.on('data', (d: Buffer) => {
        seen += d.toString();
        this.log = (this.log + d.toString()).slice(-20_000);
        const m = /Quarry is listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(seen);
        if (m) {
          clearTimeout(timer);
          this.port = Number(m[1]);
          resolve();
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited (${code ?? signal}) while starting:\n${seen}`));
      });
    });
    await started;
  }

  /** SIGKILL: no shutdown hook runs, as when a machine or container dies. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(t);
  }
}

/**
 * The smallest round-robin load balancer: each request goes to the next replica; one that refuses the connection or
 * drops it answers 502 to the client (no retry, so the test knows exactly which requests succeeded).
 */
export async function startBalancer(targets: () => string[]): Promise<{ url: string; close(): Promise<void> }> {
  let next = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const list = targets();
    const target = new URL(list[next++ % list.length]!);
    const up = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (ur) => {
      // Which replica answered, so the test can tell what a killed replica may have held unwritten.
      res.writeHead(ur.statusCode ?? 502, { ...ur.headers, 'x-test-replica': target.origin });
      ur.pipe(res);
      ur.on('error', () => res.destroy());
      ur.on('aborted', () => res.destroy());
    });
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' }).end('{"error":{"message":"bad gateway"}}');
      else res.destroy();
    });
    req.pipe(up);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** An OpenAI-compatible upstream answering every chat completion after a short delay, as JSON or as SSE. */
export async function startMockUpstream(delayMs: number): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) return res.writeHead(404).end();
    const parsed = JSON.parse(body) as { stream?: boolean; model: string };
    await new Promise((r) => setTimeout(r, delayMs));
    const usage = { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 };
    if (!parsed.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ id: 'cmpl-1', object: 'chat.completion', created: 1, model: parsed.model, choices: [{ index: 0, message: { role: 'assistant', content: 'hello from mock' }, finish_reason: 'stop' }], usage }));
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const chunk = (o: object) => res.write(`data: ${JSON.stringify({ id: 'cmpl-1', object: 'chat.completion.chunk', created: 1, model: parsed.model, ...o })}\n\n`);
    chunk({ choices: [{ index: 0, delta: { role: 'assistant', content: 'hello ' }, finish_reason: null }] });
    chunk({ choices: [{ index: 0, delta: { content: 'from mock' }, finish_reason: null }] });
    chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    chunk({ choices: [], usage });
    res.end('data: [DONE]\n\n');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
