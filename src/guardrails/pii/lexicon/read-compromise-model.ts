import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

/** The parts of compromise's built-in model the PII lexicon reads. */
export interface CompromiseModel {
  /** Every lexicon entry: the word and its tag or tags. */
  lexicon: [word: string, tags: string | string[]][];
  orgWords: string[];
  placeWords: string[];
}

/** A loaded CI machine can take a few seconds to start a worker and unpack the lexicon; this is the give-up point. */
const TIMEOUT_MS = 60_000;

/**
 * Runs in the worker (a CommonJS script: `eval` workers are): loads compromise, copies out the lists, hands them over
 * through the port, then wakes the waiting thread.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { entry, port, flag } = workerData;
let out;
try {
  const model = require(entry).model();
  out = { lexicon: Object.entries(model.one.lexicon), orgWords: Object.keys(model.two.orgWords), placeWords: Object.keys(model.two.placeWords) };
} catch (e) {
  out = { error: String((e && e.stack) || e) };
}
port.postMessage(out);
Atomics.store(flag, 0, 1);
Atomics.notify(flag, 0);
`;

/**
 * Reads compromise's lexicon in a worker thread, synchronously, so that compromise itself never loads in this
 * isolate. Why: unpacking its model adds properties of thousands of different names to fresh plain objects, which
 * fills V8's transition table of the empty object literal (1,536 entries at most). From then on every object that
 * starts as `{}` and gets properties one by one — a header record, a usage record read by hand, `Object.assign({},
 * …)` — is given a map of its own instead of a shared one, so each such object costs a map allocation and every
 * inline cache that sees them turns megamorphic. In the gateway that was ~17 new maps per proxied request (V8's `--log-maps`), all gone
 * with compromise in its own isolate (src/server/object-shapes.test.ts checks it stays that way). The worker costs a
 * few tens of milliseconds once, at start; blocking on it keeps the lexicon's exports plain synchronous sets.
 */
export function readCompromiseModel(): CompromiseModel {
  const entry = createRequire(import.meta.url).resolve('compromise');
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  // No execArgv: the worker needs no loader hooks (tsx's included), it only runs the plain script above.
  const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { entry, port: port2, flag }, transferList: [port2] });
  try {
    const waited = Atomics.wait(flag, 0, 0, TIMEOUT_MS);
    const received = receiveMessageOnPort(port1)?.message as (CompromiseModel & { error?: undefined }) | { error: string } | undefined;
    if (!received) throw new Error(`compromise's lexicon was not read within ${TIMEOUT_MS} ms (${waited})`);
    if (received.error !== undefined) throw new Error(`compromise's lexicon could not be read: ${received.error}`);
    return received;
  } finally {
    port1.close();
    void worker.terminate();
  }
}
