/**
 * PII detection quality and latency: Quarry's `detectPii` beside the npm packages `redact-pii` (its offline regex and
 * name redactors; no Google DLP) and `openredaction` (default options), in one run on the same data.
 *
 *   node --import tsx bench/pii.ts [--data ../shared/datasets/pii/presidio_synth_v2_dev.json] [--rounds 3] [--errors TYPE]
 *
 * Data: presidio-research's synthetic set (a dev split; see ../shared/datasets/README.md). Its labels are mapped to
 * Bedrock's entity types below. Scoring is span-level with *overlap* matching, the same for all three tools: a
 * predicted span of type T is a true positive if it overlaps a gold span of type T; a gold span is found if some
 * predicted span of its type overlaps it. Overlap rather than exact boundaries because the gold data splits one
 * address into several spans in some templates and not in others, and because Bedrock's own spans differ in
 * convention (it includes the unit in "40 years"). Exact-boundary F1 is printed as a second table.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { OpenRedaction } from 'openredaction';
import { SyncRedactor } from 'redact-pii';
import { detectPii } from '../src/guardrails/pii/index.js';

interface GoldSpan {
  entity_type: string;
  start_position: number;
  end_position: number;
}
interface Row {
  full_text: string;
  spans: GoldSpan[];
}
interface Span {
  type: string;
  start: number;
  end: number;
}

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const dataPath = resolve(args.get('data') ?? '../shared/datasets/pii/presidio_synth_v2_dev.json');
const rounds = Number(args.get('rounds') ?? 3);
if (!existsSync(dataPath)) {
  console.error(`PII dataset not found at ${dataPath}; see ../shared/datasets/README.md (pii/presidio_synth_v2_dev.json).`);
  process.exit(1);
}
const rows: Row[] = JSON.parse(readFileSync(dataPath, 'utf8'));

/** presidio label → Bedrock type. Labels absent here (ORGANIZATION, DATE_TIME, TITLE, NRP, GPE) are not scored. */
const GOLD_TYPE: Record<string, string> = {
  PERSON: 'NAME',
  STREET_ADDRESS: 'ADDRESS',
  ZIP_CODE: 'ADDRESS', // Bedrock: "an address can include ... zip code"
  PHONE_NUMBER: 'PHONE',
  CREDIT_CARD: 'CREDIT_DEBIT_CARD_NUMBER',
  US_SSN: 'US_SOCIAL_SECURITY_NUMBER',
  IBAN_CODE: 'INTERNATIONAL_BANK_ACCOUNT_NUMBER',
  IP_ADDRESS: 'IP_ADDRESS',
  EMAIL_ADDRESS: 'EMAIL',
  AGE: 'AGE',
  US_DRIVER_LICENSE: 'DRIVER_ID',
  DOMAIN_NAME: 'URL',
};
/**
 * Gold labels that are part of an address by Bedrock's definition (city, state, country) but that the data also uses
 * for a place named alone ("I'm in Miami"): an ADDRESS prediction over one is neither right nor wrong.
 */
const NEUTRAL_FOR: Record<string, string[]> = { ADDRESS: ['GPE'] };

const REDACT_PII_TYPE: Record<string, string> = {
  CREDIT_CARD_NUMBER: 'CREDIT_DEBIT_CARD_NUMBER',
  STREET_ADDRESS: 'ADDRESS',
  ZIPCODE: 'ADDRESS',
  PHONE_NUMBER: 'PHONE',
  IP_ADDRESS: 'IP_ADDRESS',
  US_SOCIAL_SECURITY_NUMBER: 'US_SOCIAL_SECURITY_NUMBER',
  EMAIL_ADDRESS: 'EMAIL',
  USERNAME: 'USERNAME',
  PASSWORD: 'PASSWORD',
  CREDENTIALS: 'PASSWORD',
  URL: 'URL',
  PERSON_NAME: 'NAME',
};

