import type { Message, SystemContentBlock } from '../../../core/index.js';

/**
 * Prompt-style bodies (Meta Llama, Mistral) carry raw text, often already wrapped in the model's chat template. The
 * template is translated back into messages rather than passed through: every provider below applies its own chat
 * template to canonical messages, so leaving the tokens in would wrap the conversation twice and show the model its
 * special tokens as literal text; it also lets guardrails, caching and token counting see the real system prompt and
 * turns. A prompt without template markers is one user message, verbatim.
 */
export function promptToMessages(prompt: string): { system?: SystemContentBlock[]; messages: Message[] } {
  const turns = llama3Turns(prompt) ?? instTurns(prompt);
  if (!turns) return { messages: [{ role: 'user', content: [{ text: prompt }] }] };
  const system = turns.filter((t) => t.role === 'system').map((t) => ({ text: t.text }));
  const messages: Message[] = [];
  for (const t of turns) {
    // An empty assistant turn at the end is the generation prompt; empty turns elsewhere carry nothing either.
    if (t.role === 'system' || t.text === '') continue;
    const prev = messages.at(-1);
    const prevText = prev?.content[0];
    if (prev && prev.role === t.role && prevText && 'text' in prevText) prevText.text += `\n\n${t.text}`;
    else messages.push({ role: t.role, content: [{ text: t.text }] });
  }
  if (!messages.length) return { messages: [{ role: 'user', content: [{ text: prompt }] }] };
  return { system: system.length ? system : undefined, messages };
}

type Turn = { role: 'system' | 'user' | 'assistant'; text: string };

/** Llama 3.x: `<|start_header_id|>role<|end_header_id|>\n\ntext<|eot_id|>`. */
function llama3Turns(prompt: string): Turn[] | undefined {
  if (!prompt.includes('<|start_header_id|>')) return undefined;
  const turns: Turn[] = [];
  const re = /<\|start_header_id\|>\s*([a-z_]+)\s*<\|end_header_id\|>([\s\S]*?)(?=<\|eot_id\|>|<\|eom_id\|>|<\|start_header_id\|>|$)/g;
  for (const m of prompt.matchAll(re)) {
    const role = m[1]!;
    const text = m[2]!.replace(/^\n\n?/, '').replace(/\s+$/, '');
    // ipython carries tool output back to the model: the user's side of the conversation.
    turns.push({ role: role === 'system' ? 'system' : role === 'assistant' ? 'assistant' : 'user', text });
  }
  return turns.length ? turns : undefined;
}

/** Llama 2 and Mistral: `<s>[INST] <<SYS>>\nsys\n<</SYS>>\n\nuser [/INST] answer </s><s>[INST] …`. */
function instTurns(prompt: string): Turn[] | undefined {
  if (!prompt.includes('[INST]')) return undefined;
  const turns: Turn[] = [];
  const clean = prompt.replace(/<\/?s>|<\|begin_of_text\|>/g, '');
  const re = /\[INST\]([\s\S]*?)\[\/INST\]([\s\S]*?)(?=\[INST\]|$)/g;
  for (const m of clean.matchAll(re)) {
    let user = m[1]!;
    const sys = /<<SYS>>([\s\S]*?)<<\/SYS>>/.exec(user);
    if (sys) {
      turns.push({ role: 'system', text: sys[1]!.trim() });
      user = user.replace(sys[0], '');
    }
    turns.push({ role: 'user', text: user.trim() });
    turns.push({ role: 'assistant', text: m[2]!.trim() });
  }
  return turns.length ? turns : undefined;
}
