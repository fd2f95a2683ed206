import type { ConfidenceLevel } from '../engine/guardrail-assessment.js';
import { LEVELS } from './judge-prompt.js';

/**
 * Reads a judge's answer into a level per code, or undefined when it cannot be read. Two forms are accepted:
 * - JSON, `{"S1":"HIGH","S2":"NONE"}` (levels in any case; true/false as HIGH/NONE), also inside a code fence or after
 *   a model's reasoning, and nested one level (`{"verdicts":{…}}`); every asked code must be rated;
 * - Llama Guard's `safe` or `unsafe` followed by the violated codes (`unsafe\nS1,S3`): those HIGH, the rest NONE.
 * Anything else (an unknown code, a missing one, prose) is unreadable: a guess could let harmful content through.
 */
export function parseJudgeAnswer(answer: string, codes: readonly string[]): Map<string, ConfidenceLevel> | undefined {
  const text = answer.replace(/<think>[\s\S]*?<\/think>/gi, '').trim();
  return fromJson(text, codes) ?? fromLlamaGuard(text, codes);
}

function fromJson(text: string, codes: readonly string[]): Map<string, ConfidenceLevel> | undefined {
  const open = text.indexOf('{');
  const close = text.lastIndexOf('}');
  if (open < 0 || close < open) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text.slice(open, close + 1));
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  let record = value;
  if (!codes.some((c) => c in record)) {
    const nested = Object.values(record).filter(isRecord);
    if (nested.length !== 1) return undefined;
    record = nested[0]!;
  }
  const out = new Map<string, ConfidenceLevel>();
  for (const code of codes) {
    const level = levelOf(record[code]);
    if (!level) return undefined;
    out.set(code, level);
  }
  return out;
}

function fromLlamaGuard(text: string, codes: readonly string[]): Map<string, ConfidenceLevel> | undefined {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const verdict = lines[0]?.toLowerCase().replace(/[.:]$/, '');
  if (verdict === 'safe' && lines.length === 1) return new Map(codes.map((c) => [c, 'NONE']));
  if (verdict !== 'unsafe') return undefined;
  const rest = lines.slice(1).join(',');
  if (!/^[\sSs\d,]+$/.test(rest)) return undefined;
  const named = rest.match(/S\d+/gi)?.map((c) => c.toUpperCase()) ?? [];
  if (named.length === 0 || named.some((c) => !codes.includes(c))) return undefined;
  return new Map(codes.map((c) => [c, named.includes(c) ? 'HIGH' : 'NONE']));
}

function levelOf(v: unknown): ConfidenceLevel | undefined {
  if (v === true) return 'HIGH';
  if (v === false) return 'NONE';
  if (typeof v !== 'string') return undefined;
  const up = v.trim().toUpperCase() as ConfidenceLevel;
  return LEVELS.includes(up) ? up : undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
