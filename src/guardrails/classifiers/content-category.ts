/** Bedrock's content-filter categories (`GuardrailContentFilterType`), in the order assessments list them. */
export const CONTENT_CATEGORIES = ['HATE', 'INSULTS', 'SEXUAL', 'VIOLENCE', 'MISCONDUCT', 'PROMPT_ATTACK'] as const;

export type ContentCategory = (typeof CONTENT_CATEGORIES)[number];

const KNOWN: ReadonlySet<string> = new Set(CONTENT_CATEGORIES);

export function isContentCategory(value: unknown): value is ContentCategory {
  return typeof value === 'string' && KNOWN.has(value);
}
