import type { Sample } from './prometheus-text.js';

/**
 * What the metrics page shows, one row per model and API, from the samples of GET /metrics (src/metrics/metrics.ts
 * names them). Counters count since the server started, so the page says so; latency percentiles are estimated from
 * the histogram's buckets as Prometheus's histogram_quantile does. Pure, so the tests run it in Node.
 */

export interface Bucket {
  /** The bucket's upper bound in seconds (`le`), +Infinity for the last. */
  le: number;
  /** Observations at or below `le` (cumulative, as Prometheus writes them). */
  count: number;
}

export interface ModelApiMetrics {
  model: string;
  api: string;
  invocations: number;
  errors: number;
  /** errors / invocations, 0 when there were none. */
  errorRate: number;
  /** Failed invocations by error code, most first. */
  errorCodes: { code: string; count: number }[];
  inputTokens: number;
  outputTokens: number;
  /** Seconds, undefined when nothing was observed. */
  p50?: number;
  p95?: number;
}

/**
 * The q-quantile (0..1) of a cumulative histogram, interpolated linearly inside the bucket the rank falls in (the
 * lowest bucket from 0). A rank in the +Inf bucket answers the highest finite bound: nothing more is known.
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number | undefined {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted.at(-1)?.count ?? 0;
  if (!(total > 0) || sorted.at(-1)!.le !== Number.POSITIVE_INFINITY) return undefined;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const b of sorted) {
    if (b.count >= rank) {
      if (b.le === Number.POSITIVE_INFINITY) return sorted.length > 1 ? sorted.at(-2)!.le : undefined;
      const inBucket = b.count - lowerCount;
      return inBucket > 0 ? lowerBound + ((b.le - lowerBound) * (rank - lowerCount)) / inBucket : b.le;
    }
    lowerBound = b.le;
    lowerCount = b.count;
  }
  return undefined;
}

const INVOCATIONS = 'quarry_invocations_total';
const LATENCY_BUCKET = 'quarry_invocation_duration_seconds_bucket';
const INPUT = 'quarry_input_tokens_total';
const OUTPUT = 'quarry_output_tokens_total';
const ERRORS = 'quarry_errors_total';

interface Acc {
  row: ModelApiMetrics;
  buckets: Map<number, number>;
  codes: Map<string, number>;
}

export function summarizeMetrics(samples: readonly Sample[]): ModelApiMetrics[] {
  const rows = new Map<string, Acc>();
  const at = (s: Sample): Acc | undefined => {
    const { model, api } = s.labels;
    if (model === undefined || api === undefined) return undefined;
    const key = `${model}\u0000${api}`;
    let acc = rows.get(key);
    if (!acc) {
      acc = { row: { model, api, invocations: 0, errors: 0, errorRate: 0, errorCodes: [], inputTokens: 0, outputTokens: 0 }, buckets: new Map(), codes: new Map() };
      rows.set(key, acc);
    }
    return acc;
  };
  for (const s of samples) {
    if (![INVOCATIONS, LATENCY_BUCKET, INPUT, OUTPUT, ERRORS].includes(s.name) || !Number.isFinite(s.value)) continue;
    const acc = at(s);
    if (!acc) continue;
    switch (s.name) {
      case INVOCATIONS:
        acc.row.invocations += s.value;
        break;
      case INPUT:
        acc.row.inputTokens += s.value;
        break;
      case OUTPUT:
        acc.row.outputTokens += s.value;
        break;
      case ERRORS: {
        const code = s.labels.code ?? 'unknown';
        acc.row.errors += s.value;
        acc.codes.set(code, (acc.codes.get(code) ?? 0) + s.value);
        break;
      }
      case LATENCY_BUCKET: {
        const le = s.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(s.labels.le);
        if (!Number.isNaN(le)) acc.buckets.set(le, (acc.buckets.get(le) ?? 0) + s.value);
        break;
      }
    }
  }
  return [...rows.values()]
    .map(({ row, buckets, codes }) => {
      const b = [...buckets].map(([le, count]) => ({ le, count }));
      const p50 = histogramQuantile(0.5, b);
      const p95 = histogramQuantile(0.95, b);
      return {
        ...row,
        errorRate: row.invocations > 0 ? row.errors / row.invocations : 0,
        errorCodes: [...codes].map(([code, count]) => ({ code, count })).sort((x, y) => y.count - x.count || x.code.localeCompare(y.code)),
        ...(p50 !== undefined ? { p50 } : {}),
        ...(p95 !== undefined ? { p95 } : {}),
      };
    })
    .filter((r) => r.invocations > 0)
    .sort((x, y) => y.invocations - x.invocations || x.model.localeCompare(y.model) || x.api.localeCompare(y.api));
}

/** Seconds as the page shows them: milliseconds under a second, seconds above. */
export function formatSeconds(s: number | undefined): string {
  if (s === undefined) return '—';
  if (s < 1) return `${s * 1000 < 10 ? (s * 1000).toFixed(1) : Math.round(s * 1000)} ms`;
  return `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;
}

/** A share as a percentage, one decimal under 10% so a few failures in many calls still show. */
export function formatRate(r: number): string {
  if (r === 0) return '0%';
  const pct = r * 100;
  return `${pct < 10 ? pct.toFixed(1) : Math.round(pct)}%`;
}
