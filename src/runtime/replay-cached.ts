import { type ConverseResult, collectStream, resultToStream, type StreamPart } from '../core/index.js';
import type { CachedAnswer } from '../routing/index.js';

async function* fromArray(parts: readonly StreamPart[]): AsyncGenerator<StreamPart> {
  yield* parts;
}

/** A cached answer as a whole result (a streamed entry folded up), stamped with this call's latency. */
export async function cachedResult(hit: CachedAnswer, latencyMs: number): Promise<ConverseResult> {
  const base = hit.result ?? (await collectStream(fromArray(hit.parts ?? [])));
  return { ...base, usage: hit.usage, latencyMs };
}

/** A cached answer as stream parts: a streamed entry's own parts as they came, a whole one cut into parts. */
export async function* cachedParts(hit: CachedAnswer): AsyncGenerator<StreamPart> {
  if (hit.parts) {
    yield* hit.parts;
    return;
  }
  if (!hit.result) return;
  for await (const p of resultToStream(hit.result)) if (p.type !== 'metadata') yield p;
}

/** Rough bytes an entry holds, for the store's bound: its text, twice for UTF-16, plus per-part overhead. */
export function answerSize(result: ConverseResult | undefined, parts: readonly StreamPart[] | undefined): number {
  if (result) return 2 * JSON.stringify(result.message).length + 256;
  let n = 256;
  for (const p of parts ?? []) {
    n += 64;
    if (p.type === 'contentBlockDelta') {
      const d = p.delta;
      n += 2 * ('text' in d ? d.text.length : 'toolUse' in d ? d.toolUse.input.length : (d.reasoningContent.text?.length ?? 0));
    }
  }
  return n;
}
