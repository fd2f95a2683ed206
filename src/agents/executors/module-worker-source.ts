/**
 * The code a module worker runs, as a string for `new Worker(source, { eval: true })`: a worker given a file would
 * need the TypeScript loader the server runs under, while this plain script needs nothing. It imports the
 * registered module, calls its handler with the event, and posts back the result as JSON text, cut at the size cap
 * inside the worker so that megabytes of output never cross to the server's heap whole.
 */
export const MODULE_WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const send = (m) => parentPort.postMessage(m);
(async () => {
  let mod;
  try {
    mod = await import(workerData.url);
  } catch (e) {
    send({ ok: false, error: 'The module could not be loaded: ' + String((e && e.message) || e).slice(0, 2000) });
    return;
  }
  const fn = typeof mod.handler === 'function' ? mod.handler
    : typeof mod.default === 'function' ? mod.default
    : mod.default && typeof mod.default.handler === 'function' ? mod.default.handler : undefined;
  if (!fn) {
    send({ ok: false, error: 'The module exports no handler: export a function named handler (or a default function).' });
    return;
  }
  let result;
  try {
    result = await fn(workerData.event);
  } catch (e) {
    send({ ok: false, error: 'The handler threw: ' + String((e && e.stack) || e).slice(0, 4000) });
    return;
  }
  let json;
  try {
    json = JSON.stringify(result === undefined ? null : result);
  } catch (e) {
    send({ ok: false, error: 'The handler returned a value that is not JSON-serialisable: ' + String((e && e.message) || e) });
    return;
  }
  if (json === undefined) {
    send({ ok: false, error: 'The handler returned a value that is not JSON-serialisable (' + typeof result + ').' });
    return;
  }
  const max = workerData.maxOutputChars;
  if (json.length > max) send({ ok: true, truncated: json.slice(0, max), size: json.length });
  else send({ ok: true, json });
})();
`;
