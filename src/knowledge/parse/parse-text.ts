import { parseContentType } from './content-type.js';
import { decodeText } from './decode-text.js';
import type { ParseContext } from './parse-context.js';
import type { ParsedDocument, ParseInput } from './parsed-document.js';

/** Plain text keeps every character; only the encoding and line ends are normalised. */
export async function parseText(input: ParseInput, ctx: ParseContext): Promise<ParsedDocument[]> {
  return [{ text: decodeInput(input, ctx), metadata: {} }];
}

export function decodeInput(input: ParseInput, ctx: ParseContext): string {
  return decodeText(ctx.name, input.bytes, parseContentType(input.contentType)?.charset);
}
