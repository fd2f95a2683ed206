import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { QuarryError } from '../../core/index.js';
import { insideRoot } from './inside-root.js';

/**
 * Reads a file of a folder source at sync time, checking again what the listing checked: the file may have been
 * swapped for a symlink out of the root, or grown past the cap, since it was listed. O_NOFOLLOW closes the window
 * between the realpath check and the open for the file itself.
 */
export async function readFileCapped(path: string, realRoot: string, maxBytes: number, signal?: AbortSignal): Promise<Uint8Array> {
  signal?.throwIfAborted();
  const real = await realpath(path);
  if (!insideRoot(realRoot, real)) throw new QuarryError('AccessDeniedException', `${path} now points outside the data source folder`);
  const fh = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new QuarryError('ValidationException', `${path} is no longer a regular file`);
    if (st.size > maxBytes) throw tooBig(path, st.size, maxBytes);
    // Read to EOF rather than trusting the size: a file still being written may be longer by now.
    let buf = Buffer.allocUnsafe(st.size + 1);
    let total = 0;
    for (;;) {
      signal?.throwIfAborted();
      if (total === buf.length) {
        const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, maxBytes + 1));
        buf.copy(bigger, 0, 0, total);
        buf = bigger;
      }
      const { bytesRead } = await fh.read(buf, total, buf.length - total, total);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw tooBig(path, total, maxBytes);
    }
    return new Uint8Array(buf.buffer, buf.byteOffset, total);
  } finally {
    await fh.close();
  }
}

function tooBig(path: string, size: number, max: number): QuarryError {
  return new QuarryError('RequestEntityTooLargeException', `${path} is ${size} bytes or more, over the ${max}-byte limit`);
}
