import { NO_VARIABLES, type ResolvedPart, resolveTemplate, type TemplatePart, type VariableSource } from './policy-variables.js';
import { type Wildcard, WildcardBuilder } from './wildcard.js';

/**
 * A wildcard pattern that may contain policy variables (`home/${aws:username}/*`). Substituted text is literal.
 *
 * Substitution costs more than matching, so each pattern with variables keeps a prefilter in which every variable is
 * a `*`: whatever the pattern can match, the prefilter matches too, so a value the prefilter rejects is rejected
 * without substituting anything — the common case, since most statements are about other resources. Patterns built
 * for a set of variable values (a user, typically) are kept, a bounded number of them.
 */
export class TemplateWildcard {
  private readonly fixed: Wildcard | undefined;
  private readonly prefilter: Wildcard | undefined;
  private readonly built = new Map<string, Wildcard>();

  constructor(private readonly parts: readonly TemplatePart[]) {
    if (!parts.some((p) => p.kind === 'variable')) {
      this.fixed = buildWildcard(resolveTemplate(parts, NO_VARIABLES)!);
      return;
    }
    const b = new WildcardBuilder();
    for (const p of parts) {
      if (p.kind === 'text') b.pattern(p.text);
      else if (p.kind === 'literal') b.literal(p.text);
      else b.pattern('*');
    }
    this.prefilter = b.build();
  }

  /** True for `*`: nothing to check. */
  get matchesEverything(): boolean {
    return this.fixed?.matchesEverything === true;
  }

  /** Undefined when a variable has no value (and no default) in this request. */
  matches(value: string, vars: VariableSource): boolean | undefined {
    if (this.fixed) return this.fixed.matches(value);
    if (!this.prefilter!.matches(value)) return false;
    // Length-prefixed values, so that no value, whatever its characters, can produce another resolution's key.
    let key = '';
    for (const p of this.parts) {
      if (p.kind !== 'variable') continue;
      const v = vars.variable(p.key) ?? p.fallback;
      if (v === undefined) return undefined;
      key += `${v.length}:${v}`;
    }
    let w = this.built.get(key);
    if (!w) {
      w = buildWildcard(resolveTemplate(this.parts, vars)!);
      if (this.built.size >= 256) this.built.clear();
      this.built.set(key, w);
    }
    return w.matches(value);
  }
}

export function buildWildcard(parts: readonly ResolvedPart[]): Wildcard {
  const b = new WildcardBuilder();
  for (const p of parts) {
    if (p.pattern) b.pattern(p.text);
    else b.literal(p.text);
  }
  return b.build();
}
