import assert from 'node:assert/strict';
import type { StreamPart } from '../../core/index.js';

/**
 * Checks that parts follow Bedrock ConverseStream's grammar, which every wire adapter relies on:
 *   messageStart (contentBlockStart contentBlockDelta* contentBlockStop)* messageStop metadata
 * with block indexes 0, 1, 2 … and no interleaving; or the same prefix cut short by one final `error` part.
 */
export function assertStreamOrder(parts: readonly StreamPart[]): void {
  assert.ok(parts.length > 0, 'the stream yielded nothing');
  const last = parts[parts.length - 1];
  const errorAt = parts.findIndex((p) => p.type === 'error');
  if (errorAt !== -1) assert.equal(errorAt, parts.length - 1, 'an error part must be the last part');
  const body = last.type === 'error' ? parts.slice(0, -1) : parts;
  if (body.length === 0) return;

  assert.equal(body[0].type, 'messageStart', 'the first part must be messageStart');
  let open: number | undefined;
  let nextIndex = 0;
  let stopped = false;
  for (let i = 1; i < body.length; i++) {
    const p = body[i];
    switch (p.type) {
      case 'messageStart':
        assert.fail(`a second messageStart at part ${i}`);
        break;
      case 'contentBlockStart':
        assert.ok(!stopped, 'contentBlockStart after messageStop');
        assert.equal(open, undefined, `block ${p.index} starts while block ${open} is open`);
        assert.equal(p.index, nextIndex, 'block indexes must count up from 0');
        open = p.index;
        nextIndex++;
        break;
      case 'contentBlockDelta':
        assert.equal(p.index, open, `delta for block ${p.index} outside its start/stop`);
        break;
      case 'contentBlockStop':
        assert.equal(p.index, open, `stop for block ${p.index} that is not open`);
        open = undefined;
        break;
      case 'messageStop':
        assert.equal(open, undefined, 'messageStop while a block is open');
        assert.ok(!stopped, 'a second messageStop');
        stopped = true;
        break;
      case 'metadata':
        assert.ok(stopped, 'metadata before messageStop');
        assert.equal(i, body.length - 1, 'metadata must be the last part');
        assert.equal(p.latencyMs, 0, 'providers leave latencyMs 0; the runtime fills it');
        break;
      case 'error':
        break;
      default:
        p satisfies never;
    }
  }
  if (last.type !== 'error') assert.equal(last.type, 'metadata', 'a stream that did not fail must end with metadata');
}

export async function drain(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const p of parts) out.push(p);
  return out;
}

export async function* replay(parts: readonly StreamPart[]): AsyncGenerator<StreamPart> {
  yield* parts;
}
