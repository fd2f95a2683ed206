import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * The server's whole module graph, loaded (and the PII lexicon read), must leave V8's hidden-class transitions working: a module that fills the
 * empty object literal's transition table (compromise did, unpacking its lexicon) makes every `{}`-built object of
 * every request get a class of its own, which measurably slows the whole server (see read-compromise-model.ts).
 * Checked in a child with V8's natives syntax, which tells whether two objects share their hidden class.
 */
const PROBE = `
await import(${JSON.stringify(new URL('./quarry-server.ts', import.meta.url).href)});
await import(${JSON.stringify(new URL('./standard-routes.ts', import.meta.url).href)});
const { withModel } = await import(${JSON.stringify(new URL('../core/with-model.ts', import.meta.url).href)});
// The PII lexicon is read on first use; a guardrail looking for names reads it in a serving server, so it is read here.
const { FIRST_NAMES } = await import(${JSON.stringify(new URL('../guardrails/pii/lexicon/compromise-lexicon.ts', import.meta.url).href)});
if (FIRST_NAMES.has('zzz-not-a-name')) throw new Error('the lexicon was not read');
const sameClass = new Function('a', 'b', 'return %HaveSameMap(a, b)');
const key = 'k' + Math.random().toString(36).slice(2);
const plain = () => { const o = {}; o[key] = 1; return o; };
const parsed = () => JSON.parse('{"' + key + '": 1, "b": 2}');
const model = { id: 'm' };
const request = { modelId: 'm', messages: [] };
const answers = [];
for (let i = 0; i < 50; i++) answers.push(withModel(request, model));
console.log(JSON.stringify({ plain: sameClass(plain(), plain()), parsed: sameClass(parsed(), parsed()), withModel: sameClass(answers[0], answers[49]) }));
`;

test('loading the server keeps objects built key by key, parsed JSON and withModel results sharing hidden classes', async () => {
  const out = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '--eval', PROBE],
      { cwd: fileURLToPath(new URL('../..', import.meta.url)), timeout: 120_000 },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
  const line = out.trim().split('\n').at(-1)!;
  assert.deepEqual(JSON.parse(line), { plain: true, parsed: true, withModel: true });
});
