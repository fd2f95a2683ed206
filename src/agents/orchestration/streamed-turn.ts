import { type ConverseResult, collectStream, type StreamPart } from '../../core/index.js';
import type { AnswerGate } from './answer-gate.js';
import type { GuardedRelease } from './guarded-release.js';

async function* replay(parts: StreamPart[]): AsyncGenerator<StreamPart> {
  yield* parts;
}

/**
 * Reads one model turn from its stream, yielding its answer text (what the gate lets through) via the guardrail's
 * release as the model writes it, and returns the whole turn as a non-streamed call would have (for the trace, the
 * token count, and the loop when the turn turned out to call tools). A blocked piece stops reading, which closes the
 * model's stream, and returns nothing: the rest must not be produced.
 */
export async function* streamTurn(parts: AsyncIterable<StreamPart>, gate: AnswerGate, release: GuardedRelease): AsyncGenerator<string, ConverseResult | undefined> {
  const seen: StreamPart[] = [];
  for await (const p of parts) {
    // A failure part ends the turn there: nothing the model sends after it is released.
    if (p.type === 'error') throw p.error;
    seen.push(p);
    if (p.type !== 'contentBlockDelta' || !('text' in p.delta)) continue;
    const piece = await release.push(gate.push(p.delta.text));
    if (piece !== undefined) yield piece;
    if (release.blocked) return undefined;
  }
  const result = await collectStream(replay(seen));
  for (const piece of [await release.push(gate.end()), await release.flush()]) if (piece !== undefined) yield piece;
  return release.blocked ? undefined : result;
}
