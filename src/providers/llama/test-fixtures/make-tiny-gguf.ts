import { type GgufTensor, type GgufValue, writeGguf } from './gguf-writer.js';

/**
 * Writes a tiny but real `llama`-architecture GGUF (F32, seeded random weights, SentencePiece vocab with byte fallback and
 * a ChatML Jinja template), so the whole node-llama-cpp path — loader, tokenizer, chat template, sampler, grammar — runs
 * in tests without downloading anything.
 *
 * A random model's greedy output is arbitrary, which makes stop reasons untestable. `script` fixes that without giving up
 * the real engine: embeddings and the output head are laid out so the network behaves as a bigram model whose successor
 * table walks the script (every other token leads to script[0]); the transformer blocks keep random weights that are small
 * next to the embeddings, so they run but do not change the argmax. The script then ends in `<|im_end|>` ('eos') or
 * loops back to its start ('loop').
 */
export interface TinyGgufOptions {
  seed?: number;
  embd?: number;
  layers?: number;
  heads?: number;
  headsKv?: number;
  ff?: number;
  ctx?: number;
  name?: string;
  /** Token texts the model emits, in order, under greedy sampling. Distinct entries; at most embd - 1 of them. */
  script?: readonly string[];
  scriptEnd?: 'eos' | 'loop';
  /** Defaults to a ChatML template; `null` writes none. */
  chatTemplate?: string | null;
}

const CHATML =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

const WORDS = [
  'the', 'a', 'and', 'to', 'of', 'in', 'is', 'it', 'you', 'that', 'hello', 'world', 'user', 'assistant', 'system', 'what',
  'weather', 'city', 'paris', 'tell', 'me', 'about', 'story', 'once', 'upon', 'time', 'there', 'was', 'name', 'json',
  'function', 'call', 'result', 'true', 'false', 'null', 'number', 'string', 'yes', 'no', 'please', 'thanks', 'answer',
];

// SentencePiece token types, as llama.cpp reads them.
const NORMAL = 1;
const UNKNOWN = 2;
const CONTROL = 3;
const USER_DEFINED = 4;
const BYTE = 6;

const IM_END = 4;

