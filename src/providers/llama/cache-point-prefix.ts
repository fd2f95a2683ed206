import type { ConverseRequest } from '../../core/index.js';

type Conversation = Pick<ConverseRequest, 'system' | 'messages'>;

/**
 * The part of a request before its last `cachePoint` block, as a request of its own, or undefined when it has none.
 * Bedrock caches everything up to a cache point (tools, then system, then messages, in that order), so the last one
 * marks the longest prefix the caller asked to keep. The engine renders this prefix through the same template; the
 * tokens it shares with the whole prompt are the ones the cache point covers.
 */
export function cachePointPrefix(req: Conversation): Conversation | undefined {
  for (let m = req.messages.length - 1; m >= 0; m--) {
    const content = req.messages[m].content;
    const at = content.findLastIndex((b) => 'cachePoint' in b);
    if (at < 0) continue;
    const before = content.slice(0, at);
    const messages = [...req.messages.slice(0, m), ...(before.length ? [{ role: req.messages[m].role, content: before }] : [])];
    return { system: req.system, messages };
  }
  const system = req.system ?? [];
  const at = system.findLastIndex((b) => 'cachePoint' in b);
  return at < 0 ? undefined : { system: system.slice(0, at), messages: [] };
}
