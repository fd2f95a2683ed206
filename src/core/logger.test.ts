import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LazyChildLogger, type Logger } from './logger.js';

/** A parent that records the children it makes and the lines they write. */
function recordingParent(level: 'debug' | 'info') {
  const lines: { bindings: Record<string, unknown>; level: string; obj: object }[] = [];
  let children = 0;
  const order = ['debug', 'info', 'warn', 'error'];
  const parent: Logger = {
    debug: () => {},
    info: () => {},
    warn: () => {},
    error: () => {},
    isLevelEnabled: (l) => order.indexOf(l) >= order.indexOf(level),
    child(bindings) {
      children++;
      const at = (l: string) => (obj: object) => {
        if (order.indexOf(l) >= order.indexOf(level)) lines.push({ bindings, level: l, obj });
      };
      return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => parent };
    },
  };
  return { parent, lines, children: () => children };
}

test('the child is made on its first line, once, with the bindings', () => {
  const r = recordingParent('info');
  const log = new LazyChildLogger(r.parent, { requestId: 'r1' });
  assert.equal(r.children(), 0);
  log.info({ a: 1 });
  log.warn({ b: 2 });
  assert.equal(r.children(), 1);
  assert.deepEqual(
    r.lines.map((l) => [l.level, l.bindings.requestId, l.obj]),
    [
      ['info', 'r1', { a: 1 }],
      ['warn', 'r1', { b: 2 }],
    ],
  );
});

test('a line below the parent level makes no child', () => {
  const r = recordingParent('info');
  const log = new LazyChildLogger(r.parent, { requestId: 'r1' });
  log.debug({ quiet: true });
  assert.equal(r.children(), 0);
  assert.equal(log.isLevelEnabled('debug'), false);
  const verbose = recordingParent('debug');
  new LazyChildLogger(verbose.parent, { requestId: 'r2' }).debug({ loud: true });
  assert.equal(verbose.lines.length, 1);
});
