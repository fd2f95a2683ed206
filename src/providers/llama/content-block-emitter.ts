import type { StreamPart } from '../../core/index.js';

type Kind = 'text' | 'reasoning' | 'tool';

/**
 * Turns the engine's interleaved text, reasoning and tool-call chunks into Bedrock's block structure: one open block at
 * a time, a contentBlockStart before its first delta, a contentBlockStop when the kind changes, indices counting up.
 */
export class ContentBlockEmitter {
  private index = -1;
  private open: Kind | undefined;

  constructor(private readonly push: (part: StreamPart) => void) {}

  text(text: string): void {
    if (!text) return;
    this.ensure('text');
    this.push({ type: 'contentBlockDelta', index: this.index, delta: { text } });
  }

  reasoning(text: string): void {
    if (!text) return;
    this.ensure('reasoning');
    this.push({ type: 'contentBlockDelta', index: this.index, delta: { reasoningContent: { text } } });
  }

  /** Tool blocks always start fresh: two consecutive calls are two blocks. */
  toolStart(toolUseId: string, name: string): void {
    this.close();
    this.index++;
    this.open = 'tool';
    this.push({ type: 'contentBlockStart', index: this.index, toolUse: { toolUseId, name } });
  }

  toolInput(json: string): void {
    if (json && this.open === 'tool') this.push({ type: 'contentBlockDelta', index: this.index, delta: { toolUse: { input: json } } });
  }

  close(): void {
    if (this.open === undefined) return;
    this.push({ type: 'contentBlockStop', index: this.index });
    this.open = undefined;
  }

  private ensure(kind: Kind): void {
    if (this.open === kind) return;
    this.close();
    this.index++;
    this.open = kind;
    this.push({ type: 'contentBlockStart', index: this.index });
  }
}
