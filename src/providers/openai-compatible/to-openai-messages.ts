import { Buffer } from 'node:buffer';
import {
  type ContentBlock,
  type DocumentBlock,
  type ImageBlock,
  type Message,
  type SystemContentBlock,
  type ToolResultBlock,
  textOf,
  validation,
} from '../../core/index.js';

export type OpenAIContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string } }
  | { type: 'file'; file: { filename: string; file_data: string } };

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type OpenAIMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | OpenAIContentPart[] }
  | { role: 'assistant'; content: string | null; tool_calls?: OpenAIToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

const TEXT_DOCUMENTS = new Set(['txt', 'md', 'csv', 'html']);

/** Canonical system + messages → Chat Completions messages. */
export function toOpenAIMessages(system: SystemContentBlock[] | undefined, messages: Message[]): OpenAIMessage[] {
  const out: OpenAIMessage[] = [];
  if (system?.length) {
    const text = textOf(system);
    if (text) out.push({ role: 'system', content: text });
  }
  for (const m of messages) {
    if (m.role === 'assistant') out.push(toAssistantMessage(m.content));
    else toUserMessages(m.content, out);
  }
  return out;
}

function toAssistantMessage(blocks: ContentBlock[]): OpenAIMessage {
  let text = '';
  const toolCalls: OpenAIToolCall[] = [];
  for (const b of blocks) {
    if ('text' in b) text += b.text;
    else if ('toolUse' in b) {
      toolCalls.push({
        id: b.toolUse.toolUseId,
        type: 'function',
        function: { name: b.toolUse.name, arguments: JSON.stringify(b.toolUse.input ?? {}) },
      });
    }
    // Reasoning from earlier turns is not sent back: Chat Completions has no field for it.
  }
  const msg: OpenAIMessage = { role: 'assistant', content: text === '' && toolCalls.length ? null : text };
  if (toolCalls.length) msg.tool_calls = toolCalls;
  return msg;
}

/**
 * A canonical user turn can hold tool results and new content together; Chat Completions wants each tool result
 * as its own `tool` message right after the assistant's tool calls, and the rest as one user message after them.
 */
function toUserMessages(blocks: ContentBlock[], out: OpenAIMessage[]): void {
  const parts: OpenAIContentPart[] = [];
  const carried: OpenAIContentPart[] = [];
  for (const b of blocks) {
    if ('toolResult' in b) out.push(toToolMessage(b, carried));
    else if ('text' in b) parts.push({ type: 'text', text: b.text });
    else if ('guardContent' in b) parts.push({ type: 'text', text: b.guardContent.text.text });
    else if ('image' in b) parts.push(imagePart(b));
    else if ('document' in b) parts.push(documentPart(b));
    // cachePoint: OpenAI caches prefixes automatically; toolUse/reasoning do not occur in user turns.
  }
  const all = [...carried, ...parts];
  if (all.length === 0) return;
  // A lone text part goes as a plain string: some servers (older llama.cpp, LocalAI) accept nothing else.
  out.push({ role: 'user', content: all.length === 1 && all[0].type === 'text' ? all[0].text : all });
}

/** Tool messages carry text only, so images and documents a tool returned follow in the next user message. */
function toToolMessage(b: ToolResultBlock, carried: OpenAIContentPart[]): OpenAIMessage {
  let text = '';
  for (const c of b.toolResult.content) {
    if ('text' in c) text += c.text;
    else if ('json' in c) text += JSON.stringify(c.json);
    else if ('image' in c) carried.push(imagePart(c));
    else if ('document' in c) carried.push(documentPart(c));
  }
  if (b.toolResult.status === 'error' && !text.startsWith('Error')) text = `Error: ${text}`;
  return { role: 'tool', tool_call_id: b.toolResult.toolUseId, content: text };
}

function imagePart(b: ImageBlock): OpenAIContentPart {
  const { format, source } = b.image;
  return { type: 'image_url', image_url: { url: `data:image/${format};base64,${base64(source.bytes)}` } };
}

function documentPart(b: DocumentBlock): OpenAIContentPart {
  const { format, name, source } = b.document;
  if ('text' in source) return { type: 'text', text: documentText(name, source.text) };
  if (TEXT_DOCUMENTS.has(format)) return { type: 'text', text: documentText(name, Buffer.from(source.bytes).toString('utf8')) };
  if (format === 'pdf') {
    return { type: 'file', file: { filename: `${name}.pdf`, file_data: `data:application/pdf;base64,${base64(source.bytes)}` } };
  }
  throw validation(`This model's upstream (OpenAI-compatible) cannot read ${format} documents; send pdf or text.`);
}

const documentText = (name: string, text: string) => `<document name="${name}">\n${text}\n</document>`;

const base64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
