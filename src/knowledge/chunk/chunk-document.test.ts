import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countTokens } from 'gpt-tokenizer';
import { QuarryError } from '../../core/index.js';
import type { ParsedDocument } from '../parse/parsed-document.js';
import type { Chunk, ChunkingConfiguration, EmbedTexts } from './chunk.js';
import { chunkDocument } from './chunk-document.js';
import { chunkingConfigurationSchema } from './chunking-configuration-schema.js';
import { percentile } from './chunk-semantic.js';
import { tokenizeDocument } from './document-tokens.js';
import { splitSentences } from './split-sentences.js';

const PROSE = [
  'Knowledge bases turn documents into chunks before they are embedded. Each chunk should stand on its own, so cuts fall between sentences where possible.',
  'A fixed-size chunker counts tokens rather than characters. It keeps a little overlap between neighbours, which helps retrieval when an answer straddles a cut.',
  'Hierarchical chunking keeps two layers. The small children are embedded and searched; the larger parent is what the model finally reads.',
  'Semantic chunking compares neighbouring sentences. Where the topic shifts sharply, a new chunk begins; elsewhere sentences stay together.',
].join('\n\n');

const doc = (text: string, pages?: ParsedDocument['pages']): ParsedDocument => ({ text, metadata: {}, ...(pages ? { pages } : {}) });
const fixed = (maxTokens: number, overlapPercentage: number): ChunkingConfiguration => ({
  chunkingStrategy: 'FIXED_SIZE',
  fixedSizeChunkingConfiguration: { maxTokens, overlapPercentage },
});
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Every chunk is its slice of the text, and together they leave no non-blank character out. */
function assertFaithful(text: string, chunks: Chunk[]) {
  const covered = new Uint8Array(text.length);
  for (const c of chunks) {
    assert.equal(c.text, text.slice(c.start, c.end));
    assert.equal(c.text, c.text.trim(), 'chunks are trimmed');
    assert.ok(!LONE_SURROGATE.test(c.text), 'no character is split');
    covered.fill(1, c.start, c.end);
  }
  for (let i = 0; i < text.length; i++) if (!/\s/.test(text[i]!)) assert.equal(covered[i], 1, `character ${i} (${text[i]}) is in no chunk`);
}

test('NONE: the whole document, trimmed, with its first page; blank documents give no chunk', async () => {
  const text = `\n  ${PROSE}  \n`;
  const chunks = await chunkDocument(doc(text, [{ pageNumber: 3, start: 0, end: text.length }]), { chunkingStrategy: 'NONE' });
  assert.equal(chunks.length, 1);
  assert.equal(chunks[0]!.text, PROSE);
  assert.equal(chunks[0]!.start, 3);
  assert.equal(chunks[0]!.pageNumber, 3);
  assert.deepEqual(await chunkDocument(doc(' \n\t '), { chunkingStrategy: 'NONE' }), []);
  assert.deepEqual(await chunkDocument(doc(''), fixed(10, 10)), []);
});

test('FIXED_SIZE: windows within maxTokens, overlapping, cut between words and preferably sentences', async () => {
  const text = Array.from({ length: 6 }, () => PROSE).join('\n\n');
  const chunks = await chunkDocument(doc(text), fixed(60, 20));
  assert.ok(chunks.length > 10);
  assertFaithful(text, chunks);
  let sentenceEnds = 0;
  for (const [i, c] of chunks.entries()) {
    assert.ok(countTokens(c.text) <= 60, `chunk ${i} has ${countTokens(c.text)} tokens`);
    assert.ok(countTokens(c.text) >= 20, `chunk ${i} is a sliver: ${JSON.stringify(c.text)}`);
    // Never mid-word: the characters on both sides of each edge are not both letters.
    assert.ok(!(/\p{L}/u.test(text[c.start - 1] ?? ' ') && /\p{L}/u.test(text[c.start]!)), `chunk ${i} starts mid-word`);
    assert.ok(!(/\p{L}/u.test(text[c.end - 1]!) && /\p{L}/u.test(text[c.end] ?? ' ')), `chunk ${i} ends mid-word`);
    if (/[.!?]$/.test(c.text)) sentenceEnds++;
    if (i > 0) {
      assert.ok(c.start < chunks[i - 1]!.end, `chunk ${i} does not overlap the previous one`);
      assert.ok(c.start > chunks[i - 1]!.start, 'chunks advance');
    }
  }
  assert.ok(sentenceEnds >= chunks.length * 0.8, `${sentenceEnds} of ${chunks.length} chunks end a sentence`);
  // Same input, same chunks.
  assert.deepEqual(await chunkDocument(doc(text), fixed(60, 20)), chunks);
});

