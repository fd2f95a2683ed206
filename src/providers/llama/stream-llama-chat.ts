import type { ChatModelFunctions, LlamaChatResponseChunk, LlamaChatResponseFunctionCallParamsChunk } from 'node-llama-cpp';
import type { StreamPart } from '../../core/index.js';
import { ContentBlockEmitter } from './content-block-emitter.js';
import type { PooledChat } from './loaded-model.js';
import { type LlamaStopReason, mapLlamaStopReason } from './map-llama-stop-reason.js';
import { PartQueue } from './part-queue.js';
import type { PreparedRequest } from './prepare-request.js';
import { newToolUseId } from './tool-use-id.js';

/**
 * Runs one generation on a leased sequence and yields it as Converse stream parts. The engine runs ahead of the consumer
 * into a queue; when the consumer stops early (client gone, or `signal` aborted) the generation is aborted and awaited,
 * so the sequence is idle again before the caller releases it.
 */
export async function* streamLlamaChat(
  pooled: PooledChat,
  prep: PreparedRequest,
  signal: AbortSignal,
  track: (run: Promise<void>) => void = () => {},
): AsyncGenerator<StreamPart> {
  const { chat, sequence } = pooled;
  const abort = new AbortController();
  const onAbort = () => abort.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });

  const queue = new PartQueue<StreamPart>();
  const blocks = new ContentBlockEmitter((p) => queue.push(p));
  const meterBefore = sequence.tokenMeter.getState();
  // Mirrors the engine: it keeps the longest matching prefix and always re-evaluates the prompt's last token.
  const reused = Math.min(sequence.compareContextTokens(prep.tokens).firstDifferentIndex, prep.tokens.length - 1);
  // Bedrock's split: cache reads are the prompt tokens the KV state already held; cache writes are those up to the
  // request's cachePoint that it did not; inputTokens is the rest. The engine keeps only the matching prefix, so a
  // cachePoint prefix held before survives only if this prompt reuses all of it.
  const cacheWrite = Math.max(0, prep.cachePointTokens - reused);
  const inputTokens = prep.tokens.length - reused - cacheWrite;
  pooled.cachePointTokens = prep.cachePointTokens > 0 ? prep.cachePointTokens : reused >= pooled.cachePointTokens ? pooled.cachePointTokens : 0;
  const streamedCalls = new Set<number>();

  const onResponseChunk = (chunk: LlamaChatResponseChunk) => {
    if (chunk.type === 'segment' && chunk.segmentType === 'thought') blocks.reasoning(chunk.text);
    else blocks.text(chunk.text);
  };
  const onFunctionCallParamsChunk = (chunk: LlamaChatResponseFunctionCallParamsChunk) => {
    if (!streamedCalls.has(chunk.callIndex)) {
      streamedCalls.add(chunk.callIndex);
      blocks.toolStart(newToolUseId(), chunk.functionName);
    }
    blocks.toolInput(chunk.paramsChunk);
    if (chunk.done) blocks.close();
  };

  const common = {
    ...prep.sampling,
    maxTokens: prep.maxTokens,
    signal: abort.signal,
    onResponseChunk,
    ...(prep.stopSequences.length ? { customStopTriggers: prep.stopSequences } : {}),
  };
  let settled = false;
  const run = (
    prep.grammar
      ? chat.generateResponse(prep.history, { ...common, grammar: prep.grammar })
      : chat.generateResponse<ChatModelFunctions>(prep.history, { ...common, functions: prep.functions, onFunctionCallParamsChunk })
  )
    .then((res) => {
      // Calls the engine finished without streaming their parameters (e.g. a function that takes none).
      (res.functionCalls ?? []).forEach((call, i) => {
        if (streamedCalls.has(i)) return;
        blocks.toolStart(newToolUseId(), call.functionName);
        blocks.toolInput(call.params === undefined ? '' : JSON.stringify(call.params));
      });
      blocks.close();
      const raw: LlamaStopReason = res.metadata.stopReason;
      const stopSequence = res.metadata.stopReason === 'customStopTrigger' ? res.metadata.customStopTrigger.filter((x) => typeof x === 'string').join('') : undefined;
      queue.push({
        type: 'messageStop',
        stopReason: mapLlamaStopReason(raw, prep.cappedByContext),
        rawStopReason: raw,
        ...(stopSequence !== undefined ? { additionalModelResponseFields: { stop_sequence: stopSequence } } : {}),
      });
      const used = sequence.tokenMeter.diff(meterBefore);
      queue.push({
        type: 'metadata',
        usage: {
          inputTokens,
          outputTokens: used.usedOutputTokens,
          totalTokens: prep.tokens.length + used.usedOutputTokens,
          ...(reused > 0 ? { cacheReadInputTokens: reused } : {}),
          ...(cacheWrite > 0 ? { cacheWriteInputTokens: cacheWrite } : {}),
          // The engine's own count beside ours: tokens it actually evaluated (prompt tail and reply), for tuning and tests.
          raw: { promptTokens: prep.tokens.length, reusedPromptTokens: reused, evaluatedTokens: used.usedInputTokens, stopReason: raw },
        },
        latencyMs: 0,
      });
      queue.end();
    })
    .catch((e: unknown) => queue.fail(e))
    .finally(() => {
      settled = true;
    });
  track(run);

  try {
    yield { type: 'messageStart', role: 'assistant' };
    yield* queue;
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (!settled) {
      abort.abort(new Error('The stream consumer stopped reading.'));
      await run;
    }
  }
}
