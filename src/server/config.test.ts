import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from './config.js';

const ISSUE_EXAMPLE = `
region: us-east-1
providers:
  - id: upstream            # any name
    type: openai-compatible # also: ollama, anthropic, bedrock, llama (local GGUF)
    baseUrl: http://127.0.0.1:9100/v1
    apiKey: \${UPSTREAM_KEY}
models:
  - id: acme.chat-v1:0
    provider: upstream
    upstreamModel: gpt-test
    pricing: { inputPer1k: 0.0005, outputPer1k: 0.0015 }
`;

// biome-ignore lint/suspicious/noTemplateCurlyInString: the test is about ${VAR} placeholders.
test('the documented example parses, with ${ENV} interpolated', () => {
  const c = parseConfig(ISSUE_EXAMPLE, { UPSTREAM_KEY: 'sk-secret' });
  assert.equal(c.providers[0]?.apiKey, 'sk-secret');
  assert.equal(c.models[0]?.pricing?.outputPer1k, 0.0015);
  assert.equal(c.limits.maxBodyBytes, 25 * 1024 * 1024);
});

test('an unset variable is an error that names it; defaults apply', () => {
  assert.throws(() => parseConfig(ISSUE_EXAMPLE, {}), /UPSTREAM_KEY/);
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a ${VAR:-default} placeholder is what is under test.
  const c = parseConfig('providers:\n  - id: a\n    type: ollama\n    baseUrl: ${OLLAMA:-http://127.0.0.1:11434}\n', {});
  assert.equal(c.providers[0]?.baseUrl, 'http://127.0.0.1:11434');
});

test('mistakes are reported with their path', () => {
  assert.throws(() => parseConfig('regoin: x\n', {}), /regoin/);
  assert.throws(() => parseConfig('models:\n  - id: m\n    provider: nowhere\n', {}), /provider "nowhere"/);
  assert.throws(() => parseConfig('providers:\n  - id: a\n    type: x\n  - id: a\n    type: y\n', {}), /used twice/);
  assert.throws(() => parseConfig('port: "x"\n', {}), /port/);
  assert.throws(() => parseConfig('a: [\n', {}), /not valid YAML/);
});

test('provider-specific keys pass through as options', () => {
  const c = parseConfig('providers:\n  - id: a\n    type: openai-compatible\n    baseUrl: http://x/v1\n    discover: true\n', {});
  assert.equal((c.providers[0] as Record<string, unknown>).discover, true);
});

test('an image model may be priced by the image alone; token prices go together', () => {
  const models = (pricing: string) => `providers:\n  - { id: p, type: openai-compatible }\nmodels:\n  - { id: acme.image-v1:0, provider: p, kind: image, pricing: ${pricing} }\n`;
  const c = parseConfig(models('{ imagePerImage: 0.04 }'), {});
  assert.equal(c.models[0]?.kind, 'image');
  assert.equal(c.models[0]?.pricing?.imagePerImage, 0.04);
  assert.throws(() => parseConfig(models('{ inputPer1k: 0.001 }'), {}), /inputPer1k and outputPer1k together/);
  assert.throws(() => parseConfig(models('{}'), {}), /or imagePerImage for an image model/);
  assert.throws(() => parseConfig(models('{ imagePerImage: -1 }'), {}), /imagePerImage/);
});

test('guardrails.judge: off by default; bounds defaulted; mistakes named by path', () => {
  assert.equal(parseConfig('').guardrails.judge, undefined);
  assert.deepEqual(parseConfig('guardrails:\n  judge: { modelId: meta.llama-guard-3-8b }\n').guardrails.judge, {
    modelId: 'meta.llama-guard-3-8b',
    timeoutMs: 15_000,
    windowChars: 6000,
    maxWindows: 32,
    concurrency: 4,
    structuredOutput: true,
    taxonomy: 'prompt',
  });
  assert.throws(() => parseConfig('guardrails:\n  judge: { modelId: x, windowChars: 10 }\n'), /guardrails\.judge\.windowChars/);
  assert.throws(() => parseConfig('guardrails:\n  judge: {}\n'), /guardrails\.judge\.modelId/);
  assert.throws(() => parseConfig('guardrails:\n  judge: { modelId: x, model: y }\n'), /guardrails\.judge/);
});

test('responses.retentionDays: 30 by default, 0 keeps stored responses until deleted, a negative or fractional one refused', () => {
  assert.equal(parseConfig('', {}).responses.retentionDays, 30);
  assert.equal(parseConfig('responses:\n  retentionDays: 0\n', {}).responses.retentionDays, 0);
  assert.throws(() => parseConfig('responses:\n  retentionDays: -1\n', {}), /responses\.retentionDays/);
  assert.throws(() => parseConfig('responses:\n  retentionDays: 1.5\n', {}), /responses\.retentionDays/);
  assert.throws(() => parseConfig('responses:\n  keepDays: 1\n', {}), /keepDays/);
});
