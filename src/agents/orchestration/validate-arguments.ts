import { z } from 'zod';
import type { JsonSchema } from './agent-definition.js';

// Compiled once per schema object: an agent definition is reused across the calls of an invocation.
const compiled = new WeakMap<JsonSchema, z.ZodType | null>();

function compile(schema: JsonSchema): z.ZodType | null {
  let v = compiled.get(schema);
  if (v === undefined) {
    try {
      v = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    } catch {
      // A schema zod cannot read (an exotic keyword) is not the model's fault: its calls are passed on unchecked.
      v = null;
    }
    compiled.set(schema, v);
  }
  return v;
}

/**
 * Problems with a model's tool arguments, as sentences the model can act on; empty when they fit the schema.
 * Top-level arguments the schema does not name are reported too: they are usually a hallucinated parameter, and an
 * executor would silently drop them.
 */
export function argumentProblems(schema: JsonSchema, args: unknown): string[] {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return ['the arguments must be a JSON object'];
  const problems: string[] = [];
  const props = schema.properties;
  if (props && typeof props === 'object') {
    const known = Object.keys(props);
    for (const k of Object.keys(args)) {
      if (!known.includes(k)) problems.push(`unknown argument "${k}" (accepted: ${known.join(', ') || 'none'})`);
    }
  }
  const zs = compile(schema);
  if (zs) {
    const r = zs.safeParse(args);
    if (!r.success) {
      for (const issue of r.error.issues.slice(0, 8)) {
        const where = issue.path.length ? issue.path.map(String).join('.') : '(arguments)';
        problems.push(`${where}: ${issue.message}`);
      }
    }
  }
  return problems;
}
