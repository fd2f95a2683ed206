import { type ContentBlock, type DocumentBlock, type ImageBlock, type Message, type SystemContentBlock, type TextBlock, validation } from '../../core/index.js';
import { decodeBase64 } from '../shared/base64.js';
import { appendTurn } from './append-turn.js';
import { parseDataUrl } from './data-url.js';
import { inlineDocument } from './inline-document.js';
import { imageFormat } from './media-format.js';
import type { ResponsesContentPart, ResponsesInputItem } from './responses-request-schema.js';
import { toolArguments } from './tool-arguments.js';

/** An input item and where it came from, for error messages (`input.3`, or the previous response's items). */
export interface LocatedItem {
  item: ResponsesInputItem;
  at: string;
}

/**
 * Responses input items → canonical system + messages.
 * - system and developer messages join the system prompt wherever they appear (after `instructions`), as for Chat
 *   Completions: Converse has one system prompt.
 * - function_call items become toolUse blocks of an assistant turn and function_call_output items toolResult blocks of
 *   a user turn; consecutive items of one role merge into one turn, because Converse requires the roles to alternate.
 * - reasoning items of earlier turns are not sent back: the canonical request can carry reasoning only with the
 *   provider's own signature, which a Responses item does not have, and models answer from the visible turns.
 */
export function toResponsesMessages(items: LocatedItem[]): { system: SystemContentBlock[]; messages: Message[] } {
  const system: SystemContentBlock[] = [];
  const messages: Message[] = [];
  const push = (role: Message['role'], content: ContentBlock[]) => appendTurn(messages, role, content);
  for (const { item, at } of items) {
    switch (item.type) {
      case 'message': {
        const parts: ResponsesContentPart[] = typeof item.content === 'string' ? [{ type: 'input_text', text: item.content }] : item.content;
        if (item.role === 'system' || item.role === 'developer') {
          system.push(...parts.flatMap((p, j) => textPart(p, `${at}.content.${j}`, item.role)));
        } else if (item.role === 'user') {
          push('user', parts.flatMap((p, j) => userPart(p, `${at}.content.${j}`)));
        } else {
          push('assistant', parts.flatMap((p, j) => textPart(p, `${at}.content.${j}`, 'assistant')));
        }
        break;
      }
      case 'function_call':
        push('assistant', [{ toolUse: { toolUseId: item.call_id, name: item.name, input: toolArguments(item.arguments, `${at}.arguments`) } }]);
        break;
      case 'function_call_output': {
        const content = typeof item.output === 'string' ? [{ text: item.output }] : item.output.flatMap((p, j) => userPart(p, `${at}.output.${j}`).filter(isResultContent));
        push('user', [{ toolResult: { toolUseId: item.call_id, content } }]);
        break;
      }
      case 'reasoning':
        break;
      case 'item_reference':
        // References are resolved against stored responses before translation; one left here was not found.
        throw validation(`${at}: item ${item.id} was not found.`);
      default:
        throw validation(`${at}: ${item.type} items belong to OpenAI's hosted tools, which Quarry does not run; send message, function_call and function_call_output items.`);
    }
  }
  return { system, messages };
}

// A tool result holds text, images and documents; a cache breakpoint inside one has no place to go in Converse.
const isResultContent = (b: ContentBlock): b is TextBlock | ImageBlock | DocumentBlock => 'text' in b || 'image' in b || 'document' in b;

function withBreakpoint<T extends ContentBlock>(block: T, breakpoint: unknown): ContentBlock[] {
  return breakpoint ? [block, { cachePoint: { type: 'default' } }] : [block];
}

/** System, developer and assistant messages carry text only. */
function textPart(p: ResponsesContentPart, at: string, role: string): (ContentBlock & SystemContentBlock)[] {
  switch (p.type) {
    case 'input_text':
      return withBreakpoint({ text: p.text }, p.prompt_cache_breakpoint) as (ContentBlock & SystemContentBlock)[];
    case 'output_text':
      return [{ text: p.text }];
    case 'refusal':
      return [{ text: p.refusal }];
    default:
      throw validation(`${at}: ${p.type} is not supported in a ${role} message; send input_text (or output_text for the assistant).`);
  }
}

function userPart(p: ResponsesContentPart, at: string): ContentBlock[] {
  switch (p.type) {
    case 'input_text':
      return withBreakpoint({ text: p.text }, p.prompt_cache_breakpoint);
    case 'input_image': {
      if (!p.image_url) throw validation(`${at}: ${p.file_id ? 'uploaded file ids are not supported' : 'image_url is required'}; send the image inline as image_url (a base64 data URL).`);
      const { mediaType, bytes } = parseDataUrl(p.image_url, `${at}.image_url`);
      return withBreakpoint({ image: { format: imageFormat(mediaType, `${at}.image_url`), source: { bytes } } }, p.prompt_cache_breakpoint);
    }
    case 'input_file': {
      if (!p.file_data) {
        const why = p.file_id ? 'uploaded file ids are not supported' : p.file_url ? 'Quarry does not fetch remote URLs' : 'file_data is required';
        throw validation(`${at}: ${why}; send the file inline as file_data (a base64 data URL).`);
      }
      return withBreakpoint(inlineDocument(p.file_data, p.filename, at, `${at}.file_data`), p.prompt_cache_breakpoint);
    }
    case 'input_audio':
      throw validation(`${at}: audio input is not supported.`);
    case 'output_text':
    case 'refusal':
      throw validation(`${at}: ${p.type} belongs to assistant messages; a user message takes input_text, input_image and input_file.`);
    default:
      return p satisfies never;
  }
}
