import type { AgentGuard, GuardVerdict } from './agent-guard.js';

/** Bedrock's default for `streamingConfigurations.applyGuardrailInterval`, in characters. */
export const DEFAULT_GUARDRAIL_INTERVAL = 50;

/**
 * Lets a streamed final answer out piece by piece without releasing any text its guardrail has not seen. Text is
 * held until at least `interval` characters are waiting, then checked and released as one piece (Bedrock's
 * contract: every chunk but the last has at least that many characters). Each check also sees the previous piece,
 * so a denied word split across two pieces is still caught. A blocked piece ends the release: its place is taken by
 * the guardrail's blocked message and nothing after it goes out. Without a guardrail every delta goes out at once.
 */
export class GuardedRelease {
  private pending = '';
  /** The previous piece as the model wrote it, checked again with the next one as context. */
  private previous = '';
  /** What went out so far: masked where the guardrail masked. */
  released = '';
  /** Set once a piece was blocked; its text is the blocked message. */
  blocked?: GuardVerdict;
  /** Assessments of every piece the guardrail intervened on (masked or blocked), for the guardrail trace. */
  readonly assessments: unknown[] = [];

  constructor(
    private readonly guard: AgentGuard | undefined,
    private readonly interval: number = DEFAULT_GUARDRAIL_INTERVAL,
  ) {}

  get intervened(): boolean {
    return this.assessments.length > 0 || this.blocked !== undefined;
  }

  /** The piece this delta completes, if any. */
  async push(delta: string): Promise<string | undefined> {
    if (this.blocked || !delta) return undefined;
    this.pending += delta;
    if (this.guard && this.pending.length < this.interval) return undefined;
    return this.release();
  }

  /** The rest, once the model has finished. */
  async flush(): Promise<string | undefined> {
    if (this.blocked || !this.pending) return undefined;
    return this.release();
  }

  private async release(): Promise<string> {
    const raw = this.pending;
    this.pending = '';
    let out = raw;
    if (this.guard) {
      const v = await this.guard.checkOutput(this.previous + raw);
      if (v.action === 'INTERVENED') {
        // Masking rewrites text, so the piece is checked on its own to get its masked form; a block stands either way.
        const own = v.blocked === false ? await this.guard.checkOutput(raw) : v;
        this.assessments.push(...(own.assessments ?? v.assessments ?? []));
        if (own.action === 'INTERVENED' && own.blocked !== false) {
          this.blocked = own;
          return own.text;
        }
        out = own.text;
      }
    }
    this.previous = raw;
    this.released += out;
    return out;
  }
}

/** Splits an answer that is already whole (and already guarded) into pieces of about `interval` characters. */
export function splitAnswer(text: string, interval: number = DEFAULT_GUARDRAIL_INTERVAL): string[] {
  if (text.length <= interval) return [text];
  const pieces: string[] = [];
  let i = 0;
  while (i < text.length) {
    let end = Math.min(text.length, i + interval);
    // Never cut a surrogate pair: half of one is not valid UTF-8 on the wire.
    if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end++;
    pieces.push(text.slice(i, end));
    i = end;
  }
  return pieces;
}