test('FIXED_SIZE: text without spaces, multi-byte characters and control-token look-alikes are cut safely', async () => {
  const blob = Buffer.from(Array.from({ length: 6000 }, (_, i) => (i * 7919) % 251)).toString('base64');
  let chunks = await chunkDocument(doc(blob), fixed(50, 10));
  assertFaithful(blob, chunks);
  for (const c of chunks) assert.ok(countTokens(c.text) <= 52, `${countTokens(c.text)} tokens`);

  const mixed = '日本語の文章です。絵文字😀🎉も含みます。'.repeat(60) + ' <|endoftext|> ' + 'Ελληνικά κείμενα και émojis 👩‍👩‍👧. '.repeat(40);
  chunks = await chunkDocument(doc(mixed), fixed(40, 25));
  assert.ok(chunks.length > 5);
  assertFaithful(mixed, chunks);
  for (const c of chunks) assert.ok(countTokens(c.text, { disallowedSpecial: new Set() }) <= 42);
  // CJK text has no spaces; cuts still land after a sentence terminator.
  assert.ok(chunks.filter((c) => c.text.endsWith('。')).length >= 3);
});

test('chunks carry the page their start falls on', async () => {
  const third = Math.floor(PROSE.length / 3);
  const pages = [
    { pageNumber: 1, start: 0, end: third },
    { pageNumber: 2, start: third, end: 2 * third },
    { pageNumber: 3, start: 2 * third, end: PROSE.length },
  ];
  const chunks = await chunkDocument(doc(PROSE, [...pages].reverse()), fixed(30, 10));
  for (const c of chunks) {
    const expected = pages.find((p) => c.start >= p.start && c.start < p.end)!.pageNumber;
    assert.equal(c.pageNumber, expected);
  }
  assert.deepEqual(new Set(chunks.map((c) => c.pageNumber)), new Set([1, 2, 3]));
  assert.equal((await chunkDocument(doc(PROSE), fixed(30, 10)))[0]!.pageNumber, undefined);
});

test('HIERARCHICAL: children within child maxTokens, each inside the parent it carries', async () => {
  // Numbered sentences, so every parent's text occurs once and its offset can be found.
  const text = Array.from({ length: 80 }, (_, i) => `Sentence ${i} is about topic ${i % 7} and runs on a little${i % 5 === 4 ? '.\n\n' : '. '}`).join('');
  const chunks = await chunkDocument(doc(text), {
    chunkingStrategy: 'HIERARCHICAL',
    hierarchicalChunkingConfiguration: { levelConfigurations: [{ maxTokens: 200 }, { maxTokens: 50 }], overlapTokens: 10 },
  });
  assertFaithful(text, chunks);
  const parents = new Set(chunks.map((c) => c.parentText));
  assert.ok(parents.size >= 3, `${parents.size} parents`);
  for (const c of chunks) {
    assert.ok(countTokens(c.text) <= 50);
    assert.ok(c.parentText!.includes(c.text));
    assert.ok(countTokens(c.parentText!) <= 200);
    const parentStart = text.indexOf(c.parentText!);
    assert.ok(parentStart >= 0 && c.start >= parentStart && c.end <= parentStart + c.parentText!.length);
  }
});

// Sentences about cats or about rockets, embedded as two orthogonal topics (plus a little per-sentence noise).
const CATS = ['Cats sleep most of the day.', 'A cat purrs when it is content.', 'Kittens play with string.', 'Cats groom their fur often.'];
const ROCKETS = ['Rockets burn fuel to climb.', 'A rocket engine needs oxidiser.', 'Launch pads are built near the sea.', 'Rockets stage as they rise.'];
const topicEmbedder = (seen: string[][] = []): EmbedTexts => async (texts) => {
  seen.push(texts);
  return texts.map((t, i) => {
    const cat = (t.match(/cat|kitten/gi) ?? []).length;
    const rocket = (t.match(/rocket|launch/gi) ?? []).length;
    return Float32Array.from([cat, rocket, 0.05 * ((i % 3) + 1)]);
  });
};
const semantic = (maxTokens: number, bufferSize = 0, breakpointPercentileThreshold = 90): ChunkingConfiguration => ({
  chunkingStrategy: 'SEMANTIC',
  semanticChunkingConfiguration: { maxTokens, bufferSize, breakpointPercentileThreshold },
});

