import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuarryError } from '../../core/errors.js';
import { parseContentRange } from './content-range.js';
import { expectedSha256 } from './expected-sha256.js';
import { parseModelSource } from './model-source.js';

const isValidation = (e: unknown) => QuarryError.isInstance(e) && e.code === 'ValidationException';

test('hf: sources resolve to the Hub resolve URL, main by default', () => {
  const s = parseModelSource('hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf', { hfEndpoint: 'https://huggingface.co' });
  assert.equal(s.kind, 'hf');
  assert.equal(s.url.href, 'https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/qwen2.5-0.5b-instruct-q4_k_m.gguf');
  assert.equal(s.fileName, 'qwen2.5-0.5b-instruct-q4_k_m.gguf');
  assert.equal(s.authOrigin, 'https://huggingface.co');
  assert.deepEqual(s.hf, {
    owner: 'Qwen',
    repo: 'Qwen2.5-0.5B-Instruct-GGUF',
    revision: 'main',
    path: 'qwen2.5-0.5b-instruct-q4_k_m.gguf',
    endpoint: 'https://huggingface.co',
  });
});

test('hf: revisions, nested paths, hf:// and endpoints with a path prefix', () => {
  const s = parseModelSource('hf://o/r@refs/pr/1', { hfEndpoint: 'http://mirror.local:8080/hf/' });
  // `refs` here is the path, not part of the revision: the revision ends at the first slash.
  assert.equal(s.url.href, 'http://mirror.local:8080/hf/o/r/resolve/refs/pr/1');
  const t = parseModelSource('hf:o/r@v2.0/dir/sub dir/m.gguf', { hfEndpoint: 'http://m.local/' });
  assert.equal(t.url.href, 'http://m.local/o/r/resolve/v2.0/dir/sub%20dir/m.gguf');
  assert.equal(t.fileName, 'm.gguf');
});

test('hf: falls back to HF_ENDPOINT, then huggingface.co', () => {
  const prev = process.env.HF_ENDPOINT;
  try {
    process.env.HF_ENDPOINT = 'http://127.0.0.1:9/';
    assert.equal(parseModelSource('hf:o/r/m.gguf').url.href, 'http://127.0.0.1:9/o/r/resolve/main/m.gguf');
    assert.equal(parseModelSource('hf:o/r/m.gguf', { hfEndpoint: 'http://x.local' }).url.origin, 'http://x.local');
    delete process.env.HF_ENDPOINT;
    assert.equal(parseModelSource('hf:o/r/m.gguf').url.origin, 'https://huggingface.co');
  } finally {
    if (prev === undefined) delete process.env.HF_ENDPOINT;
    else process.env.HF_ENDPOINT = prev;
  }
});

test('malformed sources are refused with the expected form in the message', () => {
  for (const bad of ['hf:owner/repo', 'hf:o/../m.gguf', 'hf:o/r/../m.gguf', 'hf:o/r@/m.gguf', 'hf:o/r//m.gguf', 'ftp://x/m.gguf', 'model.gguf', 'https://x.local/']) {
    assert.throws(() => parseModelSource(bad, { hfEndpoint: 'http://h.local' }), isValidation, bad);
  }
  assert.throws(() => parseModelSource('hf:o/r'), /hf:owner\/repo\/path\/to\/file\.gguf/);
});

test('URL sources take their file name from the last path segment', () => {
  const s = parseModelSource('https://example.com/files/My%20Model.Q4.gguf?download=1');
  assert.equal(s.kind, 'url');
  assert.equal(s.fileName, 'My Model.Q4.gguf');
  assert.equal(s.authOrigin, undefined);
});

test('stated sha256: x-linked-etag always, a plain etag only from the Hub, weak tags never', () => {
  const h = 'ab'.repeat(32);
  assert.equal(expectedSha256({ 'x-linked-etag': `"${h}"` }, false), h);
  assert.equal(expectedSha256({ etag: `"${h.toUpperCase()}"` }, true), h);
  assert.equal(expectedSha256({ etag: `"${h}"` }, false), undefined);
  assert.equal(expectedSha256({ etag: `W/"${h}"` }, true), undefined);
  // Git blob ids (sha1) are what the Hub sends for non-LFS files: not a sha256.
  assert.equal(expectedSha256({ etag: '"0123456789abcdef0123456789abcdef01234567"' }, true), undefined);
});

test('Content-Range parsing', () => {
  assert.deepEqual(parseContentRange('bytes 100-199/1000'), { start: 100, end: 199, total: 1000 });
  assert.deepEqual(parseContentRange('bytes */1000'), { start: undefined, end: undefined, total: 1000 });
  assert.deepEqual(parseContentRange('bytes 0-9/*'), { start: 0, end: 9, total: undefined });
  assert.equal(parseContentRange('items 1-2/3'), undefined);
  assert.equal(parseContentRange(undefined), undefined);
});
