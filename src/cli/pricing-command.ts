import { parseArgs } from 'node:util';
import type { BreakEvenResult, PricedEntry } from '../billing/index.js';
import { requestJson, serverAddress } from './client.js';

const USAGE = `quarry pricing — the pricing catalog and the provisioned-throughput break-even calculator

  quarry pricing ls [--model ID] [--region R]
  quarry pricing show <model> [--region R]            the entry that prices a model (inference-profile ids work)
  quarry pricing set <model> [--region R|*] [--input USD] [--output USD] [--cache-read USD] [--cache-write USD]
                     [--batch-discount 0.5] [--embedding USD] [--image USD]
                     [--pt-no-commit USD] [--pt-1-month USD] [--pt-6-month USD]
                     [--unit-input-tpm N] [--unit-output-tpm N] [--as-of DATE] [--source TEXT]
  quarry pricing rm <model> [--region R|*]            removes an edited entry (the built-in one applies again)
  quarry pricing break-even --model ID --tpm N [--output-tpm N] [--hours 24] [--days 30] [--region R]
                     [--unit-input-tpm N] [--unit-output-tpm N]

Token prices are USD per 1,000 tokens; --image per image; --pt-* per model unit per hour. set changes only the
fields given: the rest come from the entry in effect for that model and region. --json prints the server's answer.`;

const options = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  'data-dir': { type: 'string' },
  model: { type: 'string' },
  region: { type: 'string' },
  input: { type: 'string' },
  output: { type: 'string' },
  'cache-read': { type: 'string' },
  'cache-write': { type: 'string' },
  'batch-discount': { type: 'string' },
  embedding: { type: 'string' },
  image: { type: 'string' },
  'pt-no-commit': { type: 'string' },
  'pt-1-month': { type: 'string' },
  'pt-6-month': { type: 'string' },
  'unit-input-tpm': { type: 'string' },
  'unit-output-tpm': { type: 'string' },
  'as-of': { type: 'string' },
  source: { type: 'string' },
  tpm: { type: 'string' },
  'input-tpm': { type: 'string' },
  'output-tpm': { type: 'string' },
  hours: { type: 'string' },
  days: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const seg = encodeURIComponent;

export async function pricingCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === 'help' || sub === '--help') {
    console.log(USAGE);
    return 0;
  }
  const { values: v, positionals } = parseArgs({ args: rest, options, allowPositionals: true });
  const addr = serverAddress(v);
  const call = <T>(method: string, path: string, body?: unknown) => requestJson<T>(addr, method, path, body);
  const print = (data: unknown, text: () => string[]) => console.log(v.json ? JSON.stringify(data, null, 2) : text().join('\n'));
  const model = positionals[0] ?? v.model;
  switch (sub) {
    case 'ls': {
      const q = new URLSearchParams();
      if (v.model) q.set('modelId', v.model);
      if (v.region) q.set('region', v.region);
      const r = await call<{ entries: PricedEntry[] }>('GET', `/quarry/pricing${q.size ? `?${q}` : ''}`);
      print(r, () => table(r.entries));
      return 0;
    }
    case 'show': {
      const r = await call<{ entry: PricedEntry }>('GET', `/quarry/pricing/models/${seg(need(model, 'show <model>'))}${v.region ? `?region=${seg(v.region)}` : ''}`);
      print(r, () => describe(r.entry));
      return 0;
    }
    case 'set': {
      const id = need(model, 'set <model> --input USD --output USD …');
      const region = v.region ?? '*';
      const current = await currentEntry(call, id, region);
      const change = changes(v);
      // Provisioned fields merge one by one too: setting a 6-month price keeps the 1-month one.
      const provisioned = { ...current?.provisioned, ...(change.provisioned as object | undefined) };
      const body = { ...entryBody(current), ...change, ...(Object.keys(provisioned).length ? { provisioned } : {}), region };
      const r = await call<{ entry: PricedEntry }>('PUT', `/quarry/pricing/models/${seg(id)}`, body);
      print(r, () => describe(r.entry));
      return 0;
    }
    case 'rm': {
      await call('DELETE', `/quarry/pricing/models/${seg(need(model, 'rm <model>'))}?region=${seg(v.region ?? '*')}`);
      if (!v.json) console.log(`removed the edited price of ${model} (${v.region ?? '*'})`);
      return 0;
    }
    case 'break-even': {
      const id = need(v.model ?? positionals[0], 'break-even --model ID --tpm N');
      const inputTpm = v['input-tpm'] ?? v.tpm;
      if (inputTpm === undefined) throw new Error('usage: quarry pricing break-even --model ID --tpm N (input tokens per minute) [--output-tpm N]');
      const body = compact({
        modelId: id,
        region: v.region,
        inputTokensPerMinute: num(inputTpm, '--tpm'),
        outputTokensPerMinute: opt(v['output-tpm'], '--output-tpm'),
        hoursPerDay: opt(v.hours, '--hours'),
        daysPerMonth: opt(v.days, '--days'),
        unitInputTokensPerMinute: opt(v['unit-input-tpm'], '--unit-input-tpm'),
        unitOutputTokensPerMinute: opt(v['unit-output-tpm'], '--unit-output-tpm'),
      });
      const r = await call<BreakEvenResult>('POST', '/quarry/pricing/break-even', body);
      print(r, () => breakEvenText(r));
      return 0;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

type Call = <T>(method: string, path: string, body?: unknown) => Promise<T>;

/** The entry to edit from: this model's for the region, else its any-region one; undefined when there is none. */
async function currentEntry(call: Call, id: string, region: string): Promise<PricedEntry | undefined> {
  const r = await call<{ entries: PricedEntry[] }>('GET', `/quarry/pricing?${new URLSearchParams({ modelId: id })}`);
  return r.entries.find((e) => e.region === region) ?? r.entries.find((e) => e.region === '*');
}

function entryBody(e: PricedEntry | undefined): Record<string, unknown> {
  if (!e) return {};
  const { modelId: _m, region: _r, origin: _o, asOf: _a, source: _s, ...prices } = e;
  return prices;
}

type Values = Partial<Record<keyof typeof options, string | boolean>>;

function changes(v: Values): Record<string, unknown> {
  const s = (k: keyof typeof options) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  const provisioned = compact({
    noCommitmentPerHour: opt(s('pt-no-commit'), '--pt-no-commit'),
    oneMonthPerHour: opt(s('pt-1-month'), '--pt-1-month'),
    sixMonthPerHour: opt(s('pt-6-month'), '--pt-6-month'),
    unitInputTokensPerMinute: opt(s('unit-input-tpm'), '--unit-input-tpm'),
    unitOutputTokensPerMinute: opt(s('unit-output-tpm'), '--unit-output-tpm'),
  });
  return compact({
    inputPer1k: opt(s('input'), '--input'),
    outputPer1k: opt(s('output'), '--output'),
    cacheReadPer1k: opt(s('cache-read'), '--cache-read'),
    cacheWritePer1k: opt(s('cache-write'), '--cache-write'),
    batchDiscount: opt(s('batch-discount'), '--batch-discount'),
    embeddingPer1k: opt(s('embedding'), '--embedding'),
    imagePerImage: opt(s('image'), '--image'),
    asOf: s('as-of') ?? new Date().toISOString().slice(0, 10),
    source: s('source') ?? 'quarry pricing set',
    ...(Object.keys(provisioned).length ? { provisioned } : {}),
  });
}

function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as Partial<T>;
}

function num(text: string, flag: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) throw new Error(`${flag} ${JSON.stringify(text)} is not a non-negative number`);
  return n;
}