/** mulberry32: tiny, fast, good enough for weights, and the same stream on every platform. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Vocab {
  tokens: string[];
  scores: number[];
  types: number[];
  scriptIds: number[];
}

function buildVocab(script: readonly string[]): Vocab {
  const tokens: string[] = [];
  const scores: number[] = [];
  const types: number[] = [];
  const index = new Map<string, number>();
  const add = (text: string, type: number, score: number) => {
    const existing = index.get(text);
    if (existing !== undefined) return existing;
    index.set(text, tokens.length);
    tokens.push(text);
    scores.push(score);
    types.push(type);
    return tokens.length - 1;
  };
  add('<unk>', UNKNOWN, 0);
  add('<s>', CONTROL, 0);
  add('</s>', CONTROL, 0);
  add('<|im_start|>', CONTROL, 0);
  add('<|im_end|>', CONTROL, 0);
  for (let b = 0; b < 256; b++) add(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`, BYTE, 0);
  add('\u2581', NORMAL, -1);
  for (let c = 0x21; c < 0x7f; c++) add(String.fromCharCode(c), NORMAL, -1);
  // SentencePiece only reaches a word by merging adjacent pieces, so every prefix of a word must be a token too.
  for (const w of WORDS) {
    const piece = `\u2581${w}`;
    for (let len = 2; len <= piece.length; len++) add(piece.slice(0, len), NORMAL, len);
  }
  const scriptIds = script.map((text) => add(text, USER_DEFINED, 0));
  if (new Set(scriptIds).size !== scriptIds.length) throw new Error('script tokens must be distinct');
  return { tokens, scores, types, scriptIds };
}

export function makeTinyGguf(path: string, options: TinyGgufOptions = {}): void {
  const {
    seed = 42,
    embd = 64,
    layers = 2,
    heads = 4,
    headsKv = heads,
    ff = 128,
    ctx = 512,
    name = 'tiny-llama',
    script = [],
    scriptEnd = 'eos',
    chatTemplate = CHATML,
  } = options;
  if (script.length >= embd) throw new Error(`a script of ${script.length} tokens needs embd > ${script.length}`);
  const vocab = buildVocab(script);
  const nVocab = vocab.tokens.length;
  const rand = prng(seed);
  const uniform = (n: number, scale: number) => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = (rand() * 2 - 1) * scale;
    return a;
  };
  const ones = (n: number) => new Float32Array(n).fill(1);
  const headDim = embd / heads;
  const kvDim = headDim * headsKv;
  const scripted = script.length > 0;

  const embedding = uniform(nVocab * embd, scripted ? 0.1 : 1);
  const output = uniform(nVocab * embd, scripted ? 0.1 : 0.5);
  // A zero output row gives logit 0, well under the best random logit, so greedy decoding never picks control or raw
  // byte tokens by accident (a random model would otherwise end at once or emit broken UTF-8).
  for (let t = 0; t < nVocab; t++) {
    if (vocab.types[t] !== NORMAL && vocab.types[t] !== USER_DEFINED) output.fill(0, t * embd, (t + 1) * embd);
  }
  if (scripted) {
    const GAMMA = 4;
    const BETA = 2;
    const scriptSet = new Set(vocab.scriptIds);
    for (let t = 0; t < nVocab; t++) if (!scriptSet.has(t)) embedding[t * embd] += GAMMA;
    vocab.scriptIds.forEach((id, i) => {
      embedding[id * embd + 1 + i] += GAMMA;
    });
    output[vocab.scriptIds[0] * embd] += BETA;
    for (let i = 0; i < script.length; i++) {
      const next = i + 1 < script.length ? vocab.scriptIds[i + 1] : scriptEnd === 'eos' ? IM_END : vocab.scriptIds[0];
      output[next * embd + 1 + i] += BETA;
    }
  }

  const W = 0.1;
  const tensors: GgufTensor[] = [
    { name: 'token_embd.weight', dims: [embd, nVocab], data: embedding },
    { name: 'output_norm.weight', dims: [embd], data: ones(embd) },
    { name: 'output.weight', dims: [embd, nVocab], data: output },
  ];
  for (let l = 0; l < layers; l++) {
    const p = `blk.${l}.`;
    tensors.push(
      { name: `${p}attn_norm.weight`, dims: [embd], data: ones(embd) },
      { name: `${p}attn_q.weight`, dims: [embd, embd], data: uniform(embd * embd, W) },
      { name: `${p}attn_k.weight`, dims: [embd, kvDim], data: uniform(embd * kvDim, W) },
      { name: `${p}attn_v.weight`, dims: [embd, kvDim], data: uniform(embd * kvDim, W) },
      { name: `${p}attn_output.weight`, dims: [embd, embd], data: uniform(embd * embd, W) },
      { name: `${p}ffn_norm.weight`, dims: [embd], data: ones(embd) },
      { name: `${p}ffn_gate.weight`, dims: [embd, ff], data: uniform(embd * ff, W) },
      { name: `${p}ffn_up.weight`, dims: [embd, ff], data: uniform(embd * ff, W) },
      { name: `${p}ffn_down.weight`, dims: [ff, embd], data: uniform(ff * embd, W) },
    );
  }

  const metadata: Record<string, GgufValue> = {
    'general.architecture': { type: 'str', value: 'llama' },
    'general.name': { type: 'str', value: name },
    'general.file_type': { type: 'u32', value: 0 },
    'llama.context_length': { type: 'u32', value: ctx },
    'llama.embedding_length': { type: 'u32', value: embd },
    'llama.block_count': { type: 'u32', value: layers },
    'llama.feed_forward_length': { type: 'u32', value: ff },
    'llama.rope.dimension_count': { type: 'u32', value: headDim },
    'llama.attention.head_count': { type: 'u32', value: heads },
    'llama.attention.head_count_kv': { type: 'u32', value: headsKv },
    'llama.attention.layer_norm_rms_epsilon': { type: 'f32', value: 1e-5 },
    'llama.rope.freq_base': { type: 'f32', value: 10000 },
    'llama.vocab_size': { type: 'u32', value: nVocab },
    'tokenizer.ggml.model': { type: 'str', value: 'llama' },
    'tokenizer.ggml.tokens': { type: 'arr-str', value: vocab.tokens },
    'tokenizer.ggml.scores': { type: 'arr-f32', value: vocab.scores },
    'tokenizer.ggml.token_type': { type: 'arr-i32', value: vocab.types },
    'tokenizer.ggml.bos_token_id': { type: 'u32', value: 1 },
    'tokenizer.ggml.eos_token_id': { type: 'u32', value: IM_END },
    'tokenizer.ggml.unknown_token_id': { type: 'u32', value: 0 },
    'tokenizer.ggml.add_bos_token': { type: 'bool', value: true },
    'tokenizer.ggml.add_eos_token': { type: 'bool', value: false },
  };
  if (chatTemplate !== null) metadata['tokenizer.chat_template'] = { type: 'str', value: chatTemplate };
  writeGguf(path, metadata, tensors);
}
