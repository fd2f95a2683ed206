import type { GenerateRequest, Usage } from '../../core/index.js';

// gpt-tokenizer's o200k table is several megabytes; load it on the first estimate, not on the hot path's startup.
let tokenizer: Promise<typeof import('gpt-tokenizer')> | undefined;
async function countTokens(text: string): Promise<number> {
  tokenizer ??= import('gpt-tokenizer');
  return (await tokenizer).countTokens(text);
}

/** Chat Completions wraps each message in about this many template tokens (OpenAI's own counting guide). */
const PER_MESSAGE = 4;
/** A 1024×1024 image at high detail; the real count depends on size, which we do not decode for an estimate. */
const PER_IMAGE = 765;

/**
 * Estimates prompt tokens with OpenAI's o200k tokenizer. Exact for recent OpenAI models' text; for other models
 * served behind this API (Llama, Qwen, Mistral) a close estimate, which is all the runtime asks of it.
 */
export async function estimateOpenAIInputTokens(req: GenerateRequest): Promise<number> {
  const texts: string[] = [];
  let extra = 3;
  for (const b of req.system ?? []) {
    if ('text' in b) texts.push(b.text);
    else if ('guardContent' in b) texts.push(b.guardContent.text.text);
  }
  if (req.system?.length) extra += PER_MESSAGE;
  for (const m of req.messages) {
    extra += PER_MESSAGE;
    for (const b of m.content) {
      if ('text' in b) texts.push(b.text);
      else if ('guardContent' in b) texts.push(b.guardContent.text.text);
      else if ('image' in b) extra += PER_IMAGE;
      else if ('document' in b) {
        const s = b.document.source;
        // Binary documents: about four bytes of extracted text per token is the usual rule of thumb.
        if ('text' in s) texts.push(s.text);
        else extra += Math.ceil(s.bytes.byteLength / 4);
      } else if ('toolUse' in b) texts.push(b.toolUse.name, JSON.stringify(b.toolUse.input ?? {}));
      else if ('toolResult' in b) {
        extra += PER_MESSAGE;
        for (const c of b.toolResult.content) {
          if ('text' in c) texts.push(c.text);
          else if ('json' in c) texts.push(JSON.stringify(c.json));
          else if ('image' in c) extra += PER_IMAGE;
        }
      }
    }
  }
  if (req.toolConfig?.tools.length) texts.push(JSON.stringify(req.toolConfig.tools));
  if (req.jsonSchema) texts.push(JSON.stringify(req.jsonSchema.schema));
  return extra + (await countTokens(texts.join('\n')));
}

/** Usage for an upstream that reported none (some LM Studio and llama.cpp builds in streams); marked as estimated. */
export async function estimateOpenAIUsage(req: GenerateRequest, output: string): Promise<Usage> {
  const [inputTokens, outputTokens] = await Promise.all([estimateOpenAIInputTokens(req), countTokens(output)]);
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens, raw: { estimated: true } };
}
