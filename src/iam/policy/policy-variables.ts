/**
 * Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`) in Resource and in string, ARN and Bool
 * condition values, as IAM has them since Version 2012-10-17. `${*}`, `${?}` and `${$}` stand for the literal
 * characters. Substitution is one pass, and what is substituted is literal text: a value of `*` never widens a pattern.
 */

export type TemplatePart =
  /** Policy text: `*` and `?` are wildcards where the operator takes them. */
  | { readonly kind: 'text'; readonly text: string }
  /** Matches only itself: the `${*}`, `${?}`, `${$}` escapes. */
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'variable'; readonly name: string; readonly key: string; readonly fallback: string | undefined };

/** A condition key (and so a variable name): a service prefix, a colon, then a name that may carry a tag key. */
export const CONDITION_KEY = /^[A-Za-z0-9-]+:[^\s\p{Cc}${}',]{1,250}$/u;

const ESCAPES: Record<string, string> = { '*': '*', '?': '?', $: '$' };

export class TemplateError extends Error {}

/** Splits policy text into parts; throws TemplateError with a sentence that points at the problem. */
export function parseTemplate(s: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < s.length) {
    const open = s.indexOf('${', i);
    if (open < 0) {
      text += s.slice(i);
      break;
    }
    text += s.slice(i, open);
    const { part, end } = readVariable(s, open);
    if (text) parts.push({ kind: 'text', text });
    text = '';
    const prev = parts.at(-1);
    // Adjacent literals merge so that a matcher sees one literal run.
    if (part.kind === 'literal' && prev?.kind === 'literal') parts[parts.length - 1] = { kind: 'literal', text: prev.text + part.text };
    else parts.push(part);
    i = end;
  }
  if (text) parts.push({ kind: 'text', text });
  return parts;
}

function readVariable(s: string, open: number): { part: TemplatePart; end: number } {
  let i = open + 2;
  const skip = () => {
    while (s[i] === ' ') i++;
  };
  skip();
  const nameStart = i;
  while (i < s.length && !' ,}'.includes(s[i]!)) i++;
  const name = s.slice(nameStart, i);
  skip();
  let fallback: string | undefined;
  if (s[i] === ',') {
    i++;
    skip();
    if (s[i] !== "'") throw new TemplateError(`the default value of \${${name}} must be in single quotes`);
    i++;
    fallback = '';
    for (;;) {
      if (i >= s.length) throw new TemplateError(`the default value of \${${name}} has no closing quote`);
      if (s[i] === "'") {
        if (s[i + 1] === "'") {
          fallback += "'";
          i += 2;
          continue;
        }
        i++;
        break;
      }
      fallback += s[i++];
    }
    skip();
  }
  if (s[i] !== '}') throw new TemplateError(`policy variable at offset ${open} is not closed with }`);
  const end = i + 1;
  const escaped = ESCAPES[name];
  if (escaped !== undefined) {
    if (fallback !== undefined) throw new TemplateError(`\${${name}} takes no default value`);
    return { part: { kind: 'literal', text: escaped }, end };
  }
  if (!CONDITION_KEY.test(name)) throw new TemplateError(`\${${name}} is not a policy variable: expected a condition key such as \${aws:username}`);
  return { part: { kind: 'variable', name, key: name.toLowerCase(), fallback }, end };
}

/** The keys a template cannot do without: variables that have no default value. */
export function requiredVariables(parts: readonly TemplatePart[]): string[] {
  return parts.flatMap((p) => (p.kind === 'variable' && p.fallback === undefined ? [p.key] : []));
}

export const hasVariables = (parts: readonly TemplatePart[]): boolean => parts.some((p) => p.kind === 'variable');

/** A part after substitution: `pattern` text keeps its wildcards, `literal` text matches only itself. */
export interface ResolvedPart {
  readonly pattern: boolean;
  readonly text: string;
}

/** Where variables get their values: the request being evaluated. An object, not a callback, so that the hot path
 * creates no closures. */
export interface VariableSource {
  /** A policy variable's text by lower-cased key; undefined when the request has no single value for it. */
  variable(keyLower: string): string | undefined;
}

export const NO_VARIABLES: VariableSource = { variable: () => undefined };

/** Substitutes every variable, or returns undefined when one has no value and no default. */
export function resolveTemplate(parts: readonly TemplatePart[], vars: VariableSource): ResolvedPart[] | undefined {
  const out: ResolvedPart[] = [];
  for (const p of parts) {
    if (p.kind === 'text') out.push({ pattern: true, text: p.text });
    else if (p.kind === 'literal') out.push({ pattern: false, text: p.text });
    else {
      const v = vars.variable(p.key) ?? p.fallback;
      if (v === undefined) return undefined;
      out.push({ pattern: false, text: v });
    }
  }
  return out;
}

/** The template as plain text, for operators where nothing is a wildcard. */
export const joinResolved = (parts: readonly ResolvedPart[]): string => parts.map((p) => p.text).join('');
