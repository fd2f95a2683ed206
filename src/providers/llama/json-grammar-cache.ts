import type { Llama, LlamaGrammar } from 'node-llama-cpp';
import { QuarryError } from '../../core/index.js';
import { toGbnfSchema } from './to-gbnf-schema.js';

const MAX_ENTRIES = 32;

/**
 * Compiling a schema to a grammar costs far more than sampling one token, and structured-output clients send the same
 * schema on every call, so compiled grammars are kept (a small LRU keyed by the schema's JSON text).
 */
export class JsonGrammarCache {
  private readonly entries = new Map<string, Promise<LlamaGrammar>>();

  constructor(private readonly llama: Llama) {}

  get(schema: Record<string, unknown>): Promise<LlamaGrammar> {
    const key = JSON.stringify(schema);
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const grammar = this.compile(schema);
    this.entries.set(key, grammar);
    grammar.catch(() => this.entries.delete(key));
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    return grammar;
  }

  private async compile(schema: Record<string, unknown>): Promise<LlamaGrammar> {
    const gbnf = toGbnfSchema(schema, 'jsonSchema.schema');
    try {
      // The method's generic signature wants a literal schema type; a runtime-built one is checked by the engine instead.
      return await this.llama.createGrammarForJsonSchema(gbnf as Parameters<Llama['createGrammarForJsonSchema']>[0]);
    } catch (e) {
      throw new QuarryError('ValidationException', `jsonSchema.schema cannot be compiled to a grammar: ${e instanceof Error ? e.message : String(e)}`, {
        cause: e,
      });
    }
  }
}
