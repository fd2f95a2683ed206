import type { AgentTracePart } from '../api/agents';
import { traceSteps } from './trace-steps';

/** An answer's trace, folded by default: each step opens on its own to show the text or data behind it. */
export function AgentTrace({ parts }: { parts: AgentTracePart[] }) {
  const steps = traceSteps(parts);
  if (steps.length === 0) return null;
  return (
    <details className="agent-trace">
      <summary>
        Trace ({steps.length} step{steps.length === 1 ? '' : 's'})
      </summary>
      <ol aria-label="Trace steps">
        {steps.map((s, i) => (
          <li key={i} data-step={s.kind}>
            <details>
              <summary>{s.label}</summary>
              <pre className="mono small">{s.detail}</pre>
            </details>
          </li>
        ))}
      </ol>
    </details>
  );
}
