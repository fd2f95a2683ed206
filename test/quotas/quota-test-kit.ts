import type { TestServer } from '../support/start-test-server.js';

export const MODEL = 'scripted.echo-v1:0';

let n = 0;
/** A fresh administrator with one key: its own rate-limit buckets, so tests sharing a server do not share counts. */
export async function newKey(server: TestServer, type: 'bearer' | 'sigv4' = 'bearer', isAdmin = true) {
  const account = server.iam.defaultAccountId;
  const name = `quota-user-${process.pid}-${++n}`;
  await server.iam.createUser(account, name, isAdmin);
  const key = await server.iam.keys.create(account, name, { type });
  return { name, keyId: key.keyId, apiKey: key.apiKey ?? '', accessKeyId: key.accessKeyId ?? '', secretAccessKey: key.secretAccessKey ?? '' };
}

export function chat(server: TestServer, apiKey: string, body: Record<string, unknown> = {}, init: RequestInit = {}): Promise<Response> {
  return fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'hello there' }], max_tokens: 20, ...body }),
    ...init,
  });
}

/** Sets an override through the admin API, as an operator would. */
export async function putQuota(server: TestServer, adminKey: string, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${server.url}/quarry/quotas`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** Polls until `ok` holds (a slot is released just after the response ends, on the server's side). */
export async function eventually(ok: () => Promise<boolean>, ms = 3000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await ok()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}
