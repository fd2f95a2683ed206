import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createProgressReporter, formatBytes } from './progress-bar.js';

/** Collects what the bar writes; `isTTY` decides between in-place redraws and periodic lines. */
function sink(isTTY: boolean): Writable & { text: () => string; isTTY: boolean; columns: number } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  }) as Writable & { text: () => string; isTTY: boolean; columns: number };
  w.isTTY = isTTY;
  w.columns = 200;
  w.text = () => chunks.join('');
  return w;
}

test('formatBytes uses decimal units', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(999), '999 B');
  assert.equal(formatBytes(1_500), '1.50 KB');
  assert.equal(formatBytes(491_400_000), '491.4 MB');
  assert.equal(formatBytes(4_700_000_000), '4.70 GB');
});

test('on a TTY it draws a bar with sizes, percentage, speed and ETA', () => {
  const out = sink(true);
  const r = createProgressReporter(out, { label: 'qwen.gguf' });
  r.onProgress({ receivedBytes: 0, totalBytes: 400_000_000, bytesPerSecond: 0 });
  r.onProgress({ receivedBytes: 100_000_000, totalBytes: 400_000_000, bytesPerSecond: 20_000_000 });
  r.onProgress({ receivedBytes: 400_000_000, totalBytes: 400_000_000, bytesPerSecond: 20_000_000 });
  r.done('pulled qwen.gguf');
  const text = out.text();
  assert.match(text, /qwen\.gguf \[/);
  assert.match(text, /100% \| 400\.0 MB \/ 400\.0 MB \| 20\.0 MB\/s \| ETA 0s/);
  assert.match(text, /pulled qwen\.gguf\n$/);
});

test('unknown size: bytes and speed, no bar; off a TTY a line is still printed', () => {
  const out = sink(false);
  const r = createProgressReporter(out);
  r.onProgress({ receivedBytes: 2_000, bytesPerSecond: 1_000 });
  r.done();
  const text = out.text();
  assert.match(text, /pulling 2\.00 KB \| 1\.00 KB\/s/);
  assert.doesNotMatch(text, /\[/);
});

test('done() without any progress prints only the message', () => {
  const out = sink(true);
  createProgressReporter(out).done('nothing to do');
  assert.equal(out.text(), 'nothing to do\n');
});
