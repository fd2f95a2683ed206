import { type GuardrailReport, type StreamPart, toQuarryError } from '../core/index.js';

/** Bedrock's text unit: answers are checked in windows of up to this many characters as they stream. */
export const STREAM_WINDOW_CHARS = 1000;

export interface WindowVerdict {
  blocked: boolean;
  blockedMessage: string;
  /** The window after masking. */
  text: string;
  masked: boolean;
}

export interface OutputStreamGuard {
  /**
   * `sync`: text is held back until its window has been checked, so a client never sees what the guardrail blocks or
   * masks. `async`: text goes out at once and windows are checked behind it; a failing window ends the stream with
   * the blocked message, and masks cannot be applied (the text is already out), as in Bedrock's asynchronous mode.
   */
  mode: 'sync' | 'async';
  check(text: string): Promise<WindowVerdict>;
  onIntervened(): void;
  /** Called once, when the metadata part is about to go out. */
  report(): GuardrailReport;
}

/**
 * Guards an answer's part stream. Only text is checked (tool input and reasoning pass through, as Bedrock checks
 * neither). After an intervention the client gets the blocked message, the block's stop and a `guardrail_intervened`
 * messageStop at once; the rest of the model's stream is then read silently to its metadata, so its usage is metered
 * exactly and the usage the client sees is the model's.
 */
export async function* guardOutputStream(parts: AsyncIterable<StreamPart>, g: OutputStreamGuard): AsyncGenerator<StreamPart> {
  const it = parts[Symbol.asyncIterator]();
  let buffer = '';
  let index = 0;
  /** async mode: checks under way, in order; the first blocked one ends the stream. */
  const pending: Promise<WindowVerdict>[] = [];
  let failed: WindowVerdict | undefined;

  const watch = (text: string) => {
    const p = g.check(text);
    p.then(
      (v) => {
        if (v.blocked) failed ??= v;
      },
      () => undefined,
    );
    pending.push(p);
  };

  /** Sync: check a window and return the delta to release, or the verdict that blocks. */
  async function* release(text: string): AsyncGenerator<StreamPart, WindowVerdict | undefined> {
    if (!text) return undefined;
    const v = await g.check(text);
    if (v.blocked) return v;
    if (v.masked) g.onIntervened();
    yield { type: 'contentBlockDelta', index, delta: { text: v.text } };
    return undefined;
  }

  /** Everything pending in async mode settled: the first blocked verdict, if any. */
  const settleAsync = async (): Promise<WindowVerdict | undefined> => {
    if (buffer) watch(buffer);
    buffer = '';
    for (const v of await Promise.all(pending.splice(0))) if (v.blocked) return v;
    return undefined;
  };

  async function* intervene(v: WindowVerdict): AsyncGenerator<StreamPart> {
    g.onIntervened();
    yield { type: 'contentBlockDelta', index, delta: { text: v.blockedMessage } };
    yield { type: 'contentBlockStop', index };
    yield { type: 'messageStop', stopReason: 'guardrail_intervened' };
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      if (r.value.type === 'metadata') {
        yield { ...r.value, guardrail: g.report() };
        return;
      }
      if (r.value.type === 'error') {
        yield r.value;
        return;
      }
    }
  }

  try {
    for (;;) {
      if (failed) {
        yield* intervene(failed);
        return;
      }
      const r = await it.next();
      if (r.done) return;
      const part = r.value;
      if (part.type === 'contentBlockDelta' && 'text' in part.delta) {
        index = part.index;
        buffer += part.delta.text;
        if (g.mode === 'async') yield part;
        while (buffer.length >= STREAM_WINDOW_CHARS) {
          const cut = windowEnd(buffer);
          const window = buffer.slice(0, cut);
          buffer = buffer.slice(cut);
          if (g.mode === 'async') watch(window);
          else {
            const blocked = yield* release(window);
            if (blocked) {
              yield* intervene(blocked);
              return;
            }
          }
        }
        continue;
      }
      // A text block's end (or anything after it) settles what is still unchecked before it goes out.
      if (buffer || pending.length) {
        const blocked = g.mode === 'async' ? await settleAsync() : yield* release(takeBuffer());
        if (blocked) {
          yield* intervene(blocked);
          return;
        }
      }
      if (part.type === 'metadata') {
        yield { ...part, guardrail: g.report() };
        continue;
      }
      yield part;
    }
  } catch (e) {
    // A check that fails ends the stream as an error part, never as an exception into a half-written response.
    yield { type: 'error', error: toQuarryError(e) };
  } finally {
    await it.return?.();
  }

  function takeBuffer(): string {
    const b = buffer;
    buffer = '';
    return b;
  }
}

/**
 * Where a full window ends: at the last whitespace in its second half, so a word, an e-mail address or a card number
 * is never split between two checks; at the window size when there is none.
 */
function windowEnd(text: string): number {
  for (let i = STREAM_WINDOW_CHARS; i > STREAM_WINDOW_CHARS / 2; i--) if (/\s/.test(text[i - 1]!)) return i;
  return STREAM_WINDOW_CHARS;
}
