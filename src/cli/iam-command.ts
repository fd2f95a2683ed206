import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { requestJson, type ServerAddress, serverAddress } from './client.js';

const USAGE = `quarry iam — users, API keys, roles, policies and the policy simulator on a running server

  quarry iam whoami
  quarry iam users ls | show <user> | create <user> [--admin] | rm <user>
  quarry iam keys ls [--user U]
  quarry iam keys create [--user U] [--sigv4] [--name N] [--description D] [--expires 30d]
  quarry iam keys disable|enable|expire|rm <keyId>
  quarry iam keys rotate <keyId> [--grace 1h] [--expires 30d|never]
  quarry iam policies ls | show <policy> | rm <policy>
  quarry iam policies create <policy> <file.json> [--description D]
  quarry iam policies update <policy> <file.json>
  quarry iam policies attach|detach <policy> (--user U | --role R)
  quarry iam roles ls | show <role> | create <role> [--description D] | rm <role>
  quarry iam roles add|remove <role> <user>
  quarry iam simulate [--user U | --role R] --action bedrock:InvokeModel --resource ARN [--context key=value]...
  quarry iam accounts ls | create <name> [--admin-user NAME]

Durations: 90s, 15m, 12h, 30d, 2w. --user defaults to you. --json prints the server's answer as it is.
simulate exits 0 when the request would be allowed and 3 when it would be denied.`;

const options = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  'data-dir': { type: 'string' },
  user: { type: 'string' },
  role: { type: 'string' },
  admin: { type: 'boolean' },
  sigv4: { type: 'boolean' },
  name: { type: 'string' },
  description: { type: 'string' },
  expires: { type: 'string' },
  grace: { type: 'string' },
  action: { type: 'string' },
  resource: { type: 'string' },
  context: { type: 'string', multiple: true },
  'admin-user': { type: 'string' },
  json: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

interface Ctx {
  addr: ServerAddress;
  v: Values;
  args: string[];
  call<T>(method: string, path: string, body?: unknown): Promise<T>;
  print(data: unknown, text: () => string[]): void;
}

// A policy is at most 64 KB of text on the server; a file far larger is a mistake, not something to upload.
const MAX_POLICY_FILE = 1024 * 1024;
const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** `30d` → seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d{1,9})([smhdw])$/.exec(text.trim());
  if (!m) throw new Error(`cannot read the duration ${JSON.stringify(text)}: write a number and a unit, e.g. 90s, 15m, 12h, 30d or 2w`);
  const seconds = Number(m[1]) * UNITS[m[2]!]!;
  if (seconds <= 0) throw new Error('a duration must be more than zero');
  return seconds;
}

const seg = encodeURIComponent;

export async function iamCommand(argv: string[]): Promise<number> {
  const [group, ...rest] = argv;
  if (!group || group === 'help' || group === '--help') {
    console.log(USAGE);
    return 0;
  }
  const { values: v, positionals } = parseArgs({ args: rest, options, allowPositionals: true });
  const addr = serverAddress(v);
  const ctx: Ctx = {
    addr,
    v,
    args: positionals,
    call: (method, path, body) => requestJson(addr, method, path, body),
    print: (data, text) => console.log(v.json ? JSON.stringify(data, null, 2) : text().join('\n')),
  };
  switch (group) {
    case 'whoami':
      return whoami(ctx);
    case 'users':
      return users(ctx);
    case 'keys':
      return keys(ctx);
    case 'policies':
      return policies(ctx);
    case 'roles':
      return roles(ctx);
    case 'simulate':
      return simulate(ctx);
    case 'accounts':
      return accounts(ctx);
    default:
      console.error(USAGE);
      return 2;
  }
}

function need(value: string | undefined, usage: string): string {
  if (!value) throw new Error(`usage: quarry iam ${usage}`);
  return value;
}

interface User {
  userName: string;
  accountId: string;
  isAdmin: boolean;
  createdAt: string;
  arn: string;
}

async function whoami(c: Ctx): Promise<number> {
  const r = await c.call<{ user: User; keyId: string; authMethod: string }>('GET', '/quarry/iam/whoami');
  c.print(r, () => [`${r.user.userName}  account ${r.user.accountId}${r.user.isAdmin ? '  administrator' : ''}  key ${r.keyId}`, r.user.arn]);
  return 0;
}

async function currentUser(c: Ctx): Promise<string> {
  return c.v.user ?? (await c.call<{ user: User }>('GET', '/quarry/iam/whoami')).user.userName;
}

