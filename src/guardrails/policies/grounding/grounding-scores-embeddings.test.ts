import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProviderSettings } from '../../../core/index.js';
import * as embedded from '../../../providers/embedded/index.js';
import type { EmbedTexts } from '../text/embed-texts.js';
import { groundingScores } from './grounding-scores.js';

const settings: ProviderSettings = { id: 'embedded', type: 'embedded', models: [], options: {}, dataDir: '/nonexistent', timeoutMs: 30_000 };
const provider = embedded.createEmbeddedEmbeddingsProvider(settings);
const model = embedded.useModelInfo('embedded');
const encoder: EmbedTexts = async (inputs) =>
  (await provider.embed!({ modelId: embedded.USE_MODEL_ID, model, inputs }, { signal: new AbortController().signal })).embeddings;

// The server's default (the static table, read through its cosine line) and the encoder it was distilled from.
for (const [name, embed] of [
  ['the static table', embedded.staticEmbedder()],
  ['the sentence encoder', encoder],
] as const) {
  test(`with ${name}, a reworded claim gains support and an invented figure still fails`, async () => {
    const source =
      'Acme Corp was founded in 1998 by Jane Smith in Denver. The company makes industrial robots for car factories. ' +
      'In 2023 its revenue was $4.2 billion, up 12% from the previous year. Acme employs about 8,500 people.';
    const query = 'What does Acme make?';
    await groundingScores({ source, query, response: 'warm-up' }, embed);
    const reworded = 'Acme builds machines that automate work in automobile plants.';
    const lexical = await groundingScores({ source, query, response: reworded });
    const t0 = performance.now();
    const withModel = await groundingScores({ source, query, response: reworded }, embed);
    const ms = performance.now() - t0;
    console.log(`reworded claim: lexical grounding ${lexical.grounding}, with ${name} ${withModel.grounding} (${ms.toFixed(1)} ms for 1 claim + 4 windows + query)`);
    assert.ok(withModel.grounding > lexical.grounding + 0.1);
    const invented = await groundingScores({ source, query, response: 'Acme builds robots for 300 car factories in Japan.' }, embed);
    assert.ok(invented.grounding < 0.3, `invented ${invented.grounding}`);
  });
}