test('SEMANTIC: cuts where the topic changes and nowhere else', async () => {
  const text = [...CATS, ...ROCKETS].join(' ');
  const seen: string[][] = [];
  const chunks = await chunkDocument(doc(text), semantic(500), topicEmbedder(seen));
  assert.deepEqual(
    chunks.map((c) => c.text),
    [CATS.join(' '), ROCKETS.join(' ')],
  );
  assertFaithful(text, chunks);
  assert.deepEqual(seen.flat(), [...CATS, ...ROCKETS]);

  // bufferSize 1: each sentence is embedded with its neighbours.
  const buffered: string[][] = [];
  await chunkDocument(doc(text), semantic(500, 1), topicEmbedder(buffered));
  assert.equal(buffered.flat()[1], `${CATS[0]} ${CATS[1]} ${CATS[2]}`);
  assert.equal(buffered.flat()[0], `${CATS[0]} ${CATS[1]}`);
});

test('SEMANTIC: no chunk over maxTokens, even a run-on sentence', async () => {
  const runOn = 'and the cat went on '.repeat(200);
  const text = `${CATS.join(' ')} ${runOn}. ${ROCKETS.join(' ')}`;
  const chunks = await chunkDocument(doc(text), semantic(25), topicEmbedder());
  assertFaithful(text, chunks);
  for (const c of chunks) assert.ok(countTokens(c.text) <= 26, `${countTokens(c.text)} tokens: ${c.text.slice(0, 40)}`);
  // A one-sentence document needs no embedder call.
  let calls = 0;
  const one = await chunkDocument(doc('Just one sentence here.'), semantic(100), async (t) => {
    calls++;
    return t.map(() => new Float32Array([1]));
  });
  assert.deepEqual(one.map((c) => c.text), ['Just one sentence here.']);
  assert.equal(calls, 0);
});

test('SEMANTIC: a missing or misbehaving embedder is a clear error', async () => {
  const text = [...CATS, ...ROCKETS].join(' ');
  await assert.rejects(chunkDocument(doc(text), semantic(100)), (e: unknown) => {
    assert.ok(QuarryError.isInstance(e) && e.code === 'ValidationException');
    assert.match((e as Error).message, /SEMANTIC chunking needs the knowledge base embedding model/);
    return true;
  });
  await assert.rejects(
    chunkDocument(doc(text), semantic(100), async () => [new Float32Array([1, 0])]),
    (e: unknown) => QuarryError.isInstance(e) && e.code === 'ModelErrorException' && /1 vectors for 8 sentences/.test(e.message),
  );
  await assert.rejects(
    chunkDocument(doc(text), semantic(100), async (t) => t.map((_, i) => new Float32Array(i === 3 ? 2 : 3))),
    /different lengths/,
  );
  // Zero vectors are not a crash: they read as unrelated neighbours.
  const zeros = await chunkDocument(doc(text), semantic(100), async (t) => t.map(() => new Float32Array(3)));
  assertFaithful(text, zeros);
});

