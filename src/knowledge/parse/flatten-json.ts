/** Deeper than any real document nests; a bound keeps hostile input from costing time per level. */
export const MAX_JSON_DEPTH = 100;

export class JsonDepthError extends Error {
  override readonly name = 'JsonDepthError';
}

/**
 * JSON as "path: value" lines (`order.items[0].sku: A-1`), so each value is embedded beside the names that give it
 * meaning. A list of scalars is one line (`tags: red, blue`); nulls, empty objects and empty lists are left out.
 * `onLine` sees each line's length as it is made, so a size budget can stop a huge expansion early.
 */
export function flattenJson(value: unknown, onLine: (length: number) => void = () => {}): string {
  const lines: string[] = [];
  const stack: { path: string; value: unknown; depth: number }[] = [{ path: '', value, depth: 0 }];
  const emit = (path: string, text: string) => {
    const line = path ? `${path}: ${text}` : text;
    onLine(line.length);
    lines.push(line);
  };
  while (stack.length > 0) {
    const { path, value: v, depth } = stack.pop()!;
    if (depth > MAX_JSON_DEPTH) throw new JsonDepthError(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    if (v === null || v === undefined) continue;
    if (Array.isArray(v)) {
      if (v.length === 0) continue;
      if (v.every(isScalar)) {
        const items = v.filter((x) => x !== null).map(String);
        if (items.length > 0) emit(path, items.join(', '));
        continue;
      }
      for (let i = v.length - 1; i >= 0; i--) stack.push({ path: `${path}[${i}]`, value: v[i], depth: depth + 1 });
      continue;
    }
    if (typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i];
        stack.push({ path: path ? `${path}.${key}` : key, value: child, depth: depth + 1 });
      }
      continue;
    }
    emit(path, String(v));
  }
  return lines.join('\n');
}

function isScalar(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}
