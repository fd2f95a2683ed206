// ANN index of the embedded vector store: usearch HNSW built, saved, verified and loaded exactly as UsearchAnn does it,
// on synthetic clustered 512-d vectors. Reports build time, recall@10 against exact search, single-query latency and
// memory per million vectors.
//   node --import tsx bench/ann.ts [--sizes 100000,1000000] [--queries 200] [--rounds 3] [--quantization i8,f16,f32]
//                                  [--ef 64,128,256] [--rerank 20,100] [--m 16] [--ef-add 128] [--dims 512]
//                                  [--clusters 1000] [--rank 32] [--spread 0.6] [--noise 0.5]
// The data is a Gaussian mixture of low-rank clusters (1000 centres, each with its own 32-dimensional spread plus
// isotropic noise, all normalised): text embeddings are clustered by topic and have a low intrinsic dimension, unlike
// uniform noise, on which every ANN index degrades to brute force. The noise level makes neighbours within a topic close
// to equidistant, so recall depends on ef as it does on real embeddings.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { exactSearch, MetricKind } from 'usearch';
import { cosineSimilarity } from '../src/knowledge/vector/cosine-similarity.js';
import { type AnnOptions, DEFAULT_ANN_OPTIONS, UsearchAnn } from '../src/knowledge/vector/usearch-ann.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '3' },
    rerank: { type: 'string', default: '20,100' },
    quantization: { type: 'string', default: 'i8,f16,f32' },
    ef: { type: 'string', default: '64,128,256' },
    m: { type: 'string', default: String(DEFAULT_ANN_OPTIONS.connectivity) },
    'ef-add': { type: 'string', default: String(DEFAULT_ANN_OPTIONS.expansionAdd) },
    dims: { type: 'string', default: '512' },
    clusters: { type: 'string', default: '1000' },
    rank: { type: 'string', default: '32' },
    spread: { type: 'string', default: '0.6' },
    noise: { type: 'string', default: '0.5' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const Q = Number(values.queries);
// The machine is shared: latency is the median over rounds of each round's percentile, as in the other benches.
const ROUNDS = Number(values.rounds);
const D = Number(values.dims);
const K = 10;
const quantizations = values.quantization.split(',') as AnnOptions['quantization'][];
const efs = values.ef.split(',').map(Number);
// How many candidates the store re-ranks with exact f32 cosine when the index stores f16 or i8.
const rerankDepths = values.rerank.split(',').map(Number);
const connectivity = Number(values.m);
const expansionAdd = Number(values['ef-add']);

// Native memory of a dropped index is only returned when its JavaScript wrapper is collected.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const u = rand() || 1e-12;
    const r = Math.sqrt(-2 * Math.log(u));
    const a = 2 * Math.PI * rand();
    spare = r * Math.sin(a);
    return r * Math.cos(a);
  };
}

const CLUSTERS = Number(values.clusters);
const RANK = Number(values.rank);
const SPREAD = Number(values.spread);
const NOISE = Number(values.noise);

function mixture(seed: number) {
  const normal = gaussian(mulberry32(seed));
  const centres = new Float32Array(CLUSTERS * D);
  for (let c = 0; c < CLUSTERS; c++) {
    let n = 0;
    for (let j = 0; j < D; j++) {
      const x = normal();
      centres[c * D + j] = x;
      n += x * x;
    }
    for (let j = 0; j < D; j++) centres[c * D + j] /= Math.sqrt(n);
  }
  const bases = new Float32Array(CLUSTERS * RANK * D).map(() => normal() / Math.sqrt(D));
  const z = new Float64Array(RANK);
  /** Writes one unit vector at `out[offset..offset+D)`. */
  return (out: Float32Array, offset: number, rand: () => number) => {
    const c = Math.floor(rand() * CLUSTERS);
    for (let r = 0; r < RANK; r++) z[r] = (normal() * SPREAD) / Math.sqrt(RANK);
    let n = 0;
    for (let j = 0; j < D; j++) {
      let x = centres[c * D + j] + (normal() * NOISE) / Math.sqrt(D);
      for (let r = 0; r < RANK; r++) x += z[r] * bases[(c * RANK + r) * D + j];
      out[offset + j] = x;
      n += x * x;
    }
    const inv = 1 / Math.sqrt(n);
    for (let j = 0; j < D; j++) out[offset + j] *= inv;
  };
}

