import { type FormEvent, useState } from 'react';
import { messageOf } from '../api/api-error';
import type { GuardrailsApi } from '../api/guardrails';
import { FieldError } from '../components/notice';
import { CONTENT_FILTERS, emptyDraft, type GuardrailDraft, guardrailInputOf, STRENGTHS, type Strength } from '../lib/guardrail-draft';
// The server's own list (a file with no imports, bundled as is), so the choices cannot drift from what it accepts.
import { PII_ENTITY_TYPES } from '../lib/pii-entity-types';

/** Creates a guardrail (its DRAFT) with the common policies; the server validates and its refusal is shown as said. */
export function CreateGuardrailForm({ g, onCreated }: { g: GuardrailsApi; onCreated: () => void }) {
  const [d, setD] = useState<GuardrailDraft>(emptyDraft);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<GuardrailDraft>) => setD((prev) => ({ ...prev, ...patch }));
  const setFilter = (type: (typeof CONTENT_FILTERS)[number], side: 'input' | 'output', value: Strength) =>
    setD((prev) => ({ ...prev, filters: { ...prev.filters, [type]: { ...prev.filters[type], [side]: value } } }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await g.create(guardrailInputOf(d));
      setD(emptyDraft());
      onCreated();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel" onSubmit={submit} aria-labelledby="gr-create-title" noValidate>
      <h2 id="gr-create-title">Create a guardrail</h2>
      <div className="field">
        <label htmlFor="gr-name">Name</label>
        <input id="gr-name" value={d.name} onChange={(e) => set({ name: e.target.value })} autoComplete="off" aria-describedby="gr-name-hint" />
        <span id="gr-name-hint" className="hint">
          Up to 50 letters, digits, - and _.
        </span>
      </div>
      <div className="field">
        <label htmlFor="gr-description">Description</label>
        <input id="gr-description" value={d.description} onChange={(e) => set({ description: e.target.value })} autoComplete="off" />
      </div>

      <fieldset className="fieldset">
        <legend>Content filters</legend>
        <table className="table" aria-label="Content filter strengths">
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col">Input</th>
              <th scope="col">Output</th>
            </tr>
          </thead>
          <tbody>
            {CONTENT_FILTERS.map((type) => (
              <tr key={type}>
                <th scope="row">{type}</th>
                {(['input', 'output'] as const).map((side) => (
                  <td key={side}>
                    <select
                      aria-label={`${type} ${side} strength`}
                      value={d.filters[type][side]}
                      // Bedrock judges prompt attacks on input only.
                      disabled={type === 'PROMPT_ATTACK' && side === 'output'}
                      onChange={(e) => setFilter(type, side, e.target.value as Strength)}
                    >
                      {STRENGTHS.map((s) => (
                        <option key={s}>{s}</option>
                      ))}
                    </select>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </fieldset>

      <fieldset className="fieldset">
        <legend>Denied topics</legend>
        {d.topics.map((t, i) => {
          const update = (patch: Partial<typeof t>) => set({ topics: d.topics.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
          return (
            <div key={i} className="field">
              <label htmlFor={`gr-topic-${i}-name`}>Topic {i + 1} name</label>
              <input id={`gr-topic-${i}-name`} value={t.name} onChange={(e) => update({ name: e.target.value })} autoComplete="off" />
              <label htmlFor={`gr-topic-${i}-definition`}>Topic {i + 1} definition</label>
              <input id={`gr-topic-${i}-definition`} value={t.definition} onChange={(e) => update({ definition: e.target.value })} autoComplete="off" />
              <label htmlFor={`gr-topic-${i}-examples`}>Topic {i + 1} examples (one per line)</label>
              <textarea id={`gr-topic-${i}-examples`} rows={2} value={t.examples} onChange={(e) => update({ examples: e.target.value })} />
              <button type="button" className="button-secondary" onClick={() => set({ topics: d.topics.filter((_, j) => j !== i) })}>
                Remove topic {i + 1}
              </button>
            </div>
          );
        })}
        <button type="button" className="button-secondary" onClick={() => set({ topics: [...d.topics, { name: '', definition: '', examples: '' }] })}>
          Add topic
        </button>
      </fieldset>

      <fieldset className="fieldset">
        <legend>Word filters</legend>
        <div className="field">
          <label htmlFor="gr-words">Blocked words and phrases (one per line)</label>
          <textarea id="gr-words" rows={3} value={d.words} onChange={(e) => set({ words: e.target.value })} />
        </div>
        <label className="check">
          <input type="checkbox" checked={d.profanity} onChange={(e) => set({ profanity: e.target.checked })} /> Block profanity (managed list)
        </label>
      </fieldset>

      <fieldset className="fieldset">
        <legend>Sensitive information</legend>
        {d.pii.map((p, i) => {
          const update = (patch: Partial<typeof p>) => set({ pii: d.pii.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
          return (
            <div key={p.type} className="inline-form">
              <select aria-label={`PII entity ${i + 1} type`} value={p.type} onChange={(e) => update({ type: e.target.value })}>
                {PII_ENTITY_TYPES.filter((t) => t === p.type || !d.pii.some((x) => x.type === t)).map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
              <select aria-label={`PII entity ${i + 1} action`} value={p.action} onChange={(e) => update({ action: e.target.value as 'BLOCK' | 'ANONYMIZE' })}>
                <option>ANONYMIZE</option>
                <option>BLOCK</option>
              </select>
              <button type="button" className="button-secondary" onClick={() => set({ pii: d.pii.filter((_, j) => j !== i) })}>
                Remove {p.type}
              </button>
            </div>
          );
        })}
        <button
          type="button"
          className="button-secondary"
          disabled={d.pii.length === PII_ENTITY_TYPES.length}
          onClick={() => set({ pii: [...d.pii, { type: PII_ENTITY_TYPES.find((t) => !d.pii.some((x) => x.type === t))!, action: 'ANONYMIZE' }] })}
        >
          Add PII entity
        </button>
      </fieldset>

      <fieldset className="fieldset">
        <legend>Contextual grounding</legend>
        <div className="grid-2">
          <div className="field">
            <label htmlFor="gr-grounding">Grounding threshold</label>
            <input id="gr-grounding" inputMode="decimal" placeholder="off" value={d.grounding} onChange={(e) => set({ grounding: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor="gr-relevance">Relevance threshold</label>
            <input id="gr-relevance" inputMode="decimal" placeholder="off" value={d.relevance} onChange={(e) => set({ relevance: e.target.value })} />
          </div>
        </div>
        <span className="hint">0 to 0.99; answers scoring below are blocked. Blank leaves the filter off.</span>
      </fieldset>

      <div className="field">
        <label htmlFor="gr-blocked-input">Message for blocked input</label>
        <input id="gr-blocked-input" value={d.blockedInput} onChange={(e) => set({ blockedInput: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor="gr-blocked-output">Message for blocked output</label>
        <input id="gr-blocked-output" value={d.blockedOutput} onChange={(e) => set({ blockedOutput: e.target.value })} />
      </div>
      <FieldError message={error} />
      <div className="form-actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create guardrail'}
        </button>
      </div>
    </form>
  );
}
