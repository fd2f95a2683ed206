import { z } from 'zod';

/**
 * What OpenAI-compatible servers return, read leniently: vLLM, LM Studio, LocalAI and llama.cpp each leave out or
 * add fields, so everything is `.nullish()` and unknown keys are ignored. Only what Quarry uses is declared.
 */

export const openAIUsageSchema = z.object({
  prompt_tokens: z.number().nullish(),
  completion_tokens: z.number().nullish(),
  total_tokens: z.number().nullish(),
  prompt_tokens_details: z.object({ cached_tokens: z.number().nullish() }).nullish(),
  completion_tokens_details: z.object({ reasoning_tokens: z.number().nullish() }).nullish(),
});
export type OpenAIUsage = z.infer<typeof openAIUsageSchema>;

const toolCallSchema = z.object({
  id: z.string().nullish(),
  type: z.string().nullish(),
  function: z.object({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
});

export const openAIChatResponseSchema = z.object({
  id: z.string().nullish(),
  choices: z.array(
    z.object({
      message: z.object({
        content: z.string().nullish(),
        // DeepSeek and vLLM's reasoning parsers use `reasoning_content`; newer vLLM and OpenRouter use `reasoning`.
        reasoning_content: z.string().nullish(),
        reasoning: z.string().nullish(),
        tool_calls: z.array(toolCallSchema).nullish(),
      }),
      finish_reason: z.string().nullish(),
      // vLLM names the stop string (or token id) that ended the text, which tells stop_sequence from end_turn.
      stop_reason: z.union([z.string(), z.number()]).nullish(),
    }),
  ),
  usage: openAIUsageSchema.nullish(),
});
export type OpenAIChatResponse = z.infer<typeof openAIChatResponseSchema>;

export const openAIChunkSchema = z.object({
  choices: z
    .array(
      z.object({
        index: z.number().nullish(),
        delta: z
          .object({
            content: z.string().nullish(),
            reasoning_content: z.string().nullish(),
            reasoning: z.string().nullish(),
            tool_calls: z
              .array(
                z.object({
                  index: z.number().nullish(),
                  id: z.string().nullish(),
                  function: z.object({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
                }),
              )
              .nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
        stop_reason: z.union([z.string(), z.number()]).nullish(),
      }),
    )
    .nullish(),
  usage: openAIUsageSchema.nullish(),
  // OpenAI and vLLM report a failure after the stream started as a chunk with `error`.
  error: z.union([z.string(), z.object({ message: z.string().nullish(), code: z.union([z.string(), z.number()]).nullish() })]).nullish(),
});
export type OpenAIChunk = z.infer<typeof openAIChunkSchema>;

export const openAIEmbeddingsResponseSchema = z.object({
  data: z.array(z.object({ index: z.number().nullish(), embedding: z.array(z.number()) })),
  usage: z.object({ prompt_tokens: z.number().nullish(), total_tokens: z.number().nullish() }).nullish(),
});

export const openAIModelsResponseSchema = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      owned_by: z.string().nullish(),
      // vLLM reports the context length it was started with.
      max_model_len: z.number().nullish(),
    }),
  ),
});
