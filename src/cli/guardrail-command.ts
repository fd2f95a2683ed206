import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { requestJson, serverAddress, type ServerAddress } from './client.js';

const USAGE = `quarry guardrail — guardrails on a running server

  quarry guardrail ls [<guardrail>]                      all guardrails, or one guardrail's DRAFT and versions
  quarry guardrail create <file.json>                    CreateGuardrail request body (as @aws-sdk/client-bedrock sends it)
  quarry guardrail update <guardrail> <file.json>        UpdateGuardrail body: replaces the DRAFT's configuration
  quarry guardrail version <guardrail> [--description TEXT]   snapshot the DRAFT as the next numbered version
  quarry guardrail get <guardrail> [--version V]         the configuration as JSON (DRAFT by default)
  quarry guardrail rm <guardrail> [--version V]          the whole guardrail, or one numbered version
  quarry guardrail apply <guardrail> [--version V] [--source INPUT|OUTPUT] [--full] [--json] "text" | --file PATH

<guardrail> is an id, an ARN or a name. --version defaults to DRAFT.`;

const options = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  'data-dir': { type: 'string' },
  version: { type: 'string' },
  description: { type: 'string' },
  source: { type: 'string' },
  full: { type: 'boolean' },
  json: { type: 'boolean' },
  file: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

interface Summary {
  id: string;
  arn: string;
  name: string;
  version: string;
  status: string;
  updatedAt: string;
  description?: string;
}

export async function guardrailCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || sub === 'help') {
    console.log(USAGE);
    return 0;
  }
  const { values, positionals } = parseArgs({ args: rest, options, allowPositionals: true });
  const addr = serverAddress(values);
  switch (sub) {
    case 'ls':
      return list(addr, positionals[0]);
    case 'create':
      return create(addr, positionals);
    case 'update':
      return update(addr, positionals);
    case 'version':
      return version(addr, positionals, values);
    case 'get':
      return get(addr, positionals, values);
    case 'rm':
      return remove(addr, positionals, values);
    case 'apply':
      return apply(addr, positionals, values);
    default:
      console.log(USAGE);
      return 2;
  }
}

const path = (ref: string) => encodeURIComponent(ref);
const versionQuery = (v: Values) => (v.version ? `?guardrailVersion=${encodeURIComponent(v.version)}` : '');

function readJson(file: string | undefined, usage: string): unknown {
  if (!file) throw new Error(`usage: ${usage}`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/** An id or ARN goes to the server as it is; a name is looked up among the account's guardrails. */
async function guardrailId(addr: ServerAddress, ref: string | undefined): Promise<string> {
  if (!ref) throw new Error('name the guardrail (id, ARN or name)');
  if (/^[a-z0-9]{12}$/.test(ref) || ref.startsWith('arn:')) return ref;
  let nextToken: string | undefined;
  do {
    const page = await requestJson<{ guardrails: Summary[]; nextToken?: string }>(addr, 'GET', `/guardrails?maxResults=1000${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`);
    const hit = page.guardrails.find((g) => g.name === ref);
    if (hit) return hit.id;
    nextToken = page.nextToken;
  } while (nextToken);
  throw new Error(`no guardrail named ${ref}; see "quarry guardrail ls"`);
}

async function list(addr: ServerAddress, ref: string | undefined): Promise<number> {
  const query = ref ? `?guardrailIdentifier=${path(await guardrailId(addr, ref))}` : '';
  const { guardrails } = await requestJson<{ guardrails: Summary[] }>(addr, 'GET', `/guardrails${query}`);
  if (!guardrails.length) console.log('No guardrails yet. Create one with: quarry guardrail create <file.json>');
  for (const g of guardrails) console.log(`${g.id}  ${g.name}  ${g.version}  ${g.status}  ${g.updatedAt}${g.description ? `  ${g.description}` : ''}`);
  return 0;
}

async function create(addr: ServerAddress, [file]: string[]): Promise<number> {
  const body = readJson(file, 'quarry guardrail create <file.json>');
  const r = await requestJson<{ guardrailId: string; guardrailArn: string; version: string }>(addr, 'POST', '/guardrails', body);
  console.log(`${r.guardrailId}  ${r.guardrailArn}  ${r.version}`);
  return 0;
}

async function update(addr: ServerAddress, [ref, file]: string[]): Promise<number> {
  const body = readJson(file, 'quarry guardrail update <guardrail> <file.json>');
  const r = await requestJson<{ guardrailId: string; version: string; updatedAt: string }>(addr, 'PUT', `/guardrails/${path(await guardrailId(addr, ref))}`, body);
  console.log(`${r.guardrailId}  ${r.version} updated ${r.updatedAt}`);
  return 0;
}

async function version(addr: ServerAddress, [ref]: string[], v: Values): Promise<number> {
  const id = await guardrailId(addr, ref);
  const r = await requestJson<{ guardrailId: string; version: string }>(addr, 'POST', `/guardrails/${path(id)}`, v.description ? { description: v.description } : {});
  console.log(`${r.guardrailId}  version ${r.version}`);
  return 0;
}

async function get(addr: ServerAddress, [ref]: string[], v: Values): Promise<number> {
  const r = await requestJson(addr, 'GET', `/guardrails/${path(await guardrailId(addr, ref))}${versionQuery(v)}`);
  console.log(JSON.stringify(r, null, 2));
  return 0;
}

async function remove(addr: ServerAddress, [ref]: string[], v: Values): Promise<number> {
  const id = await guardrailId(addr, ref);
  await requestJson(addr, 'DELETE', `/guardrails/${path(id)}${versionQuery(v)}`);
  console.log(v.version ? `deleted ${id} version ${v.version}` : `deleted ${id}`);
  return 0;
}

interface ApplyResult {
  action: string;
  actionReason?: string;
  outputs: { text: string }[];
  assessments: Record<string, unknown>[];
  usage: Record<string, number>;
}

async function apply(addr: ServerAddress, [ref, ...words]: string[], v: Values): Promise<number> {
  const text = v.file ? readFileSync(v.file, 'utf8') : words.join(' ');
  if (!ref || (!text && !v.file)) throw new Error('usage: quarry guardrail apply <guardrail> "text" (or --file PATH)');
  const source = (v.source ?? 'INPUT').toUpperCase();
  if (source !== 'INPUT' && source !== 'OUTPUT') throw new Error('--source is INPUT or OUTPUT');
  const id = await guardrailId(addr, ref);
  const r = await requestJson<ApplyResult>(addr, 'POST', `/guardrail/${path(id)}/version/${encodeURIComponent(v.version ?? 'DRAFT')}/apply`, {
    source,
    content: [{ text: { text } }],
    ...(v.full ? { outputScope: 'FULL' } : {}),
  });
  if (v.json) {
    console.log(JSON.stringify(r, null, 2));
    return 0;
  }
  console.log(`${r.action}${r.actionReason ? `  (${r.actionReason})` : ''}`);
  for (const o of r.outputs) console.log(o.text);
  for (const a of r.assessments) {
    for (const [policy, detail] of Object.entries(a)) if (policy !== 'invocationMetrics') console.log(`  ${policy}: ${JSON.stringify(detail)}`);
  }
  return 0;
}
