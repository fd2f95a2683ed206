import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { silentLogger } from '../../../core/index.js';
import { embedStatic } from '../../../providers/embedded/index.js';
import { CALIBRATION_PAIRS } from './calibration-pairs.js';
import { calibratedEmbedder, fitCosineLine } from './cosine-calibration.js';
import { cosine, type EmbedTexts } from './embed-texts.js';

// The static table's raw vectors stand in for "another model": its cosines follow the encoder's, on its own scale.
const rawStatic: EmbedTexts = async (texts) => embedStatic(texts);

/** Vectors from a hash of the text: no relation to meaning at all. */
const noise: EmbedTexts = async (texts) => texts.map((t) => [...createHash('sha256').update(t).digest()].map((b) => b - 127.5));

const meanError = (map: (c: number) => number, vectors: ArrayLike<number>[]) =>
  CALIBRATION_PAIRS.reduce((s, [, , encoder], i) => s + Math.abs(map(cosine(vectors[2 * i]!, vectors[2 * i + 1]!)) - encoder), 0) / CALIBRATION_PAIRS.length;

test("a model's fitted line brings its cosines closer to the encoder's than they were", async () => {
  const line = await fitCosineLine(rawStatic);
  assert.ok(line.correlation > 0.8, `correlation ${line.correlation}`);
  assert.ok(line.slope > 0.5 && line.slope < 2, `slope ${line.slope}`);
  const vectors = await rawStatic(CALIBRATION_PAIRS.flatMap((pair) => [pair[0], pair[1]]));
  const mapped = meanError((c) => line.slope * c + line.intercept, vectors);
  const unmapped = meanError((c) => c, vectors);
  assert.ok(mapped < unmapped, `mean error mapped ${mapped.toFixed(3)}, unmapped ${unmapped.toFixed(3)}`);
});

test('the pairs span the scale, from unrelated to paraphrase', () => {
  const cosines = CALIBRATION_PAIRS.map(([, , c]) => c);
  assert.ok(Math.min(...cosines) < 0.1 && Math.max(...cosines) > 0.8);
  assert.equal(new Set(CALIBRATION_PAIRS.map(([a, b]) => `${a}\0${b}`)).size, CALIBRATION_PAIRS.length);
});

test('the calibrated embedder maps cosines after its first call, and passes vectors through unchanged', async () => {
  const embed = calibratedEmbedder(rawStatic, 'acme.embed-v1:0', silentLogger);
  assert.equal(embed.toEncoderCosine, undefined);
  const [v] = await embed(['The archive opens at nine.']);
  assert.deepEqual(Array.from(v!), Array.from((await rawStatic(['The archive opens at nine.']))[0]!));
  const line = await fitCosineLine(rawStatic);
  // Read again: the assertion above narrowed the property to undefined.
  const map = (embed as EmbedTexts).toEncoderCosine;
  assert.ok(map);
  assert.ok(Math.abs(map(0.5) - (line.slope * 0.5 + line.intercept)) < 1e-9);
  assert.equal(map(5), 1, 'clamped to a cosine');
});

test('a model whose cosines do not follow the encoder is left unmapped, with a warning', async () => {
  const warnings: unknown[] = [];
  const log = { ...silentLogger, warn: (o: unknown) => warnings.push(o) } as typeof silentLogger;
  const embed = calibratedEmbedder(noise, 'random', log);
  await embed(['anything']);
  assert.equal(embed.toEncoderCosine, undefined);
  assert.equal(warnings.length, 1);
  assert.ok(Math.abs((await fitCosineLine(noise)).correlation) < 0.6);
});

test('a failed calibration fails the call and is tried again on the next', async () => {
  let calls = 0;
  const flaky: EmbedTexts = async (texts) => {
    calls++;
    if (calls === 1) throw new Error('upstream down');
    return rawStatic(texts);
  };
  const embed = calibratedEmbedder(flaky, 'flaky', silentLogger);
  await assert.rejects(embed(['a']), /upstream down/);
  assert.equal((await embed(['a'])).length, 1);
  assert.ok(embed.toEncoderCosine);
});
