import type { KnowledgeModule } from '../../knowledge/index.js';
import type { KnowledgeSearch } from './agent-ports.js';

/** The knowledge module's retrieval as the loop's search port. */
export function knowledgeSearchOf(k: Pick<KnowledgeModule, 'service'>): KnowledgeSearch {
  return async (ctx, accountId, kbId, q) => (await k.service.retrieve(ctx, accountId, kbId, q)).chunks;
}
