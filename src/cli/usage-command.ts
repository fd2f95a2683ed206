import { parseArgs } from 'node:util';
import { requestJson, serverAddress } from './client.js';

const USAGE = `quarry usage — cost and tokens from a running server (the cost explorer)

  quarry usage [--group-by model,key] [--granularity day|hour|none] [--start 2026-11-01] [--end 2026-11-15T12:00:00Z]
               [--filter model=anthropic.claude-v2]... [--forecast] [--account 123456789012] [--json]

Dimensions: model, key, user, principal, account, api, outcome, region, deployment, provider, tag:<name>.
The period defaults to this month so far (UTC); --end is exclusive. --forecast adds the month's expected total.
--account is for administrators of the server's default account; everyone else sees their own account's usage.`;

const options = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  'data-dir': { type: 'string' },
  'group-by': { type: 'string', multiple: true },
  granularity: { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
  filter: { type: 'string', multiple: true },
  forecast: { type: 'boolean' },
  account: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

interface Amounts {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}
interface Report {
  start: string;
  end: string;
  groupBy: string[];
  groups: (Amounts & { period?: string; keys: Record<string, string | null> })[];
  total: Amounts;
  truncated: boolean;
  forecast?: { periodStart: string; periodEnd: string; actualUsd: number; forecastUsd: number; lowUsd: number; highUsd: number };
}

export async function usageCommand(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseArgs({ args: argv, options, allowPositionals: true });
  if (v.help || positionals[0] === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length) {
    console.error(USAGE);
    return 2;
  }
  const query: Record<string, unknown> = {};
  const groupBy = (v['group-by'] ?? []).flatMap((g) => g.split(',')).map((g) => g.trim()).filter(Boolean);
  if (groupBy.length) query.groupBy = groupBy;
  if (v.granularity) query.granularity = v.granularity;
  if (v.start) query.start = v.start;
  if (v.end) query.end = v.end;
  if (v.forecast) query.forecast = true;
  if (v.account) query.accountId = v.account;
  if (v.filter?.length) {
    const filter: Record<string, string[]> = {};
    for (const f of v.filter) {
      const eq = f.indexOf('=');
      if (eq <= 0) throw new Error(`--filter ${f}: write dimension=value, e.g. --filter model=anthropic.claude-v2 or --filter tag:team=search`);
      const dim = f.slice(0, eq);
      filter[dim] = [...(filter[dim] ?? []), f.slice(eq + 1)];
    }
    query.filter = filter;
  }
  const r = await requestJson<Report>(serverAddress(v), 'POST', '/quarry/usage', query);
  console.log(v.json ? JSON.stringify(r, null, 2) : renderReport(r).join('\n'));
  return 0;
}

const usd = (n: number) => `$${n.toFixed(n !== 0 && Math.abs(n) < 0.01 ? 6 : 2)}`;
const int = (n: number) => n.toLocaleString('en-US');

/** The report as an aligned text table, numbers right-aligned. */
export function renderReport(r: Report): string[] {
  const withPeriod = r.groups.some((g) => g.period !== undefined);
  const head = [...(withPeriod ? ['PERIOD'] : []), ...r.groupBy.map((d) => d.toUpperCase()), 'REQUESTS', 'INPUT', 'OUTPUT', 'COST'];
  const rows = r.groups.map((g) => [
    ...(withPeriod ? [g.period ?? ''] : []),
    ...r.groupBy.map((d) => g.keys[d] ?? '-'),
    int(g.requests),
    int(g.inputTokens),
    int(g.outputTokens),
    usd(g.costUsd),
  ]);
  const numeric = head.length - 4;
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= numeric ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [`Usage ${r.start} to ${r.end}`, ''];
  if (rows.length) out.push(line(head), ...rows.map(line), '');
  else out.push('No usage in this period.', '');
  out.push(`Total: ${int(r.total.requests)} requests, ${int(r.total.inputTokens)} input and ${int(r.total.outputTokens)} output tokens, ${usd(r.total.costUsd)}`);
  if (r.truncated) out.push('(more groups than one answer holds: narrow the period, the filter or the grouping)');
  if (r.forecast) {
    const f = r.forecast;
    out.push(`Forecast for ${f.periodStart.slice(0, 7)}: ${usd(f.forecastUsd)} (80% range ${usd(f.lowUsd)} to ${usd(f.highUsd)}; ${usd(f.actualUsd)} so far)`);
  }
  return out;
}
