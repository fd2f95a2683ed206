import { parseArgs } from 'node:util';
import { requestJson, serverAddress } from './client.js';

const USAGE = `quarry budgets — spend limits per account, key, user, model or tag on a running server

  quarry budgets ls [--json]
  quarry budgets get <name> [--json]
  quarry budgets create <name> --amount USD [--period daily|monthly|quarterly]
                 [--scope account | key=KEY_ID | user=NAME | model=MODEL_ID | tag=KEY=VALUE]
                 [--threshold 80]... [--threshold forecast:100]... [--webhook https://…]
                 [--action none|deny|route:MODEL_ID]
  quarry budgets update <name> [the same options]
  quarry budgets alerts <name>
  quarry budgets rm <name>

Thresholds are percent of the amount, on actual spend unless written forecast:N. Without --threshold a budget alerts
at 80% and 100% actual and 100% forecast. Alerts go to the server log and, with --webhook, as a JSON POST; each
once per period. --action deny refuses invocations in the scope once the amount is used; route:M sends them to M.`;

const options = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  'data-dir': { type: 'string' },
  amount: { type: 'string' },
  period: { type: 'string' },
  scope: { type: 'string' },
  threshold: { type: 'string', multiple: true },
  webhook: { type: 'string' },
  action: { type: 'string' },
  json: { type: 'boolean' },
} as const;

interface Status {
  periodStart: string;
  periodEnd: string;
  actualUsd: number;
  reservedUsd: number;
  percentUsed: number;
  exceeded: boolean;
  alerted: string[];
  forecast?: { forecastUsd: number; lowUsd: number; highUsd: number };
}
interface Budget {
  name: string;
  arn: string;
  amountUsd: number;
  period: string;
  scope: Record<string, string>;
  thresholds: { percent: number; basis: string }[];
  webhookUrl: string | null;
  action: string;
  routeModelId: string | null;
  status?: Status;
}

const seg = encodeURIComponent;

export async function budgetCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === 'help' || sub === '--help') {
    console.log(USAGE);
    return 0;
  }
  const { values: v, positionals } = parseArgs({ args: rest, options, allowPositionals: true });
  const addr = serverAddress(v);
  const print = (data: unknown, text: () => string[]) => console.log(v.json ? JSON.stringify(data, null, 2) : text().join('\n'));
  const name = () => {
    const n = positionals[0];
    if (!n) throw new Error(`usage: quarry budgets ${sub} <name>`);
    return n;
  };
  switch (sub) {
    case 'ls':
    case 'list': {
      const r = await requestJson<{ budgets: Budget[] }>(addr, 'GET', '/quarry/budgets?status=true');
      print(r, () => listLines(r.budgets));
      return 0;
    }
    case 'get':
    case 'show': {
      const r = await requestJson<{ budget: Budget }>(addr, 'GET', `/quarry/budgets/${seg(name())}`);
      print(r, () => detailLines(r.budget));
      return 0;
    }
    case 'create': {
      if (!v.amount) throw new Error('usage: quarry budgets create <name> --amount USD [options]');
      const r = await requestJson<{ budget: Budget }>(addr, 'POST', '/quarry/budgets', { name: name(), ...budgetFields(v) });
      print(r, () => [`Created budget ${r.budget.name}`, r.budget.arn]);
      return 0;
    }
    case 'update': {
      const r = await requestJson<{ budget: Budget }>(addr, 'PATCH', `/quarry/budgets/${seg(name())}`, budgetFields(v));
      print(r, () => [`Updated budget ${r.budget.name}`]);
      return 0;
    }
    case 'alerts': {
      const r = await requestJson<{ alerts: { periodStart: string; threshold: string; firedAt: string; spendUsd: number; delivery: string }[] }>(addr, 'GET', `/quarry/budgets/${seg(name())}/alerts`);
      print(r, () => (r.alerts.length ? r.alerts.map((a) => `${a.firedAt}  ${a.threshold.padEnd(16)} $${a.spendUsd.toFixed(4)}  ${a.delivery}`) : ['No alerts yet.']));
      return 0;
    }
    case 'rm':
    case 'delete':
      await requestJson(addr, 'DELETE', `/quarry/budgets/${seg(name())}`);
      console.log(`Deleted budget ${name()}`);
      return 0;
    default:
      console.error(USAGE);
      return 2;
  }
}

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

