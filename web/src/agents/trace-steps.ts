/** One line of an invocation's trace as the test chat lists it: what happened, and its text or data. */
export interface TraceStep {
  kind: string;
  label: string;
  detail: string;
}

const pretty = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v, null, 2));

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v && typeof v === 'object' ? (v as Rec) : {});

/** The step of a phase's model call or its parsed output (pre-, post-processing and orchestration alike). */
function modelStep(phase: string, member: string, v: Rec): TraceStep {
  if (member === 'modelInvocationInput') return { kind: 'model-input', label: `${phase}: model input (${String(v.foundationModel ?? '')})`, detail: pretty(v.text ?? v) };
  const parsed = rec(v.parsedResponse);
  return { kind: 'model-output', label: `${phase}: model output`, detail: pretty(rec(v.rawResponse).content ?? parsed.text ?? v) };
}

function orchestrationStep(member: string, v: Rec): TraceStep {
  switch (member) {
    case 'rationale':
      return { kind: 'rationale', label: 'Rationale', detail: pretty(v.text) };
    case 'invocationInput': {
      const ag = v.actionGroupInvocationInput ? rec(v.actionGroupInvocationInput) : undefined;
      if (ag) {
        const target = ag.function ?? `${String(ag.verb ?? '').toUpperCase()} ${String(ag.apiPath ?? '')}`;
        return { kind: 'action-group', label: `Action group ${String(ag.actionGroupName)}: ${String(target)}`, detail: pretty(ag.parameters ?? ag.requestBody ?? []) };
      }
      const kb = v.knowledgeBaseLookupInput ? rec(v.knowledgeBaseLookupInput) : undefined;
      if (kb) return { kind: 'knowledge-base', label: `Knowledge base ${String(kb.knowledgeBaseId)} lookup`, detail: pretty(kb.text) };
      const co = v.agentCollaboratorInvocationInput ? rec(v.agentCollaboratorInvocationInput) : undefined;
      if (co) return { kind: 'collaborator', label: `Collaborator ${String(co.agentCollaboratorName)}`, detail: pretty(rec(co.input).text) };
      return { kind: 'invocation', label: `Invocation (${String(v.invocationType)})`, detail: pretty(v) };
    }
    case 'observation': {
      const out =
        rec(v.actionGroupInvocationOutput).text ??
        rec(v.finalResponse).text ??
        rec(v.repromptResponse).text ??
        rec(rec(v.agentCollaboratorInvocationOutput).output).text ??
        v.knowledgeBaseLookupOutput ??
        v;
      return { kind: 'observation', label: `Observation (${String(v.type)})`, detail: pretty(out) };
    }
    default:
      return modelStep('Orchestration', member, v);
  }
}

const PHASE: Rec = { preProcessingTrace: 'Pre-processing', postProcessingTrace: 'Post-processing' };

/** InvokeAgent's trace events as readable steps, in the order they came; a member this list does not know is shown as its data. */
export function traceSteps(parts: { trace: unknown }[]): TraceStep[] {
  const steps: TraceStep[] = [];
  for (const p of parts) {
    for (const [phase, body] of Object.entries(rec(p.trace))) {
      const [member, value] = Object.entries(rec(body))[0] ?? [phase, body];
      if (phase === 'orchestrationTrace') steps.push(orchestrationStep(member, rec(value)));
      else if (phase in PHASE) steps.push(modelStep(String(PHASE[phase]), member, rec(value)));
      else if (phase === 'failureTrace') steps.push({ kind: 'failure', label: 'Failure', detail: pretty(rec(body).failureReason ?? body) });
      else if (phase === 'guardrailTrace') steps.push({ kind: 'guardrail', label: `Guardrail: ${String(rec(body).action)}`, detail: pretty(body) });
      else steps.push({ kind: phase, label: phase, detail: pretty(body) });
    }
  }
  return steps;
}
