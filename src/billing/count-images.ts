import type { Message } from '../core/index.js';

/** Image blocks in messages, those inside tool results included: the usage record's `images`. */
export function countImages(messages: readonly Message[]): number {
  let n = 0;
  for (const m of messages) {
    for (const b of m.content) {
      if ('image' in b) n++;
      else if ('toolResult' in b) for (const c of b.toolResult.content) if ('image' in c) n++;
    }
  }
  return n;
}
