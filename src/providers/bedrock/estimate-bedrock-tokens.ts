import type { GenerateRequest } from '../../core/index.js';

let tokenizer: Promise<typeof import('gpt-tokenizer')> | undefined;

/** Converse bills an image by its size; without decoding it, assume about one megapixel (Claude: w×h/750). */
const PER_IMAGE = 1_600;

/**
 * A local estimate, used where Bedrock's CountTokens does not serve the model (it covers only some) or cannot be
 * reached. o200k is not any Bedrock model's tokenizer, but it is within the margin admission control needs.
 */
export async function estimateBedrockTokens(req: GenerateRequest): Promise<number> {
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
      }
    }
  }
  if (req.toolConfig?.tools.length) texts.push(JSON.stringify(req.toolConfig.tools));
  return extra + (await countText(texts.join('\n')));
}

export async function countText(text: string): Promise<number> {
  tokenizer ??= import('gpt-tokenizer');
  return (await tokenizer).countTokens(text);
}
