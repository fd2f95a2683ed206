import type { ContentFilterType } from '../content-policy-config.js';
import type { ConfidenceLevel } from '../engine/guardrail-assessment.js';

/**
 * Llama Guard 3's own hazard codes, for a judge served behind a chat template that supplies its taxonomy (Ollama, vLLM,
 * a hosted Llama Guard): the model then answers with these codes whatever our prompt says, so they are read here
 * instead. Codes with no Bedrock counterpart (specialised advice, privacy, intellectual property, elections, code
 * interpreter abuse) map to nothing. Llama Guard has no prompt-attack category and no custom topics.
 */
export const LLAMA_GUARD_3_CODES: Readonly<Record<string, readonly ContentFilterType[]>> = {
  S1: ['VIOLENCE', 'MISCONDUCT'], // violent crimes
  S2: ['MISCONDUCT'], // non-violent crimes
  S3: ['SEXUAL', 'MISCONDUCT'], // sex-related crimes
  S4: ['SEXUAL', 'MISCONDUCT'], // child sexual exploitation
  S5: ['INSULTS'], // defamation
  S6: [],
  S7: [],
  S8: [],
  S9: ['VIOLENCE'], // indiscriminate weapons
  S10: ['HATE'],
  S11: ['VIOLENCE'], // suicide and self-harm
  S12: ['SEXUAL'],
  S13: [],
  S14: [],
};

/** Categories a Llama Guard 3 judge can rate. */
export const LLAMA_GUARD_3_CATEGORIES: ReadonlySet<ContentFilterType> = new Set(Object.values(LLAMA_GUARD_3_CODES).flat());

/** `safe`, or `unsafe` and its codes, as levels per Bedrock category (HIGH for a named hazard); undefined if unreadable. */
export function parseLlamaGuard3(answer: string): Map<ContentFilterType, ConfidenceLevel> | undefined {
  const lines = answer
    .replace(/<think>[\s\S]*?<\/think>/gi, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const verdict = lines[0]?.toLowerCase().replace(/[.:]$/, '');
  const levels = new Map<ContentFilterType, ConfidenceLevel>([...LLAMA_GUARD_3_CATEGORIES].map((c) => [c, 'NONE']));
  if (verdict === 'safe' && lines.length === 1) return levels;
  if (verdict !== 'unsafe') return undefined;
  const rest = lines.slice(1).join(',');
  if (!/^[\sSs\d,]+$/.test(rest)) return undefined;
  const codes = rest.match(/S\d+/gi)?.map((c) => c.toUpperCase()) ?? [];
  if (codes.length === 0 || codes.some((c) => !(c in LLAMA_GUARD_3_CODES))) return undefined;
  for (const code of codes) for (const c of LLAMA_GUARD_3_CODES[code]!) levels.set(c, 'HIGH');
  return levels;
}
