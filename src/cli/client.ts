import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface ServerAddress {
  url: string;
  apiKey: string;
}

/** Where the CLI's client commands find the server and a key: flags, then environment, then the admin file. */
export function serverAddress(flags: { url?: string; 'api-key'?: string; 'data-dir'?: string }): ServerAddress {
  const url = (flags.url ?? process.env.QUARRY_URL ?? 'http://127.0.0.1:4100').replace(/\/$/, '');
  let apiKey = flags['api-key'] ?? process.env.QUARRY_API_KEY;
  if (!apiKey) {
    const file = join(resolve(flags['data-dir'] ?? '.quarry'), 'admin-credentials.json');
    try {
      apiKey = (JSON.parse(readFileSync(file, 'utf8')) as { apiKey?: string }).apiKey;
    } catch {
      // Fall through to the error below, which says what to do.
    }
  }
  if (!apiKey) throw new Error('No API key: pass --api-key, set QUARRY_API_KEY, or run from the folder holding .quarry/admin-credentials.json.');
  return { url, apiKey };
}

/** The server's error, with OpenAI's `error.code` (e.g. `context_length_exceeded`) for a caller that can act on it. */
export class ServerError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** Streams a chat completion, calling onText for each piece; returns the whole reply. */
export async function streamChat(
  addr: ServerAddress,
  model: string,
  messages: { role: string; content: string }[],
  onText: (t: string) => void,
  opts: { maxTokens?: number } = {},
): Promise<string> {
  const res = await fetch(`${addr.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${addr.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages, stream: true, ...(opts.maxTokens ? { max_tokens: opts.maxTokens } : {}) }),
  }).catch((e: Error) => {
    throw new Error(`cannot reach the server at ${addr.url} (${e.message}); start it with "npm start" or pass --url.`);
  });
  if (!res.ok || !res.body) {
    const body = (await res.json().catch(() => ({}))) as { error?: { message?: string; code?: string | null } };
    throw new ServerError(body.error?.message ?? `the server answered ${res.status}`, body.error?.code ?? undefined);
  }
  let reply = '';
  let buffer = '';
  const decoder = new TextDecoder();
  for await (const chunk of res.body) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    for (let nl = buffer.indexOf('\n\n'); nl >= 0; nl = buffer.indexOf('\n\n')) {
      const event = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 2);
      for (const line of event.split('\n')) {
        if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
        const data = JSON.parse(line.slice(6)) as { choices?: { delta?: { content?: string } }[]; error?: { message: string; code?: string | null } };
        if (data.error) throw new ServerError(data.error.message, data.error.code ?? undefined);
        const t = data.choices?.[0]?.delta?.content;
        if (t) {
          reply += t;
          onText(t);
        }
      }
    }
  }
  return reply;
}

/** One JSON call to the server; errors carry the server's message (Bedrock's `message`, OpenAI's `error.message`). */
export async function requestJson<T = unknown>(addr: ServerAddress, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${addr.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${addr.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }).catch((e: Error) => {
    throw new Error(`cannot reach the server at ${addr.url} (${e.message}); start it with "npm start" or pass --url.`);
  });
  const data = (await res.json().catch(() => ({}))) as { message?: string; Message?: string; error?: { message?: string } };
  if (!res.ok) throw new Error(data.message ?? data.Message ?? data.error?.message ?? `the server answered ${res.status}`);
  return data as T;
}
