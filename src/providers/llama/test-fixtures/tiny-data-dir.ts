import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTinyGguf } from './make-tiny-gguf.js';

export const TEXT_SCRIPT = ['Hello', ' there', ',', ' friend', '!'];
export const TOOL_SCRIPT = ['||call: ', 'get_weather', '(', '{"city": "paris"}', ')'];

/** Not ChatML, so node-llama-cpp cannot swap in a built-in wrapper and must render this Jinja template itself. */
export const QA_TEMPLATE =
  "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}{{ '### Question:\\n' + message['content'] + '\\n' }}" +
  "{% elif message['role'] == 'system' %}{{ message['content'] + '\\n\\n' }}{% else %}{{ '### Answer:\\n' + message['content'] + eos_token + '\\n' }}" +
  "{% endif %}{% endfor %}{% if add_generation_prompt %}{{ '### Answer:\\n' }}{% endif %}";

/**
 * A data directory with four tiny models: `tiny-random` (random weights: arbitrary text, never ends on its own),
 * `tiny-text` (says "Hello there, friend!" and ends its turn), `tiny-tool` (calls get_weather for paris) and `tiny-qa`
 * (tiny-text with a non-ChatML Jinja template).
 * Their context (2048) fits the tool documentation the chat wrapper adds, tokenized nearly character by character.
 */
export function makeTinyDataDir(): { dataDir: string; modelsDir: string; cleanup(): void } {
  const dataDir = mkdtempSync(join(tmpdir(), 'quarry-llama-'));
  const modelsDir = join(dataDir, 'models');
  mkdirSync(modelsDir);
  makeTinyGguf(join(modelsDir, 'tiny-random.gguf'), { ctx: 2048, name: 'Tiny Random' });
  makeTinyGguf(join(modelsDir, 'tiny-text.gguf'), { ctx: 2048, script: TEXT_SCRIPT });
  makeTinyGguf(join(modelsDir, 'tiny-tool.gguf'), { ctx: 2048, script: TOOL_SCRIPT, scriptEnd: 'loop' });
  makeTinyGguf(join(modelsDir, 'tiny-qa.gguf'), { ctx: 2048, script: TEXT_SCRIPT, chatTemplate: QA_TEMPLATE });
  return { dataDir, modelsDir, cleanup: () => rmSync(dataDir, { recursive: true, force: true }) };
}