/** openredaction has 570+ pattern names; these are the ones that correspond to a Bedrock type. */
function openRedactionType(t: string): string | undefined {
  if (t === 'NAME') return 'NAME';
  if (/^ADDRESS|^ZIP_CODE|^POSTCODE|POSTAL_CODE/.test(t)) return 'ADDRESS';
  if (/^PHONE/.test(t)) return 'PHONE';
  if (t === 'EMAIL') return 'EMAIL';
  if (t === 'CREDIT_CARD') return 'CREDIT_DEBIT_CARD_NUMBER';
  if (t === 'SSN' || t === 'US_SSN') return 'US_SOCIAL_SECURITY_NUMBER';
  if (t === 'IBAN') return 'INTERNATIONAL_BANK_ACCOUNT_NUMBER';
  if (/^IPV[46]|^IP_ADDRESS/.test(t)) return 'IP_ADDRESS';
  if (/^MAC_ADDRESS/.test(t)) return 'MAC_ADDRESS';
  if (/^URL|^DOMAIN/.test(t)) return 'URL';
  if (/^DRIVING_LICEN[CS]E|^DRIVERS?_LICEN[CS]E/.test(t)) return 'DRIVER_ID';
  if (/LICENSE_PLATE/.test(t)) return 'LICENSE_PLATE';
  if (/^USERNAME|GAMERTAG|INSTAGRAM_USERNAME|TWITTER_(USER|HANDLE)/.test(t)) return 'USERNAME';
  if (/^PASSPORT_US|^US_PASSPORT/.test(t)) return 'US_PASSPORT_NUMBER';
  if (/^SWIFT|^BIC/.test(t)) return 'SWIFT_CODE';
  if (/^ROUTING/.test(t)) return 'US_BANK_ROUTING_NUMBER';
  if (/^AWS_ACCESS/.test(t)) return 'AWS_ACCESS_KEY';
  if (/^AWS_SECRET/.test(t)) return 'AWS_SECRET_KEY';
  if (/^VIN$|VEHICLE_IDENTIFICATION/.test(t)) return 'VEHICLE_IDENTIFICATION_NUMBER';
  return undefined;
}

// --- the three tools, each returning Bedrock-typed spans -------------------------------------------------------------

const redactor = new SyncRedactor();
const PLACEHOLDER = new RegExp(`(${Object.keys(REDACT_PII_TYPE).concat('DIGITS').join('|')})`);

/** redact-pii returns only redacted text; spans come from aligning it back onto the original. */
function redactPiiSpans(text: string): Span[] | undefined {
  const redacted = redactor.redact(text);
  const parts = redacted.split(PLACEHOLDER);
  const types: string[] = [];
  let source = '^';
  parts.forEach((part, i) => {
    if (i % 2 === 0) source += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else {
      types.push(part);
      source += '([\\s\\S]+?)';
    }
  });
  const m = new RegExp(`${source}$`, 'd').exec(text);
  if (!m) return undefined;
  const spans: Span[] = [];
  types.forEach((t, i) => {
    const [start, end] = m.indices![i + 1]!;
    const type = REDACT_PII_TYPE[t];
    if (type) spans.push({ type, start, end });
  });
  return spans;
}

const openRedaction = new OpenRedaction();
async function openRedactionSpans(text: string): Promise<Span[]> {
  const result = await openRedaction.detect(text);
  const spans: Span[] = [];
  for (const d of result.detections) {
    const type = openRedactionType(d.type);
    if (type) spans.push({ type, start: d.position[0], end: d.position[1] });
  }
  return spans;
}

function quarrySpans(text: string): Span[] {
  return detectPii(text).map((m) => ({ type: m.type, start: m.start, end: m.end }));
}

// --- scoring ---------------------------------------------------------------------------------------------------------

interface Tally {
  tp: number; // predictions matching gold
  fp: number;
  found: number; // gold spans matched
  gold: number;
  exactTp: number;
  exactFound: number;
}
const newTally = (): Tally => ({ tp: 0, fp: 0, found: 0, gold: 0, exactTp: 0, exactFound: 0 });
const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  a.start < b.end && b.start < a.end;

