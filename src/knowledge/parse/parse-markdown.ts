import { markdownToText } from './markdown-to-text.js';
import type { ParseContext } from './parse-context.js';
import type { ParsedDocument, ParseInput } from './parsed-document.js';
import { decodeInput } from './parse-text.js';

export async function parseMarkdown(input: ParseInput, ctx: ParseContext): Promise<ParsedDocument[]> {
  const { text, title } = markdownToText(decodeInput(input, ctx));
  return [{ text, title, metadata: {} }];
}
