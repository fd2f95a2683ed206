import { type FormEvent, useEffect, useRef, useState } from 'react';
import { checkKey } from '../api/api-client';
import { ApiError, messageOf } from '../api/api-error';
import { useTitle } from '../lib/router';

/** Sign-in with an API key; the key is checked against the server before the console keeps it. */
export function SignInPage({ onSignedIn, reason }: { onSignedIn: (key: string) => void; reason?: string }) {
  useTitle('Sign in');
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | undefined>(reason);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const k = key.trim();
    if (!k) {
      setError('Enter an API key.');
      input.current?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await checkKey(k);
      onSignedIn(k);
    } catch (err) {
      setError(
        err instanceof ApiError && err.isBadKey
          ? 'The server did not accept this key. Check that it was copied whole (keys start with "qk-"). The first key is printed when the server first starts and saved in its data directory as admin-credentials.json.'
          : messageOf(err),
      );
      setBusy(false);
      input.current?.select();
    }
  }

  return (
    <main id="main" className="sign-in">
      <form className="card sign-in-card" onSubmit={submit} noValidate aria-describedby={error ? 'sign-in-error' : undefined}>
        <h1>
          <span className="brand-mark" aria-hidden="true" /> Quarry console
        </h1>
        <p className="muted">Sign in with an API key of this server. The console uses the same APIs and permissions as any other client of the key.</p>
        <div className="field">
          <label htmlFor="api-key">API key</label>
          <input
            ref={input}
            id="api-key"
            type="password"
            autoComplete="current-password"
            spellCheck={false}
            value={key}
            onChange={(e) => setKey(e.target.value)}
            aria-invalid={error ? true : undefined}
            placeholder="qk-…"
          />
        </div>
        {error && (
          <p id="sign-in-error" className="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
        <p className="hint">The key is kept in this tab only (session storage) and sent as <code>Authorization: Bearer</code>.</p>
      </form>
    </main>
  );
}
