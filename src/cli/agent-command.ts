import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { requestJson, serverAddress, type ServerAddress } from './client.js';

const USAGE = `quarry agents — agents on a running server (Bedrock Agents' control plane)

  quarry agents ls
  quarry agents create <name> --model ID --instruction TEXT [--description TEXT] [--idle-ttl SECONDS]
                              [--collaboration SUPERVISOR|SUPERVISOR_ROUTER] [--max-iterations N] [--memory]
  quarry agents get <agent>                  the draft, its action groups, knowledge bases, versions and aliases
  quarry agents add-action-group <agent> <name> (--functions FILE.json | --openapi FILE.yaml|json)
                              (--return-control | --function NAME|ARN) [--description TEXT]
  quarry agents add-action-group <agent> <name> --user-input      (the built-in "ask the user" action)
  quarry agents add-kb <agent> <kb-id> --description "when to use it"
  quarry agents prepare <agent>
  quarry agents alias <agent> <alias> [--version N]    create the alias, or re-point it (a release);
                              without --version the prepared draft becomes a new version
  quarry agents rm <agent> [--force]

<agent> is an id or a name. --functions takes Bedrock's functionSchema ({"functions":[…]}) or just the list;
--function names a function registered in the server's configuration (agents.functions).`;

const options = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  'data-dir': { type: 'string' },
  model: { type: 'string' },
  instruction: { type: 'string' },
  description: { type: 'string' },
  'idle-ttl': { type: 'string' },
  collaboration: { type: 'string' },
  'max-iterations': { type: 'string' },
  memory: { type: 'boolean' },
  functions: { type: 'string' },
  openapi: { type: 'string' },
  'return-control': { type: 'boolean' },
  function: { type: 'string' },
  'user-input': { type: 'boolean' },
  version: { type: 'string' },
  force: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

export async function agentCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, options, allowPositionals: true });
  const run = SUBCOMMANDS[sub ?? ''];
  if (!run) {
    console.log(USAGE);
    return sub && sub !== 'help' ? 2 : 0;
  }
  return run(serverAddress(values), positionals, values);
}

const SUBCOMMANDS: Record<string, (addr: ServerAddress, p: string[], v: Values) => Promise<number>> = {
  ls: list,
  create,
  get,
  'add-action-group': addActionGroup,
  'add-kb': addKnowledgeBase,
  prepare,
  alias,
  rm: remove,
};

interface AgentSummary {
  agentId: string;
  agentName: string;
  agentStatus: string;
  latestAgentVersion?: string;
  updatedAt: string;
}

async function list(addr: ServerAddress): Promise<number> {
  const r = await requestJson<{ agentSummaries: AgentSummary[] }>(addr, 'POST', '/agents/', { maxResults: 1000 });
  if (!r.agentSummaries.length) console.log('No agents yet. Create one with: quarry agents create <name> --model ID --instruction TEXT');
  for (const a of r.agentSummaries) console.log(`${a.agentId}  ${a.agentName}  ${a.agentStatus}  latest ${a.latestAgentVersion ?? 'DRAFT'}  ${a.updatedAt}`);
  return 0;
}

async function agentId(addr: ServerAddress, ref: string | undefined): Promise<string> {
  if (!ref) throw new Error('name the agent (id or name)');
  const r = await requestJson<{ agentSummaries: AgentSummary[] }>(addr, 'POST', '/agents/', { maxResults: 1000 });
  const hit = r.agentSummaries.find((a) => a.agentId === ref) ?? r.agentSummaries.find((a) => a.agentName === ref);
  if (!hit) throw new Error(`no agent named ${ref}; see "quarry agents ls"`);
  return hit.agentId;
}

const int = (flag: string, v: string | undefined) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`--${flag} takes a whole number, got ${v}`);
  return n;
};

