import type { Widget, WidgetOutput } from '../api/apps';
import { formatCount, formatMs, formatUsd } from '../lib/format';

export type Shown = { state: 'waiting' | 'running' | WidgetOutput['status']; text: string; output?: WidgetOutput };

/**
 * One generation widget's answer as it streams, or an image widget's image, then with its tokens (or images), latency
 * and cost (a run, or a snapshot of one).
 */
export function OutputCard({ widget: w, shown: s }: { widget: Extract<Widget, { type: 'generation' | 'image' }>; shown: Shown | undefined }) {
  const o = s?.output;
  const alt = w.label || w.name;
  return (
    <article className="card app-output" aria-label={`Output of ${w.label || w.name}`} data-output={w.name} data-state={s?.state ?? 'idle'}>
      <header className="app-output-head">
        <strong>{w.label || w.name}</strong> <code className="muted small">{w.modelId}</code>
        {s && <span className={`badge ${s.state === 'succeeded' ? 'badge-good' : s.state === 'failed' || s.state === 'skipped' ? 'badge-bad' : 'badge-busy'}`}>{s.state}</span>}
        {o?.guardrailAction === 'INTERVENED' && <span className="badge badge-bad">guardrail intervened</span>}
        {o?.reused && (
          <span className="badge" data-reused="true" title="Nothing this widget uses changed since the last run, so it did not run again.">
            kept from the last run
          </span>
        )}
      </header>
      {w.type === 'image' ? (
        <div className="app-output-image" data-testid="output">
          {o?.image ? <img src={`data:${o.image.mediaType};base64,${o.image.base64}`} alt={alt} /> : <span className="muted">{s?.state === 'running' ? 'Drawing…' : s ? '' : 'Not run yet.'}</span>}
        </div>
      ) : (
        <div className="turn-text app-output-text" data-testid="output">
          {s ? s.text : <span className="muted">Not run yet.</span>}
          {s?.state === 'running' && <span className="cursor" aria-hidden="true" />}
        </div>
      )}
      {o?.error && (
        <p className="field-error" role="alert">
          {o.error.message}
        </p>
      )}
      {o?.usage && (
        <dl className="stats" aria-label={`Statistics of ${w.name}`}>
          {o.images ? (
            <div>
              <dt>Images</dt>
              <dd>{formatCount(o.images)}</dd>
            </div>
          ) : (
            <div>
              <dt>Tokens</dt>
              <dd>{`${formatCount(o.usage.inputTokens)} in · ${formatCount(o.usage.outputTokens)} out`}</dd>
            </div>
          )}
          <div>
            <dt>Latency</dt>
            <dd>{formatMs(o.latencyMs)}</dd>
          </div>
          <div>
            <dt>Cost</dt>
            <dd data-stat="cost">{formatUsd(o.costUsd)}</dd>
          </div>
        </dl>
      )}
    </article>
  );
}