async function users(c: Ctx): Promise<number> {
  const [sub, name] = c.args;
  switch (sub) {
    case 'ls': {
      const r = await c.call<{ users: User[] }>('GET', '/quarry/iam/users');
      c.print(r, () => r.users.map((u) => `${u.userName}${u.isAdmin ? '  (administrator)' : ''}  ${u.createdAt}`));
      return 0;
    }
    case 'show': {
      const r = await c.call<{ user: User; roles: string[]; policies: string[] }>('GET', `/quarry/iam/users/${seg(need(name, 'users show <user>'))}`);
      c.print(r, () => [r.user.arn, `roles: ${r.roles.join(', ') || '-'}`, `policies: ${r.policies.join(', ') || '-'}`]);
      return 0;
    }
    case 'create': {
      const r = await c.call<{ user: User }>('POST', '/quarry/iam/users', { userName: need(name, 'users create <user>'), ...(c.v.admin ? { isAdmin: true } : {}) });
      c.print(r, () => [`created ${r.user.arn}`]);
      return 0;
    }
    case 'rm':
      await c.call('DELETE', `/quarry/iam/users/${seg(need(name, 'users rm <user>'))}`);
      c.print({}, () => [`deleted user ${name} with its keys`]);
      return 0;
    default:
      throw new Error('usage: quarry iam users ls | show | create | rm');
  }
}

interface Key {
  keyId: string;
  userName: string;
  type: 'bearer' | 'sigv4';
  accessKeyId?: string;
  hint: string;
  name?: string;
  status: string;
  createdAt: string;
  lastUsedAt?: string;
  expiresAt?: string;
  replacedBy?: string;
  apiKey?: string;
  secretAccessKey?: string;
}

const keyLine = (k: Key) =>
  [k.keyId, k.type, k.accessKeyId ?? `${k.hint}…`, k.status, k.name ?? '-', k.expiresAt ? `expires ${k.expiresAt}` : 'no expiry', k.lastUsedAt ? `used ${k.lastUsedAt}` : 'never used']
    .concat(k.replacedBy ? [`replaced by ${k.replacedBy}`] : [])
    .join('  ');

function secretLines(k: Key): string[] {
  const lines = [keyLine(k)];
  if (k.apiKey) lines.push(`API key: ${k.apiKey}`);
  if (k.secretAccessKey) lines.push(`access key id: ${k.accessKeyId}`, `secret access key: ${k.secretAccessKey}`);
  lines.push('Store the secret now: it is shown this once and cannot be read back.');
  return lines;
}

function expiry(text: string | undefined, allowNever: boolean): { expiresInSeconds?: number; expiresAt?: null } {
  if (text === undefined) return {};
  if (allowNever && text === 'never') return { expiresAt: null };
  return { expiresInSeconds: parseDuration(text) };
}

async function keys(c: Ctx): Promise<number> {
  const [sub, keyId] = c.args;
  const keyPath = (usage: string) => `/quarry/iam/keys/${seg(need(keyId, usage))}`;
  switch (sub) {
    case 'ls': {
      const r = await c.call<{ keys: Key[] }>('GET', `/quarry/iam/users/${seg(await currentUser(c))}/keys`);
      c.print(r, () => (r.keys.length ? r.keys.map(keyLine) : ['No keys.']));
      return 0;
    }
    case 'create': {
      const body = {
        type: c.v.sigv4 ? 'sigv4' : 'bearer',
        ...(c.v.name ? { name: c.v.name } : {}),
        ...(c.v.description ? { description: c.v.description } : {}),
        ...expiry(c.v.expires, false),
      };
      const r = await c.call<{ key: Key }>('POST', `/quarry/iam/users/${seg(await currentUser(c))}/keys`, body);
      c.print(r, () => secretLines(r.key));
      return 0;
    }
    case 'disable':
    case 'enable': {
      const r = await c.call<{ key: Key }>('PATCH', keyPath(`keys ${sub} <keyId>`), { enabled: sub === 'enable' });
      c.print(r, () => [keyLine(r.key)]);
      return 0;
    }
    case 'expire': {
      const r = await c.call<{ key: Key }>('PATCH', keyPath('keys expire <keyId>'), { expiresAt: new Date().toISOString() });
      c.print(r, () => [keyLine(r.key)]);
      return 0;
    }
    case 'rotate': {
      const body = { ...(c.v.grace ? { graceSeconds: parseDuration(c.v.grace) } : {}), ...expiry(c.v.expires, true) };
      const r = await c.call<{ previous: Key; key: Key }>('POST', `${keyPath('keys rotate <keyId>')}/rotate`, body);
      c.print(r, () => [`old: ${keyLine(r.previous)}`, ...secretLines(r.key)]);
      return 0;
    }
    case 'rm':
      await c.call('DELETE', keyPath('keys rm <keyId>'));
      c.print({}, () => [`deleted key ${keyId}`]);
      return 0;
    default:
      throw new Error('usage: quarry iam keys ls | create | disable | enable | expire | rotate | rm');
  }
}

