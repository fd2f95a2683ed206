import { useCallback, useEffect, useState } from 'react';
import { isAbort, messageOf } from '../api/api-error';
import type { Guardrail, GuardrailsApi } from '../api/guardrails';
import { ErrorNotice, FieldError, Loading } from '../components/notice';
import { Link, useTitle } from '../lib/router';
import { GuardrailStatus } from './guardrail-status';
import { GuardrailTestPanel } from './guardrail-test-panel';

/** What the DRAFT holds, one line per policy, so the test results can be read against it. */
function policyLines(d: Guardrail): [string, string][] {
  const lines: [string, string][] = [];
  const filters = d.contentPolicy?.filters ?? [];
  if (filters.length) lines.push(['Content filters', filters.map((f) => `${f.type} (input ${f.inputStrength}, output ${f.outputStrength})`).join('; ')]);
  const topics = d.topicPolicy?.topics ?? [];
  if (topics.length) lines.push(['Denied topics', topics.map((t) => `${t.name}: ${t.definition}`).join('; ')]);
  const words = [...(d.wordPolicy?.words ?? []).map((w) => w.text), ...(d.wordPolicy?.managedWordLists ?? []).map((m) => `${m.type} list`)];
  if (words.length) lines.push(['Word filters', words.join(', ')]);
  const pii = [...(d.sensitiveInformationPolicy?.piiEntities ?? []).map((p) => `${p.type} ${p.action}`), ...(d.sensitiveInformationPolicy?.regexes ?? []).map((r) => `${r.name} ${r.action}`)];
  if (pii.length) lines.push(['Sensitive information', pii.join(', ')]);
  const grounding = d.contextualGroundingPolicy?.filters ?? [];
  if (grounding.length) lines.push(['Contextual grounding', grounding.map((f) => `${f.type} ≥ ${f.threshold}`).join(', ')]);
  return lines;
}

/** One guardrail: its DRAFT's policies, its versions (publishing a new one), and the test panel. */
export function GuardrailDetail({ g, id }: { g: GuardrailsApi; id: string }) {
  const [draft, setDraft] = useState<Guardrail>();
  const [versions, setVersions] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  const [publishError, setPublishError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  useTitle(draft ? `${draft.name} · Guardrails` : 'Guardrails');

  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` is how Reload and Publish ask for the same guardrail again.
  useEffect(() => {
    const ac = new AbortController();
    setError(undefined);
    Promise.all([g.get(id, ac.signal), g.list(id, ac.signal)]).then(
      ([d, list]) => {
        setDraft(d);
        setVersions(list.map((s) => s.version));
      },
      (e: unknown) => {
        if (!isAbort(e)) setError(messageOf(e));
      },
    );
    return () => ac.abort();
  }, [g, id, generation]);

  async function publish() {
    setBusy(true);
    setPublishError(undefined);
    try {
      await g.publish(id);
      reload();
    } catch (e) {
      setPublishError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  const published = versions.filter((v) => v !== 'DRAFT');
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="guardrails">Guardrails</Link> <span aria-hidden="true">/</span> <span aria-current="page">{draft?.name ?? id}</span>
      </nav>
      {error && (
        <ErrorNotice title={`Guardrail ${id} could not be loaded`} onRetry={reload}>
          {error} <Link to="guardrails">Back to the list</Link>
        </ErrorNotice>
      )}
      {!draft && !error && <Loading what="the guardrail" />}
      {draft && (
        <>
          <header className="page-header">
            <div>
              <h1>{draft.name}</h1>
              <p className="muted">
                <code>{draft.guardrailId}</code> · <GuardrailStatus status={draft.status} /> · {published.length ? `published versions ${published.join(', ')}` : 'no published version'}
              </p>
            </div>
            <div className="inline-form">
              <button type="button" onClick={() => void publish()} disabled={busy}>
                {busy ? 'Publishing…' : 'Publish version'}
              </button>
              <button type="button" className="button-secondary" onClick={reload}>
                Reload
              </button>
            </div>
          </header>
          <FieldError message={publishError} />
          <div className="kb-layout">
            <section className="panel" aria-labelledby="gr-policies-title">
              <h2 id="gr-policies-title">Policies (DRAFT)</h2>
              {draft.description && <p>{draft.description}</p>}
              <dl>
                {policyLines(draft).map(([k, v]) => (
                  <div key={k}>
                    <dt>{k}</dt>
                    <dd>{v}</dd>
                  </div>
                ))}
                <div>
                  <dt>Blocked input message</dt>
                  <dd>{draft.blockedInputMessaging}</dd>
                </div>
                <div>
                  <dt>Blocked output message</dt>
                  <dd>{draft.blockedOutputsMessaging}</dd>
                </div>
              </dl>
            </section>
            <GuardrailTestPanel g={g} id={id} versions={['DRAFT', ...published]} />
          </div>
        </>
      )}
    </>
  );
}
