// The audit trail's cost: Converse in process (app.request, scripted model) with data-plane auditing off and on, and
// the writer's throughput (events appended to SQLite hash chains per second). Not a timed test; run with
//   node --import tsx bench/audit-overhead.ts [requests]
import { performance } from 'node:perf_hooks';
import { sampleEvent } from '../src/audit/audit-test-kit.js';
import { AuditLog } from '../src/audit/index.js';
import { silentLogger } from '../src/core/index.js';
import { startTestServer, TEST_API_KEY } from '../test/support/start-test-server.js';

const N = Number(process.argv[2] ?? 5000);
const body = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hello' }] }] });

async function converseLatency(dataPlane: boolean): Promise<{ meanUs: number; p99Us: number; events: number }> {
  const server = await startTestServer(`audit:\n  dataPlane: ${dataPlane}\n`);
  try {
    const call = () =>
      server.app.request('/model/scripted.echo-v1:0/converse', { method: 'POST', headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' }, body });
    for (let i = 0; i < 500; i++) await call();
    const times: number[] = [];
    for (let i = 0; i < N; i++) {
      const t = performance.now();
      const r = await call();
      await r.arrayBuffer();
      times.push((performance.now() - t) * 1000);
    }
    await server.audit.flush();
    const page = await server.audit.query({ maxResults: 1000, category: 'data' });
    times.sort((a, b) => a - b);
    return { meanUs: times.reduce((s, x) => s + x, 0) / N, p99Us: times[Math.floor(N * 0.99)]!, events: page.events.length };
  } finally {
    await server.stop();
  }
}

async function writerThroughput(): Promise<number> {
  const server = await startTestServer();
  try {
    const log = new AuditLog(server.store.db, silentLogger, { dialect: 'sqlite' });
    const M = 20_000;
    const t = performance.now();
    for (let i = 0; i < M; i++) log.record(sampleEvent({ details: () => ({ requestParameters: { name: `kb-${i}`, apiKey: 'x' } }) }));
    await log.close();
    return M / ((performance.now() - t) / 1000);
  } finally {
    await server.stop();
  }
}

// Alternate the two settings so machine noise does not favour one.
const rounds: Record<string, { meanUs: number; p99Us: number; events: number }[]> = { off: [], on: [] };
for (let r = 0; r < 3; r++) {
  rounds.off!.push(await converseLatency(false));
  rounds.on!.push(await converseLatency(true));
}
for (const [k, rs] of Object.entries(rounds)) {
  const best = rs.reduce((a, b) => (a.meanUs < b.meanUs ? a : b));
  console.log(`Converse in process, data-plane audit ${k}: mean ${best.meanUs.toFixed(0)} µs, p99 ${best.p99Us.toFixed(0)} µs (best of 3 rounds of ${N}); data events stored: ${best.events}`);
}
console.log(`writer: ${(await writerThroughput()).toFixed(0)} events/s appended to SQLite chains (batches of 100)`);
