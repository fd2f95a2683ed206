import { type FormEvent, useState } from 'react';
import { messageOf } from '../api/api-error';
import type { KeysApi, NewApiKey } from '../api/keys';
import { FieldError } from '../components/notice';
import { KEY_LIFETIMES, lifetimeSeconds } from '../lib/key-terms';

/** Creates a key for the signed-in user; the server's refusal (a name too long, a permission missing) is shown as it says it. */
export function CreateKeyForm({ keys, userName, onCreated }: { keys: KeysApi; userName: string | undefined; onCreated: (k: NewApiKey) => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [type, setType] = useState<'bearer' | 'sigv4'>('bearer');
  const [lifetime, setLifetime] = useState('90d');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!userName) return;
    setBusy(true);
    setError(undefined);
    try {
      const created = await keys.create(userName, {
        type,
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(description.trim() ? { description: description.trim() } : {}),
        ...(lifetimeSeconds(lifetime) ? { expiresInSeconds: lifetimeSeconds(lifetime) } : {}),
      });
      setName('');
      setDescription('');
      onCreated(created);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel" onSubmit={submit} aria-labelledby="key-create-title" noValidate>
      <h2 id="key-create-title">Create an API key</h2>
      <div className="field">
        <label htmlFor="key-name">Name</label>
        <input id="key-name" value={name} onChange={(e) => setName(e.target.value)} aria-describedby="key-name-hint" autoComplete="off" maxLength={200} />
        <span id="key-name-hint" className="hint">
          Optional: what uses it, such as &quot;ci-pipeline&quot;, so you can tell keys apart later.
        </span>
      </div>
      <div className="field">
        <label htmlFor="key-description">Description</label>
        <input id="key-description" value={description} onChange={(e) => setDescription(e.target.value)} autoComplete="off" />
      </div>
      <div className="grid-2">
        <div className="field">
          <label htmlFor="key-type">Kind</label>
          <select id="key-type" value={type} onChange={(e) => setType(e.target.value as 'bearer' | 'sigv4')} aria-describedby="key-type-hint">
            <option value="bearer">Bearer API key</option>
            <option value="sigv4">SigV4 access key</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="key-lifetime">Expires after</label>
          <select id="key-lifetime" value={lifetime} onChange={(e) => setLifetime(e.target.value)}>
            {KEY_LIFETIMES.map((l) => (
              <option key={l.value} value={l.value}>
                {l.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p id="key-type-hint" className="hint">
        {type === 'bearer'
          ? 'For the OpenAI and Anthropic SDKs and plain HTTP: sent as "Authorization: Bearer <key>".'
          : 'For the AWS SDKs: an access key id and secret access key that sign requests.'}
      </p>
      <FieldError message={error} />
      <div className="form-actions">
        <button type="submit" disabled={busy || !userName}>
          {busy ? 'Creating…' : 'Create key'}
        </button>
      </div>
    </form>
  );
}
