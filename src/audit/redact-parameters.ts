import { canonicalJson } from './canonical-json.js';

export const REDACTED = '[REDACTED]';

// Compared after lower-casing and dropping everything but letters and digits, so api_key, apiKey and X-Api-Key agree.
// A name containing one of these is a secret whatever else it says (clientSecret, secretAccessKey, credentialsSecretArn:
// an ARN is not a secret, but hiding one costs little and guessing wrong the other way leaks).
const CONTAINS = ['secret', 'password', 'passwd', 'passphrase', 'apikey', 'credential', 'authorization', 'privatekey', 'cookie', 'signature'];
// `token` only as a suffix: accessToken and sessionToken are secrets, maxTokens and tokenizer are not.
const ENDS_WITH = ['token', 'sessionkey', 'masterkey'];

// What one event may hold: CloudTrail also truncates or omits oversized parameters rather than refusing to log.
const MAX_STRING = 2048;
const MAX_ITEMS = 100;
const MAX_DEPTH = 12;
const MAX_BYTES = 32 * 1024;

const normalise = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Decides which parameter names hold secrets: the built-in ones plus `extra` names from configuration (audit.redactKeys). */
export class Redactor {
  private readonly extra: string[];

  constructor(extra: readonly string[] = []) {
    this.extra = extra.map(normalise).filter((n) => n.length > 0);
  }

  isSecretName(name: string): boolean {
    const n = normalise(name);
    if (!n) return false;
    return CONTAINS.some((w) => n.includes(w)) || ENDS_WITH.some((w) => n.endsWith(w)) || this.extra.some((w) => n.includes(w));
  }

  /**
   * A copy of `value` safe to store: secrets replaced by [REDACTED], long strings and arrays cut with a note, deep
   * nesting flattened. Past MAX_BYTES the parameters are summarised by their top-level names.
   */
  prepare(value: unknown): Record<string, unknown> | null {
    if (value === undefined || value === null) return null;
    const bounded = this.walk(value, 0);
    const obj = bounded !== null && typeof bounded === 'object' && !Array.isArray(bounded) ? (bounded as Record<string, unknown>) : { value: bounded };
    if (!Object.keys(obj).length) return null;
    const size = Buffer.byteLength(canonicalJson(obj));
    if (size <= MAX_BYTES) return obj;
    return { truncated: true, bytes: size, parameterNames: Object.keys(obj).sort().slice(0, MAX_ITEMS) };
  }

  private walk(value: unknown, depth: number): unknown {
    if (value === null || typeof value === 'boolean') return value;
    if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
    if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…[${value.length - MAX_STRING} more characters]` : value;
    if (typeof value !== 'object') return undefined;
    if (depth >= MAX_DEPTH) return '[nested too deeply]';
    if (Array.isArray(value)) {
      const items = value.slice(0, MAX_ITEMS).map((v) => this.walk(v, depth + 1) ?? null);
      if (value.length > MAX_ITEMS) items.push(`…[${value.length - MAX_ITEMS} more items]`);
      return items;
    }
    // Null prototype: a body may carry a "__proto__" key, which must stay a plain entry.
    const out: Record<string, unknown> = Object.create(null);
    let n = 0;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (n++ >= MAX_ITEMS) {
        out['…'] = `[${Object.keys(value as object).length - MAX_ITEMS} more keys]`;
        break;
      }
      out[k] = this.isSecretName(k) ? REDACTED : this.walk(v, depth + 1);
    }
    return out;
  }
}
