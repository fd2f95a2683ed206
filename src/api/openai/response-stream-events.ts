import { type GuardrailReport, type StopReason, type StreamPart, toQuarryError, type Usage } from '../../core/index.js';
import {
  itemId,
  type OutputItem,
  outputText,
  pendingResponse,
  type ResponseObject,
  responseOutcome,
  type responseShell,
  responseUsage,
  unixNow,
} from './to-response-object.js';

/** An output item being streamed, and where its text or arguments accumulate. */
interface OpenItem {
  outputIndex: number;
  item: OutputItem;
  text: string;
}

/**
 * Canonical stream parts → the Responses API's typed SSE events (`event: <type>` and a JSON `data` line carrying the
 * same `type` and a `sequence_number` counted from 0). The order is OpenAI's: response.created and
 * response.in_progress first; per item output_item.added, (content_part.added,) deltas, the .done events,
 * output_item.done; and a last response.completed — or response.incomplete when cut short. An item is closed when the
 * next one opens, and the last ones at messageStop, so an item cut by max_output_tokens is marked incomplete.
 * `finish` receives the final Response before its terminal event is sent (the route stores it there, so a client
 * that reads it back right after the stream finds it). A failure mid-stream is an `error` event followed by
 * response.failed with the error, as OpenAI ends a failed stream; the SDKs raise or report it from either.
 */
export async function* responseStreamEvents(
  parts: AsyncIterable<StreamPart>,
  shell: ReturnType<typeof responseShell>,
  finish: (response: ResponseObject) => Promise<void>,
): AsyncGenerator<string> {
  let seq = 0;
  const event = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data, sequence_number: seq++ })}\n\n`;
  const output: OutputItem[] = [];
  const open = new Map<number, OpenItem>();
  let stopReason: StopReason | undefined;
  let usage: Usage | undefined;
  let guardrail: GuardrailReport | undefined;

  const pending = pendingResponse(shell);
  yield event('response.created', { response: pending });
  yield event('response.in_progress', { response: pending });

  function* openItem(index: number, item: OutputItem): Generator<string, OpenItem> {
    yield* closeAll('completed');
    const o: OpenItem = { outputIndex: output.length, item, text: '' };
    output.push(item);
    open.set(index, o);
    yield event('response.output_item.added', { output_index: o.outputIndex, item: structuredClone(item) });
    const at = { item_id: item.id, output_index: o.outputIndex, content_index: 0 };
    if (item.type === 'message') yield event('response.content_part.added', { ...at, part: outputText('') });
    if (item.type === 'reasoning') yield event('response.content_part.added', { ...at, part: { type: 'reasoning_text', text: '' } });
    return o;
  }

  function* closeAll(status: 'completed' | 'incomplete'): Generator<string> {
    for (const o of open.values()) {
      const { item, outputIndex } = o;
      const at = { item_id: item.id, output_index: outputIndex };
      if (item.type === 'message') {
        item.content = [outputText(o.text)];
        yield event('response.output_text.done', { ...at, content_index: 0, text: o.text, logprobs: [] });
        yield event('response.content_part.done', { ...at, content_index: 0, part: item.content[0] });
      } else if (item.type === 'function_call') {
        item.arguments = o.text || '{}';
        yield event('response.function_call_arguments.done', { ...at, name: item.name, arguments: item.arguments });
      } else {
        item.content = [{ type: 'reasoning_text', text: o.text }];
        yield event('response.reasoning_text.done', { ...at, content_index: 0, text: o.text });
        yield event('response.content_part.done', { ...at, content_index: 0, part: item.content[0] });
      }
      // A function call's arguments arrived whole or not at all: only text can be cut short.
      item.status = item.type === 'function_call' ? 'completed' : status;
      yield event('response.output_item.done', { output_index: outputIndex, item });
    }
    open.clear();
  }

  function* failed(e: unknown): Generator<string> {
    const err = toQuarryError(e);
    yield event('error', { code: err.code, message: err.message, param: null });
    const response: ResponseObject = { ...pending, status: 'failed', output, error: { code: err.code, message: err.message }, usage: usage ? responseUsage(usage) : null };
    // A failed response is kept as OpenAI keeps one; failing to keep it must not hide the model's failure.
    yield event('response.failed', { response });
    void finish(response).catch(() => {});
  }

  try {
    for await (const p of parts) {
      switch (p.type) {
        case 'messageStart':
          break;
        case 'contentBlockStart':
          if (p.toolUse) {
            const item: OutputItem = { type: 'function_call', id: itemId('fc'), status: 'in_progress', call_id: p.toolUse.toolUseId, name: p.toolUse.name, arguments: '' };
            yield* openItem(p.index, item);
          }
          break;
        case 'contentBlockDelta': {
          const d = p.delta;
          // Text and reasoning blocks may arrive without a contentBlockStart (Bedrock sends none for them).
          let o = open.get(p.index);
          if ('text' in d) {
            if (!d.text) break;
            o ??= yield* openItem(p.index, { type: 'message', id: itemId('msg'), status: 'in_progress', role: 'assistant', content: [] });
            o.text += d.text;
            yield event('response.output_text.delta', { item_id: o.item.id, output_index: o.outputIndex, content_index: 0, delta: d.text, logprobs: [] });
          } else if ('toolUse' in d) {
            if (!o || !d.toolUse.input) break;
            o.text += d.toolUse.input;
            yield event('response.function_call_arguments.delta', { item_id: o.item.id, output_index: o.outputIndex, delta: d.toolUse.input });
          } else if (d.reasoningContent.text) {
            o ??= yield* openItem(p.index, { type: 'reasoning', id: itemId('rs'), status: 'in_progress', summary: [], content: [] });
            o.text += d.reasoningContent.text;
            yield event('response.reasoning_text.delta', { item_id: o.item.id, output_index: o.outputIndex, content_index: 0, delta: d.reasoningContent.text });
          }
          break;
        }
        case 'contentBlockStop':
          break;
        case 'messageStop':
          stopReason = p.stopReason;
          yield* closeAll(responseOutcome(p.stopReason).status === 'completed' ? 'completed' : 'incomplete');
          break;
        case 'metadata':
          usage = p.usage;
          guardrail = p.guardrail;
          break;
        case 'error':
          yield* failed(p.error);
          return;
        default:
          p satisfies never;
      }
    }
    // A provider that ends without messageStop still said everything it had: the items it opened are complete.
    const outcome = responseOutcome(stopReason ?? 'end_turn');
    yield* closeAll(outcome.status === 'completed' ? 'completed' : 'incomplete');
    const response: ResponseObject = {
      ...shell,
      ...outcome,
      output,
      usage: usage ? responseUsage(usage) : null,
      error: null,
      completed_at: outcome.status === 'completed' ? unixNow() : null,
      ...(guardrail ? { guardrail } : {}),
    };
    await finish(response);
    yield event(outcome.status === 'completed' ? 'response.completed' : 'response.incomplete', { response });
  } catch (e) {
    yield* failed(e);
  }
}
