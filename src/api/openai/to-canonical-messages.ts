import { type CachePointBlock, type ContentBlock, type Message, type SystemContentBlock, type TextBlock, validation } from '../../core/index.js';
import { decodeBase64 } from '../shared/base64.js';
import { appendTurn } from './append-turn.js';
import type { ChatMessage, UserContentPart } from './chat-request-schema.js';
import { parseDataUrl } from './data-url.js';
import { inlineDocument } from './inline-document.js';
import { imageFormat } from './media-format.js';
import { toolArguments } from './tool-arguments.js';

type TextParts = string | { text: string; prompt_cache_breakpoint?: { mode: 'explicit' } | null }[];

/**
 * Chat messages → canonical system + messages.
 * - system and developer messages become the system prompt, in order, wherever they appear: the canonical request
 *   (Bedrock's) has one system prompt, and hoisting keeps every instruction where dropping or refusing would not.
 * - tool messages become toolResult blocks in a user turn, and consecutive messages of one role merge into one turn,
 *   because Converse requires user and assistant to alternate and tool results to follow the tool call directly.
 * - `prompt_cache_breakpoint` on a part becomes a cachePoint after it: both mark the end of a reusable prefix.
 */
export function toCanonicalMessages(input: ChatMessage[]): { system: SystemContentBlock[]; messages: Message[] } {
  const system: SystemContentBlock[] = [];
  const messages: Message[] = [];
  const push = (role: Message['role'], content: ContentBlock[]) => appendTurn(messages, role, content);
  input.forEach((m, i) => {
    const at = `messages.${i}`;
    switch (m.role) {
      case 'system':
      case 'developer':
        system.push(...textBlocks(m.content));
        break;
      case 'user':
        push('user', m.content.flatMap((p, j) => userPart(p, `${at}.content.${j}`)));
        break;
      case 'assistant': {
        if (m.function_call != null) throw validation(`${at}.function_call is the deprecated functions API; send tool_calls instead.`);
        if (m.audio != null) throw validation(`${at}.audio: audio output is not supported.`);
        const content: ContentBlock[] = [];
        if (typeof m.content === 'string') {
          if (m.content) content.push({ text: m.content });
        } else if (m.content) {
          for (const p of m.content) content.push({ text: p.type === 'text' ? p.text : p.refusal });
        }
        if (m.refusal && !content.length) content.push({ text: m.refusal });
        m.tool_calls?.forEach((c, j) => {
          content.push({ toolUse: { toolUseId: c.id, name: c.function.name, input: toolArguments(c.function.arguments, `${at}.tool_calls.${j}.function.arguments`) } });
        });
        // An empty assistant turn carries nothing, and Converse refuses empty content.
        push('assistant', content);
        break;
      }
      case 'tool':
        push('user', [{ toolResult: { toolUseId: m.tool_call_id, content: [{ text: textOf(m.content) }] } }]);
        break;
      case 'function':
        throw validation(`${at}: the "function" role belongs to the deprecated functions API; send tool messages instead.`);
      default:
        m satisfies never;
    }
  });
  return { system, messages };
}

function textBlocks(content: TextParts): (TextBlock | CachePointBlock)[] {
  if (typeof content === 'string') return [{ text: content }];
  return content.flatMap((p) => withBreakpoint({ text: p.text }, p.prompt_cache_breakpoint));
}

const textOf = (content: TextParts) => (typeof content === 'string' ? content : content.map((p) => p.text).join(''));

function withBreakpoint<T extends ContentBlock>(block: T, breakpoint: unknown): (T | CachePointBlock)[] {
  return breakpoint ? [block, { cachePoint: { type: 'default' } }] : [block];
}

function userPart(p: UserContentPart, at: string): ContentBlock[] {
  switch (p.type) {
    case 'text':
      return withBreakpoint({ text: p.text }, p.prompt_cache_breakpoint);
    case 'image_url': {
      const { mediaType, bytes } = parseDataUrl(p.image_url.url, `${at}.image_url.url`);
      return withBreakpoint({ image: { format: imageFormat(mediaType, `${at}.image_url.url`), source: { bytes } } }, p.prompt_cache_breakpoint);
    }
    case 'file': {
      const { file_data, file_id, filename } = p.file;
      if (!file_data) {
        throw validation(`${at}.file: ${file_id ? 'uploaded file ids are not supported' : 'file_data is required'}; send the file inline as file_data (a base64 data URL).`);
      }
      return withBreakpoint(inlineDocument(file_data, filename, `${at}.file`, `${at}.file.file_data`), p.prompt_cache_breakpoint);
    }
    case 'input_audio':
      throw validation(`${at}: audio input is not supported.`);
    default:
      return p satisfies never;
  }
}
