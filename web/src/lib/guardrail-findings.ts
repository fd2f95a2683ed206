/** One line of an ApplyGuardrail assessment: which policy fired, on what, and what it did. */
export interface Finding {
  policy: string;
  what: string;
  detail?: string;
  action: string;
}

type Row = Record<string, unknown>;
const rows = (v: unknown): Row[] => (Array.isArray(v) ? (v as Row[]) : []);
const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/**
 * Flattens Bedrock's assessment shapes (`GuardrailAssessment`: topic, content, word, sensitive-information and
 * contextual-grounding policies) into rows; invocation metrics and coverage are not findings and are skipped.
 */
export function findingsOf(assessments: Row[]): Finding[] {
  const out: Finding[] = [];
  for (const a of assessments) {
    const topic = a.topicPolicy as Row | undefined;
    for (const t of rows(topic?.topics)) out.push({ policy: 'Denied topic', what: str(t.name), action: str(t.action) });
    const content = a.contentPolicy as Row | undefined;
    for (const f of rows(content?.filters)) out.push({ policy: 'Content filter', what: str(f.type), detail: `confidence ${str(f.confidence)}`, action: str(f.action) });
    const word = a.wordPolicy as Row | undefined;
    for (const w of rows(word?.customWords)) out.push({ policy: 'Word filter', what: str(w.match), action: str(w.action) });
    for (const w of rows(word?.managedWordLists)) out.push({ policy: 'Word filter', what: str(w.match), detail: str(w.type), action: str(w.action) });
    const pii = a.sensitiveInformationPolicy as Row | undefined;
    for (const p of rows(pii?.piiEntities)) out.push({ policy: 'Sensitive information', what: str(p.match), detail: str(p.type), action: str(p.action) });
    for (const r of rows(pii?.regexes)) out.push({ policy: 'Sensitive information', what: str(r.match), detail: str(r.name), action: str(r.action) });
    const grounding = a.contextualGroundingPolicy as Row | undefined;
    for (const f of rows(grounding?.filters)) {
      out.push({ policy: 'Contextual grounding', what: str(f.type), detail: `score ${str(f.score)} against threshold ${str(f.threshold)}`, action: str(f.action) });
    }
  }
  return out;
}
