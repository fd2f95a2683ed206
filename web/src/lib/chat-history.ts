import type { ChatContentPart, ChatMessage } from '../api/chat-stream';
import type { Turn } from '../components/chat-turn';

/**
 * The conversation as Chat Completions messages. An exchange whose answer failed is left out whole (the answer and
 * the user's message that asked for it): the model never sees half a reply, and turns keep alternating, which
 * Bedrock-shaped models require. The console still shows it, so the user can ask again.
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
        out.push({ role: 'user', content: parts });
        break;
      }
      case 'assistant':
        if (t.state.error || !t.state.done) {
          while (out.at(-1)?.role === 'user') out.pop();
          break;
        }
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
