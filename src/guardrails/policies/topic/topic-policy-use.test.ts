import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProviderSettings } from '../../../core/index.js';
import * as embedded from '../../../providers/embedded/index.js';
import type { EmbedTexts } from '../text/embed-texts.js';
import { EVAL_CASES, EVAL_TOPICS } from './topic-eval-set.js';
import { compileTopicPolicy } from './topic-policy.js';

// The embedded Universal Sentence Encoder ships with the server (weights in node_modules, no network), so this runs
// everywhere; it takes about 6 s on an idle two-core machine, most of it loading the model (timings are printed, not
// asserted: on a shared machine they measure the neighbours).
const settings: ProviderSettings = { id: 'embedded', type: 'embedded', models: [], options: {}, dataDir: '/nonexistent', timeoutMs: 30_000 };
const provider = embedded.createEmbeddedEmbeddingsProvider(settings);
const model = embedded.useModelInfo('embedded');
const embed: EmbedTexts = async (inputs) =>
  (await provider.embed!({ modelId: embedded.USE_MODEL_ID, model, inputs }, { signal: new AbortController().signal })).embeddings;

test('with the embedded sentence encoder, paraphrases the examples do not contain are caught', async () => {
  const t0 = performance.now();
  const policy = compileTopicPolicy({ topicsConfig: EVAL_TOPICS }, { embed });
  const rows: string[] = [];
  const caught: string[] = [];
  const wrong: string[] = [];
  const checkMs: number[] = [];
  for (const c of EVAL_CASES) {
    const s = performance.now();
    const verdict = await policy.check(c.text, 'INPUT');
    checkMs.push(performance.now() - s);
    for (const f of verdict.findings) {
      rows.push(`${f.detected ? 'X' : '.'} ${f.name.padEnd(18)} conf ${f.confidence.toFixed(2)} sem ${f.semantic?.toFixed(2)} lex ${f.lexical.toFixed(2)}  ${c.text.slice(0, 60)}`);
      if (f.detected && f.name === c.topic) caught.push(c.text);
      if (f.detected && f.name !== c.topic) wrong.push(`${c.text} → ${f.name}`);
    }
  }
  const total = performance.now() - t0;
  console.log(rows.join('\n'));
  checkMs.sort((a, b) => a - b);
  console.log(`USE topic check: ${total.toFixed(0)} ms in all (model load included); per check median ${checkMs[checkMs.length >> 1]!.toFixed(0)} ms, max ${checkMs.at(-1)!.toFixed(0)} ms`);

  const paraphrases = EVAL_CASES.filter((c) => c.paraphraseOnly);
  const caughtParaphrases = paraphrases.filter((c) => caught.includes(c.text));
  // Vocabulary alone catches none of these (see topic-policy.test.ts); the encoder must catch some.
  assert.ok(caughtParaphrases.length >= 2, `paraphrases caught: ${caughtParaphrases.map((c) => c.text).join(' | ')}`);
  assert.ok(caught.length >= 7, `caught ${caught.length} of ${EVAL_CASES.filter((c) => c.topic).length}`);
  assert.deepEqual(wrong, []);
});
