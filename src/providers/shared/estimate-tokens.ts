import type { ConverseRequest } from '../../core/index.js';

// gpt-tokenizer's o200k table is several megabytes; load it on the first estimate, not at startup.
let tokenizer: Promise<typeof import('gpt-tokenizer')> | undefined;

/** Tokens of plain text with OpenAI's o200k encoding. */
export async function countTextTokens(text: string): Promise<number> {
  if (!text) return 0;
  tokenizer ??= import('gpt-tokenizer');
  return (await tokenizer).countTokens(text);
}

export interface EstimateCosts {
  /** Template tokens around each message (role markers, separators). */
  perMessage: number;
  /** Tokens charged for an image we do not decode (its real cost depends on its size). */
  perImage: number;
}

/** OpenAI's own counting guide: about 4 template tokens a message; a 1024×1024 image at high detail. */
export const OPENAI_COSTS: EstimateCosts = { perMessage: 4, perImage: 765 };

/**
 * Estimates a request's input tokens with o200k: exact for recent OpenAI models' text, within roughly 10–20% for
 * Claude, Llama, Qwen and Mistral — enough for metering a call whose provider reported nothing and for admission.
 * Binary documents count about four bytes of extracted text per token, the usual rule of thumb.
 */
export async function estimateInputTokens(req: Pick<ConverseRequest, 'messages' | 'system' | 'toolConfig' | 'jsonSchema'>, costs = OPENAI_COSTS): Promise<number> {
  const texts: string[] = [];
  let extra = 3;
  for (const b of req.system ?? []) {
    if ('text' in b) texts.push(b.text);
    else if ('guardContent' in b) texts.push(b.guardContent.text.text);
  }
  if (req.system?.length) extra += costs.perMessage;
  for (const m of req.messages) {
    extra += costs.perMessage;
    for (const b of m.content) {
      if ('text' in b) texts.push(b.text);
      else if ('guardContent' in b) texts.push(b.guardContent.text.text);
      else if ('image' in b) extra += costs.perImage;
      else if ('document' in b) {
        const s = b.document.source;
        if ('text' in s) texts.push(s.text);
        else extra += Math.ceil(s.bytes.byteLength / 4);
      } else if ('toolUse' in b) texts.push(b.toolUse.name, JSON.stringify(b.toolUse.input ?? {}));
      else if ('toolResult' in b) {
        extra += costs.perMessage;
        for (const c of b.toolResult.content) {
          if ('text' in c) texts.push(c.text);
          else if ('json' in c) texts.push(JSON.stringify(c.json));
          else if ('image' in c) extra += costs.perImage;
        }
      } else if ('reasoningContent' in b && b.reasoningContent.reasoningText) texts.push(b.reasoningContent.reasoningText.text);
    }
  }
  if (req.toolConfig?.tools.length) texts.push(JSON.stringify(req.toolConfig.tools));
  if (req.jsonSchema) texts.push(JSON.stringify(req.jsonSchema.schema));
  return extra + (await countTextTokens(texts.join('\n')));
}
