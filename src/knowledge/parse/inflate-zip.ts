import { inflateRawSync } from 'node:zlib';

export class ZipError extends Error {
  override readonly name = 'ZipError';
}

/**
 * Inflates every entry of a ZIP archive (an Office file) under a bound on the total inflated size, and returns the
 * entries `keep` asks for. The declared sizes in a ZIP are the archive's own claims; a bomb lies in them, so the bound
 * is enforced on the real output (zlib's `maxOutputLength`). Run before handing the bytes to a library that would
 * inflate them without a limit.
 */
export function inflateZip(bytes: Uint8Array, maxTotalBytes: number, keep: (name: string) => boolean): Map<string, Buffer> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEndOfCentralDirectory(buf);
  const entries = buf.readUInt16LE(end + 10);
  const directoryOffset = buf.readUInt32LE(end + 16);
  if (entries === 0xffff || directoryOffset === 0xffffffff) throw new ZipError('ZIP64 archives are not supported');
  const kept = new Map<string, Buffer>();
  let total = 0;
  let at = directoryOffset;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) throw new ZipError('damaged central directory');
    const flags = buf.readUInt16LE(at + 8);
    const method = buf.readUInt16LE(at + 10);
    const compressedSize = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    const local = buf.readUInt32LE(at + 42);
    at = next;
    if (flags & 1) throw new ZipError('encrypted entries');
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50) throw new ZipError(`damaged entry ${name}`);
    const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const compressed = buf.subarray(dataStart, dataStart + compressedSize);
    if (compressed.length !== compressedSize) throw new ZipError(`truncated entry ${name}`);
    const remaining = maxTotalBytes - total;
    let data: Buffer;
    if (method === 0) data = compressed;
    else if (method === 8) {
      try {
        data = inflateRawSync(compressed, { maxOutputLength: Math.max(1, remaining) });
      } catch (e) {
        if (e instanceof RangeError) throw new ZipError(`inflates to over ${maxTotalBytes} bytes`);
        throw new ZipError(`damaged entry ${name}: ${(e as Error).message}`);
      }
    } else throw new ZipError(`entry ${name} uses unsupported compression method ${method}`);
    total += data.length;
    if (total > maxTotalBytes) throw new ZipError(`inflates to over ${maxTotalBytes} bytes`);
    if (keep(name)) kept.set(name, data);
  }
  return kept;
}

function findEndOfCentralDirectory(buf: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535.
  for (let at = buf.length - 22; at >= Math.max(0, buf.length - 22 - 0xffff); at--) {
    if (buf.readUInt32LE(at) === 0x06054b50) return at;
  }
  throw new ZipError('not a ZIP archive');
}
