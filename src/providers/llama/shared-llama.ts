import { getLlama, type Llama, LlamaLogLevel } from 'node-llama-cpp';

/**
 * One Llama (native backend) per process and GPU mode, shared by every llama provider instance and counted so the last
 * `close()` disposes it. `build: 'never'` because a server must never start compiling llama.cpp or downloading a
 * binary on a request path; only the prebuilt packages are used.
 */
type Mode = 'auto' | false;

const shared = new Map<Mode, { llama: Promise<Llama>; users: number }>();

async function load(mode: Mode): Promise<Llama> {
  const base = { build: 'never', logLevel: LlamaLogLevel.error, progressLogs: false } as const;
  if (mode === 'auto') {
    try {
      return await getLlama({ ...base, gpu: 'auto' });
    } catch {
      // The GPU variants may be absent or stubbed (CI, containers without drivers): CPU still serves.
    }
  }
  return getLlama({ ...base, gpu: false });
}

export function acquireLlama(mode: Mode): Promise<Llama> {
  let entry = shared.get(mode);
  if (!entry) {
    entry = { llama: load(mode), users: 0 };
    shared.set(mode, entry);
    const failed = entry;
    // A failed load must not be cached forever: the next request retries.
    failed.llama.catch(() => {
      if (shared.get(mode) === failed) shared.delete(mode);
    });
  }
  entry.users++;
  return entry.llama;
}

export async function releaseLlama(mode: Mode): Promise<void> {
  const entry = shared.get(mode);
  if (!entry) return;
  if (--entry.users > 0) return;
  shared.delete(mode);
  const llama = await entry.llama.catch(() => undefined);
  await llama?.dispose();
}
