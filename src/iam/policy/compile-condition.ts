import ipaddr from 'ipaddr.js';
import { ArnPattern, ArnPatternError, splitArn } from './arn.js';
import type { ParsedOperator } from './condition-operators.js';
import type { ContextValue } from './context-keys.js';
import type { ConditionValue } from './policy-document.js';
import {
  joinResolved,
  NO_VARIABLES,
  parseTemplate,
  requiredVariables,
  resolveTemplate,
  type TemplatePart,
  TemplateError,
  type VariableSource,
} from './policy-variables.js';
import { TemplateWildcard } from './template-wildcard.js';

/** One operator/key pair of a Condition block, with its policy values prepared once. */
export interface CompiledCondition {
  readonly operator: ParsedOperator;
  /** As written in the policy. */
  readonly key: string;
  readonly keyLower: string;
  /** The policy values as text, for simulation output. */
  readonly values: readonly string[];
  /** Variables the values need that have no default; the statement does not apply without them. */
  readonly variables: readonly string[];
  /** Whether one request value matches at least one policy value (the positive operator; negation is the caller's). */
  readonly test: (value: ContextValue, vars: VariableSource) => boolean;
}

export class ConditionValueError extends Error {}

/** Compiles the values of one condition key; throws ConditionValueError naming the bad value. */
export function compileCondition(
  operator: ParsedOperator,
  key: string,
  raw: ConditionValue | readonly ConditionValue[],
  variablesAllowed: boolean,
): CompiledCondition {
  const list = (Array.isArray(raw) ? raw : [raw]) as readonly ConditionValue[];
  const values = list.map((v) => String(v));
  const templates = (): TemplatePart[][] =>
    values.map((v) => {
      if (!variablesAllowed) return [{ kind: 'text', text: v }];
      try {
        return parseTemplate(v);
      } catch (e) {
        throw new ConditionValueError(e instanceof TemplateError ? e.message : String(e));
      }
    });
  let variables: string[] = [];
  let test: CompiledCondition['test'];
  const { type, comparison } = operator.spec;
  switch (type) {
    case 'string': {
      const parts = templates();
      variables = parts.flatMap(requiredVariables);
      test = comparison === 'like' ? likeTest(parts) : equalsTest(parts, comparison === 'eqIgnoreCase');
      break;
    }
    case 'arn': {
      const parts = templates();
      variables = parts.flatMap(requiredVariables);
      const patterns = parts.map((p, i) => {
        try {
          return ArnPattern.compile(p, { resourceElement: false });
        } catch (e) {
          throw new ConditionValueError(`${JSON.stringify(values[i])}: ${e instanceof ArnPatternError ? e.message : String(e)}`);
        }
      });
      test = (value, vars) => {
        if (typeof value !== 'string') return false;
        const arn = splitArn(value);
        if (!arn) return false;
        for (const p of patterns) if (p.matches(arn, vars) === true) return true;
        return false;
      };
      break;
    }
    case 'bool': {
      const parts = templates();
      variables = parts.flatMap(requiredVariables);
      for (const p of parts) {
        if (p.some((x) => x.kind === 'variable')) continue;
        if (toBool(joinResolved(resolveTemplate(p, NO_VARIABLES)!)) === undefined) throw new ConditionValueError(`${JSON.stringify(joinText(p))} is not true or false`);
      }
      test = (value, vars) => {
        const b = toBool(value);
        if (b === undefined) return false;
        for (const p of parts) {
          const r = resolveTemplate(p, vars);
          if (r !== undefined && toBool(joinResolved(r)) === b) return true;
        }
        return false;
      };
      break;
    }
    case 'numeric': {
      const nums = list.map((v) => {
        const n = typeof v === 'number' ? v : typeof v === 'string' ? parseNumber(v) : Number.NaN;
        if (!Number.isFinite(n)) throw new ConditionValueError(`${JSON.stringify(v)} is not a number`);
        return n;
      });
      test = (value) => {
        const n = typeof value === 'number' ? value : typeof value === 'string' ? parseNumber(value) : Number.NaN;
        if (Number.isNaN(n)) return false;
        for (const p of nums) if (compare(n, p, comparison)) return true;
        return false;
      };
      break;
    }
    case 'date': {
      const times = list.map((v) => {
        const t = typeof v === 'number' ? v * 1000 : typeof v === 'string' ? parseDate(v) : Number.NaN;
        if (!Number.isFinite(t)) throw new ConditionValueError(`${JSON.stringify(v)} is not an ISO 8601 date-time or epoch seconds`);
        return t;
      });
      test = (value) => {
        const t = contextTime(value);
        if (Number.isNaN(t)) return false;
        for (const p of times) if (compare(t, p, comparison)) return true;
        return false;
      };
      break;
    }
    case 'ip': {
      const ranges = list.map((v) => {
        const r = typeof v === 'string' ? parseRange(v) : undefined;
        if (!r) throw new ConditionValueError(`${JSON.stringify(v)} is not an IPv4 or IPv6 address or CIDR range`);
        return r;
      });
      test = (value) => {
        const ip = typeof value === 'string' ? cachedAddress(value) : undefined;
        if (!ip) return false;
        const kind = ip.kind();
        for (const [net, bits] of ranges) if (net.kind() === kind && ip.match(net, bits)) return true;
        return false;
      };
      break;
    }
    case 'null': {
      for (const v of values) if (toBool(v) === undefined) throw new ConditionValueError(`Null takes true or false, not ${JSON.stringify(v)}`);
      // Null is decided from presence alone (evaluate-condition.ts); the values say which answer holds.
      test = () => false;
      break;
    }
    default: {
      const never: never = type;
      throw new ConditionValueError(`unhandled operator type ${String(never)}`);
    }
  }
  return { operator, key, keyLower: key.toLowerCase(), values, variables: [...new Set(variables)], test };
}

