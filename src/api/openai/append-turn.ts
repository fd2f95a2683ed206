import type { ContentBlock, Message } from '../../core/index.js';

/**
 * Adds content to the conversation as `role`: to the last turn when it is that role's, else as a new turn, because
 * Converse requires user and assistant turns to alternate. Empty content adds nothing.
 */
export function appendTurn(messages: Message[], role: Message['role'], content: ContentBlock[]): void {
  if (!content.length) return;
  const last = messages.at(-1);
  if (last?.role === role) last.content.push(...content);
  else messages.push({ role, content });
}
