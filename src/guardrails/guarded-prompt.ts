import type { ContentBlock, ConverseRequest, Message, SystemContentBlock } from '../core/index.js';
import type { GuardrailBlockOutcome, GuardrailContentBlock, GuardrailQualifier } from './engine/guardrail-content.js';

/** Where a checked piece of text sits in the request, so its masked version can be put back in the same place. */
type Slot = { at: 'system'; block: number } | { at: 'message'; message: number; block: number; result?: number };

/** The content a guardrail checks for one prompt, and where each block came from. */
export interface GuardedPrompt {
  content: GuardrailContentBlock[];
  slots: Slot[];
  /** The `grounding_source` and `query` blocks: what contextual grounding judges the model's answer against. */
  references: GuardrailContentBlock[];
}

/**
 * Bedrock's rules for what Converse checks on input (user guide, "Use a guardrail with the Converse API"):
 * - `guardContent` blocks in the system prompt are always checked; plain system text never is.
 * - When any message has a `guardContent` block, only those blocks are checked (with their qualifiers), which is how
 *   a client keeps retrieved documents or earlier turns out of the check.
 * - Otherwise every message is checked, earlier turns and the assistant's too, text and the text of tool results
 *   (what Bedrock's enforced-guardrail settings call COMPREHENSIVE).
 */
export function guardedPrompt(req: ConverseRequest): GuardedPrompt {
  const content: GuardrailContentBlock[] = [];
  const slots: Slot[] = [];
  const references: GuardrailContentBlock[] = [];
  const add = (text: string, qualifiers: GuardrailQualifier[] | undefined, slot: Slot) => {
    const block: GuardrailContentBlock = { text: { text, ...(qualifiers?.length ? { qualifiers } : {}) } };
    content.push(block);
    slots.push(slot);
    if (qualifiers?.some((q) => q === 'grounding_source' || q === 'query')) references.push(block);
  };
  (req.system ?? []).forEach((b, block) => {
    if ('guardContent' in b) add(b.guardContent.text.text, b.guardContent.text.qualifiers, { at: 'system', block });
  });
  const selective = req.messages.some((m) => m.content.some((b) => 'guardContent' in b));
  req.messages.forEach((m, message) => {
    m.content.forEach((b, block) => {
      if ('guardContent' in b) add(b.guardContent.text.text, b.guardContent.text.qualifiers, { at: 'message', message, block });
      else if (selective) return;
      else if ('text' in b) add(b.text, undefined, { at: 'message', message, block });
      else if ('toolResult' in b) {
        b.toolResult.content.forEach((c, result) => {
          if ('text' in c) add(c.text, undefined, { at: 'message', message, block, result });
        });
      }
    });
  });
  return { content, slots, references };
}

/** The request with every masked block replaced by its masked text (`{EMAIL}`), so the model never sees the original. */
export function maskedRequest(req: ConverseRequest, prompt: GuardedPrompt, blocks: GuardrailBlockOutcome[]): ConverseRequest {
  if (!blocks.some((b) => b.masked)) return req;
  const system = req.system ? [...req.system] : undefined;
  const messages: Message[] = req.messages.map((m) => ({ ...m, content: [...m.content] }));
  blocks.forEach((outcome, i) => {
    if (!outcome.masked) return;
    const slot = prompt.slots[i]!;
    if (slot.at === 'system') system![slot.block] = withText(system![slot.block]!, outcome.text) as SystemContentBlock;
    else {
      const content = messages[slot.message]!.content;
      const b = content[slot.block]!;
      if (slot.result !== undefined && 'toolResult' in b) {
        const results = [...b.toolResult.content];
        results[slot.result] = { text: outcome.text };
        content[slot.block] = { toolResult: { ...b.toolResult, content: results } };
      } else content[slot.block] = withText(b, outcome.text);
    }
  });
  return { ...req, messages, ...(system ? { system } : {}) };
}

function withText(b: ContentBlock | SystemContentBlock, text: string): ContentBlock {
  if ('guardContent' in b) return { guardContent: { text: { ...b.guardContent.text, text } } };
  return { text };
}
