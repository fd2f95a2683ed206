/**
 * A reader of Prometheus's text exposition format (version 0.0.4, what prom-client writes for GET /metrics): one
 * sample per line as `name{label="value",…} value [timestamp]`, `#` lines for HELP and TYPE. Small on purpose: the
 * console needs samples and their labels, not a client library's registry, and the format is a few rules. Pure, so the
 * tests run it in Node.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  /** Counters and gauges as written; `+Inf`, `-Inf` and `NaN` (in any case) become the matching numbers. */
  value: number;
}

export class PrometheusParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

function parseValue(raw: string, line: number): number {
  // Prometheus reads these as Go's ParseFloat does, in any case, and prom-client writes "Nan" (an unset gauge).
  switch (raw.toLowerCase()) {
    case '+inf':
    case 'inf':
      return Number.POSITIVE_INFINITY;
    case '-inf':
      return Number.NEGATIVE_INFINITY;
    case 'nan':
      return Number.NaN;
  }
  // Number('') is 0 and Number('0x1f') is 31: neither is a sample value, so the text must look like a float.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw)) throw new PrometheusParseError(`"${raw}" is not a sample value`, line);
  return Number(raw);
}

/** The labels from just after `{` to the matching `}`; returns them and where the rest of the line starts. */
function parseLabels(text: string, start: number, line: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = start;
  for (;;) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (text[i] === '}') return { labels, end: i + 1 };
    const name = LABEL_NAME.exec(text.slice(i))?.[0];
    if (!name) throw new PrometheusParseError('expected a label name', line);
    i += name.length;
    while (text[i] === ' ') i++;
    if (text[i] !== '=' || text[i + 1] !== '"') throw new PrometheusParseError(`expected ="…" after label ${name}`, line);
    i += 2;
    let value = '';
    // Only \\, \" and \n are escapes in label values; any other backslash stands for itself.
    for (;;) {
      const ch = text[i];
      if (ch === undefined) throw new PrometheusParseError(`label ${name}'s value is not closed`, line);
      if (ch === '"') break;
      if (ch === '\\' && (text[i + 1] === '\\' || text[i + 1] === '"' || text[i + 1] === 'n')) {
        value += text[i + 1] === 'n' ? '\n' : text[i + 1];
        i += 2;
      } else {
        value += ch;
        i++;
      }
    }
    labels[name] = value;
    i++;
    while (text[i] === ' ') i++;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') throw new PrometheusParseError(`expected , or } after label ${name}`, line);
  }
}

/** Every sample in the text, in order; a malformed line throws a PrometheusParseError naming it. */
export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const name = NAME.exec(raw)?.[0];
    if (!name) throw new PrometheusParseError('expected a metric name', n + 1);
    let rest = name.length;
    let labels: Record<string, string> = {};
    if (raw[rest] === '{') ({ labels, end: rest } = parseLabels(raw, rest + 1, n + 1));
    const fields = raw.slice(rest).trim().split(/\s+/);
    if (fields.length < 1 || fields.length > 2 || fields[0] === '') throw new PrometheusParseError(`expected a value (and an optional timestamp) after ${name}`, n + 1);
    samples.push({ name, labels, value: parseValue(fields[0]!, n + 1) });
  }
  return samples;
}
