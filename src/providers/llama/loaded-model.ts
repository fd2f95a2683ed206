import { availableParallelism } from 'node:os';
import {
  type ChatWrapper,
  type Llama,
  LlamaChat,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
  resolveChatWrapper,
} from 'node-llama-cpp';
import { contextSizeFor, type LlamaOptions } from './llama-options.js';
import { SequencePool } from './sequence-pool.js';

/** One sequence of the model's context with the chat driver bound to it (LlamaChat keeps no state between requests). */
export interface PooledChat {
  sequence: LlamaContextSequence;
  chat: LlamaChat;
  /** Length of the cachePoint prefix the sequence's KV state holds (0: none), which the pool keeps longest. */
  cachePointTokens: number;
}

/**
 * A model in memory: weights, one context holding `sequences` independent KV caches, the chat wrapper resolved once
 * from the GGUF's own template, and the pool requests take sequences from.
 */
export class LoadedModel {
  private readonly running = new Set<Promise<void>>();

  private constructor(
    readonly path: string,
    readonly model: LlamaModel,
    readonly context: LlamaContext,
    readonly chatWrapper: ChatWrapper,
    readonly pool: SequencePool<PooledChat>,
    private readonly chats: PooledChat[],
    /** Tokens a sequence may hold: the prompt plus the whole reply must fit. */
    readonly contextSize: number,
  ) {}

  static async load(llama: Llama, path: string, options: LlamaOptions): Promise<LoadedModel> {
    const model = await llama.loadModel({ modelPath: path });
    try {
      const contextSize = contextSizeFor(options, model.trainContextSize);
      const context = await model.createContext({
        sequences: options.sequences,
        contextSize,
        threads: options.threads ?? defaultThreads(),
      });
      const chatWrapper = resolveChatWrapper(model);
      const chats: PooledChat[] = [];
      for (let i = 0; i < options.sequences; i++) {
        const sequence = context.getSequence();
        chats.push({ sequence, chat: new LlamaChat({ contextSequence: sequence, chatWrapper }), cachePointTokens: 0 });
      }
      // llama.cpp pads the context up to a multiple of 256; the limit stays the one the catalog advertises.
      return new LoadedModel(path, model, context, chatWrapper, new SequencePool(chats, (c) => c.cachePointTokens > 0), chats, Math.min(contextSize, context.contextSize));
    } catch (e) {
      await model.dispose();
      throw e;
    }
  }

  /** Registers a generation, so dispose() frees the context only after it has stopped using it. */
  track(run: Promise<void>): void {
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  async dispose(): Promise<void> {
    this.pool.close();
    await Promise.allSettled(this.running);
    for (const c of this.chats) c.chat.dispose();
    await this.context.dispose();
    await this.model.dispose();
  }
}

/**
 * One core is left to the server's own event loop: llama.cpp spinning on every core starves the thread that feeds it
 * tokens and serves HTTP, which on a 2-core machine made generation several times slower than with a single thread.
 */
function defaultThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}
