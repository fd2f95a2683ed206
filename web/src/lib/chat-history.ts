import type { ChatContentPart, ChatMessage } from '../api/chat-stream';
import type { Turn } from '../components/chat-turn';

/**
 * The conversation as Chat Completions messages. An answer that failed is left out, so the model never sees half a
 * reply; the user's message before it stays, merged with the next one rather than sent as two user turns in a row
 * (Bedrock-shaped models require turns to alternate).
 */
export function toMessages(system: string, turns: Turn[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (system.trim()) out.push({ role: 'system', content: system });
  for (const t of turns) {
    switch (t.role) {
      case 'user': {
        const parts: ChatContentPart[] = [
          ...(t.text ? [{ type: 'text' as const, text: t.text }] : []),
          ...t.images.map((im) => ({ type: 'image_url' as const, image_url: { url: im.dataUrl } })),
        ];
        const prev = out.at(-1);
        if (prev?.role === 'user' && Array.isArray(prev.content)) prev.content.push(...parts);
        else out.push({ role: 'user', content: parts });
        break;
      }
      case 'assistant':
        if (t.state.error || !t.state.done) break;
        out.push({ role: 'assistant', content: t.state.text || null, ...(t.state.toolCalls.length ? { tool_calls: t.state.toolCalls } : {}) });
        break;
      case 'tool':
        out.push({ role: 'tool', tool_call_id: t.toolCallId, content: t.content });
        break;
      default: {
        const never: never = t;
        throw new Error(`unknown turn ${JSON.stringify(never)}`);
      }
    }
  }
  return out;
}
