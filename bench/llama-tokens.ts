// Embedded engine overhead: tokens/s of the llama provider vs node-llama-cpp's LlamaChat called directly, on the same
// GGUF with the same prompt, maxTokens and greedy sampling, interleaved in one run so drift hits both sides alike.
//   node --import tsx bench/llama-tokens.ts [--reps 7] [--max-tokens 128] [--threads 1]
// Uses a generated random-weight llama GGUF (n_embd 512, 8 layers, ~100 MB) unless QUARRY_BENCH_GGUF names a real file.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { getLlama, LlamaChat, LlamaLogLevel } from 'node-llama-cpp';
import type { GenerateRequest, ModelInfo } from '../src/core/index.js';
import { createLlamaProvider } from '../src/providers/llama/index.js';
import { makeTinyGguf } from '../src/providers/llama/test-fixtures/make-tiny-gguf.js';

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '7' },
    'max-tokens': { type: 'string', default: '128' },
    // One thread by default: on small shared VMs more threads than free cores makes llama.cpp's spinning pool thrash.
    threads: { type: 'string', default: '1' },
  },
});
const reps = Number(values.reps);
const maxTokens = Number(values['max-tokens']);
const threads = Number(values.threads);
const contextSize = 2048;
const prompt = 'Write a short story about a fox who learns to read, in the style of a fairy tale.';

const workDir = mkdtempSync(join(tmpdir(), 'quarry-llama-bench-'));
let ggufPath = process.env.QUARRY_BENCH_GGUF;
if (!ggufPath) {
  mkdirSync(join(workDir, 'models'));
  ggufPath = join(workDir, 'models', 'bench-random.gguf');
  const t = performance.now();
  makeTinyGguf(ggufPath, { embd: 512, layers: 8, heads: 8, ff: 1376, ctx: contextSize, seed: 7, name: 'bench-random' });
  process.stderr.write(`generated ${basename(ggufPath)} in ${(performance.now() - t).toFixed(0)} ms\n`);
}

// Direct: one LlamaChat on one sequence, the lowest-level chat API the provider itself drives.
const llama = await getLlama({ build: 'never', gpu: false, logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath: ggufPath });
const context = await model.createContext({ contextSize, sequences: 1, threads });
const sequence = context.getSequence();
const chat = new LlamaChat({ contextSequence: sequence });

interface Run {
  tokens: number;
  ms: number;
  /** Process CPU time (all threads): steadier than wall time on a shared VM, where steal time inflates the clock. */
  cpuMs: number;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

async function direct(): Promise<Run> {
  const before = sequence.tokenMeter.getState();
  const t = performance.now();
  const cpu = process.cpuUsage();
  await chat.generateResponse([{ type: 'user', text: prompt }], { maxTokens, temperature: 0 });
  return { tokens: sequence.tokenMeter.diff(before).usedOutputTokens, ms: performance.now() - t, cpuMs: cpuMs(cpu) };
}

// Provider: the same file as a configured model, consumed as a stream the way the server does.
const info: ModelInfo = {
  id: 'local.bench',
  name: 'bench',
  providerId: 'llama-bench',
  upstreamModel: ggufPath,
  family: 'generic',
  kind: 'text',
  inputModalities: ['TEXT'],
  outputModalities: ['TEXT'],
  runsOn: 'local',
  supportsTools: true,
  supportsStreaming: true,
};
const provider = createLlamaProvider({
  id: 'llama-bench',
  type: 'llama',
  models: [info],
  options: { sequences: 1, contextSize, threads },
  dataDir: dirname(dirname(ggufPath)),
  timeoutMs: 600_000,
});
const req: GenerateRequest = {
  modelId: info.id,
  model: info,
  messages: [{ role: 'user', content: [{ text: prompt }] }],
  inferenceConfig: { maxTokens, temperature: 0 },
};
const signal = new AbortController().signal;

async function viaProvider(): Promise<Run> {
  const t = performance.now();
  const cpu = process.cpuUsage();
  let tokens = 0;
  for await (const part of provider.stream(req, { signal })) {
    if (part.type === 'error') throw part.error;
    if (part.type === 'metadata') tokens = part.usage.outputTokens;
  }
  return { tokens, ms: performance.now() - t, cpuMs: cpuMs(cpu) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

try {
  // Warm-up: loads, first prompt evaluation, page cache.
  await direct();
  await viaProvider();
  const rates = { direct: [] as number[], provider: [] as number[] };
  const cpuPerToken = { direct: [] as number[], provider: [] as number[] };
  const tokens = { direct: 0, provider: 0 };
  for (let i = 0; i < reps; i++) {
    // Alternate who goes first so neither side always runs on a warmer machine.
    const order = i % 2 === 0 ? (['direct', 'provider'] as const) : (['provider', 'direct'] as const);
    for (const side of order) {
      const r = side === 'direct' ? await direct() : await viaProvider();
      rates[side].push((r.tokens / r.ms) * 1000);
      cpuPerToken[side].push(r.cpuMs / r.tokens);
      tokens[side] = r.tokens;
    }
  }
  const row = (name: string, xs: number[], cpu: number[], n: number) =>
    `| ${name.padEnd(26)} | ${String(n).padStart(6)} | ${median(xs).toFixed(1).padStart(10)} | ${Math.min(...xs).toFixed(1).padStart(7)} | ${Math.max(...xs).toFixed(1).padStart(7)} | ${median(cpu).toFixed(2).padStart(13)} |`;
  const ratio = median(rates.provider) / median(rates.direct);
  // On a noisy machine the per-repetition ratio is steadier than a ratio of medians: both runs of a pair share the drift.
  const paired = median(rates.provider.map((p, i) => p / rates.direct[i]));
  console.log(`\nmodel: ${basename(ggufPath)}  prompt: ${prompt.length} chars  maxTokens: ${maxTokens}  greedy  threads: ${threads}  reps: ${reps}`);
  console.log('| path                       | tokens | median t/s |   min   |   max   | CPU ms/token  |');
  console.log('|----------------------------|--------|------------|---------|---------|---------------|');
  console.log(row('node-llama-cpp LlamaChat', rates.direct, cpuPerToken.direct, tokens.direct));
  console.log(row('quarry llama provider', rates.provider, cpuPerToken.provider, tokens.provider));
  const cpuRatio = median(cpuPerToken.direct) / median(cpuPerToken.provider);
  console.log(
    `\nprovider / direct: ${(ratio * 100).toFixed(1)}% of median tokens/s, ${(paired * 100).toFixed(1)}% median paired ratio, ` +
      `${(cpuRatio * 100).toFixed(1)}% by CPU time per token (target >= 95%)`,
  );
} finally {
  await provider.close();
  chat.dispose();
  await context.dispose();
  await model.dispose();
  await llama.dispose();
  rmSync(workDir, { recursive: true, force: true });
}
