import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkRecords, driveLoad, type MockUpstream, recordsByRequest, type ServerProcess, startMockUpstream, startServerProcess } from './crashable-server.js';

const API_KEY = 'qk-crash-0123456789abcdef';

// The bench's experiment at test size: the real server as a child process, killed with SIGKILL while requests are
// in flight, restarted on the same data directory. Every whole response must have exactly one usage record.
test('kill -9 under load: every answered request has exactly one usage record after a restart', { timeout: 180_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'quarry-crash-'));
  let upstream: MockUpstream | undefined;
  const servers: ServerProcess[] = [];
  try {
    upstream = await startMockUpstream();
    const first = await startServerProcess({ upstream: upstream.url, dataDir, apiKey: API_KEY, mode: 'durable' });
    servers.push(first);
    let killed = false;
    const load = await driveLoad({
      url: first.url,
      apiKey: API_KEY,
      total: 900,
      concurrency: 16,
      afterEach: (done) => {
        if (done >= 250 && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      },
    });
    assert.equal(await first.exited, 'SIGKILL');
    assert.ok(load.ok.length >= 250, `${load.ok.length} answered before the kill`);
    assert.ok(load.failed + load.cut.length > 0, 'the kill interrupted the load');

    const second = await startServerProcess({ upstream: upstream.url, dataDir, apiKey: API_KEY, mode: 'durable' });
    servers.push(second);
    const after = await driveLoad({ url: second.url, apiKey: API_KEY, total: 30, concurrency: 4 });
    assert.equal(after.ok.length, 30, 'the restarted server answers');
    // Killed again right after answering: its last records are in its journal only (stored in batches within 50 ms),
    // so the third start must store them. Stopped gracefully, the third stores what it holds before it exits.
    second.child.kill('SIGKILL');
    assert.equal(await second.exited, 'SIGKILL');
    const third = await startServerProcess({ upstream: upstream.url, dataDir, apiKey: API_KEY, mode: 'durable' });
    servers.push(third);
    third.child.kill('SIGTERM');
    await third.exited;

    const records = recordsByRequest(dataDir);
    const check = checkRecords({ ...load, ok: [...load.ok, ...after.ok] }, records);
    assert.equal(check.okMissing, 0, `answered requests without a record: ${JSON.stringify(check)}`);
    assert.equal(check.doubled, 0, 'no request id has two records');
    assert.equal(check.okWithOneRecord, check.ok);
  } finally {
    for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await Promise.all(servers.map((s) => s.exited));
    await upstream?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