function readPolicyFile(file: string): string {
  const size = statSync(file).size;
  if (size > MAX_POLICY_FILE) throw new Error(`${file} is ${size} bytes; a policy is at most 64 KB of JSON`);
  return readFileSync(file, 'utf8');
}

function target(c: Ctx, verb: string): { path: string; what: string } {
  if (Boolean(c.v.user) === Boolean(c.v.role)) throw new Error(`usage: quarry iam policies ${verb} <policy> (--user U | --role R)`);
  return c.v.user ? { path: `users/${seg(c.v.user)}`, what: `user ${c.v.user}` } : { path: `roles/${seg(c.v.role!)}`, what: `role ${c.v.role}` };
}

interface Policy {
  policyName: string;
  description?: string;
  updatedAt: string;
  arn: string;
}

async function policies(c: Ctx): Promise<number> {
  const [sub, name, file] = c.args;
  switch (sub) {
    case 'ls': {
      const r = await c.call<{ policies: Policy[] }>('GET', '/quarry/iam/policies');
      c.print(r, () => (r.policies.length ? r.policies.map((p) => `${p.policyName}  ${p.updatedAt}${p.description ? `  ${p.description}` : ''}`) : ['No policies.']));
      return 0;
    }
    case 'show': {
      const r = await c.call<{ policy: Policy; policyDocument: unknown; users: string[]; roles: string[] }>('GET', `/quarry/iam/policies/${seg(need(name, 'policies show <policy>'))}`);
      c.print(r, () => [r.policy.arn, `users: ${r.users.join(', ') || '-'}`, `roles: ${r.roles.join(', ') || '-'}`, JSON.stringify(r.policyDocument, null, 2)]);
      return 0;
    }
    case 'create': {
      const body = {
        policyName: need(name, 'policies create <policy> <file.json>'),
        policyDocument: readPolicyFile(need(file, 'policies create <policy> <file.json>')),
        ...(c.v.description ? { description: c.v.description } : {}),
      };
      const r = await c.call<{ policy: Policy }>('POST', '/quarry/iam/policies', body);
      c.print(r, () => [`created ${r.policy.arn}`]);
      return 0;
    }
    case 'update': {
      const path = `/quarry/iam/policies/${seg(need(name, 'policies update <policy> <file.json>'))}`;
      const body = { policyDocument: readPolicyFile(need(file, 'policies update <policy> <file.json>')), ...(c.v.description ? { description: c.v.description } : {}) };
      const r = await c.call<{ policy: Policy }>('PUT', path, body);
      c.print(r, () => [`updated ${r.policy.arn}`]);
      return 0;
    }
    case 'rm':
      await c.call('DELETE', `/quarry/iam/policies/${seg(need(name, 'policies rm <policy>'))}`);
      c.print({}, () => [`deleted policy ${name}`]);
      return 0;
    case 'attach':
    case 'detach': {
      const t = target(c, sub);
      await c.call(sub === 'attach' ? 'PUT' : 'DELETE', `/quarry/iam/${t.path}/policies/${seg(need(name, `policies ${sub} <policy> (--user U | --role R)`))}`);
      c.print({}, () => [`${sub === 'attach' ? 'attached' : 'detached'} ${name} ${sub === 'attach' ? 'to' : 'from'} ${t.what}`]);
      return 0;
    }
    default:
      throw new Error('usage: quarry iam policies ls | show | create | update | rm | attach | detach');
  }
}

interface Role {
  roleName: string;
  description?: string;
  arn: string;
}

