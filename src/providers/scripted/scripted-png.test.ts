import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { sniffImageType } from '../shared/sniff-image-type.js';
import { scriptedPng } from './scripted-png.js';

test('a PNG that a real decoder reads at the asked size, the same for the same text and different for another', async () => {
  const a = scriptedPng('a fox', 40, 24);
  assert.equal(sniffImageType(a), 'image/png');
  const meta = await sharp(a).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height, meta.channels], ['png', 40, 24, 3]);
  assert.deepEqual(scriptedPng('a fox', 40, 24), a);
  const { data } = await sharp(a).raw().toBuffer({ resolveWithObject: true });
  const other = await sharp(scriptedPng('a dog', 40, 24)).raw().toBuffer();
  assert.notDeepEqual(other, data);
});
