import { z } from 'zod';
import type { GuardrailWordPolicyAssessment } from '../assessment-types.js';
import { parsePolicyConfig } from '../parse-policy-config.js';
import { direction, reportedAction } from '../policy-direction.js';
import type { GuardrailSource, PolicyManifest, PolicyVerdict } from '../policy-verdict.js';
import { PROFANITY_ENTRIES, PROFANITY_INNOCENT_WORDS } from './managed-profanity.js';
import { type WordPolicyConfig, wordPolicyConfigSchema } from './word-policy-config.js';
import { type WordEntry, WordMatcher, type WordOccurrence } from './word-matcher.js';

/** Where a word was found: offsets into the checked text, and the text as written there. */
export interface WordOccurrenceSpan {
  start: number;
  end: number;
  text: string;
}

/** One configured or managed word found in the text, with every place it occurs. */
export type WordFinding =
  | { kind: 'CUSTOM'; match: string; action: 'BLOCKED' | 'NONE'; detected: true; occurrences: WordOccurrenceSpan[] }
  | {
      kind: 'MANAGED';
      type: 'PROFANITY';
      match: string;
      action: 'BLOCKED' | 'NONE';
      detected: true;
      occurrences: WordOccurrenceSpan[];
    };

export const wordPolicyManifest: PolicyManifest = {
  id: 'wordPolicy',
  name: 'Word filters',
  description:
    'Blocks custom words and phrases and the managed profanity list, matched on whole words through case, spacing, ' +
    'punctuation, leetspeak, repeated letters, invisible characters and look-alike letters.',
  sources: ['INPUT', 'OUTPUT'],
  parameters: z.toJSONSchema(wordPolicyConfigSchema, { io: 'input' }) as Record<string, unknown>,
};

export interface CompiledWordPolicy {
  readonly config: WordPolicyConfig;
  check(text: string, source: GuardrailSource): PolicyVerdict<WordFinding>;
}

/**
 * Validates a Bedrock `wordPolicyConfig` and builds one matcher for the custom words and the managed list together, so
 * a check is a single pass over the text. Build it once per guardrail version: 10,000 words take tens of milliseconds.
 */
export function compileWordPolicy(input: unknown): CompiledWordPolicy {
  const config = parsePolicyConfig(wordPolicyConfigSchema, input, 'word policy');
  const words = config.wordsConfig ?? [];
  const managed = config.managedWordListsConfig?.[0];
  const entries: WordEntry[] = words.map((w) => ({ text: w.text }));
  const managedFrom = entries.length;
  if (managed) entries.push(...PROFANITY_ENTRIES);
  const matcher = new WordMatcher(entries, { innocentWords: PROFANITY_INNOCENT_WORDS });

  return {
    config,
    check(text, source) {
      const findings = new Map<string, WordFinding>();
      const managedDirection = managed ? direction(managed, source) : undefined;
      const anyEnabled = managedDirection?.enabled || words.some((w) => direction(w, source).enabled);
      const occurrences = anyEnabled ? withoutRedundantRoots(matcher.find(text), entries) : [];
      for (const o of occurrences) {
        const isManaged = o.entry >= managedFrom;
        const d = isManaged ? managedDirection! : direction(words[o.entry]!, source);
        if (!d.enabled) continue;
        // Managed findings are keyed by word: a root found anywhere and the same word listed whole are one finding.
        const key = isManaged ? `m:${entries[o.entry]!.text}` : `c:${o.entry}`;
        let finding = findings.get(key);
        if (!finding) {
          const action = reportedAction(d.action);
          const match = entries[o.entry]!.text;
          finding = isManaged
            ? { kind: 'MANAGED', type: 'PROFANITY', match, action, detected: true, occurrences: [] }
            : { kind: 'CUSTOM', match, action, detected: true, occurrences: [] };
          findings.set(key, finding);
        }
        const last = finding.occurrences.at(-1);
        if (last?.start !== o.start || last.end !== o.end) finding.occurrences.push({ start: o.start, end: o.end, text: o.text });
      }
      const list = [...findings.values()].sort((a, b) => a.occurrences[0]!.start - b.occurrences[0]!.start);
      return {
        policy: 'wordPolicy',
        detected: list.length > 0,
        blocked: list.some((f) => f.action === 'BLOCKED'),
        findings: list,
        textCharacters: text.length,
      };
    },
  };
}

/** Bedrock's `wordPolicy` assessment: one entry per distinct word found, in order of first occurrence. */
export function toWordPolicyAssessment(verdict: PolicyVerdict<WordFinding>): GuardrailWordPolicyAssessment {
  const assessment: GuardrailWordPolicyAssessment = { customWords: [], managedWordLists: [] };
  for (const f of verdict.findings) {
    if (f.kind === 'CUSTOM') assessment.customWords.push({ match: f.match, action: f.action, detected: true });
    else assessment.managedWordLists.push({ match: f.match, type: f.type, action: f.action, detected: true });
  }
  return assessment;
}

/**
 * Drops a root found inside a word ("fuck" in "motherfuckers") where a whole-word entry already covers that span:
 * the whole word is the better report. One sweep over both lists, sorted by start.
 */
function withoutRedundantRoots(found: WordOccurrence[], entries: readonly WordEntry[]): WordOccurrence[] {
  const whole = found.filter((o) => !entries[o.entry]!.anywhere);
  if (whole.length === found.length) return found;
  const out: WordOccurrence[] = [];
  let w = 0;
  let reach = -1;
  for (const o of found) {
    if (!entries[o.entry]!.anywhere) {
      out.push(o);
      continue;
    }
    while (w < whole.length && whole[w]!.start <= o.start) reach = Math.max(reach, whole[w++]!.end);
    if (reach < o.end) out.push(o);
  }
  return out;
}
