import { parseArgs } from 'node:util';
import { requestJson, serverAddress } from './client.js';

const USAGE = `quarry provisioned — provisioned throughput (model units) on a running server

  quarry provisioned ls
  quarry provisioned buy NAME --model MODEL --units N [--commitment OneMonth|SixMonths]
  quarry provisioned show NAME|ID
  quarry provisioned rename NAME|ID NEW_NAME
  quarry provisioned usage NAME|ID [--hours N]    utilisation, cost, and what on-demand would have cost
  quarry provisioned rm NAME|ID

Units bill every hour they exist, used or not, at the pricing catalog's rate for the term (set it with
"quarry pricing set MODEL --pt-no-commit USD"); invoke them with the ARN "buy" prints as the model id.
--json prints the server's answer as it is.`;

const options = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  'data-dir': { type: 'string' },
  model: { type: 'string' },
  units: { type: 'string' },
  commitment: { type: 'string' },
  hours: { type: 'string' },
  json: { type: 'boolean' },
} as const;

interface Throughput {
  provisionedModelName: string;
  provisionedModelArn: string;
  foundationModelArn: string;
  modelUnits: number;
  status: string;
  commitmentDuration?: string;
  commitmentExpirationTime?: string;
  creationTime: string;
}

interface Utilisation {
  modelId: string;
  modelUnits: number;
  capacity: { concurrentRequests: number; tokensPerMinute?: number };
  totals: { requests: number; throttled: number; inputTokens: number; outputTokens: number; concurrencyUtilisation: number; tokenUtilisation?: number; provisionedUsd: number; onDemandUsd?: number };
  breakEven?: { cheapest: string };
}

const line = (t: Throughput) =>
  `${t.provisionedModelName}  ${t.provisionedModelArn}  ${t.foundationModelArn.split('/').pop()}  ${t.modelUnits} unit${t.modelUnits === 1 ? '' : 's'}  ${t.status}${t.commitmentDuration ? `  ${t.commitmentDuration} until ${t.commitmentExpirationTime}` : ''}`;
const pct = (n: number | undefined) => (n === undefined ? 'n/a' : `${(n * 100).toFixed(1)}%`);

export async function provisionedCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === 'help' || sub === '--help') {
    console.log(USAGE);
    return 0;
  }
  const { values: v, positionals: p } = parseArgs({ args: rest, options, allowPositionals: true });
  const addr = serverAddress(v);
  const print = (data: unknown, text: () => string[]) => console.log(v.json ? JSON.stringify(data, null, 2) : text().join('\n'));
  const one = (what: string) => {
    if (p.length !== 1) throw new Error(`quarry provisioned ${sub} takes ${what}; see quarry provisioned help`);
    return encodeURIComponent(p[0]!);
  };
  switch (sub) {
    case 'ls': {
      const r = await requestJson<{ provisionedModelSummaries: Throughput[] }>(addr, 'GET', '/provisioned-model-throughputs');
      print(r, () => (r.provisionedModelSummaries.length ? r.provisionedModelSummaries.map(line) : ['No provisioned throughput.']));
      return 0;
    }
    case 'buy': {
      if (p.length !== 1) throw new Error('quarry provisioned buy takes a NAME; see quarry provisioned help');
      if (!v.model) throw new Error('--model is required');
      const units = Number(v.units);
      if (!v.units || !Number.isInteger(units) || units < 1) throw new Error(`--units takes a whole number of 1 or more; got ${JSON.stringify(v.units)}`);
      if (v.commitment && !['OneMonth', 'SixMonths'].includes(v.commitment)) throw new Error('--commitment is OneMonth or SixMonths (leave it out for none)');
      const body = { provisionedModelName: p[0], modelId: v.model, modelUnits: units, ...(v.commitment ? { commitmentDuration: v.commitment } : {}) };
      const r = await requestJson<{ provisionedModelArn: string }>(addr, 'POST', '/provisioned-model-throughput', body);
      print(r, () => [`bought ${units} unit${units === 1 ? '' : 's'} of ${v.model}: ${r.provisionedModelArn}`, 'Invoke it with that ARN as the model id.']);
      return 0;
    }
    case 'show': {
      const r = await requestJson<Throughput>(addr, 'GET', `/provisioned-model-throughput/${one('NAME|ID')}`);
      print(r, () => [line(r)]);
      return 0;
    }
    case 'rename': {
      if (p.length !== 2) throw new Error('quarry provisioned rename takes NAME|ID NEW_NAME');
      const r = await requestJson<object>(addr, 'PATCH', `/provisioned-model-throughput/${encodeURIComponent(p[0]!)}`, { desiredProvisionedModelName: p[1] });
      print(r, () => [`renamed ${p[0]} to ${p[1]}`]);
      return 0;
    }
    case 'usage': {
      const hours = v.hours ? `?hours=${encodeURIComponent(v.hours)}` : '';
      const r = await requestJson<Utilisation>(addr, 'GET', `/quarry/provisioned-model-throughput/${one('NAME|ID')}/utilization${hours}`);
      const t = r.totals;
      print(r, () => [
        `${r.modelId}, ${r.modelUnits} unit${r.modelUnits === 1 ? '' : 's'}: ${r.capacity.concurrentRequests} requests at once${r.capacity.tokensPerMinute ? `, ${r.capacity.tokensPerMinute} tokens a minute` : ''}`,
        `requests ${t.requests}, throttled ${t.throttled}, tokens in ${t.inputTokens} out ${t.outputTokens}`,
        `utilisation: concurrency ${pct(t.concurrencyUtilisation)}, tokens ${pct(t.tokenUtilisation)}`,
        `cost: $${t.provisionedUsd.toFixed(2)} provisioned${t.onDemandUsd !== undefined ? `, $${t.onDemandUsd.toFixed(4)} for the same tokens on demand` : ''}`,
        ...(r.breakEven ? [`at this load the cheapest is: ${r.breakEven.cheapest}`] : []),
      ]);
      return 0;
    }
    case 'rm': {
      await requestJson<object>(addr, 'DELETE', `/provisioned-model-throughput/${one('NAME|ID')}`);
      print({}, () => [`released ${p[0]}`]);
      return 0;
    }
    default:
      throw new Error(`unknown command "quarry provisioned ${sub}"; see quarry provisioned help`);
  }
}
