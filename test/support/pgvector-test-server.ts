import { startPgliteWireServer } from './pglite-wire-server.js';

/**
 * PostgreSQL with pgvector for a scale-out test run (scripts/run-tests.mjs starts it as a process of its own, so its
 * WebAssembly backend does not share an event loop with the tests): prints its URL on the first line of stdout, then
 * serves until stdin closes or it is signalled.
 */
const server = await startPgliteWireServer();
process.stdout.write(`${server.url}\n`);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.stop().catch(() => {});
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// The runner holds stdin open; if the runner dies without signalling, stdin closes and this server goes with it.
process.stdin.on('end', stop);
process.stdin.resume();
