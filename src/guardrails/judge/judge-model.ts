/**
 * One call to the model that judges content (an LLM judge such as Llama Guard, or any instruction model). The server
 * builds it over its own runtime, so any configured provider can judge; guardrails only see this function.
 */
export interface JudgeCall {
  system: string;
  prompt: string;
  /** Asks for JSON matching this schema, where the provider can constrain its output (left out when configured off). */
  jsonSchema?: { name: string; description?: string; schema: Record<string, unknown> };
  maxTokens: number;
  /** Aborts when the judge's time is up. */
  signal: AbortSignal;
}

/** Sends one prompt to the judge model and returns its answer's text. Failures are thrown as they come. */
export type JudgeModel = (call: JudgeCall) => Promise<string>;

/** How the judge is used: which model, and the bounds that keep one check's cost and time finite. */
export interface GuardrailJudge {
  /** The model's id as clients name it; for error messages. */
  modelId: string;
  model: JudgeModel;
  /** Per window, including a retry of an answer that could not be read. Default 15 s. */
  timeoutMs?: number;
  /** Characters per window sent to the judge. Default 6,000 (about 1,500 tokens). */
  windowChars?: number;
  /** Most windows one text may need; longer text is refused, never cut. Default 32. */
  maxWindows?: number;
  /** Windows of one text judged at once. Default 4. */
  concurrency?: number;
  /** Ask for JSON-schema output (default true); off for models that only answer Llama-Guard-style. */
  structuredOutput?: boolean;
}
