import { type FormEvent, useState } from 'react';
import { messageOf } from '../api/api-error';
import type { ApplyResult, GuardrailsApi } from '../api/guardrails';
import { FieldError } from '../components/notice';
import { findingsOf } from '../lib/guardrail-findings';

/** Runs ApplyGuardrail on typed text and shows the action, the text as the guardrail returns it, and why. */
export function GuardrailTestPanel({ g, id, versions }: { g: GuardrailsApi; id: string; versions: string[] }) {
  const [text, setText] = useState('');
  const [source, setSource] = useState<'INPUT' | 'OUTPUT'>('INPUT');
  const [version, setVersion] = useState('DRAFT');
  const [result, setResult] = useState<ApplyResult>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await g.apply(id, version, source, text));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  const findings = result ? findingsOf(result.assessments) : [];
  return (
    <section className="panel" aria-labelledby="gr-test-title">
      <h2 id="gr-test-title">Test</h2>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="gr-test-text">Text to check</label>
          <textarea id="gr-test-text" rows={4} value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <div className="grid-2">
          <div className="field">
            <label htmlFor="gr-test-source">Source</label>
            <select id="gr-test-source" value={source} onChange={(e) => setSource(e.target.value as 'INPUT' | 'OUTPUT')}>
              <option>INPUT</option>
              <option>OUTPUT</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="gr-test-version">Version</label>
            <select id="gr-test-version" value={version} onChange={(e) => setVersion(e.target.value)}>
              {versions.map((v) => (
                <option key={v}>{v}</option>
              ))}
            </select>
          </div>
        </div>
        <FieldError message={error} />
        <div className="form-actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Checking…' : 'Apply guardrail'}
          </button>
        </div>
      </form>
      {result && (
        <div data-testid="gr-test-result">
          <p>
            Action:{' '}
            <span className={`badge badge-${result.action === 'NONE' ? 'good' : 'bad'}`} data-testid="gr-test-action">
              {result.action}
            </span>
            {result.actionReason && <span className="muted small"> {result.actionReason}</span>}
          </p>
          <h3>Output</h3>
          {result.outputs.length === 0 ? (
            <p className="muted">No output: the text passes unchanged.</p>
          ) : (
            result.outputs.map((o, i) => (
              <pre key={i} className="code-block" data-testid="gr-test-output">
                {o.text}
              </pre>
            ))
          )}
          <h3>Assessments</h3>
          {findings.length === 0 ? (
            <p className="muted">No policy fired.</p>
          ) : (
            <table className="table" aria-label="Assessments">
              <thead>
                <tr>
                  <th scope="col">Policy</th>
                  <th scope="col">Match</th>
                  <th scope="col">Detail</th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                {findings.map((f, i) => (
                  <tr key={i}>
                    <td>{f.policy}</td>
                    <td>
                      <code>{f.what}</code>
                    </td>
                    <td>{f.detail}</td>
                    <td>{f.action}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
