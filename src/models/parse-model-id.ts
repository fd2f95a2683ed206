/**
 * Model ids arrive URL-encoded in paths and may be ARNs (foundation-model, inference-profile, provisioned-model,
 * custom-model, imported-model). Returns the bare id plus, for a cross-region inference profile id such as
 * `us.anthropic.claude-…`, the id without its geography prefix to try when the profile itself is not configured.
 */
export function parseModelId(raw: string): { id: string; fallback?: string } {
  let id = raw;
  if (id.includes('%')) {
    try {
      id = decodeURIComponent(id);
    } catch {
      // Leave malformed escapes as they are: the lookup then fails with a not-found that quotes what was sent.
    }
  }
  const arn = /^arn:aws[\w-]*:bedrock:[^:]*:[^:]*:(?:foundation-model|inference-profile|application-inference-profile|provisioned-model|custom-model|imported-model)\/(.+)$/.exec(id);
  if (arn) id = arn[1]!;
  const geo = /^(us|eu|apac|us-gov|global|jp|au|ca)\.(.+\..+)$/.exec(id);
  return geo ? { id, fallback: geo[2]! } : { id };
}

export function modelArn(region: string, id: string): string {
  return `arn:aws:bedrock:${region}::foundation-model/${id}`;
}