/** The request body from the flags; only what was given, so update changes nothing else. */
export function budgetFields(v: Values): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (v.amount !== undefined) {
    const n = Number(v.amount.replace(/^\$/, ''));
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--amount ${v.amount}: write a positive number of US dollars`);
    out.amountUsd = n;
  }
  if (v.period) out.period = v.period.toUpperCase();
  if (v.scope) out.scope = parseScope(v.scope);
  if (v.threshold?.length) out.thresholds = v.threshold.map(parseThreshold);
  if (v.webhook !== undefined) out.webhookUrl = v.webhook === '' || v.webhook === 'none' ? null : v.webhook;
  if (v.action) {
    const [action, ...model] = v.action.split(':');
    out.action = action!.toUpperCase();
    out.routeModelId = model.length ? model.join(':') : null;
  }
  return out;
}

function parseScope(s: string): Record<string, string> {
  if (s === 'account') return { type: 'account' };
  const eq = s.indexOf('=');
  const kind = eq < 0 ? s : s.slice(0, eq);
  const value = eq < 0 ? '' : s.slice(eq + 1);
  if (!value) throw new Error(`--scope ${s}: write account, key=KEY_ID, user=NAME, model=MODEL_ID or tag=KEY=VALUE`);
  switch (kind) {
    case 'key':
      return { type: 'key', keyId: value };
    case 'user':
      return { type: 'user', userName: value };
    case 'model':
      return { type: 'model', modelId: value };
    case 'tag': {
      const teq = value.indexOf('=');
      if (teq <= 0) throw new Error(`--scope ${s}: a tag scope is tag=KEY=VALUE`);
      return { type: 'tag', key: value.slice(0, teq), value: value.slice(teq + 1) };
    }
    default:
      throw new Error(`--scope ${s}: write account, key=KEY_ID, user=NAME, model=MODEL_ID or tag=KEY=VALUE`);
  }
}

function parseThreshold(t: string): { percent: number; basis: string } {
  const m = /^(?:(actual|forecast(?:ed)?):)?(\d+(?:\.\d+)?)%?$/i.exec(t.trim());
  if (!m) throw new Error(`--threshold ${t}: write a percent, optionally after actual: or forecast: (e.g. 80, forecast:100)`);
  return { percent: Number(m[2]), basis: m[1]?.toLowerCase().startsWith('forecast') ? 'FORECASTED' : 'ACTUAL' };
}

function scopeText(s: Record<string, string>): string {
  if (s.type === 'account') return 'account';
  if (s.type === 'tag') return `tag ${s.key}=${s.value}`;
  return `${s.type} ${s.keyId ?? s.userName ?? s.modelId}`;
}

function actionText(b: Budget): string {
  return b.action === 'ROUTE' ? `route:${b.routeModelId}` : b.action.toLowerCase();
}

function listLines(budgets: Budget[]): string[] {
  if (!budgets.length) return ['No budgets. Create one with: quarry budgets create <name> --amount USD'];
  const rows = budgets.map((b) => [
    b.name,
    b.period.toLowerCase(),
    scopeText(b.scope),
    `$${b.amountUsd}`,
    b.status ? `$${b.status.actualUsd.toFixed(4)}` : '-',
    b.status ? `${b.status.percentUsed.toFixed(1)}%` : '-',
    actionText(b),
  ]);
  const head = ['NAME', 'PERIOD', 'SCOPE', 'AMOUNT', 'SPENT', 'USED', 'ACTION'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows].map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
}

function detailLines(b: Budget): string[] {
  const out = [
    `${b.name}  ${b.arn}`,
    `  amount     $${b.amountUsd} ${b.period.toLowerCase()}`,
    `  scope      ${scopeText(b.scope)}`,
    `  action     ${actionText(b)}`,
    `  thresholds ${b.thresholds.map((t) => `${t.percent}% ${t.basis.toLowerCase()}`).join(', ') || 'none'}`,
    `  webhook    ${b.webhookUrl ?? 'none (log only)'}`,
  ];
  const s = b.status;
  if (s) {
    out.push(`  period     ${s.periodStart} to ${s.periodEnd}`);
    out.push(`  spent      $${s.actualUsd.toFixed(4)} (${s.percentUsed.toFixed(1)}%)${s.reservedUsd ? `, $${s.reservedUsd.toFixed(4)} reserved in flight` : ''}${s.exceeded ? '  EXCEEDED' : ''}`);
    if (s.forecast) out.push(`  forecast   $${s.forecast.forecastUsd.toFixed(2)} (80% range $${s.forecast.lowUsd.toFixed(2)} to $${s.forecast.highUsd.toFixed(2)})`);
    if (s.alerted.length) out.push(`  alerted    ${s.alerted.join(', ')}`);
  }
  return out;
}
