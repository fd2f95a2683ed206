/** One word for a deployment's health, from routing's breaker and active checks. Pure, so the tests run it in Node. */

/** What the verdict reads of routing's deployment health (`GET /quarry/routing/deployments`). */
export interface HealthSignals {
  state: 'closed' | 'open' | 'half-open';
  drained: boolean;
  /** Who drained it: an operator at runtime, or the configuration file (absent from older servers: an operator). */
  drainedBy?: 'operator' | 'config';
  active?: { state: 'healthy' | 'unhealthy' | 'unknown'; lastError?: string };
}

export interface Verdict {
  label: string;
  tone: 'good' | 'busy' | 'bad' | 'muted';
  /** Why, in a sentence, when it is not simply serving. */
  why?: string;
}

/** Worst first: what takes a deployment out of rotation wins over what only slows it. */
export function deploymentVerdict(d: HealthSignals): Verdict {
  if (d.drained) {
    const why = d.drainedBy === 'config' ? 'Drained in the configuration file' : 'Taken out of rotation by an operator';
    return { label: 'drained', tone: 'muted', why: `${why}; no new calls go to it, calls in flight finish.` };
  }
  if (d.state === 'open') return { label: 'breaker open', tone: 'bad', why: 'Recent calls failed, so routing sends none until the cooldown ends.' };
  if (d.active?.state === 'unhealthy') {
    return { label: 'unhealthy', tone: 'bad', why: d.active.lastError ? `Health checks fail: ${d.active.lastError}` : 'Health checks fail.' };
  }
  if (d.state === 'half-open') return { label: 'recovering', tone: 'busy', why: 'The cooldown ended; a few trial calls decide whether it serves again.' };
  if (d.active?.state === 'unknown') return { label: 'not yet checked', tone: 'muted' };
  return { label: 'serving', tone: 'good' };
}
