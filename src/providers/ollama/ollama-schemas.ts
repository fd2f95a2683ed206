import { z } from 'zod';

/** What Ollama returns, read leniently: fields come and go between Ollama versions. */

const toolCallSchema = z.object({
  // Ollama 0.12 and later give calls an id; earlier versions do not.
  id: z.string().nullish(),
  function: z.object({ name: z.string(), arguments: z.unknown().optional() }),
});

export const ollamaChatChunkSchema = z.object({
  message: z
    .object({
      content: z.string().nullish(),
      thinking: z.string().nullish(),
      tool_calls: z.array(toolCallSchema).nullish(),
    })
    .nullish(),
  done: z.boolean().nullish(),
  done_reason: z.string().nullish(),
  // Left out when the whole prompt was served from Ollama's cache.
  prompt_eval_count: z.number().nullish(),
  eval_count: z.number().nullish(),
});
export type OllamaChatChunk = z.infer<typeof ollamaChatChunkSchema>;

export const ollamaEmbedSchema = z.object({
  embeddings: z.array(z.array(z.number())),
  prompt_eval_count: z.number().nullish(),
});

export const ollamaTagsSchema = z.object({
  models: z.array(
    z.object({
      name: z.string(),
      model: z.string().nullish(),
      digest: z.string().nullish(),
      details: z.object({ family: z.string().nullish() }).nullish(),
    }),
  ),
});

export const ollamaShowSchema = z.object({
  capabilities: z.array(z.string()).nullish(),
  model_info: z.record(z.string(), z.unknown()).nullish(),
});
