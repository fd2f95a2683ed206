// Test helper (not a test): writes a tiny but real sentence-embedding model folder, the way transformers.js expects one
// (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx), without any network. The ONNX graph is a single
// Gather: each token id looks up its row of an embedding table, so mean pooling averages word vectors, and sentences
// sharing words (or words given similar rows) come out close. The protobuf is encoded by hand below.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// --- minimal protobuf writer (proto3 wire format: varints and length-delimited fields) ---
function varint(n: number | bigint): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}
const key = (field: number, wire: number) => varint((field << 3) | wire);
const int = (field: number, v: number) => [...key(field, 0), ...varint(v)];
const bytes = (field: number, b: Uint8Array | number[]) => [...key(field, 2), ...varint(b.length), ...b];
const str = (field: number, s: string) => bytes(field, [...Buffer.from(s, 'utf8')]);
const msg = (field: number, parts: number[][]) => bytes(field, parts.flat());

const FLOAT = 1;
const INT64 = 7;

/** ValueInfoProto for a tensor whose dims are symbolic names or fixed sizes. */
function valueInfo(field: number, name: string, elemType: number, dims: Array<string | number>): number[] {
  const shape = dims.map((d) => msg(1, [typeof d === 'string' ? str(2, d) : int(1, d)]));
  return msg(field, [str(1, name), msg(2, [msg(1, [int(1, elemType), msg(2, shape)])])]);
}

/** ModelProto bytes: last_hidden_state[b, s, :] = table[input_ids[b, s], :]. */
export function gatherEmbeddingModel(table: number[][]): Uint8Array {
  const vocab = table.length;
  const dim = table[0].length;
  const raw = Buffer.alloc(vocab * dim * 4);
  const flat = table.flat();
  for (let i = 0; i < flat.length; i++) raw.writeFloatLE(flat[i], i * 4);
  const initializer = msg(5, [int(1, vocab), int(1, dim), int(2, FLOAT), str(8, 'embeddings'), bytes(9, [...raw])]);
  const axis = msg(5, [str(1, 'axis'), int(3, 0), int(20, 2 /* AttributeType.INT */)]);
  const gather = msg(1, [str(1, 'embeddings'), str(1, 'input_ids'), str(2, 'last_hidden_state'), str(3, 'lookup'), str(4, 'Gather'), axis]);
  const graph = msg(7, [
    gather,
    str(2, 'tiny-embed'),
    initializer,
    valueInfo(11, 'input_ids', INT64, ['batch', 'sequence']),
    valueInfo(11, 'attention_mask', INT64, ['batch', 'sequence']),
    valueInfo(12, 'last_hidden_state', FLOAT, ['batch', 'sequence', dim]),
  ]);
  const model = [...int(1, 8 /* ir_version */), ...str(2, 'quarry-test'), ...graph, ...msg(8, [str(1, ''), int(2, 13)])];
  return Uint8Array.from(model);
}

const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'];

/** A BERT-style WordPiece tokenizer.json over `words` (lowercased, punctuation split off). */
export function wordPieceTokenizer(words: string[], maxLength: number) {
  const vocab: Record<string, number> = {};
  [...SPECIAL, ...words].forEach((w, i) => {
    vocab[w] = i;
  });
  const special = (content: string) => ({
    id: vocab[content],
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL.map(special),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [vocab['[CLS]']], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [vocab['[SEP]']], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
  const config = {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: maxLength,
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    clean_up_tokenization_spaces: true,
  };
  return { tokenizer, config, vocab };
}

/**
 * Writes `<dir>/` as a sentence-embedding model over `words`, where `vectors[word]` is that word's embedding; special
 * tokens and unknown words embed to zero, so they do not pull the mean anywhere.
 */
export async function writeTinyEmbeddingModel(
  dir: string,
  vectors: Record<string, number[]>,
  opts: { maxLength?: number; onnxFile?: string } = {},
): Promise<void> {
  const words = Object.keys(vectors);
  const dim = vectors[words[0]].length;
  const maxLength = opts.maxLength ?? 32;
  const { tokenizer, config } = wordPieceTokenizer(words, maxLength);
  const table = [...SPECIAL.map(() => new Array<number>(dim).fill(0)), ...words.map((w) => vectors[w])];
  await mkdir(join(dir, 'onnx'), { recursive: true });
  await writeFile(
    join(dir, 'config.json'),
    JSON.stringify({
      model_type: 'bert',
      architectures: ['BertModel'],
      hidden_size: dim,
      max_position_embeddings: maxLength,
      vocab_size: table.length,
    }),
  );
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify(config));
  await writeFile(join(dir, 'onnx', opts.onnxFile ?? 'model.onnx'), gatherEmbeddingModel(table));
}
