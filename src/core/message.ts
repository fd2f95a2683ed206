/**
 * Canonical message content, shaped like Bedrock Converse's (the richest neutral format). OpenAI and Anthropic
 * wire formats translate to and from these types at the edge; nothing below src/api knows any other shape.
 */

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';
export type DocumentFormat = 'pdf' | 'csv' | 'doc' | 'docx' | 'xls' | 'xlsx' | 'html' | 'txt' | 'md';

/** Binary payloads stay as bytes inside the server; wire adapters own base64. */
export interface BytesSource {
  bytes: Uint8Array;
}

export interface TextBlock {
  text: string;
}
export interface ImageBlock {
  image: { format: ImageFormat; source: BytesSource };
}
export interface DocumentBlock {
  document: { format: DocumentFormat; name: string; source: BytesSource | { text: string } };
}
export interface ToolUseBlock {
  toolUse: { toolUseId: string; name: string; input: unknown };
}
export type ToolResultContent =
  | { text: string }
  | { json: unknown }
  | ImageBlock
  | DocumentBlock;
export interface ToolResultBlock {
  toolResult: { toolUseId: string; content: ToolResultContent[]; status?: 'success' | 'error' };
}
export interface ReasoningBlock {
  reasoningContent: { reasoningText?: { text: string; signature?: string }; redactedContent?: Uint8Array };
}
/** Marks the part of a prompt a guardrail should evaluate (Bedrock `guardContent`). */
export interface GuardContentBlock {
  guardContent: { text: { text: string; qualifiers?: ('grounding_source' | 'query' | 'guard_content')[] } };
}
/** A prompt-cache breakpoint (Bedrock `cachePoint`). */
export interface CachePointBlock {
  cachePoint: { type: 'default' };
}

export type ContentBlock =
  | TextBlock
  | ImageBlock
  | DocumentBlock
  | ToolUseBlock
  | ToolResultBlock
  | ReasoningBlock
  | GuardContentBlock
  | CachePointBlock;

export type SystemContentBlock = TextBlock | GuardContentBlock | CachePointBlock;

export type Role = 'user' | 'assistant';

export interface Message {
  role: Role;
  content: ContentBlock[];
}

/** Concatenated text of the text blocks, the view most providers and token counters need. */
export function textOf(blocks: readonly (ContentBlock | SystemContentBlock)[]): string {
  let out = '';
  for (const b of blocks) {
    if ('text' in b) out += b.text;
    else if ('guardContent' in b) out += b.guardContent.text.text;
  }
  return out;
}
