import { Ollama } from 'ollama';
import { QuarryError } from '../../core/index.js';
import { mapOllamaError } from './map-ollama-error.js';
import { ollamaFetch } from './ollama-fetch.js';

export interface OllamaPullProgress {
  /** `pulling manifest`, `pulling <digest>`, `verifying sha256 digest`, `writing manifest`, `success`. */
  status: string;
  digest?: string;
  /** Bytes of the layer named by `digest`, when a layer is downloading. */
  total?: number;
  completed?: number;
}

/**
 * Pulls `name` into the Ollama at `baseUrl`, reporting each progress event. Resolves once Ollama reports success.
 * No deadline: a pull of tens of gigabytes takes as long as it takes; pass `signal` to stop it.
 */
export async function pullOllamaModel(
  baseUrl: string,
  name: string,
  onProgress: (p: OllamaPullProgress) => void,
  opts: { signal?: AbortSignal; insecure?: boolean } = {},
): Promise<void> {
  const signal = opts.signal ?? new AbortController().signal;
  const client = new Ollama({ host: baseUrl, fetch: ollamaFetch(signal, baseUrl) });
  let phase: 'request' | 'body' = 'request';
  try {
    const events = await client.pull({ model: name, stream: true, insecure: opts.insecure });
    phase = 'body';
    for await (const e of events) {
      onProgress({ status: e.status, digest: e.digest || undefined, total: e.total || undefined, completed: e.completed || undefined });
    }
  } catch (e) {
    if (signal.aborted) throw new QuarryError('ModelTimeoutException', `The pull of ${name} was cancelled.`, { cause: e });
    const mapped = mapOllamaError(e, baseUrl, phase);
    // The registry's answer for an unknown model arrives as an error line: "pull model manifest: file does not exist".
    if (/file does not exist|not found|manifest unknown/i.test(mapped.message)) {
      throw new QuarryError('ResourceNotFoundException', `Ollama cannot find the model ${name} in its registry: ${mapped.message}`, { cause: e });
    }
    throw mapped;
  }
}
