import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AuditLog, type ChainAnchor, type ChainReport, type AuditEvent, type VerifyReport } from '../audit/index.js';
import { silentLogger } from '../core/index.js';
import { loadConfig } from '../server/config.js';
import { openStore } from '../store/index.js';
import { requestJson, serverAddress } from './client.js';
import { parseDuration } from './iam-command.js';

const USAGE = `quarry audit — the audit trail (every management call; model calls too when audit.dataPlane is on)

  quarry audit events [--since 1h|ISO-TIME] [--until ISO-TIME] [--principal USER] [--action bedrock:CreateKnowledgeBase]
                      [--resource ARN-PREFIX] [--outcome success|error] [--category management|data]
                      [--account ID] [--max 50]
  quarry audit verify [--account ID] [--anchor ACCOUNT:SEQUENCE:HASH]...
  quarry audit verify --local [--data-dir DIR] [--config FILE]     check the store directly, without a server

Events are listed newest first. verify walks each account's hash chain and names the first broken link; it exits 0
when every chain is intact and 3 when one is broken. Note a head it prints (--json shows all) somewhere else and pass it
back as --anchor later: that also catches a chain rewritten whole. --json prints the server's answer as it is.`;

const options = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  'data-dir': { type: 'string' },
  config: { type: 'string' },
  local: { type: 'boolean' },
  since: { type: 'string' },
  until: { type: 'string' },
  principal: { type: 'string' },
  action: { type: 'string' },
  resource: { type: 'string' },
  outcome: { type: 'string' },
  category: { type: 'string' },
  account: { type: 'string' },
  max: { type: 'string' },
  anchor: { type: 'string', multiple: true },
  json: { type: 'boolean' },
} as const;

const BROKEN = 3;

export async function auditCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === 'help' || sub === '--help') {
    console.log(USAGE);
    return 0;
  }
  const { values: v } = parseArgs({ args: rest, options, allowPositionals: false });
  const print = (data: unknown, text: () => string[]) => console.log(v.json ? JSON.stringify(data, null, 2) : text().join('\n'));
  switch (sub) {
    case 'events':
      return events(v, print);
    case 'verify': {
      const anchors = (v.anchor ?? []).map(parseAnchor);
      const report = v.local ? await verifyLocal(v, anchors) : await requestJson<VerifyReport>(serverAddress(v), 'POST', '/quarry/audit/verify', { ...(v.account ? { accountId: v.account } : {}), ...(anchors.length ? { anchors } : {}) });
      print(report, () => verifyLines(report));
      return report.valid ? 0 : BROKEN;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

type Values = ReturnType<typeof parseArgs<{ options: typeof options }>>['values'];

/** `1h` (that long ago) or an ISO time. */
function timeArg(text: string): string {
  if (/^\d+[smhdw]$/.test(text.trim())) return new Date(Date.now() - parseDuration(text) * 1000).toISOString();
  const t = new Date(text);
  if (Number.isNaN(t.getTime())) throw new Error(`cannot read the time ${JSON.stringify(text)}: give a duration such as 1h or 7d, or an ISO time`);
  return t.toISOString();
}

async function events(v: Values, print: (data: unknown, text: () => string[]) => void): Promise<number> {
  const addr = serverAddress(v);
  const max = v.max === undefined ? 50 : Number(v.max);
  if (!Number.isInteger(max) || max < 1 || max > 100_000) throw new Error('--max takes a whole number from 1 to 100000');
  const query = new URLSearchParams();
  if (v.since) query.set('startTime', timeArg(v.since));
  if (v.until) query.set('endTime', timeArg(v.until));
  for (const [flag, param] of [
    ['principal', 'principal'],
    ['action', 'action'],
    ['resource', 'resource'],
    ['outcome', 'outcome'],
    ['category', 'category'],
    ['account', 'accountId'],
  ] as const) {
    const value = v[flag];
    if (value) query.set(param, value);
  }
  const all: AuditEvent[] = [];
  let token: string | undefined;
  do {
    query.set('maxResults', String(Math.min(1000, max - all.length)));
    if (token) query.set('nextToken', token);
    const page = await requestJson<{ events: AuditEvent[]; nextToken?: string }>(addr, 'GET', `/quarry/audit/events?${query}`);
    all.push(...page.events);
    token = page.nextToken;
  } while (token && all.length < max);
  print({ events: all, ...(token ? { nextToken: token } : {}) }, () => (all.length ? all.map(eventLine) : ['No events.']));
  return 0;
}

const eventLine = (e: AuditEvent) =>
  [
    e.eventTime,
    e.accountId,
    e.principal.name,
    e.action ?? e.eventName,
    e.outcome === 'success' ? 'ok' : `${e.errorCode ?? 'error'} (${e.httpStatus})`,
    e.resources.join(',') || '-',
    e.sourceIp ?? '-',
  ].join('  ');

function parseAnchor(text: string): ChainAnchor {
  const m = /^(\d{12}):(\d{1,15}):([0-9a-f]{64})$/.exec(text.trim());
  if (!m) throw new Error(`cannot read the anchor ${JSON.stringify(text)}: write ACCOUNT:SEQUENCE:HASH, e.g. 000000000000:42:<64 hex digits>`);
  return { accountId: m[1]!, sequence: Number(m[2]), hash: m[3]! };
}

function verifyLines(r: VerifyReport): string[] {
  if (!r.chains.length) return ['No audit events yet.'];
  const lines = r.chains.map(chainLine);
  lines.push(r.valid ? `All ${r.chains.length} chain(s) intact: ${r.eventsChecked} events checked.` : 'The audit trail has been tampered with.');
  return lines;
}

const chainLine = (c: ChainReport) =>
  c.valid
    ? `${c.accountId}  intact  ${c.events} events  head ${c.head ? `${c.accountId}:${c.head.sequence}:${c.head.hash}` : '-'}`
    : `${c.accountId}  BROKEN at event ${c.firstBreak!.sequence}${c.firstBreak!.eventId ? ` (${c.firstBreak!.eventId})` : ''}: ${c.firstBreak!.reason} — ${c.firstBreak!.message}`;

/** Reads the store the configuration names, as the server would, without starting one: a check that trusts no server. */
async function verifyLocal(v: Values, anchors: ChainAnchor[]): Promise<VerifyReport> {
  const config = loadConfig(v.config);
  const dataDir = resolve(v['data-dir'] ?? config.dataDir ?? '.quarry');
  // Opening a SQLite store that is not there would create an empty one, which then "verifies".
  if (!config.store.url && !existsSync(join(dataDir, 'quarry.db'))) throw new Error(`there is no store in ${dataDir}: pass --data-dir or --config`);
  const store = await openStore({ dataDir, url: config.store.url });
  try {
    const log = new AuditLog(store.db, silentLogger, { dialect: store.dialect });
    return await log.verify({ ...(v.account ? { accountId: v.account } : {}), anchors });
  } catch (e) {
    if (/no such table|does not exist/.test((e as Error).message)) throw new Error(`the store in ${dataDir} has no audit trail yet (start the server once)`);
    throw e;
  } finally {
    await store.close();
  }
}
