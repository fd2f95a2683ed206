import { parseArgs } from 'node:util';
import type { DeploymentHealth, DrainOverride } from '../routing/index.js';
import { requestJson, serverAddress } from './client.js';

const USAGE = `quarry routing — routing's deployments: health, and taking them out of rotation at runtime

  quarry routing ls                          every deployment the server has routed to, with breaker state and drains
  quarry routing drain <deployment-id>       stops new calls to it on every replica (calls in flight finish)
  quarry routing restore <deployment-id>     puts it back in rotation (also over a configured drained: true)
  quarry routing reset <deployment-id>       forgets the drain or restore: the configuration's drained decides again

A drain or restore is stored: it survives restarts and beats the configuration's drained until reset.
Other replicas follow within routing.drainRefreshMs (2 s by default). --json prints the server's answer.`;

const options = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
} as const;

interface Listing {
  deployments: DeploymentHealth[];
  drains: DrainOverride[];
}

export async function routingCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === 'help' || sub === '--help') {
    console.log(USAGE);
    return 0;
  }
  const { values: v, positionals } = parseArgs({ args: rest, options, allowPositionals: true });
  const addr = serverAddress(v);
  switch (sub) {
    case 'ls': {
      const r = await requestJson<Listing>(addr, 'GET', '/quarry/routing/deployments');
      console.log(v.json ? JSON.stringify(r, null, 2) : listing(r).join('\n'));
      return 0;
    }
    case 'drain':
    case 'restore': {
      const id = positionals[0];
      if (!id) throw new Error(`usage: quarry routing ${sub} <deployment-id>`);
      const r = await requestJson<{ override: DrainOverride; deployment: DeploymentHealth | null }>(addr, 'POST', `/quarry/routing/deployments/${encodeURIComponent(id)}/${sub}`);
      const inFlight = r.deployment?.outstanding ?? 0;
      console.log(
        v.json
          ? JSON.stringify(r, null, 2)
          : sub === 'drain'
            ? `drained ${id}: no new calls go to it${inFlight ? `; ${inFlight} call(s) in flight on this replica finish there` : ''}`
            : `restored ${id}: it takes calls again`,
      );
      return 0;
    }
    case 'reset': {
      const id = positionals[0];
      if (!id) throw new Error('usage: quarry routing reset <deployment-id>');
      const r = await requestJson<{ deployment: DeploymentHealth | null }>(addr, 'POST', `/quarry/routing/deployments/${encodeURIComponent(id)}/reset`);
      const now = r.deployment ? (r.deployment.drained ? 'drained, as the configuration says' : 'in rotation, as the configuration says') : 'as the configuration says';
      console.log(v.json ? JSON.stringify(r, null, 2) : `reset ${id}: ${now}`);
      return 0;
    }
    default:
      throw new Error(`unknown subcommand "${sub}"; see quarry routing help`);
  }
}

function listing(r: Listing): string[] {
  const drains = new Map(r.drains.map((d) => [d.deploymentId, d]));
  const rows = r.deployments.map((d) => [
    d.id,
    d.model,
    d.provider,
    d.region ?? '-',
    d.active ? `${d.state}/${d.active.state}` : d.state,
    d.drained ? `yes (${d.drainedBy === 'operator' ? `by ${drains.get(d.id)?.updatedBy ?? 'an operator'}` : 'config'})` : d.drainedBy === 'operator' ? 'no (restored)' : 'no',
    String(d.outstanding),
    String(d.calls),
    String(d.failures),
  ]);
  const head = ['DEPLOYMENT', 'MODEL', 'PROVIDER', 'REGION', 'STATE', 'DRAINED', 'IN FLIGHT', 'CALLS', 'FAILURES'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const out = [head, ...rows].map((row) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
  // A stored drain names a deployment this replica has not routed to yet: it applies from the first call.
  const seen = new Set(r.deployments.map((d) => d.id));
  for (const d of r.drains.filter((x) => !seen.has(x.deploymentId))) {
    out.push(`${d.deploymentId}: ${d.drained ? 'drained' : 'restored'} by ${d.updatedBy} at ${d.updatedAt} (not routed to yet on this replica)`);
  }
  if (r.deployments.length === 0 && r.drains.length === 0) out.push('(no deployments routed yet; routing is off without routing:, deployments: or inferenceProfiles: in the configuration)');
  return out;
}
