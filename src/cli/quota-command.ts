import { parseArgs } from 'node:util';
import { requestJson, serverAddress } from './client.js';

const USAGE = `quarry quotas — rate limits per key and model on a running server

  quarry quotas ls
  quarry quotas set [--key KEY_ID | --account] [--model MODEL] [--rpm N|none] [--tpm N|none] [--concurrency N|none]
  quarry quotas rm [--key KEY_ID | --account] [--model MODEL]
  quarry quotas show [--key KEY_ID | --account] [--model MODEL]     the limits in force and where each comes from

--key and --model default to * (every key of your account, each with its own allowance; every model). --account
sets the account's one allowance that all its keys share, on top of each key's own. A limit left out is inherited
from the configuration (quotas.default, quotas.models, quotas.account); "none" lifts it. rpm and tpm count any 60
seconds; tpm reserves input + max_tokens on admission and settles to what was used. --json prints the server's answer
as it is.`;

const options = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  'data-dir': { type: 'string' },
  key: { type: 'string' },
  account: { type: 'boolean' },
  model: { type: 'string' },
  rpm: { type: 'string' },
  tpm: { type: 'string' },
  concurrency: { type: 'string' },
  json: { type: 'boolean' },
} as const;

type Limits = { requestsPerMinute?: number | null; tokensPerMinute?: number | null; concurrentRequests?: number | null };
interface Override extends Limits {
  keyId: string;
  modelId: string;
  limits: Limits;
  updatedAt: string;
}

/** `none` → null (no limit), a positive whole number → itself, absent → undefined (inherit). */
export function parseLimit(text: string | undefined, flag: string): number | null | undefined {
  if (text === undefined) return undefined;
  if (text === 'none') return null;
  if (!/^\d{1,10}$/.test(text) || Number(text) < 1) throw new Error(`--${flag} takes a whole number of 1 or more, or "none"; got ${JSON.stringify(text)}`);
  return Number(text);
}

const ACCOUNT_POOL = '@account';
const whose = (keyId: string) => (keyId === '*' ? 'every key' : keyId === ACCOUNT_POOL ? 'the account (all keys together)' : keyId);
const which = (modelId: string) => (modelId === '*' ? 'every model' : modelId);

const show = (v: number | null | undefined) => (v === undefined ? 'inherit' : v === null ? 'none' : String(v));
const limitsLine = (l: Limits) => `rpm ${show(l.requestsPerMinute)}  tpm ${show(l.tokensPerMinute)}  concurrency ${show(l.concurrentRequests)}`;

export async function quotaCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === 'help' || sub === '--help') {
    console.log(USAGE);
    return 0;
  }
  const { values: v, positionals } = parseArgs({ args: rest, options, allowPositionals: true });
  if (positionals.length) throw new Error(`unexpected ${positionals.join(' ')}; see quarry quotas help`);
  const addr = serverAddress(v);
  const print = (data: unknown, text: () => string[]) => console.log(v.json ? JSON.stringify(data, null, 2) : text().join('\n'));
  if (v.account && v.key) throw new Error('give --key or --account, not both');
  const keyId = v.account ? ACCOUNT_POOL : (v.key ?? '*');
  const scope = new URLSearchParams({ keyId, modelId: v.model ?? '*' });
  switch (sub) {
    case 'ls': {
      type Defaults = { default: Limits; models: Record<string, Limits>; account?: { default?: Limits; models: Record<string, Limits> }; exemptAdministrators: boolean };
      const r = await requestJson<{ defaults: Defaults; overrides: Override[] }>(addr, 'GET', '/quarry/quotas');
      const account = r.defaults.account;
      print(r, () => [
        `configuration: every key, every model: ${limitsLine(r.defaults.default)}${r.defaults.exemptAdministrators ? '  (administrators exempt)' : ''}`,
        ...Object.entries(r.defaults.models).map(([m, l]) => `configuration: every key, ${m}: ${limitsLine(l)}`),
        ...(account?.default ? [`configuration: ${whose(ACCOUNT_POOL)}, every model: ${limitsLine(account.default)}`] : []),
        ...Object.entries(account?.models ?? {}).map(([m, l]) => `configuration: ${whose(ACCOUNT_POOL)}, ${m}: ${limitsLine(l)}`),
        ...(r.overrides.length ? r.overrides.map((o) => `${whose(o.keyId)}, ${which(o.modelId)}: ${limitsLine(o.limits)}`) : ['No overrides.']),
      ]);
      return 0;
    }
    case 'set': {
      const body = {
        keyId,
        modelId: v.model ?? '*',
        requestsPerMinute: parseLimit(v.rpm, 'rpm'),
        tokensPerMinute: parseLimit(v.tpm, 'tpm'),
        concurrentRequests: parseLimit(v.concurrency, 'concurrency'),
      };
      if (body.requestsPerMinute === undefined && body.tokensPerMinute === undefined && body.concurrentRequests === undefined) {
        throw new Error('give at least one of --rpm, --tpm, --concurrency');
      }
      const r = await requestJson<{ override: Override }>(addr, 'PUT', '/quarry/quotas', body);
      print(r, () => [`set ${whose(r.override.keyId)}, ${which(r.override.modelId)}: ${limitsLine(r.override.limits)}`]);
      return 0;
    }
    case 'rm': {
      await requestJson(addr, 'DELETE', `/quarry/quotas?${scope}`);
      print({}, () => [`removed the override for ${whose(keyId)}, ${which(v.model ?? '*')}`]);
      return 0;
    }
    case 'show': {
      const r = await requestJson<{ keyId: string; modelId: string; limits: Limits; sources: string[] }>(addr, 'GET', `/quarry/quotas/effective?${scope}`);
      print(r, () => [
        `${whose(r.keyId)}, ${which(r.modelId)}: ${limitsLine({ requestsPerMinute: null, tokensPerMinute: null, concurrentRequests: null, ...r.limits })}`,
        ...(r.sources.length ? r.sources.map((s) => `  from ${s}`) : ['  nothing limits it']),
      ]);
      return 0;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}
