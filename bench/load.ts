import { Pool } from 'undici';

export interface LoadResult {
  requests: number;
  errors: number;
  rps: number;
  /** Milliseconds, whole response. */
  p50: number;
  p99: number;
  /** Milliseconds to the first body byte (what a streaming user waits for). */
  ttfb50: number;
  ttfb99: number;
  /** Every 200 answer, those of the warm-up and the ones still in flight at the end included: what a metering check should find recorded. */
  answered: number;
}

export interface LoadSpec {
  url: string;
  path: string;
  body: string;
  headers: Record<string, string>;
  concurrency: number;
  seconds: number;
  warmupSeconds: number;
  /**
   * Replicas: requests go to these base URLs in turn (round robin per request, as nginx's default), each with its own
   * connection pool, instead of to `url`. A balancer in the client, so no balancer process takes CPU from the replicas.
   */
  urls?: string[];
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! : Number.NaN);

/** Closed-loop load: `concurrency` workers each send a request as soon as their last one finished. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const pools = (spec.urls?.length ? spec.urls : [spec.url]).map((u) => new Pool(u, { connections: spec.concurrency, pipelining: 1, keepAliveTimeout: 60_000 }));
  let turn = 0;
  const latencies: number[] = [];
  const ttfbs: number[] = [];
  let errors = 0;
  let answered = 0;
  const start = performance.now();
  const warmEnd = start + spec.warmupSeconds * 1000;
  const end = warmEnd + spec.seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      let first = 0;
      try {
        const pool = pools[turn++ % pools.length]!;
        const res = await pool.request({ path: spec.path, method: 'POST', headers: spec.headers, body: spec.body });
        for await (const chunk of res.body) {
          if (!first && (chunk as Buffer).length) first = performance.now();
        }
        const t1 = performance.now();
        if (res.statusCode === 200) answered++;
        if (t0 >= warmEnd && t1 <= end) {
          if (res.statusCode !== 200) errors++;
          else {
            latencies.push(t1 - t0);
            ttfbs.push((first || t1) - t0);
          }
        }
      } catch {
        if (t0 >= warmEnd) errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, worker));
  await Promise.all(pools.map((p) => p.close()));
  latencies.sort((a, b) => a - b);
  ttfbs.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    rps: latencies.length / spec.seconds,
    p50: pct(latencies, 0.5),
    p99: pct(latencies, 0.99),
    ttfb50: pct(ttfbs, 0.5),
    ttfb99: pct(ttfbs, 0.99),
    answered,
  };
}