async function create(addr: ServerAddress, [name]: string[], v: Values): Promise<number> {
  if (!name || !v.model || !v.instruction) throw new Error('usage: quarry agents create <name> --model ID --instruction TEXT');
  const body = {
    agentName: name,
    foundationModel: v.model,
    instruction: v.instruction,
    ...(v.description ? { description: v.description } : {}),
    ...(v['idle-ttl'] ? { idleSessionTTLInSeconds: int('idle-ttl', v['idle-ttl']) } : {}),
    ...(v.collaboration ? { agentCollaboration: v.collaboration } : {}),
    ...(v['max-iterations'] ? { maxIterations: int('max-iterations', v['max-iterations']) } : {}),
    ...(v.memory ? { memoryConfiguration: { enabledMemoryTypes: ['SESSION_SUMMARY'] } } : {}),
  };
  const r = await requestJson<{ agent: { agentId: string; agentStatus: string } }>(addr, 'PUT', '/agents/', body);
  console.log(`${r.agent.agentId}  ${name}  ${r.agent.agentStatus}`);
  return 0;
}

async function get(addr: ServerAddress, [ref]: string[]): Promise<number> {
  const id = await agentId(addr, ref);
  const { agent } = await requestJson<{ agent: Record<string, unknown> }>(addr, 'GET', `/agents/${id}/`);
  const draft = `/agents/${id}/agentversions/DRAFT`;
  const [groups, kbs, versions, aliases] = await Promise.all([
    requestJson<{ actionGroupSummaries: { actionGroupId: string; actionGroupName: string; actionGroupState: string }[] }>(addr, 'POST', `${draft}/actiongroups/`, {}),
    requestJson<{ agentKnowledgeBaseSummaries: { knowledgeBaseId: string; description: string; knowledgeBaseState: string }[] }>(addr, 'POST', `${draft}/knowledgebases/`, {}),
    requestJson<{ agentVersionSummaries: { agentVersion: string; agentStatus: string; createdAt: string }[] }>(addr, 'POST', `/agents/${id}/agentversions/`, {}),
    requestJson<{ agentAliasSummaries: { agentAliasId: string; agentAliasName: string; routingConfiguration: { agentVersion: string }[] }[] }>(addr, 'POST', `/agents/${id}/agentaliases/`, {}),
  ]);
  console.log(`${agent.agentId}  ${agent.agentName}  ${agent.agentStatus}`);
  console.log(`  model        ${agent.foundationModel ?? '(none)'}`);
  console.log(`  instruction  ${String(agent.instruction ?? '(none)').replace(/\s+/g, ' ').slice(0, 200)}`);
  for (const r of (agent.failureReasons as string[] | undefined) ?? []) console.log(`  problem      ${r}`);
  console.log('action groups:');
  for (const g of groups.actionGroupSummaries) console.log(`  ${g.actionGroupId}  ${g.actionGroupName}  ${g.actionGroupState}`);
  console.log('knowledge bases:');
  for (const k of kbs.agentKnowledgeBaseSummaries) console.log(`  ${k.knowledgeBaseId}  ${k.knowledgeBaseState}  ${k.description}`);
  console.log('versions:');
  for (const x of versions.agentVersionSummaries) console.log(`  ${x.agentVersion}  ${x.agentStatus}`);
  console.log('aliases:');
  for (const a of aliases.agentAliasSummaries) console.log(`  ${a.agentAliasId}  ${a.agentAliasName}  → ${a.routingConfiguration.map((r) => r.agentVersion).join(', ')}`);
  return 0;
}

function readJsonOrYamlFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${path}: ${(e as Error).message}`);
  }
}

async function addActionGroup(addr: ServerAddress, [ref, name]: string[], v: Values): Promise<number> {
  if (!ref || !name) throw new Error('usage: quarry agents add-action-group <agent> <name> (--functions FILE | --openapi FILE) (--return-control | --function NAME)');
  const id = await agentId(addr, ref);
  let body: Record<string, unknown>;
  if (v['user-input']) {
    body = { actionGroupName: name, parentActionGroupSignature: 'AMAZON.UserInput' };
  } else {
    if (!v.functions === !v.openapi) throw new Error('give exactly one of --functions FILE.json and --openapi FILE');
    if (!v['return-control'] === !v.function) throw new Error('give exactly one of --return-control and --function NAME');
    let schema: Record<string, unknown>;
    if (v.functions) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(readJsonOrYamlFile(v.functions));
      } catch (e) {
        throw new Error(`${v.functions} is not JSON: ${(e as Error).message}`);
      }
      schema = { functionSchema: Array.isArray(parsed) ? { functions: parsed } : parsed };
    } else schema = { apiSchema: { payload: readJsonOrYamlFile(v.openapi!) } };
    body = {
      actionGroupName: name,
      ...(v.description ? { description: v.description } : {}),
      actionGroupExecutor: v['return-control'] ? { customControl: 'RETURN_CONTROL' } : { lambda: v.function },
      ...schema,
    };
  }
  const r = await requestJson<{ agentActionGroup: { actionGroupId: string } }>(addr, 'PUT', `/agents/${id}/agentversions/DRAFT/actiongroups/`, body);
  console.log(`${r.agentActionGroup.actionGroupId}  ${name}`);
  return 0;
}

async function addKnowledgeBase(addr: ServerAddress, [ref, kb]: string[], v: Values): Promise<number> {
  if (!ref || !kb || !v.description) throw new Error('usage: quarry agents add-kb <agent> <kb-id> --description "when to use it"');
  const id = await agentId(addr, ref);
  await requestJson(addr, 'PUT', `/agents/${id}/agentversions/DRAFT/knowledgebases/`, { knowledgeBaseId: kb, description: v.description });
  console.log(`${kb} associated with ${id}`);
  return 0;
}

async function prepare(addr: ServerAddress, [ref]: string[]): Promise<number> {
  const id = await agentId(addr, ref);
  const r = await requestJson<{ agentStatus: string; preparedAt: string }>(addr, 'POST', `/agents/${id}/`);
  console.log(`${id}  ${r.agentStatus}  ${r.preparedAt}`);
  return 0;
}

async function alias(addr: ServerAddress, [ref, name]: string[], v: Values): Promise<number> {
  if (!ref || !name) throw new Error('usage: quarry agents alias <agent> <alias> [--version N]');
  const id = await agentId(addr, ref);
  const routing = v.version ? { routingConfiguration: [{ agentVersion: v.version }] } : {};
  const { agentAliasSummaries } = await requestJson<{ agentAliasSummaries: { agentAliasId: string; agentAliasName: string }[] }>(addr, 'POST', `/agents/${id}/agentaliases/`, {
    maxResults: 1000,
  });
  const existing = agentAliasSummaries.find((a) => a.agentAliasName === name || a.agentAliasId === name);
  type Alias = { agentAlias: { agentAliasId: string; agentAliasName: string; routingConfiguration: { agentVersion: string }[] } };
  let r: Alias;
  if (existing) {
    // Versions are only cut when an alias is created; re-pointing an existing alias names the version it releases.
    if (!v.version) throw new Error(`alias ${name} exists; pass --version N to release version N through it`);
    r = await requestJson<Alias>(addr, 'PUT', `/agents/${id}/agentaliases/${existing.agentAliasId}/`, { agentAliasName: existing.agentAliasName, ...routing });
  } else {
    r = await requestJson<Alias>(addr, 'PUT', `/agents/${id}/agentaliases/`, { agentAliasName: name, ...routing });
  }
  console.log(`${r.agentAlias.agentAliasId}  ${r.agentAlias.agentAliasName}  → version ${r.agentAlias.routingConfiguration.map((x) => x.agentVersion).join(', ')}`);
  return 0;
}

async function remove(addr: ServerAddress, [ref]: string[], v: Values): Promise<number> {
  const id = await agentId(addr, ref);
  await requestJson(addr, 'DELETE', `/agents/${id}/${v.force ? '?skipResourceInUseCheck=true' : ''}`);
  console.log(`deleted ${id}`);
  return 0;
}
