import { type CompiledCustomRegex, compileCustomRegex, detectPii, maskPii, type PiiAction, type PiiEntityType } from '../pii/index.js';
import type { GuardrailSource } from '../policies/index.js';
import type { SensitiveInformationPolicyConfig } from '../sensitive-information-config.js';
import type { GuardrailPiiEntityAssessment, GuardrailRegexAssessment } from './guardrail-assessment.js';

interface SideSettings {
  types: PiiEntityType[];
  entities: Partial<Record<PiiEntityType, PiiAction>>;
  regexes: CompiledCustomRegex[];
  regexActions: Record<string, PiiAction>;
  patterns: Record<string, string>;
}

export interface SensitiveInformationResult {
  /** The text with ANONYMIZE (and BLOCK) findings replaced by `{TYPE}` or `{regexName}`. */
  masked: string;
  anonymized: boolean;
  blocked: boolean;
  piiEntities: GuardrailPiiEntityAssessment[];
  regexes: GuardrailRegexAssessment[];
}

export interface SensitiveInformationStep {
  activeFor(source: GuardrailSource): boolean;
  /** True when only regexes run on this side: Bedrock counts those units as free. */
  regexOnly(source: GuardrailSource): boolean;
  check(text: string, source: GuardrailSource): SensitiveInformationResult;
}

/**
 * Bedrock's sensitive-information policy over `detectPii` and `maskPii`: each entity type and regex has an action per
 * side (the side's own, else `action`), and may be switched off for a side. Regexes are compiled here once, on the
 * bounded engine, so a hostile pattern is refused when the guardrail is saved rather than when it is applied.
 */
export function compileSensitiveInformationStep(config: SensitiveInformationPolicyConfig): SensitiveInformationStep {
  const compiled = (config.regexesConfig ?? []).map((r) => ({ config: r, regex: compileCustomRegex({ name: r.name, pattern: r.pattern }) }));
  const side = (source: GuardrailSource): SideSettings => {
    const input = source === 'INPUT';
    const s: SideSettings = { types: [], entities: {}, regexes: [], regexActions: {}, patterns: {} };
    for (const p of config.piiEntitiesConfig ?? []) {
      if (!((input ? p.inputEnabled : p.outputEnabled) ?? true)) continue;
      const type = p.type as PiiEntityType;
      s.types.push(type);
      s.entities[type] = (input ? p.inputAction : p.outputAction) ?? p.action;
    }
    for (const { config: r, regex } of compiled) {
      if (!((input ? r.inputEnabled : r.outputEnabled) ?? true)) continue;
      s.regexes.push(regex);
      s.regexActions[r.name] = (input ? r.inputAction : r.outputAction) ?? r.action;
      s.patterns[r.name] = r.pattern;
    }
    return s;
  };
  const sides = { INPUT: side('INPUT'), OUTPUT: side('OUTPUT') };

  return {
    activeFor: (source) => sides[source].types.length + sides[source].regexes.length > 0,
    regexOnly: (source) => sides[source].types.length === 0,
    check(text, source) {
      const s = sides[source];
      const none: SensitiveInformationResult = { masked: text, anonymized: false, blocked: false, piiEntities: [], regexes: [] };
      if (s.types.length + s.regexes.length === 0 || text.length === 0) return none;
      // detectPii with an empty type list would look for nothing from the recognizers, as wanted for regex-only sides.
      const matches = detectPii(text, { types: s.types, customRegexes: s.regexes });
      if (matches.length === 0) return none;
      const masked = maskPii(text, matches, { entities: s.entities, regexes: s.regexActions });
      const result: SensitiveInformationResult = { masked: masked.text, anonymized: false, blocked: masked.blocked, piiEntities: [], regexes: [] };
      for (const f of masked.findings) {
        if (f.action === 'ANONYMIZED') result.anonymized = true;
        if (f.match.type === 'REGEX') {
          const name = f.match.regexName ?? '';
          result.regexes.push({ name, match: f.match.text, regex: s.patterns[name] ?? '', action: f.action, detected: true });
        } else {
          result.piiEntities.push({ match: f.match.text, type: f.match.type, action: f.action, detected: true });
        }
      }
      return result;
    },
  };
}