const opt = (text: string | undefined, flag: string) => (text === undefined ? undefined : num(text, flag));

function need(value: string | undefined, usage: string): string {
  if (!value) throw new Error(`usage: quarry pricing ${usage}`);
  return value;
}

const usd = (n: number | undefined) => (n === undefined ? '-' : `$${n}`);

function table(entries: PricedEntry[]): string[] {
  const rows = entries.map((e) => [
    e.modelId,
    e.region,
    usd(e.inputPer1k ?? e.embeddingPer1k),
    usd(e.outputPer1k),
    usd(e.cacheReadPer1k),
    usd(e.cacheWritePer1k),
    e.provisioned?.oneMonthPerHour === undefined ? '-' : `$${e.provisioned.oneMonthPerHour}/h`,
    e.origin,
    e.asOf,
  ]);
  const head = ['MODEL', 'REGION', 'IN/1K', 'OUT/1K', 'CACHE RD', 'CACHE WR', 'PT 1-MONTH', 'ORIGIN', 'AS OF'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
}

function describe(e: PricedEntry): string[] {
  const pt = e.provisioned ?? {};
  return [
    `${e.modelId}  region ${e.region}  (${e.origin}; ${e.asOf}; ${e.source})`,
    `  on demand, per 1K tokens: input ${usd(e.inputPer1k)}  output ${usd(e.outputPer1k)}  cache read ${usd(e.cacheReadPer1k)}  cache write ${usd(e.cacheWritePer1k)}`,
    `  embeddings per 1K: ${usd(e.embeddingPer1k)}  per image: ${usd(e.imagePerImage)}  batch discount: ${e.batchDiscount === undefined ? '-' : `${e.batchDiscount * 100}%`}`,
    `  provisioned, per model unit-hour: no commitment ${usd(pt.noCommitmentPerHour)}  1 month ${usd(pt.oneMonthPerHour)}  6 months ${usd(pt.sixMonthPerHour)}`,
    `  per model unit: ${pt.unitInputTokensPerMinute ?? '-'} input / ${pt.unitOutputTokensPerMinute ?? '-'} output tokens a minute`,
  ];
}

function breakEvenText(r: BreakEvenResult): string[] {
  const pct = (x: number) => (x === null || !Number.isFinite(x) ? 'never' : `${(x * 100).toFixed(1)}%`);
  const w = r.workload;
  return [
    `${r.modelId} in ${r.region} (prices ${r.pricesAsOf})`,
    `workload: ${w.inputTokensPerMinute} input + ${w.outputTokensPerMinute} output tokens a minute, ${w.hoursPerDay} h a day, ${w.daysPerMonth} days (${w.activeHoursPerMonth} h)`,
    `on demand: $${r.onDemand.monthlyUsd.toFixed(2)} a month`,
    `provisioned: ${r.modelUnits} model unit(s) of ${r.unitTokensPerMinute.input} input / ${r.unitTokensPerMinute.output} output tokens a minute`,
    ...r.terms.map(
      (t) =>
        `  ${t.term.padEnd(13)} $${t.monthlyUsd.toFixed(2).padStart(12)} a month (${t.billedHoursPerMonth} h × $${t.hourlyPerUnit}/h × ${r.modelUnits})  ` +
        `${t.cheaper ? `saves $${t.savingsUsd.toFixed(2)}` : `costs $${(-t.savingsUsd).toFixed(2)} more`}; ` +
        `used ${pct(t.utilisation)}, cheaper from ${t.breakEvenUtilisation > 1 ? 'never (over 100%)' : pct(t.breakEvenUtilisation)}`,
    ),
    `cheapest: ${r.cheapest}`,
    ...r.assumptions.map((a) => `  · ${a}`),
  ];
}
