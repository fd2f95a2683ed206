import type { Deployment } from './deployment.js';
import type { RoutingStrategy } from './routing-config.js';

/** Bit of deployment `i` in an exclusion mask; sets past 30 deployments simply stop excluding the rest. */
export const bitOf = (i: number): number => (i < 30 ? 1 << i : 0);

/**
 * Index of the deployment the next call should go to, or -1 when none is available (drained, at capacity, breaker
 * open) or all available ones are in `excluded` (a bit mask of those this request already tried).
 *
 * Ties are broken by scanning from `turn` (a counter the caller advances per call), so equal deployments share the
 * load without drawing random numbers. Runs on every call: one pass, no allocation.
 */
export function pickDeployment(strategy: RoutingStrategy, ds: readonly Deployment[], excluded: number, turn: number, random: () => number): number {
  const n = ds.length;
  if (strategy === 'weighted') return pickWeighted(ds, excluded, random);
  let best = -1;
  let bestScore = 0;
  let bestLoad = 0;
  for (let k = 0; k < n; k++) {
    const i = (turn + k) % n;
    const d = ds[i]!;
    if ((excluded & bitOf(i)) !== 0 || !d.available()) continue;
    const score = scoreOf(strategy, d);
    const load = d.outstanding;
    if (best < 0 || score < bestScore || (score === bestScore && load < bestLoad)) {
      best = i;
      bestScore = score;
      bestLoad = load;
    }
  }
  return best;
}

/** Lower is better; equal scores go to the deployment with fewer calls in flight. */
function scoreOf(strategy: Exclude<RoutingStrategy, 'weighted'>, d: Deployment): number {
  switch (strategy) {
    case 'priority':
      return d.spec.priority;
    case 'least-outstanding':
      return d.outstanding;
    case 'lowest-latency':
      // The average only moves when calls finish, so a burst would all land on the fastest deployment before its
      // average could rise; scaling by the calls already waiting there (Finagle's "peak EWMA") spreads a burst.
      // A deployment not yet measured scores 0 and is tried first.
      return d.latencyMs * (d.outstanding + 1);
    case 'lowest-cost':
      return d.spec.costPer1k;
    default:
      return strategy satisfies never;
  }
}

function pickWeighted(ds: readonly Deployment[], excluded: number, random: () => number): number {
  let total = 0;
  for (let i = 0; i < ds.length; i++) if ((excluded & bitOf(i)) === 0 && ds[i]!.available()) total += ds[i]!.spec.weight;
  if (total === 0) return -1;
  let r = random() * total;
  let last = -1;
  for (let i = 0; i < ds.length; i++) {
    const d = ds[i]!;
    if ((excluded & bitOf(i)) !== 0 || !d.available()) continue;
    last = i;
    r -= d.spec.weight;
    if (r < 0) return i;
  }
  // Rounding can leave r a hair above zero after the last candidate.
  return last;
}
