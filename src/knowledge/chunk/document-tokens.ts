// gpt-tokenizer's o200k table is several megabytes; load it on the first document, not at startup.
let tokenizer: Promise<typeof import('gpt-tokenizer')> | undefined;

// Text that happens to contain `<|endoftext|>` is text, not a control token (the library refuses it by default).
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/**
 * A document tokenised once with o200k, with each token's character offset, so every chunker cuts windows by token
 * count without re-encoding. `starts[i]` is where token i begins in `text`; `starts[count]` is `text.length`. Tokens
 * that only form a character together (a UTF-8 sequence split across tokens) share that character's start, so a
 * cut between them never splits the character.
 */
export interface DocumentTokens {
  text: string;
  count: number;
  starts: Int32Array;
}

export async function tokenizeDocument(text: string): Promise<DocumentTokens> {
  tokenizer ??= import('gpt-tokenizer');
  const { encode, decodeGenerator } = await tokenizer;
  // The decoder drops a U+FEFF that begins a decoded piece (TextDecoder treats it as a byte-order mark), which would
  // shift every later offset; BOMs left inside extracted text are common, so tokenise them as a zero-width joiner,
  // which has the same length. Chunks are still cut from the original text.
  const ids = encode(text.includes('\ufeff') ? text.replaceAll('\ufeff', '\u2060') : text, PLAIN_TEXT);
  const starts = new Int32Array(ids.length + 1);
  // decodeGenerator yields once per complete piece of text and pulls tokens lazily, so counting the tokens pulled
  // tells which tokens each yielded piece covers.
  let pulled = 0;
  function* counted(): Generator<number> {
    for (const id of ids) {
      pulled++;
      yield id;
    }
  }
  let char = 0;
  let first = 0;
  for (const piece of decodeGenerator(counted())) {
    for (let i = first; i < pulled; i++) starts[i] = char;
    char += piece.length;
    first = pulled;
  }
  for (let i = first; i <= ids.length; i++) starts[i] = char;
  if (char !== text.length) {
    // Should not happen; if some other decoding quirk shifts offsets, spread the tokens evenly over the text rather
    // than fail the document: chunk sizes stay close to the limit and every character is still covered.
    for (let i = 0; i <= ids.length; i++) starts[i] = Math.round((i * text.length) / Math.max(ids.length, 1));
  }
  return { text, count: ids.length, starts };
}

/**
 * The first token of the character at `pos`: the last token starting at or before it, moved back over the tokens
 * that share its start (the pieces of one character).
 */
export function tokenContaining(tokens: DocumentTokens, pos: number): number {
  let lo = 0;
  let hi = tokens.count;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (tokens.starts[mid]! <= pos) lo = mid;
    else hi = mid - 1;
  }
  return tokenStartingAtOrAfter(tokens, tokens.starts[lo]!);
}

/** The first token that starts at or after character `pos` (`count` when none does). */
export function tokenStartingAtOrAfter(tokens: DocumentTokens, pos: number): number {
  let lo = 0;
  let hi = tokens.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tokens.starts[mid]! < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
