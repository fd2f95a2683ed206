import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelResponse } from 'node-llama-cpp';
import { type ContentBlock, type ConverseRequest, QuarryError, textOf, type ToolResultContent } from '../../core/index.js';

/**
 * Canonical Converse messages → node-llama-cpp chat history, which the model's own chat template then renders.
 *
 * Tool turns: Converse puts the calls in an assistant message and their results in the next user message; node-llama-cpp
 * keeps each result on its call inside the model response. So results are attached to the calls by toolUseId, and a
 * user message holding only results adds no user turn: the history then ends in the model response, which the engine
 * continues after the results — exactly how the model was trained to resume.
 */
export function toChatHistory(req: Pick<ConverseRequest, 'system' | 'messages'>): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  // Separate system blocks are separate instructions; gluing them without a break would merge their sentences.
  const system = (req.system ?? []).map((b) => textOf([b])).filter(Boolean).join('\n');
  if (system) history.push({ type: 'system', text: system });
  let pending = new Map<string, ChatModelFunctionCall>();
  for (const [i, message] of req.messages.entries()) {
    if (message.role === 'assistant') {
      assertAnswered(pending);
      const response: ChatModelResponse['response'] = [];
      pending = new Map();
      for (const block of message.content) {
        if ('toolUse' in block) {
          const call: ChatModelFunctionCall = { type: 'functionCall', name: block.toolUse.name, params: block.toolUse.input, result: undefined };
          pending.set(block.toolUse.toolUseId, call);
          response.push(call);
        } else {
          const text = blockText(block, i);
          if (text) response.push(text);
        }
      }
      history.push({ type: 'model', response });
      continue;
    }
    const texts: string[] = [];
    for (const block of message.content) {
      if ('toolResult' in block) {
        const call = pending.get(block.toolResult.toolUseId);
        if (!call) {
          throw new QuarryError(
            'ValidationException',
            `messages.${i}: toolResult ${block.toolResult.toolUseId} does not answer a toolUse of the previous assistant message.`,
          );
        }
        const value = toolResultValue(block.toolResult.content, i);
        call.result = block.toolResult.status === 'error' ? { error: value } : value;
        pending.delete(block.toolResult.toolUseId);
      } else {
        const text = blockText(block, i);
        if (text) texts.push(text);
      }
    }
    assertAnswered(pending);
    if (texts.length) history.push({ type: 'user', text: texts.join('\n') });
  }
  return history;
}

function assertAnswered(pending: Map<string, ChatModelFunctionCall>): void {
  if (pending.size === 0) return;
  throw new QuarryError(
    'ValidationException',
    `Expected toolResult blocks for the toolUse ids ${[...pending.keys()].join(', ')} in the message after the assistant's tool calls.`,
  );
}

function blockText(block: ContentBlock, index: number): string {
  if ('text' in block) return block.text;
  if ('guardContent' in block) return block.guardContent.text.text;
  if ('document' in block) return documentText(block.document, index);
  if ('image' in block) throw new QuarryError('ValidationException', `messages.${index}: this local model accepts text only, not images.`);
  // Earlier reasoning is dropped, as chat templates do; cache points are read apart, from the request (cache-point-prefix.ts).
  return '';
}

const TEXT_DOCUMENTS = new Set(['txt', 'md', 'csv', 'html']);

function documentText(doc: Extract<ContentBlock, { document: unknown }>['document'], index: number): string {
  if ('text' in doc.source) return `${doc.name}:\n${doc.source.text}`;
  if (!TEXT_DOCUMENTS.has(doc.format)) {
    throw new QuarryError('ValidationException', `messages.${index}: this local model reads text documents only, not ${doc.format}.`);
  }
  return `${doc.name}:\n${new TextDecoder().decode(doc.source.bytes)}`;
}

function toolResultValue(content: ToolResultContent[], index: number): unknown {
  const values = content.map((c) => {
    if ('json' in c) return c.json;
    if ('text' in c) return c.text;
    if ('document' in c) return documentText(c.document, index);
    throw new QuarryError('ValidationException', `messages.${index}: this local model accepts text and JSON tool results only.`);
  });
  return values.length === 1 ? values[0] : values;
}
