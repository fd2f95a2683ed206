import { Ollama } from 'ollama';
import { ollamaFetch } from './ollama-fetch.js';

/**
 * Does an Ollama answer at `baseUrl` within `timeoutMs`? Used at start-up for zero-configuration discovery, so it
 * never throws and never waits long: `/api/version` is the cheapest call Ollama has and is unique enough to tell it
 * from another server on the port.
 */
export async function probeOllama(baseUrl: string, timeoutMs: number): Promise<boolean> {
  try {
    const client = new Ollama({ host: baseUrl, fetch: ollamaFetch(AbortSignal.timeout(timeoutMs), baseUrl) });
    const { version } = await client.version();
    return typeof version === 'string' && version !== '';
  } catch {
    return false;
  }
}
