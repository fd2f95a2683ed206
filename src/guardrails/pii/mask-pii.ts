import { validation } from '../../core/errors.js';
import type { PiiEntityType } from './pii-entity-type.js';
import { CUSTOM_REGEX_TYPE, type PiiMatch } from './pii-match.js';
import { resolveOverlaps } from './resolve-overlaps.js';

/** Bedrock's `GuardrailSensitiveInformationAction`. */
export type PiiAction = 'BLOCK' | 'ANONYMIZE' | 'NONE';
/** Bedrock's `GuardrailSensitiveInformationPolicyAction`: what was done to one finding. */
export type PiiOutcome = 'BLOCKED' | 'ANONYMIZED' | 'NONE';

export interface PiiActions {
  /** Per entity type; a type not listed is reported but left in the text (NONE). */
  entities?: Partial<Record<PiiEntityType, PiiAction>>;
  /** Per custom regex name. */
  regexes?: Readonly<Record<string, PiiAction>>;
}

export interface PiiFinding {
  match: PiiMatch;
  action: PiiOutcome;
}

export interface MaskedText {
  /**
   * The text with every ANONYMIZE finding replaced by `{TYPE}` (or `{regexName}`), as Bedrock masks it. BLOCK findings
   * are masked too, so a caller that forgets to check `blocked` still leaks nothing.
   */
  text: string;
  /** True when any finding's action is BLOCK: the caller answers with the guardrail's blocked message instead. */
  blocked: boolean;
  findings: PiiFinding[];
}

/**
 * Applies a guardrail's per-type actions to matches from `detectPii` on the same `text`. Matches that overlap (from
 * another source) are resolved first so masks never nest; matches that do not fit the text are refused, since masking
 * the wrong span would leak the right one.
 */
export function maskPii(text: string, matches: readonly PiiMatch[], actions: PiiActions): MaskedText {
  for (const m of matches) {
    if (!(m.start >= 0 && m.end <= text.length && m.start < m.end) || text.slice(m.start, m.end) !== m.text) {
      throw validation(`PII match ${m.type} at ${m.start}-${m.end} does not belong to this text.`);
    }
  }
  const ordered = resolveOverlaps(matches).sort((a, b) => a.start - b.start);
  const findings: PiiFinding[] = [];
  const parts: string[] = [];
  let cursor = 0;
  let blocked = false;
  for (const match of ordered) {
    const action = actionFor(match, actions);
    const outcome = outcomeOf(action);
    findings.push({ match, action: outcome });
    if (outcome === 'BLOCKED') blocked = true;
    if (outcome !== 'NONE') {
      parts.push(text.slice(cursor, match.start), `{${match.type === CUSTOM_REGEX_TYPE ? match.regexName : match.type}}`);
      cursor = match.end;
    }
  }
  parts.push(text.slice(cursor));
  return { text: parts.join(''), blocked, findings };
}

function actionFor(match: PiiMatch, actions: PiiActions): PiiAction {
  if (match.type === CUSTOM_REGEX_TYPE) return actions.regexes?.[match.regexName ?? ''] ?? 'NONE';
  return actions.entities?.[match.type] ?? 'NONE';
}

function outcomeOf(action: PiiAction): PiiOutcome {
  switch (action) {
    case 'BLOCK':
      return 'BLOCKED';
    case 'ANONYMIZE':
      return 'ANONYMIZED';
    case 'NONE':
      return 'NONE';
    default: {
      const exhaustive: never = action;
      throw validation(`Unknown PII action: ${String(exhaustive)}`);
    }
  }
}
