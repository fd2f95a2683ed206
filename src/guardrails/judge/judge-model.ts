/**
 * One call to the model that judges content (an LLM judge such as Llama Guard, or any instruction model). The server
 * builds it over its own runtime, so any configured provider can judge; guardrails only see this function.
 */
export interface JudgeCall {
  /** Absent for a Llama Guard 3 judge, whose chat template brings its own instructions. */
  system?: string;
  /** The conversation to judge: one user turn with the prompt, or (Llama Guard 3, OUTPUT) a user and an assistant turn. */
  messages: Array<{ role: 'user' | 'assistant'; text: string }>;
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
  /**
   * `prompt` (default): our numbered categories and topics, answered as JSON (or `unsafe\nS1` in our numbering).
   * `llama-guard-3`: the text alone as the conversation, answered in Llama Guard 3's own codes (its chat template
   * supplies them); content filters only, and no PROMPT_ATTACK.
   */
  taxonomy?: 'prompt' | 'llama-guard-3';
}
