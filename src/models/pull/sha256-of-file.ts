import { type Hash, createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Feeds a file into `hash` as a stream, so multi-gigabyte models never sit in memory. */
export async function hashFileInto(path: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await hashFileInto(path, hash);
  return hash.digest('hex');
}
