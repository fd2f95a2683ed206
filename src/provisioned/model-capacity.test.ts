import assert from 'node:assert/strict';
import { test } from 'node:test';
import { modelCapacity } from './model-capacity.js';

const none = { deployments: [], providers: [] };

test('deployments: the sum of their capacities, unknown when one declares none; drained ones do not count', () => {
  const src = {
    deployments: [
      { model: 'm', capacity: 3 },
      { model: 'm', capacity: 5 },
      { model: 'm', capacity: 9, drained: true },
      { model: 'n', capacity: 2 },
      { model: 'n' },
    ],
    providers: [],
  };
  assert.equal(modelCapacity(src, 'm', 'up'), 8);
  assert.equal(modelCapacity(src, 'n', 'up'), undefined);
});

test('the llama engine: its context sequences, configured or the default; other providers are unknown', () => {
  const src = { deployments: [], providers: [{ id: 'gguf', type: 'llama', sequences: 6 }, { id: 'remote', type: 'openai-compatible', baseUrl: 'http://x' }] };
  assert.equal(modelCapacity(src, 'local.qwen', 'gguf'), 6);
  assert.equal(modelCapacity(none, 'local.qwen', 'local'), 2, 'the zero-configuration engine runs 2 sequences');
  assert.equal(modelCapacity(src, 'acme', 'remote'), undefined);
  assert.equal(modelCapacity(none, 'acme', undefined), undefined);
});
