import { z } from 'zod';
import type { ConverseResult, StreamPart } from '../../../core/index.js';
import { decodeBody } from './body-schema.js';
import { METRICS_KEY } from './invocation-metrics.js';
import type { InvokeFormat, StreamInfo, TextInvoke } from './invoke-format.js';
import { promptToMessages } from './llama-prompt.js';
import { resultText } from './result-text.js';
import { promptStopReason } from './stop-reasons.js';
import { textStream } from './text-stream.js';

/** Meta Llama on Bedrock: `{prompt, max_gen_len, temperature, top_p}`; Bedrock rejects anything else. */
export const llamaBody = z
  .object({
    prompt: z.string().min(1),
    max_gen_len: z.number().int().min(1).max(2048).optional(),
    temperature: z.number().min(0).max(1).optional(),
    top_p: z.number().min(0).max(1).optional(),
  })
  .strict();

/** `{generation, prompt_token_count, generation_token_count, stop_reason}` whole or per chunk. */
export const metaLlama: InvokeFormat = {
  decode(body, modelId): TextInvoke {
    const wire = decodeBody(llamaBody, body, 'Meta Llama');
    const { system, messages } = promptToMessages(wire.prompt);
    return {
      kind: 'text',
      request: { modelId, system, messages, inferenceConfig: { maxTokens: wire.max_gen_len, temperature: wire.temperature, topP: wire.top_p } },
      encode: (result: ConverseResult) => ({
        generation: resultText(result),
        prompt_token_count: result.usage.inputTokens,
        generation_token_count: result.usage.outputTokens,
        stop_reason: promptStopReason(result.stopReason),
      }),
      chunks: llamaChunks,
    };
  },
};

/**
 * The first chunk carries the prompt size, every chunk the running generation count, and a last empty chunk the stop
 * reason and Bedrock's metrics — as Bedrock streams Llama.
 */
async function* llamaChunks(parts: AsyncIterable<StreamPart>, info: StreamInfo): AsyncGenerator<object> {
  for await (const e of textStream(parts, info)) {
    if (e.type === 'text') {
      yield { generation: e.text, prompt_token_count: e.first ? info.inputTokens : null, generation_token_count: e.count, stop_reason: null };
    } else {
      yield {
        generation: '',
        prompt_token_count: null,
        generation_token_count: e.usage.outputTokens,
        stop_reason: promptStopReason(e.stopReason),
        [METRICS_KEY]: e.metrics,
      };
    }
  }
}
