import { guardrailArn, guardrailIdOf, parseGuardrailVersion } from '../guardrail-ids.js';
import type { GuardrailRepository } from '../guardrail-repository.js';
import type { GuardrailConfig } from '../guardrail-request-schema.js';
import type { GuardrailJudge } from '../judge/judge-model.js';
import type { EmbedTexts } from '../policies/index.js';
import { type CompiledGuardrail, compileGuardrail } from './compile-guardrail.js';
import type { ContentScorer } from './content-scorer.js';
import type { GuardrailCheckRequest, GuardrailOutcome } from './guardrail-content.js';

/** How the runtime names a guardrail: Converse's `guardrailConfig`, InvokeModel's headers, ApplyGuardrail's path. */
export interface GuardrailRef {
  /** The id, or its ARN. */
  guardrailIdentifier: string;
  /** 'DRAFT' or a version number. */
  guardrailVersion: string;
}

/** A guardrail version found and compiled, to check several pieces of content (a prompt, then the answer, or stream windows). */
export interface ResolvedGuardrail {
  id: string;
  arn: string;
  version: string;
  compiled: CompiledGuardrail;
  check(request: GuardrailCheckRequest): Promise<GuardrailOutcome>;
}

export interface GuardrailEngineOptions {
  repo: GuardrailRepository;
  region: string;
  embed?: EmbedTexts;
  contentScorer?: () => ContentScorer;
  /** The LLM judge for content filters and denied topics of tier STANDARD (from the server's `guardrails.judge`). */
  judge?: GuardrailJudge;
  /**
   * How long a cached compilation is trusted before the next use re-reads the version's revision (one indexed row).
   * This process invalidates its own cache on every change at once; the interval bounds how long another replica
   * may apply a DRAFT that was just updated, or a version that was just deleted. Default 2 s.
   */
  revalidateMs?: number;
  /** Compiled versions kept in memory, least recently used dropped first. Default 256. */
  maxEntries?: number;
}

interface Entry {
  scope: string;
  id: string;
  version: string;
  revision: number;
  checkedAt: number;
  compiled: CompiledGuardrail;
}

/**
 * Applies guardrail versions to content. Each version is compiled once (word tries, regex programs, topic profiles)
 * and kept in memory, keyed by account, id and version, so applying costs a map lookup plus the checks themselves.
 */
export class GuardrailEngine {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Entry>>();
  private readonly revalidateMs: number;
  private readonly maxEntries: number;
  /** Bumped by every invalidation, so a compilation that started before a change is used once but not cached. */
  private generation = 0;

  constructor(private readonly options: GuardrailEngineOptions) {
    this.revalidateMs = options.revalidateMs ?? 2000;
    this.maxEntries = options.maxEntries ?? 256;
  }

  /** Finds and compiles a version in the caller's account; ResourceNotFoundException when there is none. */
  async resolve(scope: string, ref: GuardrailRef): Promise<ResolvedGuardrail> {
    const id = guardrailIdOf(ref.guardrailIdentifier, scope);
    const { version } = parseGuardrailVersion(ref.guardrailVersion);
    const key = `${scope}\0${id}\0${version}`;
    let entry = this.entries.get(key);
    if (entry && Date.now() - entry.checkedAt > this.revalidateMs) {
      const revision = await this.options.repo.revision(scope, id, version);
      if (revision === entry.revision) entry.checkedAt = Date.now();
      else {
        this.entries.delete(key);
        entry = undefined;
      }
    }
    if (entry) {
      // Re-insert: Map order is the LRU order.
      this.entries.delete(key);
      this.entries.set(key, entry);
    } else {
      entry = await this.load(key, scope, id, version);
    }
    const compiled = entry.compiled;
    const arn = guardrailArn(this.options.region, scope, id);
    const guardrail = { id, arn, version };
    return { ...guardrail, compiled, check: async (request) => ({ ...(await compiled.check(request)), guardrail }) };
  }

  /**
   * The runtime's entry point: checks `request.content` against the named version, as ApplyGuardrail does. The
   * outcome has Bedrock's response fields plus `blocked`, `blockedMessage` and per-block masked texts.
   */
  async apply(scope: string, ref: GuardrailRef, request: GuardrailCheckRequest): Promise<GuardrailOutcome> {
    return (await this.resolve(scope, ref)).check(request);
  }

  /** Drops cached compilations after a change: one version, or every version of the guardrail. */
  invalidate(scope: string, id: string, version?: string): void {
    const prefix = `${scope}\0${id}\0`;
    this.generation++;
    for (const key of this.loading.keys()) if (key.startsWith(prefix)) this.loading.delete(key);
    for (const key of this.entries.keys()) if (key.startsWith(prefix) && (version === undefined || key === prefix + version)) this.entries.delete(key);
  }

  /** Compiles a configuration with this engine's embedder and classifier, without storing it (validation, previews). */
  compile(config: GuardrailConfig): CompiledGuardrail {
    return compileGuardrail(config, { embed: this.options.embed, contentScorer: this.options.contentScorer, judge: this.options.judge });
  }

  private load(key: string, scope: string, id: string, version: string): Promise<Entry> {
    let pending = this.loading.get(key);
    if (!pending) {
      const generation = this.generation;
      pending = (async () => {
        const row = await this.options.repo.version(scope, id, version);
        const compiled = this.compile(JSON.parse(row.config) as GuardrailConfig);
        const entry: Entry = { scope, id, version: row.version, revision: row.revision, checkedAt: Date.now(), compiled };
        if (generation !== this.generation) return entry;
        this.entries.set(key, entry);
        while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
        return entry;
      })();
      const settled = pending.finally(() => {
        if (this.loading.get(key) === settled) this.loading.delete(key);
      });
      this.loading.set(key, settled);
      return settled;
    }
    return pending;
  }
}