function score(row: Row, predicted: Span[], tallies: Map<string, Tally>, errors?: { type: string; out: string[] }): void {
  const gold = row.spans
    .filter((s) => GOLD_TYPE[s.entity_type])
    .map((s) => ({ type: GOLD_TYPE[s.entity_type]!, start: s.start_position, end: s.end_position }));
  const tally = (t: string): Tally => {
    const found = tallies.get(t) ?? newTally();
    tallies.set(t, found);
    return found;
  };
  for (const p of predicted) {
    const same = gold.filter((g) => g.type === p.type);
    if (same.some((g) => overlaps(g, p))) {
      tally(p.type).tp++;
      if (same.some((g) => g.start === p.start && g.end === p.end)) tally(p.type).exactTp++;
      continue;
    }
    const neutral = NEUTRAL_FOR[p.type] ?? [];
    if (
      row.spans.some((s) => neutral.includes(s.entity_type) && overlaps({ start: s.start_position, end: s.end_position }, p))
    )
      continue;
    tally(p.type).fp++;
    if (errors?.type === p.type)
      errors.out.push(
        `FP ${JSON.stringify(row.full_text.slice(p.start, p.end))} in ${JSON.stringify(row.full_text.slice(0, 160))}`,
      );
  }
  for (const g of gold) {
    const t = tally(g.type);
    t.gold++;
    const same = predicted.filter((p) => p.type === g.type);
    if (same.some((p) => overlaps(g, p))) t.found++;
    else if (errors?.type === g.type)
      errors.out.push(
        `FN ${JSON.stringify(row.full_text.slice(g.start, g.end))} in ${JSON.stringify(row.full_text.slice(0, 160))}`,
      );
    if (same.some((p) => p.start === g.start && p.end === g.end)) t.exactFound++;
  }
}

function prf(t: Tally | undefined, exact = false): { p: number; r: number; f: number } {
  if (!t) return { p: Number.NaN, r: Number.NaN, f: Number.NaN };
  const tp = exact ? t.exactTp : t.tp;
  const found = exact ? t.exactFound : t.found;
  const p = tp + t.fp === 0 ? Number.NaN : tp / (tp + t.fp);
  const r = t.gold === 0 ? Number.NaN : found / t.gold;
  const f =
    Number.isNaN(p) || Number.isNaN(r)
      ? t.gold > 0 && tp + t.fp === 0
        ? 0
        : Number.NaN
      : p + r === 0
        ? 0
        : (2 * p * r) / (p + r);
  return { p, r, f };
}

const fmt = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(2));

// --- run -------------------------------------------------------------------------------------------------------------

const TOOLS = ['quarry', 'redact-pii', 'openredaction'] as const;
type Tool = (typeof TOOLS)[number];
const tallies: Record<Tool, Map<string, Tally>> = { quarry: new Map(), 'redact-pii': new Map(), openredaction: new Map() };
// Quarry again on the odd rows alone: the half whose errors were never looked at while the recognizers were written.
const heldBack = new Map<string, Tally>();
const errorType = args.get('errors');
const errors = errorType ? { type: errorType, out: [] as string[] } : undefined;
let unaligned = 0;

for (const [i, row] of rows.entries()) {
  const quarry = quarrySpans(row.full_text);
  score(row, quarry, tallies.quarry, i % 2 === 0 ? errors : undefined);
  if (i % 2 === 1) score(row, quarry, heldBack);
  const rp = redactPiiSpans(row.full_text);
  if (!rp) unaligned++;
  score(row, rp ?? [], tallies['redact-pii']);
  score(row, await openRedactionSpans(row.full_text), tallies.openredaction);
}