async function roles(c: Ctx): Promise<number> {
  const [sub, name, user] = c.args;
  switch (sub) {
    case 'ls': {
      const r = await c.call<{ roles: Role[] }>('GET', '/quarry/iam/roles');
      c.print(r, () => (r.roles.length ? r.roles.map((x) => `${x.roleName}${x.description ? `  ${x.description}` : ''}`) : ['No roles.']));
      return 0;
    }
    case 'show': {
      const r = await c.call<{ role: Role; members: string[]; policies: string[] }>('GET', `/quarry/iam/roles/${seg(need(name, 'roles show <role>'))}`);
      c.print(r, () => [r.role.arn, `members: ${r.members.join(', ') || '-'}`, `policies: ${r.policies.join(', ') || '-'}`]);
      return 0;
    }
    case 'create': {
      const r = await c.call<{ role: Role }>('POST', '/quarry/iam/roles', { roleName: need(name, 'roles create <role>'), ...(c.v.description ? { description: c.v.description } : {}) });
      c.print(r, () => [`created role ${r.role.roleName}`]);
      return 0;
    }
    case 'rm':
      await c.call('DELETE', `/quarry/iam/roles/${seg(need(name, 'roles rm <role>'))}`);
      c.print({}, () => [`deleted role ${name}`]);
      return 0;
    case 'add':
    case 'remove': {
      const path = `/quarry/iam/roles/${seg(need(name, `roles ${sub} <role> <user>`))}/members/${seg(need(user, `roles ${sub} <role> <user>`))}`;
      await c.call(sub === 'add' ? 'PUT' : 'DELETE', path);
      c.print({}, () => [`${sub === 'add' ? 'added' : 'removed'} ${user} ${sub === 'add' ? 'to' : 'from'} role ${name}`]);
      return 0;
    }
    default:
      throw new Error('usage: quarry iam roles ls | show | create | rm | add | remove');
  }
}

interface Simulation {
  action: string;
  resource: string;
  isAdmin: boolean;
  decision: { allowed: boolean; reason: string; statement?: { policyId: string; sid?: string; index: number } };
  statements: { policyId: string; sid?: string; index: number; effect: string; applies: boolean; reasons: string[] }[];
  warnings: string[];
}

/** `key=value` pairs; a key given several times becomes a list (for multivalued keys such as aws:TagKeys). */
function contextOf(pairs: readonly string[] | undefined): Record<string, string | string[]> | undefined {
  if (!pairs?.length) return undefined;
  const out: Record<string, string | string[]> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new Error(`--context ${p}: write key=value, e.g. --context aws:SourceIp=10.0.0.1`);
    const [k, val] = [p.slice(0, eq), p.slice(eq + 1)];
    const prev = out[k];
    out[k] = prev === undefined ? val : [...(Array.isArray(prev) ? prev : [prev]), val];
  }
  return out;
}

async function simulate(c: Ctx): Promise<number> {
  const body = {
    ...(c.v.user ? { userName: c.v.user } : {}),
    ...(c.v.role ? { roleName: c.v.role } : {}),
    action: need(c.v.action, 'simulate --action A --resource R'),
    resource: need(c.v.resource, 'simulate --action A --resource R'),
    ...(c.v.context ? { context: contextOf(c.v.context) } : {}),
  };
  const r = await c.call<Simulation>('POST', '/quarry/iam/simulate', body);
  c.print(r, () => {
    const d = r.decision;
    const by = d.statement ? ` by policy ${d.statement.policyId}, statement ${d.statement.sid ?? d.statement.index}` : '';
    const lines = [`${d.allowed ? 'ALLOWED' : 'DENIED'} (${d.reason}${by}): ${r.action} on ${r.resource}`];
    for (const s of r.statements) {
      lines.push(`  ${s.applies ? '✔' : '·'} ${s.policyId} ${s.sid ?? `#${s.index}`} ${s.effect}${s.reasons.length ? `: ${s.reasons.join('; ')}` : ''}`);
    }
    for (const w of r.warnings) lines.push(`  note: ${w}`);
    return lines;
  });
  return r.decision.allowed || r.isAdmin ? 0 : 3;
}

async function accounts(c: Ctx): Promise<number> {
  const [sub, name] = c.args;
  switch (sub) {
    case 'ls': {
      const r = await c.call<{ accounts: { accountId: string; name: string; createdAt: string }[] }>('GET', '/quarry/iam/accounts');
      c.print(r, () => r.accounts.map((a) => `${a.accountId}  ${a.name}  ${a.createdAt}`));
      return 0;
    }
    case 'create': {
      const body = { name: need(name, 'accounts create <name>'), ...(c.v['admin-user'] ? { adminUserName: c.v['admin-user'] } : {}) };
      const r = await c.call<{ account: { accountId: string; name: string }; key?: Key }>('POST', '/quarry/iam/accounts', body);
      c.print(r, () => [`created account ${r.account.accountId} (${r.account.name})`, ...(r.key ? [`administrator ${r.key.userName}:`, ...secretLines(r.key)] : [])]);
      return 0;
    }
    default:
      throw new Error('usage: quarry iam accounts ls | create');
  }
}
