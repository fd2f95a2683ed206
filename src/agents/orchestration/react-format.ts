import type { ToolSpec } from '../../core/index.js';

/**
 * The ReAct text protocol for models without native tool calling: the tools are described in the system prompt, the
 * model writes Thought / Action / Action Input lines (several actions allowed in one turn) or a Final Answer, and
 * results come back as Observation lines. Small local models follow it loosely, so the parser is forgiving about
 * fences, spacing, case and a `<tool_call>` JSON variant, and strict only where guessing would run the wrong tool.
 */

export const REACT_STOP = 'Observation:';

export function reactToolsSection(tools: readonly ToolSpec[]): string {
  const list = tools.map((t) => `- ${t.name}: ${t.description ?? ''}\n  arguments (JSON Schema): ${JSON.stringify(t.inputSchema.json)}`).join('\n');
  return `You can use these tools:
${list || '(none)'}

To use a tool, answer in exactly this format, then stop and wait:
Thought: what you will do and why
Action: the tool name, exactly as listed
Action Input: the arguments, as one JSON object on one line
You may repeat Action and Action Input to use several tools at once. The results come back as "Observation:" lines.
When you can answer, write:
Thought: why you can answer now
Final Answer: the answer for the user`;
}

export interface ParsedCall {
  name: string;
  input: unknown;
}

export type ReactTurn =
  | { kind: 'final'; text: string; rationale?: string }
  | { kind: 'calls'; calls: ParsedCall[]; rationale?: string }
  | { kind: 'invalid'; problem: string; rationale?: string };

const ACTION = /^[ \t>*_-]*action[ \t]*(?:\d+[ \t]*)?:[ \t]*(.*)$/im;
const ACTION_INPUT = /^[ \t>*_-]*action[ \t]*input[ \t]*(?:\d+[ \t]*)?:/im;
const FINAL = /^[ \t>*_-]*final[ \t]*answer[ \t]*:/im;
const TOOL_CALL = /<tool_call>([\s\S]*?)(?:<\/tool_call>|$)/gi;

export function parseReactTurn(raw: string): ReactTurn {
  // Anything after an Observation line is the model imagining the tool's answer; it must not be trusted.
  const stop = raw.search(/^[ \t]*observation[ \t]*:/im);
  const text = (stop >= 0 ? raw.slice(0, stop) : raw).trim();

  const tagged = [...text.matchAll(TOOL_CALL)];
  if (tagged.length) {
    const calls: ParsedCall[] = [];
    for (const m of tagged) {
      const obj = firstJsonObject(m[1]!);
      if (!obj.ok || typeof obj.value !== 'object' || obj.value === null) return { kind: 'invalid', problem: 'A <tool_call> did not contain a JSON object with "name" and "arguments".' };
      const v = obj.value as { name?: unknown; arguments?: unknown; parameters?: unknown };
      if (typeof v.name !== 'string') return { kind: 'invalid', problem: 'A <tool_call> has no "name".' };
      calls.push({ name: v.name.trim(), input: v.arguments ?? v.parameters ?? {} });
    }
    return withRationale({ kind: 'calls', calls }, rationaleOf(text.slice(0, tagged[0]!.index)));
  }

  const finalAt = text.search(FINAL);
  const actionAt = text.search(ACTION);
  if (actionAt >= 0 && (finalAt < 0 || actionAt < finalAt)) return parseActions(text, actionAt);
  if (finalAt >= 0) {
    const answer = text.slice(finalAt).replace(FINAL, '').trim();
    return withRationale({ kind: 'final', text: answer }, rationaleOf(text.slice(0, finalAt)));
  }
  // No protocol at all: the model just answered. Treating that as the answer beats a reprompt loop.
  return { kind: 'final', text: rationaleOf(text) ?? '' };
}

function parseActions(text: string, firstAt: number): ReactTurn {
  const rationale = rationaleOf(text.slice(0, firstAt));
  const calls: ParsedCall[] = [];
  let rest = text.slice(firstAt);
  while (rest.length) {
    const a = ACTION.exec(rest);
    if (!a) break;
    const name = a[1]!.trim().replace(/^[`"'*]+|[`"'*.]+$/g, '');
    if (!name) return withRationale({ kind: 'invalid', problem: 'An "Action:" line names no tool.' }, rationale);
    const afterAction = rest.slice(a.index + a[0].length);
    const next = ACTION.exec(afterAction);
    const inputAt = afterAction.search(ACTION_INPUT);
    // An Action Input belongs to this action only if it comes before the next Action line.
    if (inputAt < 0 || (next && next.index < inputAt)) {
      calls.push({ name, input: {} });
      rest = next ? afterAction.slice(next.index) : '';
      continue;
    }
    const afterInput = afterAction.slice(inputAt).replace(ACTION_INPUT, '');
    const obj = firstJsonObject(afterInput);
    if (!obj.ok) return withRationale({ kind: 'invalid', problem: `The Action Input for ${name} is not a JSON object (${obj.problem}). Write it as one JSON object, e.g. {"name": "value"}.` }, rationale);
    calls.push({ name, input: obj.value });
    rest = afterInput.slice(obj.end);
    const again = ACTION.exec(rest);
    rest = again ? rest.slice(again.index) : '';
  }
  return withRationale({ kind: 'calls', calls }, rationale);
}

function withRationale<T extends ReactTurn>(t: T, rationale: string | undefined): T {
  return rationale ? { ...t, rationale } : t;
}

function rationaleOf(s: string): string | undefined {
  const t = s.replace(/^[ \t>*_-]*thought[ \t]*:/gim, '').trim();
  return t || undefined;
}

type JsonScan = { ok: true; value: unknown; end: number } | { ok: false; problem: string };

/** The first balanced `{…}` in `s` (code fences and leading prose skipped), parsed; `end` is where it stopped. */
export function firstJsonObject(s: string): JsonScan {
  const start = s.indexOf('{');
  if (start < 0) return { ok: false, problem: 'no "{" found' };
  let depth = 0;
  let inString = false;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      try {
        return { ok: true, value: JSON.parse(s.slice(start, i + 1)), end: i + 1 };
      } catch (e) {
        return { ok: false, problem: (e as Error).message };
      }
    }
  }
  return { ok: false, problem: 'the object is not closed' };
}
