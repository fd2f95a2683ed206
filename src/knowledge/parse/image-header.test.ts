import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCanvas } from '@napi-rs/canvas';
import { readImageHeader } from './image-header.js';
import { bmpOf, tiffOf } from './image-fixtures.js';

test('format and size of every supported format, from the header alone', async () => {
  const canvas = createCanvas(321, 123);
  const gray = new Uint8Array(321 * 123).fill(255);
  assert.deepEqual(readImageHeader(await canvas.encode('png')), { format: 'png', width: 321, height: 123 });
  assert.deepEqual(readImageHeader(await canvas.encode('jpeg')), { format: 'jpeg', width: 321, height: 123 });
  assert.deepEqual(readImageHeader(await canvas.encode('webp')), { format: 'webp', width: 321, height: 123 });
  assert.deepEqual(readImageHeader(bmpOf(321, 123, gray)), { format: 'bmp', width: 321, height: 123 });
  assert.deepEqual(readImageHeader(tiffOf(321, 123, gray)), { format: 'tiff', width: 321, height: 123 });
});

test('unknown, cut-short and zero-sized headers are not images', async () => {
  const png = await createCanvas(10, 10).encode('png');
  assert.equal(readImageHeader(new TextEncoder().encode('GIF89a not supported')), undefined);
  assert.equal(readImageHeader(png.subarray(0, 20)), undefined);
  assert.equal(readImageHeader(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00])), undefined);
  assert.equal(readImageHeader(new Uint8Array([0x49, 0x49, 0x2a, 0x00, 0xff, 0xff, 0xff, 0x7f])), undefined);
  const zero = Buffer.from(png);
  zero.writeUInt32BE(0, 16);
  assert.equal(readImageHeader(zero), undefined);
  assert.equal(readImageHeader(new Uint8Array(0)), undefined);
});
