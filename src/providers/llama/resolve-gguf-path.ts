import { isAbsolute, join, resolve } from 'node:path';

/**
 * A configured model's `upstreamModel` names its file: an absolute path, or a name relative to the models folder, with
 * or without the `.gguf` suffix (`qwen2.5-0.5b-instruct-q4_k_m` finds `<dataDir>/models/qwen2.5-0.5b-instruct-q4_k_m.gguf`).
 */
export function resolveGgufPath(modelsDir: string, upstreamModel: string): string {
  const withSuffix = /\.gguf$/i.test(upstreamModel) ? upstreamModel : `${upstreamModel}.gguf`;
  return isAbsolute(withSuffix) ? withSuffix : resolve(join(modelsDir, withSuffix));
}
