import type { GenerateRequest } from '../../core/index.js';

let tokenizer: Promise<typeof import('gpt-tokenizer')> | undefined;

/** Claude's image cost is (width × height) / 750 tokens; without decoding the image, assume about 1 megapixel. */
const PER_IMAGE = 1_600;

/**
 * A local estimate for when `count_tokens` is unavailable (an Anthropic-compatible gateway without it) or turned
 * off. Claude's tokenizer is not public; OpenAI's o200k runs within roughly 10–20% of it on English text.
 */
export async function estimateAnthropicTokens(req: GenerateRequest): Promise<number> {
  const texts: string[] = [];
  let extra = 0;
  for (const b of req.system ?? []) if ('text' in b) texts.push(b.text);
  for (const m of req.messages) {
    extra += 3;
    for (const b of m.content) {
      if ('text' in b) texts.push(b.text);
      else if ('image' in b) extra += PER_IMAGE;
      else if ('document' in b) {
        const s = b.document.source;
        if ('text' in s) texts.push(s.text);
        else extra += Math.ceil(s.bytes.byteLength / 4);
      } else if ('toolUse' in b) texts.push(b.toolUse.name, JSON.stringify(b.toolUse.input ?? {}));
      else if ('toolResult' in b) {
        for (const c of b.toolResult.content) {
          if ('text' in c) texts.push(c.text);
          else if ('json' in c) texts.push(JSON.stringify(c.json));
          else if ('image' in c) extra += PER_IMAGE;
        }
      } else if ('reasoningContent' in b && b.reasoningContent.reasoningText) texts.push(b.reasoningContent.reasoningText.text);
    }
  }
  if (req.toolConfig?.tools.length) texts.push(JSON.stringify(req.toolConfig.tools));
  tokenizer ??= import('gpt-tokenizer');
  return extra + (await tokenizer).countTokens(texts.join('\n'));
}
