/**
 * Test fixtures: 8-bit grey pixels as an uncompressed BMP or TIFF, the two OCR formats no encoder at hand writes.
 * Rows are top to bottom, one byte per pixel.
 */
export function bmpOf(width: number, height: number, gray: Uint8Array): Uint8Array {
  const row = Math.ceil((width * 3) / 4) * 4;
  const b = Buffer.alloc(54 + row * height);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(b.length, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(width, 18);
  b.writeInt32LE(height, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  b.writeUInt32LE(row * height, 34);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // BMP rows run bottom to top.
      const v = gray[(height - 1 - y) * width + x];
      b.fill(v, 54 + y * row + x * 3, 54 + y * row + x * 3 + 3);
    }
  }
  return new Uint8Array(b);
}

export function tiffOf(width: number, height: number, gray: Uint8Array): Uint8Array {
  // Tag, type (3 = SHORT, 4 = LONG), value: width, height, 8 bits, no compression, black is zero, strip offset,
  // one sample per pixel, all rows in one strip, strip byte count.
  const entries: [number, number, number][] = [
    [256, 3, width],
    [257, 3, height],
    [258, 3, 8],
    [259, 3, 1],
    [262, 3, 1],
    [273, 4, 0],
    [277, 3, 1],
    [278, 3, height],
    [279, 4, width * height],
  ];
  const ifd = 8;
  const data = ifd + 2 + entries.length * 12 + 4;
  entries[5][2] = data;
  const b = Buffer.alloc(data + width * height);
  b.write('II', 0, 'latin1');
  b.writeUInt16LE(42, 2);
  b.writeUInt32LE(ifd, 4);
  b.writeUInt16LE(entries.length, ifd);
  entries.forEach(([tag, type, value], i) => {
    const at = ifd + 2 + i * 12;
    b.writeUInt16LE(tag, at);
    b.writeUInt16LE(type, at + 2);
    b.writeUInt32LE(1, at + 4);
    if (type === 3) b.writeUInt16LE(value, at + 8);
    else b.writeUInt32LE(value, at + 8);
  });
  b.set(gray.subarray(0, width * height), data);
  return new Uint8Array(b);
}
