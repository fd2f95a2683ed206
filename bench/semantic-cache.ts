// The semantic cache: how often a paraphrase hits, how often a different question would be served a wrong answer
// (false hit), at each threshold, and what a lookup costs.
//   node --import tsx bench/semantic-cache.ts [--embedding-model quarry.embed-use-v1:0] [--rounds 50]
//
// A real server (scripted text model, the bundled Universal Sentence Encoder) with the semantic cache on. Similarity
// per pair comes from the server's own prompt embedder (Runtime.embedPrompt, what the cache compares); the cache
// serves a hit exactly when the similarity reaches the threshold within a partition, so the rates per threshold follow.
// Then, over HTTP: the latency of an exact hit, a semantic hit, and a miss (the scripted model answers at once, so a
// miss shows the embedding's cost), interleaved rounds, medians.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { cosineSimilarity } from '../src/knowledge/vector/cosine-similarity.js';
import { startTestServer, TEST_API_KEY } from '../test/support/start-test-server.js';
import { DIFFERENT, SAME } from './semantic-cache-pairs.js';

const { values } = parseArgs({ options: { 'embedding-model': { type: 'string', default: 'quarry.embed-use-v1:0' }, rounds: { type: 'string', default: '50' } } });
const embeddingModel = values['embedding-model']!;
const rounds = Number(values.rounds);
const THRESHOLDS = [0.8, 0.85, 0.9, 0.92, 0.95, 0.97];

const server = await startTestServer(`  - id: embedded
    type: embedded
responseCache:
  semantic: { embeddingModel: ${embeddingModel}, threshold: 0.9 }
`);
const embed = (text: string) => server.runtime.embedPrompt(embeddingModel, text, new AbortController().signal);
const cosine = async (a: string, b: string) => {
  const [x, y] = await Promise.all([embed(a), embed(b)]);
  return cosineSimilarity(x, y);
};

const same = await Promise.all(SAME.map(([a, b]) => cosine(a, b)));
const different = await Promise.all(DIFFERENT.map(([a, b]) => cosine(a, b)));
const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(0)}%`;
console.log(`semantic cache, ${embeddingModel}: ${SAME.length} paraphrase pairs, ${DIFFERENT.length} same-topic different-question pairs`);
console.log('threshold  paraphrase hits  false hits (different question served)');
for (const t of THRESHOLDS) {
  const hits = same.filter((s) => s >= t).length;
  const falseHits = different.filter((s) => s >= t).length;
  console.log(`${t.toFixed(2).padEnd(9)}  ${pct(hits, same.length).padStart(15)}  ${pct(falseHits, different.length).padStart(10)}`);
}
const worst = DIFFERENT.map((p, i) => ({ p, s: different[i]! }))
  .sort((a, b) => b.s - a.s)
  .slice(0, 3);
console.log('closest different-question pairs:', worst.map((w) => `${w.s.toFixed(3)} "${w.p[0]}" / "${w.p[1]}"`).join('; '));

// Latency over HTTP: exact hit, semantic hit, miss. A miss is asked with `x-quarry-cache: bypass`, which still embeds
// the prompt (to index its answer) and then calls the model: what every cacheable miss costs.
const converse = async (text: string, cache = 'on') => {
  const t = performance.now();
  const res = await fetch(`${server.url}/model/scripted.echo-v1:0/converse`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json', 'x-quarry-cache': cache },
    body: JSON.stringify({ messages: [{ role: 'user', content: [{ text }] }], inferenceConfig: { temperature: 0 } }),
  });
  await res.arrayBuffer();
  return performance.now() - t;
};
await converse('How do I reset my password?');
await new Promise((r) => setTimeout(r, 50));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const exact: number[] = [];
const semantic: number[] = [];
const miss: number[] = [];
for (let i = 0; i < rounds; i++) {
  exact.push(await converse('How do I reset my password?'));
  semantic.push(await converse('How can I reset my password?'));
  miss.push(await converse('How do I reset my password?', 'bypass'));
}
const stats = server.runtime.cache!.semantic!.stats();
console.log(
  `HTTP latency, median of ${rounds}: exact hit ${median(exact).toFixed(2)} ms, semantic hit ${median(semantic).toFixed(2)} ms, miss (embed + model call) ${median(miss).toFixed(2)} ms`,
);
console.log(`semantic stats: ${JSON.stringify(stats)}`);
await server.stop();