function equalsTest(parts: TemplatePart[][], ignoreCase: boolean): CompiledCondition['test'] {
  const fold = (s: string) => (ignoreCase ? s.toLowerCase() : s);
  const fixed = new Set<string>();
  const dynamic: TemplatePart[][] = [];
  for (const p of parts) {
    if (p.some((x) => x.kind === 'variable')) dynamic.push(p);
    else fixed.add(fold(joinText(p)));
  }
  return (value, vars) => {
    const s = contextString(value);
    if (s === undefined) return false;
    const v = fold(s);
    if (fixed.has(v)) return true;
    for (const p of dynamic) {
      const r = resolveTemplate(p, vars);
      if (r !== undefined && fold(joinResolved(r)) === v) return true;
    }
    return false;
  };
}

function likeTest(parts: TemplatePart[][]): CompiledCondition['test'] {
  const patterns = parts.map((p) => new TemplateWildcard(p));
  return (value, vars) => {
    const s = contextString(value);
    if (s === undefined) return false;
    for (const w of patterns) if (w.matches(s, vars) === true) return true;
    return false;
  };
}

const joinText = (parts: readonly TemplatePart[]) => parts.map((p) => (p.kind === 'variable' ? `\${${p.name}}` : p.text)).join('');

/** A context value as the string operators see it: dates in ISO form, numbers and booleans as JSON writes them. */
export function contextString(v: ContextValue): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString();
  return undefined;
}

function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string') return undefined;
  const s = v.toLowerCase();
  return s === 'true' ? true : s === 'false' ? false : undefined;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const parseNumber = (s: string): number => (DECIMAL.test(s) ? Number(s) : Number.NaN);

function compare(a: number, b: number, c: string): boolean {
  switch (c) {
    case 'eq':
      return a === b;
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
    default:
      return false;
  }
}

// W3C's ISO 8601 profile (YYYY, YYYY-MM, YYYY-MM-DD, then hh:mm[:ss[.s]] and a zone), which IAM documents.
const W3C_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;
const EPOCH = /^\d{1,12}$/;

/**
 * Milliseconds for epoch seconds (any all-digit text, so a bare year reads as seconds, as aws:EpochTime does) or a
 * W3C ISO 8601 date-time; NaN otherwise. A time without a zone is read as UTC, never as the server's local time, so a
 * policy means the same on every replica.
 */
export function parseDate(s: string): number {
  if (EPOCH.test(s)) return Number(s) * 1000;
  const m = W3C_DATE.exec(s);
  if (!m) return Number.NaN;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', sec = '00', frac = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return Number.NaN;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return Number.NaN;
  if (zone !== 'Z' && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(4)) > 59)) return Number.NaN;
  return Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${sec}${frac.slice(0, 4)}${zone}`);
}

function contextTime(v: ContextValue): number {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number') return Number.isFinite(v) ? v * 1000 : Number.NaN;
  if (typeof v === 'string') return parseDate(v);
  return Number.NaN;
}

type Address = ipaddr.IPv4 | ipaddr.IPv6;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * Strict addresses only: four-part decimal IPv4 (ipaddr.js would also read `010.1` as octal) or IPv6 without a zone.
 * IPv4-mapped IPv6 (`::ffff:10.1.2.3`, what a dual-stack socket reports) becomes IPv4, so `10.0.0.0/8` matches it.
 */
function parseAddress(s: string): Address | undefined {
  if (IPV4.test(s)) return ipaddr.IPv4.isValidFourPartDecimal(s) ? ipaddr.IPv4.parse(s) : undefined;
  if (!s.includes(':') || s.includes('%') || !ipaddr.IPv6.isValid(s)) return undefined;
  const v6 = ipaddr.IPv6.parse(s);
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
}

// A client's address is tested by many statements and arrives again on its next request; parse it once. Bounded and
// emptied when full, so a flood of distinct addresses costs parsing, never memory.
const addresses = new Map<string, Address | null>();

function cachedAddress(s: string): Address | undefined {
  let a = addresses.get(s);
  if (a === undefined) {
    a = parseAddress(s) ?? null;
    if (addresses.size >= 4096) addresses.clear();
    addresses.set(s, a);
  }
  return a ?? undefined;
}

function parseRange(s: string): [Address, number] | undefined {
  const slash = s.indexOf('/');
  const addr = parseAddress(slash < 0 ? s : s.slice(0, slash));
  if (!addr) return undefined;
  const max = addr.kind() === 'ipv4' ? 32 : 128;
  if (slash < 0) return [addr, max];
  const bitsText = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText)) return undefined;
  let bits = Number(bitsText);
  // A mapped range written in IPv6 (::ffff:10.0.0.0/104) was turned into IPv4 above: shift its prefix to match.
  if (addr.kind() === 'ipv4' && s.slice(0, slash).includes(':')) bits -= 96;
  return bits >= 0 && bits <= max ? [addr, bits] : undefined;
}
