import type { Database } from '../store/index.js';
import { offlineContentScorer } from './engine/classifier-adapter.js';
import type { ContentScorer } from './engine/content-scorer.js';
import { GuardrailEngine } from './engine/guardrail-engine.js';
import { GuardrailRepository } from './guardrail-repository.js';
import { GuardrailService } from './guardrail-service.js';
import type { GuardrailJudge } from './judge/judge-model.js';
import type { EmbedTexts } from './policies/index.js';

export interface GuardrailModuleOptions {
  db: Database;
  region: string;
  /** Sentence embeddings for denied topics and grounding; the server passes the embedded encoder when it has it. */
  embed?: EmbedTexts;
  /** The content-filter classifier; the offline one by default (loaded on first use). */
  contentScorer?: () => ContentScorer;
  /** The LLM judge for policies of tier STANDARD; without it such guardrails are refused. */
  judge?: GuardrailJudge;
  revalidateMs?: number;
}

/** Guardrails assembled: the stored resources (service) and the engine that applies their versions. */
export class GuardrailModule {
  readonly repo: GuardrailRepository;
  readonly engine: GuardrailEngine;
  readonly service: GuardrailService;

  constructor(opts: GuardrailModuleOptions) {
    this.repo = new GuardrailRepository(opts.db);
    this.engine = new GuardrailEngine({ repo: this.repo, region: opts.region, embed: opts.embed, contentScorer: opts.contentScorer ?? memo(offlineContentScorer), judge: opts.judge, revalidateMs: opts.revalidateMs });
    this.service = new GuardrailService(this.repo, this.engine, opts.region);
  }
}

function memo<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}
