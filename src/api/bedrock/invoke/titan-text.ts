import { z } from 'zod';
import type { StreamPart } from '../../../core/index.js';
import { decodeBody } from './body-schema.js';
import { METRICS_KEY } from './invocation-metrics.js';
import type { InvokeFormat, StreamInfo, TextInvoke } from './invoke-format.js';
import { resultText } from './result-text.js';
import { titanCompletionReason } from './stop-reasons.js';
import { textStream } from './text-stream.js';

/** Amazon Titan Text: `{inputText, textGenerationConfig}`; the text (often "User: …\nBot:") goes to the model as written. */
export const titanTextBody = z
  .object({
    inputText: z.string().min(1),
    textGenerationConfig: z
      .object({
        maxTokenCount: z.number().int().min(0).max(8192).optional(),
        temperature: z.number().min(0).max(1).optional(),
        topP: z.number().min(0).max(1).optional(),
        stopSequences: z.array(z.string().min(1)).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** `{inputTextTokenCount, results: [{tokenCount, outputText, completionReason}]}`. */
export const titanText: InvokeFormat = {
  decode(body, modelId): TextInvoke {
    const wire = decodeBody(titanTextBody, body, 'Amazon Titan Text');
    const cfg = wire.textGenerationConfig ?? {};
    return {
      kind: 'text',
      request: {
        modelId,
        messages: [{ role: 'user', content: [{ text: wire.inputText }] }],
        // Titan takes 0 to mean "as much as allowed"; canonical requests have no such value.
        inferenceConfig: { maxTokens: cfg.maxTokenCount || undefined, temperature: cfg.temperature, topP: cfg.topP, stopSequences: cfg.stopSequences },
      },
      encode: (result) => ({
        inputTextTokenCount: result.usage.inputTokens,
        results: [{ tokenCount: result.usage.outputTokens, outputText: resultText(result), completionReason: titanCompletionReason(result.stopReason) }],
      }),
      chunks: titanChunks,
    };
  },
};

/**
 * As Bedrock streams Titan: text chunks with the prompt size on the first, then a last chunk with the total output
 * count, the completion reason and Bedrock's metrics.
 */
async function* titanChunks(parts: AsyncIterable<StreamPart>, info: StreamInfo): AsyncGenerator<object> {
  for await (const e of textStream(parts, info)) {
    if (e.type === 'text') {
      yield { outputText: e.text, index: 0, totalOutputTextTokenCount: null, completionReason: null, inputTextTokenCount: e.first ? info.inputTokens : null };
    } else {
      yield {
        outputText: '',
        index: 0,
        totalOutputTextTokenCount: e.usage.outputTokens,
        completionReason: titanCompletionReason(e.stopReason),
        inputTextTokenCount: null,
        [METRICS_KEY]: e.metrics,
      };
    }
  }
}
