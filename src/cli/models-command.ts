import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { silentLogger } from '../core/index.js';
import { ModelCatalog } from '../models/index.js';
import { createProgressReporter, pullModel, removeModel } from '../models/pull/index.js';
import { buildProviders } from '../server/build-providers.js';
import { loadConfig } from '../server/config.js';

const USAGE = `quarry models — the models this gateway serves, and the GGUF files it runs locally

Usage:
  quarry models list [--data-dir DIR] [--config FILE]
                       every model served (local files and configured providers): kind, provider, context, price
  quarry models pull <hf:owner/repo/file.gguf | https-url | ollama:name> [--sha256 HEX] [--data-dir DIR]
                       download a model file into <data-dir>/models, with progress; resumes an interrupted download
                       (ollama:name asks the configured Ollama to pull it instead)
  quarry models rm <file.gguf> [--data-dir DIR]
                       delete a pulled model file (and any partial download of it)

Options:
  --sha256 HEX         the sha256 the downloaded file must have (default: the one Hugging Face states, if any)
  --data-dir DIR       the server's data directory (default: dataDir in the config file, else .quarry)
  --config FILE        a quarry.yaml; its providers and models are listed, its dataDir used
  -h, --help           show this help

ls and remove are aliases of list and rm. HF_TOKEN is sent for gated repositories; HF_ENDPOINT points at a mirror.`;

const SEE_HELP = 'see quarry models --help';

/** `--help` or `-h` anywhere before a `--` that ends the options. */
function asksForHelp(args: string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

export async function modelsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || sub === 'help' || asksForHelp(args)) {
    console.log(USAGE);
    return 0;
  }
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(rest);
  } catch (e) {
    // parseArgs' own errors (an unknown option, a flag missing its value) get a pointer to the full usage.
    if (String((e as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) throw new Error(`${(e as Error).message} (${SEE_HELP})`);
    throw e;
  }
  const { values, positionals } = parsed;
  const config = loadConfig(values.config);
  const dataDir = resolve(values['data-dir'] ?? config.dataDir ?? '.quarry');
  switch (sub) {
    case 'list':
    case 'ls': {
      const providers = await buildProviders({ config, dataDir, log: silentLogger });
      const catalog = new ModelCatalog(providers, '');
      const models = await catalog.list();
      await catalog.close();
      if (!models.length) {
        console.log('No models. Pull one with: quarry models pull hf:<owner>/<repo>/<file>.gguf');
        return 0;
      }
      console.log(`${'MODEL'.padEnd(44)} ${'KIND'.padEnd(9)} ${'PROVIDER'.padEnd(12)} ${'CONTEXT'.padEnd(8)} PRICE /1K in·out`);
      for (const m of models) {
        const price = m.pricing ? `$${m.pricing.inputPer1k} · $${m.pricing.outputPer1k}` : '-';
        console.log(`${m.id.padEnd(44)} ${m.kind.padEnd(9)} ${m.providerId.padEnd(12)} ${String(m.contextWindow ?? '-').padEnd(8)} ${price}`);
      }
      return 0;
    }
    case 'pull': {
      const source = positionals[0];
      if (!source) throw new Error(`usage: quarry models pull <hf:owner/repo/file.gguf | https-url | ollama:name> [--sha256 HEX] [--data-dir DIR] (${SEE_HELP})`);
      if (source.startsWith('ollama:')) {
        // Ollama keeps its own model store: ask the Ollama server to pull, and show its progress.
        const { pullOllamaModel } = await import('../providers/ollama/index.js');
        const progress = createProgressReporter(process.stderr, { label: source });
        await pullOllamaModel(config.ollama.baseUrl, source.slice('ollama:'.length), (p) =>
          progress.onProgress({ receivedBytes: p.completed ?? 0, totalBytes: p.total, bytesPerSecond: 0 }),
        ).finally(() => progress.done());
        console.log(`Pulled ${source} into the Ollama at ${config.ollama.baseUrl}`);
        return 0;
      }
      const progress = createProgressReporter(process.stderr, { label: source.split('/').pop() });
      const ac = new AbortController();
      process.once('SIGINT', () => ac.abort());
      try {
        const r = await pullModel(source, { dataDir, sha256: values.sha256, onProgress: progress.onProgress, signal: ac.signal });
        progress.done();
        console.log(`${r.reused ? 'Already present' : 'Pulled'}: ${r.path} (${r.sizeBytes} bytes, verified: ${r.verified})`);
      } catch (e) {
        progress.done();
        throw e;
      }
      return 0;
    }
    case 'rm':
    case 'remove': {
      const name = positionals[0];
      if (!name) throw new Error(`usage: quarry models rm <file.gguf> [--data-dir DIR] (${SEE_HELP})`);
      const removed = await removeModel(name, dataDir);
      console.log(removed.length ? `Removed ${removed.join(', ')}` : `No model file named ${name}`);
      return removed.length ? 0 : 1;
    }
    default:
      throw new Error(`unknown subcommand '${sub}'; usage: quarry models list | pull <source> | rm <file> (${SEE_HELP})`);
  }
}

function parseOptions(args: string[]) {
  return parseArgs({
    args,
    options: { 'data-dir': { type: 'string' }, config: { type: 'string' }, sha256: { type: 'string' } },
    allowPositionals: true,
  });
}