const types = [...new Set(TOOLS.flatMap((t) => [...tallies[t].keys()]))].sort(
  (a, b) => (tallies.quarry.get(b)?.gold ?? 0) - (tallies.quarry.get(a)?.gold ?? 0) || a.localeCompare(b),
);
const date = new Date().toISOString().slice(0, 10);
console.log(
  `\nPII detection — ${date}, ${rows.length} rows of ${dataPath.split('/').slice(-2).join('/')}, overlap matching\n`,
);
console.log('| Bedrock type | gold | quarry P | R | F1 | redact-pii P | R | F1 | openredaction P | R | F1 |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const type of types) {
  const cells = TOOLS.map((tool) => {
    const t = tallies[tool].get(type);
    const { p, r, f } = prf(t);
    return t ? `${fmt(p)} | ${fmt(r)} | ${fmt(f)}` : '– | – | –';
  });
  const gold = tallies.quarry.get(type)?.gold ?? 0;
  console.log(`| ${type} | ${gold} | ${cells.join(' | ')} |`);
}
console.log('\nFalse positives on types the data has no gold for are the FP counts behind a "–" recall above:');
for (const tool of TOOLS) {
  const extra = [...tallies[tool]].filter(([, t]) => t.gold === 0 && t.fp > 0).map(([type, t]) => `${type} ${t.fp}`);
  console.log(`- ${tool}: ${extra.join(', ') || 'none'}`);
}
console.log(`\nExact-boundary F1 (same spans, boundaries must match exactly):\n`);
console.log('| Bedrock type | quarry | redact-pii | openredaction |');
console.log('|---|---:|---:|---:|');
for (const type of types.filter((t) => (tallies.quarry.get(t)?.gold ?? 0) > 0)) {
  console.log(`| ${type} | ${TOOLS.map((tool) => fmt(prf(tallies[tool].get(type), true).f)).join(' | ')} |`);
}
console.log(`\nQuarry on the held-back odd rows only (${Math.floor(rows.length / 2)} rows), overlap F1:`);
console.log(
  types
    .filter((t) => (heldBack.get(t)?.gold ?? 0) > 0)
    .map((t) => `${t} ${fmt(prf(heldBack.get(t)).f)} (n=${heldBack.get(t)!.gold})`)
    .join(', '),
);
if (unaligned > 0)
  console.log(`\nredact-pii: ${unaligned} rows whose redacted text could not be aligned back (scored as no predictions).`);

if (errors) console.log(`\nErrors for ${errors.type} on even rows:\n${errors.out.join('\n')}`);

// --- latency: ~1 KB documents made of consecutive rows -------------------------------------------------------------
// Each round runs every tool over all documents in turn, rotating the order, so bursts of load from other processes on
// this shared machine spread over all three; within a round a tool runs alone, so it pays for its own garbage
// collection and not for another library's. Wall-clock p99 is what a caller sees and is inflated when the machine is
// oversubscribed, so CPU time per call (process.cpuUsage, which waiting for a core does not inflate) is shown too.

const docs: string[] = [];
let current = '';
for (const row of rows) {
  current += `${row.full_text}\n`;
  if (current.length >= 1024) {
    docs.push(current);
    current = '';
  }
}
const runners: Record<Tool, (text: string) => unknown> = {
  quarry: (t) => detectPii(t),
  'redact-pii': (t) => redactor.redact(t),
  openredaction: (t) => openRedaction.detect(t),
};
const wall: Record<Tool, number[]> = { quarry: [], 'redact-pii': [], openredaction: [] };
const cpu: Record<Tool, number[]> = { quarry: [], 'redact-pii': [], openredaction: [] };
// Steady state, as in a long-running server: two untimed passes let V8 optimise each library's code and regexes.
for (const tool of TOOLS) for (let pass = 0; pass < 2; pass++) for (const doc of docs) await runners[tool](doc);
for (let round = 0; round < rounds; round++) {
  for (let k = 0; k < TOOLS.length; k++) {
    const tool = TOOLS[(k + round) % TOOLS.length]!;
    for (const doc of docs) {
      const cpuStart = process.cpuUsage();
      const started = performance.now();
      await runners[tool](doc);
      const elapsed = performance.now() - started;
      const used = process.cpuUsage(cpuStart);
      wall[tool].push((elapsed * 1024) / doc.length);
      cpu[tool].push((((used.user + used.system) / 1000) * 1024) / doc.length);
    }
  }
}
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
if (rounds > 0) {
  const load = loadavg()[0]!.toFixed(1);
  console.log(
    `\nLatency per 1 KB (${docs.length} documents of ~1 KB × ${rounds} rounds; load average ${load} on ${cpus().length} cores):\n`,
  );
  console.log('| tool | wall p50 ms/KB | wall p99 ms/KB | CPU p50 ms/KB | CPU p99 ms/KB |');
  console.log('|---|---:|---:|---:|---:|');
  for (const tool of TOOLS) {
    const cells = [
      quantile(wall[tool], 0.5),
      quantile(wall[tool], 0.99),
      quantile(cpu[tool], 0.5),
      quantile(cpu[tool], 0.99),
    ];
    console.log(`| ${tool} | ${cells.map((x) => x.toFixed(2)).join(' | ')} |`);
  }
}
