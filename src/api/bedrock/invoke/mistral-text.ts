import { z } from 'zod';
import { type StreamPart, validation } from '../../../core/index.js';
import { decodeBody } from './body-schema.js';
import { METRICS_KEY } from './invocation-metrics.js';
import type { InvokeFormat, StreamInfo, TextInvoke } from './invoke-format.js';
import { promptToMessages } from './llama-prompt.js';
import { resultText } from './result-text.js';
import { promptStopReason } from './stop-reasons.js';
import { textStream } from './text-stream.js';

/** Mistral's text-completion body on Bedrock (`<s>[INST] … [/INST]` prompts). */
export const mistralBody = z
  .object({
    prompt: z.string().min(1),
    max_tokens: z.number().int().min(1).optional(),
    stop: z.array(z.string().min(1)).max(10).optional(),
    temperature: z.number().min(0).max(1).optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().min(0).max(200).optional(),
  })
  .strict();

/** `{outputs: [{text, stop_reason: "stop" | "length"}]}`, whole or per chunk. */
export const mistralText: InvokeFormat = {
  decode(body, modelId): TextInvoke {
    if (body && typeof body === 'object' && 'messages' in body) {
      throw validation('Mistral chat bodies ({messages, …}) are not supported by InvokeModel here yet; send a {prompt, …} body or use Converse.');
    }
    const wire = decodeBody(mistralBody, body, 'Mistral text completion');
    const { system, messages } = promptToMessages(wire.prompt);
    return {
      kind: 'text',
      request: {
        modelId,
        system,
        messages,
        inferenceConfig: { maxTokens: wire.max_tokens, temperature: wire.temperature, topP: wire.top_p, stopSequences: wire.stop },
        ...(wire.top_k !== undefined ? { additionalModelRequestFields: { top_k: wire.top_k } } : {}),
      },
      encode: (result) => ({ outputs: [{ text: resultText(result), stop_reason: promptStopReason(result.stopReason) }] }),
      chunks: mistralChunks,
    };
  },
};

async function* mistralChunks(parts: AsyncIterable<StreamPart>, info: StreamInfo): AsyncGenerator<object> {
  for await (const e of textStream(parts, info)) {
    if (e.type === 'text') yield { outputs: [{ text: e.text, stop_reason: null }] };
    else yield { outputs: [{ text: '', stop_reason: promptStopReason(e.stopReason) }], [METRICS_KEY]: e.metrics };
  }
}
