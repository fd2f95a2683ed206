import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createProgressReporter, ensureDefaultModel } from '../models/pull/index.js';
import { loadConfig } from '../server/config.js';
import { createLogger } from '../server/logger.js';
import { startQuarry } from '../server/quarry-server.js';
import { standardRoutes } from '../server/standard-routes.js';

export async function serveCommand(args: string[]): Promise<number | undefined> {
  const { values } = parseArgs({
    args,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      config: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'no-pull': { type: 'boolean', default: false },
    },
  });
  if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) throw new Error('--tls-cert and --tls-key go together.');
  const config = loadConfig(values.config);
  const dataDir = resolve(values['data-dir'] ?? config.dataDir ?? '.quarry');
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) throw new Error(`--port ${values.port} is not a port number.`);

  // First start with no text model at all: fetch the small default one so the README's start ends in a working chat.
  const hasLocalText = hasGguf(join(dataDir, 'models'));
  if (!values['no-pull'] && !hasLocalText && config.providers.length === 0) {
    process.stderr.write('No text model found; downloading the default small model (use --no-pull to skip).\n');
    const progress = createProgressReporter(process.stderr, { label: 'default model' });
    const r = await ensureDefaultModel({ dataDir, onProgress: progress.onProgress });
    progress.done();
    if (!r.ok) process.stderr.write(`Could not download the default model: ${r.reason}\nThe server starts anyway.\n`);
  }

  const server = await startQuarry({
    config,
    dataDir,
    host: values.host,
    port,
    tls: values['tls-cert'] ? { certFile: values['tls-cert'], keyFile: values['tls-key']! } : undefined,
    log: createLogger(),
    routes: standardRoutes,
  });
  const models = await server.catalog.list();
  const out: string[] = [`\nQuarry is listening on ${server.url}  (data: ${server.dataDir})`];
  if (models.length) {
    out.push('Models:');
    for (const m of models) out.push(`  ${m.id.padEnd(44)} ${m.kind.padEnd(9)} ${m.runsOn === 'local' ? 'local' : `via ${m.providerId}`}`);
  }
  if (!models.some((m) => m.kind === 'text')) {
    out.push(
      'No text-generation model is available. To add one:',
      `  - put a .gguf file in ${join(server.dataDir, 'models')} (picked up without a restart), or`,
      '  - quarry models pull hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf, or',
      '  - configure a provider (OpenAI-compatible, Ollama, Anthropic, Bedrock) in quarry.yaml; see the README.',
    );
  }
  const g = server.bootstrap.generated;
  if (g) {
    out.push(
      'Administrator credentials were generated (shown once; also saved with mode 0600 in',
      `  ${g.file}):`,
      `  API key:            ${g.apiKey}`,
      `  Access key id:      ${g.accessKeyId}`,
      `  Secret access key:  ${g.secretAccessKey}`,
    );
  }
  out.push(`Console: ${server.url}/console/  (sign in with an API key)`);
  out.push(`Try: curl ${server.url}/v1/models -H "Authorization: Bearer <API key>"\n`);
  process.stderr.write(`${out.join('\n')}\n`);

  const stop = async (signal: string) => {
    const drainS = config.limits.shutdownDrainMs / 1000;
    // The handlers are `once`: a second signal finds none and ends the process at once.
    process.stderr.write(`\n${signal}: shutting down (requests in flight get up to ${drainS} s; signal again to stop now)\n`);
    await server.close({ drainMs: config.limits.shutdownDrainMs });
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  return undefined;
}

function hasGguf(dir: string): boolean {
  try {
    return readdirSync(dir).some((f) => f.endsWith('.gguf'));
  } catch {
    return false;
  }
}