const rssMb = () => process.memoryUsage().rss / 2 ** 20;
const seconds = (t0: number) => (performance.now() - t0) / 1000;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

interface Row {
  size: number;
  quantization: string;
  ef: number;
  recall: number;
  p50: number;
  p99: number;
  buildS: number;
  fileMb: number;
  rssMb: number;
  openS: number;
}

const rows: Row[] = [];
const notes: string[] = [];
const work = mkdtempSync(join(tmpdir(), 'quarry-ann-bench-'));
console.log(`# ANN bench ${new Date().toISOString()} — ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`# d=${D} M=${connectivity} ef_add=${expansionAdd} queries=${Q} k=${K} clusters=${CLUSTERS} rank=${RANK} spread=${SPREAD} noise=${NOISE}`);

try {
  for (const N of sizes) {
    let t0 = performance.now();
    const point = mixture(42);
    const dataRand = mulberry32(7);
    const data = new Float32Array(N * D);
    for (let i = 0; i < N; i++) point(data, i * D, dataRand);
    const queryRand = mulberry32(99);
    const queries = new Float32Array(Q * D);
    for (let i = 0; i < Q; i++) point(queries, i * D, queryRand);
    console.log(`\n## N=${N}: data generated in ${seconds(t0).toFixed(1)} s`);

    t0 = performance.now();
    const truthMatches = exactSearch(data, queries, D, K, MetricKind.Cos, 0);
    const truth = Array.from({ length: Q }, (_, q) => new Set(Array.from(truthMatches.keys.subarray(q * K, (q + 1) * K), Number)));
    console.log(`exact ground truth for ${Q} queries (all cores): ${seconds(t0).toFixed(1)} s`);
    // Local intrinsic dimensionality (Levina-Bickel MLE over the 10 nearest): how hard the neighbourhoods are.
    const lids = Array.from({ length: Q }, (_, q) => {
      const d = Array.from(truthMatches.distances.subarray(q * K, (q + 1) * K)).sort((a, b) => a - b);
      const logs = d.slice(0, -1).map((x) => Math.log(Math.max(x, 1e-9) / d[K - 1]));
      return -(K - 1) / logs.reduce((a, b) => a + b, 0);
    });
    const meanCos = (i: number) => 1 - truthMatches.distances.filter((_, j) => j % K === i).reduce((a, b) => a + b, 0) / Q;
    console.log(`neighbourhoods: LID ${pct(lids, 50).toFixed(1)} (median), mean cosine of the 1st / 10th neighbour ${meanCos(0).toFixed(3)} / ${meanCos(K - 1).toFixed(3)}`);
    const bruteMs: number[] = [];
    for (let q = 0; q < 5; q++) {
      const s = performance.now();
      exactSearch(data, queries.subarray(q * D, (q + 1) * D), D, K, MetricKind.Cos, 1);
      bruteMs.push(performance.now() - s);
    }
    notes.push(`N=${N}: exact (brute-force, 1 thread) query ${pct(bruteMs, 50).toFixed(1)} ms p50`);

    for (const quantization of quantizations) {
      const options: AnnOptions = { quantization, connectivity, expansionAdd, expansionSearch: efs[0] };
      gc();
      const rss0 = rssMb();
      t0 = performance.now();
      let ann: UsearchAnn | undefined = new UsearchAnn(D, options);
      const BATCH = 50_000;
      for (let i = 0; i < N; i += BATCH) {
        const n = Math.min(BATCH, N - i);
        ann.addMatrix(
          BigUint64Array.from({ length: n }, (_, j) => BigInt(i + j)),
          data.subarray(i * D, (i + n) * D),
        );
      }
      const buildS = seconds(t0);
      // After a collection, so the batches' JavaScript garbage (keys, i8 copies) does not count as index memory.
      gc();
      const indexRss = rssMb() - rss0;
      const file = join(work, `${N}-${quantization}.usearch`);
      t0 = performance.now();
      const record = await ann.save(file);
      const saveS = seconds(t0);
      console.log(
        `${quantization}: built in ${buildS.toFixed(1)} s (${Math.round(N / buildS)} vectors/s, 2 threads), RSS +${indexRss.toFixed(0)} MB, ` +
          `saved ${(record.bytes / 2 ** 20).toFixed(0)} MB in ${saveS.toFixed(1)} s (hash included)`,
      );
      ann = undefined;
      gc();

      for (const ef of efs) {
        t0 = performance.now();
        const loaded = await UsearchAnn.load(file, D, { ...options, expansionSearch: ef }, record);
        const openS = seconds(t0);
        if (!loaded) throw new Error('the saved index did not load');
        // The store's query path: f16 and i8 fetch more than k and re-rank with exact cosine on the f32 vectors kept in
        // SQLite (here the data array); "raw" is the index's own top k, to show what the re-rank buys.
        const modes = quantization === 'f32' ? [K] : [K, ...rerankDepths];
        for (const fetch of modes) {
          const run = (q: number) => {
            const query = queries.subarray(q * D, (q + 1) * D);
            const labels = loaded.search(query, fetch);
            if (fetch === K) return labels;
            return labels
              .map((l) => ({ l, s: cosineSimilarity(query, data.subarray(l * D, (l + 1) * D)) }))
              .sort((a, b) => b.s - a.s)
              .slice(0, K)
              .map((x) => x.l);
          };
          for (let q = 0; q < Q; q++) run(q);
          const p50s: number[] = [];
          const p99s: number[] = [];
          let hits = 0;
          for (let round = 0; round < ROUNDS; round++) {
            const ms: number[] = [];
            hits = 0;
            for (let q = 0; q < Q; q++) {
              const s = performance.now();
              const found = run(q);
              ms.push(performance.now() - s);
              hits += found.filter((l) => truth[q].has(l)).length;
            }
            p50s.push(pct(ms, 50));
            p99s.push(pct(ms, 99));
          }
          const row: Row = {
            size: N,
            quantization: fetch === K ? (quantization === 'f32' ? 'f32' : `${quantization} raw`) : `${quantization}, f32 re-rank of ${fetch}`,
            ef,
            recall: hits / (Q * K),
            p50: pct(p50s, 50),
            p99: pct(p99s, 50),
            buildS,
            fileMb: record.bytes / 2 ** 20,
            rssMb: indexRss,
            openS,
          };
          rows.push(row);
          console.log(
            `  ef=${ef} ${row.quantization}: recall@10 ${row.recall.toFixed(3)}, p50 ${row.p50.toFixed(2)} ms, p99 ${row.p99.toFixed(2)} ms (open: hash + load ${openS.toFixed(1)} s)`,
          );
        }
        gc();
      }
      rmSync(file, { force: true });
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log('\n| vectors | storage | ef | recall@10 | p50 ms | p99 ms | build s | index file MB | RSS MB per 1M | open s |');
console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.size.toLocaleString('en')} | ${r.quantization} | ${r.ef} | ${r.recall.toFixed(3)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.buildS.toFixed(1)} | ${r.fileMb.toFixed(0)} | ${((r.rssMb * 1e6) / r.size).toFixed(0)} | ${r.openS.toFixed(1)} |`,
  );
}
for (const n of notes) console.log(`- ${n}`);
console.log(`- load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
