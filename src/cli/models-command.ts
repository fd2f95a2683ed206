import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { silentLogger } from '../core/index.js';
import { ModelCatalog } from '../models/index.js';
import { createProgressReporter, pullModel, removeModel } from '../models/pull/index.js';
import { buildProviders } from '../server/build-providers.js';
import { loadConfig } from '../server/config.js';

export async function modelsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: { 'data-dir': { type: 'string' }, config: { type: 'string' }, sha256: { type: 'string' } },
    allowPositionals: true,
  });
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
      if (!source) throw new Error('usage: quarry models pull <hf:owner/repo/file.gguf | https-url | ollama:name> [--sha256 HEX]');
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
      if (!name) throw new Error('usage: quarry models rm <file.gguf>');
      const removed = await removeModel(name, dataDir);
      console.log(removed.length ? `Removed ${removed.join(', ')}` : `No model file named ${name}`);
      return removed.length ? 0 : 1;
    }
    default:
      throw new Error('usage: quarry models list | pull <source> | rm <file>');
  }
}
