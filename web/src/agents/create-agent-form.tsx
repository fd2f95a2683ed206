import { type FormEvent, useEffect, useState } from 'react';
import type { AgentsApi } from '../api/agents';
import { messageOf } from '../api/api-error';
import { ModelSelect } from '../components/model-select';
import { FieldError } from '../components/notice';
import { textModels, useConsole } from '../console-context';

const newToken = () => crypto.randomUUID();

/**
 * Creates a draft agent. The values go to the server unchecked here, so its own rules (name characters, an
 * instruction of at least 40 characters) come back in its words; one clientToken per form makes a double submit
 * create one agent.
 */
export function CreateAgentForm({ agents, onCreated }: { agents: AgentsApi; onCreated: () => void }) {
  const { catalog } = useConsole();
  const models = textModels(catalog.models);
  const [name, setName] = useState('');
  const [model, setModel] = useState('');
  const [instruction, setInstruction] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [token, setToken] = useState(newToken);
  useEffect(() => {
    if (!model && models[0]) setModel(models[0].id);
  }, [model, models]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await agents.create({ name, foundationModel: model, instruction, clientToken: token });
      setToken(newToken());
      setName('');
      setInstruction('');
      onCreated();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel" onSubmit={submit} aria-labelledby="agent-create-title" noValidate>
      <h2 id="agent-create-title">Create an agent</h2>
      <div className="field">
        <label htmlFor="agent-name">Name</label>
        <input id="agent-name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
      </div>
      <ModelSelect id="agent-model" label="Foundation model" models={models} value={model} onChange={setModel} />
      <div className="field">
        <label htmlFor="agent-instruction">Instruction</label>
        <textarea id="agent-instruction" rows={5} value={instruction} onChange={(e) => setInstruction(e.target.value)} aria-describedby="agent-instruction-hint" />
        <span id="agent-instruction-hint" className="hint">
          What the agent does and how, in at least 40 characters.
        </span>
      </div>
      <FieldError message={error} />
      <div className="form-actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create agent'}
        </button>
      </div>
    </form>
  );
}
