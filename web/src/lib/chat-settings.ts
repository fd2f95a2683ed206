/**
 * The playground's settings as typed in the form, checked and turned into Chat Completions parameters. Pure and
 * import-free, so the tests run it without a browser; every error names the field and says what is wanted.
 */

export interface ChatSettings {
  system: string;
  temperature: string;
  topP: string;
  maxTokens: string;
  /** One stop sequence per line. */
  stop: string;
  toolsOn: boolean;
  tools: string;
  schemaOn: boolean;
  schema: string;
}

export interface ToolDefinition {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

export interface ChatParameters {
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  stop?: string[];
  tools?: ToolDefinition[];
  response_format?: { type: 'json_schema'; json_schema: { name: string; schema: Record<string, unknown> } };
}

export type SettingsField = 'temperature' | 'topP' | 'maxTokens' | 'stop' | 'tools' | 'schema';

export class SettingsError extends Error {
  constructor(
    readonly field: SettingsField,
    message: string,
  ) {
    super(message);
  }
}

export const defaultSettings = (): ChatSettings => ({
  system: '',
  temperature: '',
  topP: '',
  maxTokens: '',
  stop: '',
  toolsOn: false,
  tools: '',
  schemaOn: false,
  schema: '',
});

export const EXAMPLE_TOOLS = `[
  {
    "name": "get_weather",
    "description": "Current weather for a city",
    "parameters": {
      "type": "object",
      "properties": { "city": { "type": "string" } },
      "required": ["city"]
    }
  }
]`;

export const EXAMPLE_SCHEMA = `{
  "type": "object",
  "properties": {
    "answer": { "type": "string" },
    "confidence": { "type": "number" }
  },
  "required": ["answer"]
}`;

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const MAX_STOP_SEQUENCES = 4;

function number(field: SettingsField, label: string, raw: string, min: number, max: number, integer: boolean): number | undefined {
  const s = raw.trim();
  if (!s) return undefined;
  const n = Number(s);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    throw new SettingsError(field, `${label} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, or empty for the model's default.`);
  }
  return n;
}

function parseJson(field: SettingsField, label: string, raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw new SettingsError(field, `${label} are not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Tool definitions in whichever shape the user has at hand: OpenAI's `{type:'function', function:{…}}`, Bedrock's
 * `{toolSpec:{name, inputSchema:{json}}}`, or the bare `{name, description, parameters}`; one tool or an array.
 */
export function parseTools(raw: string): ToolDefinition[] {
  const v = parseJson('tools', 'Tool definitions', raw);
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0) throw new SettingsError('tools', 'Tool definitions are an empty list; add a tool or turn tools off.');
  return list.map((t, i) => {
    if (!isObject(t)) throw new SettingsError('tools', `Tool ${i + 1} is not an object.`);
    const spec = isObject(t.function) ? t.function : isObject(t.toolSpec) ? t.toolSpec : t;
    const name = spec.name;
    if (typeof name !== 'string' || !TOOL_NAME.test(name)) {
      throw new SettingsError('tools', `Tool ${i + 1} needs a "name" of 1-64 letters, digits, "_" or "-".`);
    }
    const params = spec.parameters ?? (isObject(spec.inputSchema) ? spec.inputSchema.json : undefined);
    if (params !== undefined && !isObject(params)) throw new SettingsError('tools', `The parameters of tool "${name}" must be a JSON Schema object.`);
    const description = typeof spec.description === 'string' && spec.description ? spec.description : undefined;
    return { type: 'function' as const, function: { name, ...(description ? { description } : {}), parameters: (params as Record<string, unknown> | undefined) ?? { type: 'object', properties: {} } } };
  });
}

export function parseSchema(raw: string): Record<string, unknown> {
  const v = parseJson('schema', 'The output schema', raw);
  if (!isObject(v)) throw new SettingsError('schema', 'The output schema must be a JSON Schema object, such as {"type": "object", "properties": {…}}.');
  return v;
}

/** The parameters to send; throws SettingsError for the first field that is wrong. */
export function chatParameters(s: ChatSettings): ChatParameters {
  const out: ChatParameters = {};
  const temperature = number('temperature', 'Temperature', s.temperature, 0, 2, false);
  if (temperature !== undefined) out.temperature = temperature;
  const topP = number('topP', 'Top P', s.topP, 0, 1, false);
  if (topP !== undefined) out.top_p = topP;
  const maxTokens = number('maxTokens', 'Max tokens', s.maxTokens, 1, 1_000_000, true);
  if (maxTokens !== undefined) out.max_tokens = maxTokens;
  const stop = s.stop.split('\n').filter((x) => x.length > 0);
  if (stop.length > MAX_STOP_SEQUENCES) throw new SettingsError('stop', `At most ${MAX_STOP_SEQUENCES} stop sequences, one per line.`);
  if (stop.length) out.stop = stop;
  if (s.toolsOn && s.tools.trim()) out.tools = parseTools(s.tools);
  if (s.schemaOn) {
    if (!s.schema.trim()) throw new SettingsError('schema', 'Enter a JSON Schema for the output, or turn structured output off.');
    out.response_format = { type: 'json_schema', json_schema: { name: 'output', schema: parseSchema(s.schema) } };
  }
  return out;
}