test('configuration: Bedrock bounds with messages that name the field', () => {
  const bad: Array<[unknown, RegExp]> = [
    [{ chunkingStrategy: 'FIXED_SIZE' }, /fixedSizeChunkingConfiguration: FIXED_SIZE chunking needs/],
    [fixed(0, 20), /maxTokens: must be a whole number from 1 to 8192/],
    [fixed(8193, 20), /maxTokens: must be a whole number from 1 to 8192/],
    [fixed(300, 0), /overlapPercentage: must be a whole number from 1 to 99/],
    [fixed(300, 12.5), /overlapPercentage/],
    [{ chunkingStrategy: 'FIXED_SIZE', fixedSizeChunkingConfiguration: { maxTokens: 300, overlapPercentage: 20, x: 1 } }, /Unrecognized key/],
    [{ chunkingStrategy: 'SMART' }, /chunkingStrategy: must be one of NONE, FIXED_SIZE, HIERARCHICAL, SEMANTIC/],
    ['FIXED_SIZE', /must be an object with a chunkingStrategy/],
    [semantic(300, 2, 95), /bufferSize: must be a whole number from 0 to 1/],
    [semantic(300, 0, 49), /breakpointPercentileThreshold: must be a whole number from 50 to 99/],
    [semantic(0, 0, 95), /maxTokens: must be a whole number of at least 1/],
    [
      { chunkingStrategy: 'HIERARCHICAL', hierarchicalChunkingConfiguration: { levelConfigurations: [{ maxTokens: 1500 }], overlapTokens: 60 } },
      /levelConfigurations: must hold exactly two levels/,
    ],
    [
      { chunkingStrategy: 'HIERARCHICAL', hierarchicalChunkingConfiguration: { levelConfigurations: [{ maxTokens: 300 }, { maxTokens: 1500 }], overlapTokens: 60 } },
      /levelConfigurations\.1\.maxTokens: must not exceed the parent level's maxTokens/,
    ],
    [
      { chunkingStrategy: 'HIERARCHICAL', hierarchicalChunkingConfiguration: { levelConfigurations: [{ maxTokens: 1500 }, { maxTokens: 300 }], overlapTokens: 300 } },
      /overlapTokens: must be smaller than the child level's maxTokens/,
    ],
  ];
  for (const [value, message] of bad) {
    assert.throws(
      () => {
        const r = chunkingConfigurationSchema.safeParse(value);
        if (!r.success) throw new Error(r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      },
      message,
      JSON.stringify(value),
    );
  }
  for (const good of [
    { chunkingStrategy: 'NONE' },
    fixed(300, 20),
    fixed(8192, 99),
    semantic(300, 0, 95),
    { chunkingStrategy: 'HIERARCHICAL', hierarchicalChunkingConfiguration: { levelConfigurations: [{ maxTokens: 1500 }, { maxTokens: 300 }], overlapTokens: 60 } },
  ]) {
    assert.deepEqual(chunkingConfigurationSchema.parse(good), good);
  }
});

test('chunkDocument refuses a bad configuration with a ValidationException', async () => {
  await assert.rejects(
    chunkDocument(doc(PROSE), fixed(0, 100)),
    (e: unknown) => QuarryError.isInstance(e) && e.code === 'ValidationException' && /Invalid chunkingConfiguration: .*maxTokens/.test(e.message),
  );
});

test('sentences: abbreviations, decimals, hard wraps, lists and CJK', () => {
  const text = 'Dr. Smith paid $3.50 for it, e.g. at the U.S. store. Then he left!\nThe report was\nwrapped by a PDF tool. 次の文です。最後の文。\n- a list item\n- another item\n\nNew paragraph?';
  assert.deepEqual(
    splitSentences(text).map((s) => text.slice(s.start, s.end)),
    [
      'Dr. Smith paid $3.50 for it, e.g. at the U.S. store.',
      'Then he left!',
      'The report was\nwrapped by a PDF tool.',
      '次の文です。',
      '最後の文。',
      '- a list item',
      '- another item',
      'New paragraph?',
    ],
  );
  assert.deepEqual(splitSentences('   \n\n  '), []);
});

test('percentile interpolates between ranks', () => {
  assert.equal(percentile([0, 0, 0, 0, 1], 50), 0);
  assert.equal(percentile([1, 2, 3, 4, 5], 50), 3);
  assert.ok(Math.abs(percentile([0, 0, 0, 0, 0, 0, 0, 0, 1], 90) - 0.2) < 1e-9);
  assert.equal(percentile([7], 99), 7);
});

test('token offsets line up with the text, multi-byte characters included', async () => {
  const text = 'héllo 😀 wörld 日本語 <|endoftext|> ok';
  const t = await tokenizeDocument(text);
  assert.equal(t.starts[t.count], text.length);
  for (let i = 1; i <= t.count; i++) assert.ok(t.starts[i]! >= t.starts[i - 1]!);
  // Concatenating the token spans rebuilds the text exactly.
  let rebuilt = '';
  for (let i = 0; i < t.count; i++) rebuilt += text.slice(t.starts[i]!, t.starts[i + 1]!);
  assert.equal(rebuilt, text);
});

test('a megabyte of text is tokenised once and chunked quickly', async () => {
  const big = Array.from({ length: 1500 }, (_, i) => `Section ${i}. ${PROSE}`).join('\n\n');
  assert.ok(big.length > 900_000);
  const t0 = performance.now();
  const chunks = await chunkDocument(doc(big), fixed(300, 20));
  const ms = performance.now() - t0;
  assert.ok(chunks.length > 500);
  assert.ok(ms < 8000, `${ms.toFixed(0)} ms`);
  const h0 = performance.now();
  await chunkDocument(doc(big), {
    chunkingStrategy: 'HIERARCHICAL',
    hierarchicalChunkingConfiguration: { levelConfigurations: [{ maxTokens: 1500 }, { maxTokens: 300 }], overlapTokens: 60 },
  });
  const hms = performance.now() - h0;
  console.log(`# 1 MB: fixed-size ${ms.toFixed(0)} ms, hierarchical ${hms.toFixed(0)} ms`);
});
