import { useEffect, useRef, useState } from 'react';
import type { ApiKey, NewApiKey } from '../api/keys';
import { secretOf } from '../lib/key-terms';

/** When a rotated key's old secret stops working, said as a time or "now". */
function oldSecretEnds(previous: ApiKey): string {
  const at = previous.expiresAt ? Date.parse(previous.expiresAt) : Number.NaN;
  if (Number.isNaN(at) || at <= Date.now() + 1000) return 'The old secret has stopped working.';
  return `The old secret keeps working until ${new Date(at).toLocaleString()}.`;
}

/**
 * The one time a key's secret is shown: in a read-only field the user can select, with a copy button, until they say
 * they have kept it. The server stores only a hash (or a sealed SigV4 secret) and never returns it again. After a
 * rotation (`previous` is the key it replaced) it also says when the old secret ends.
 */
export function NewKeySecret({ created, previous, onDone }: { created: NewApiKey; previous?: ApiKey; onDone: () => void }) {
  const secret = secretOf(created) ?? '';
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'no'>();
  // Focus (and so select) the secret as it appears: the keyboard is where the copy happens, and the field reads out.
  useEffect(() => field.current?.focus(), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      // No clipboard (a page served over plain HTTP, or permission refused): select it for the user to copy by hand.
      field.current?.select();
      setCopied('no');
    }
  }

  return (
    <section className="panel new-secret" aria-labelledby="new-key-title">
      <h2 id="new-key-title">
        Key {created.name ?? created.keyId} {previous ? 'rotated' : 'created'}
      </h2>
      <div className="notice notice-warning" role="alert">
        <strong className="notice-title">Copy this secret now: it will not be shown again.</strong>
        <div>Quarry keeps only a hash of it. If it is lost, delete the key and create another.</div>
        {previous && <div data-testid="old-secret-ends">{oldSecretEnds(previous)}</div>}
      </div>
      {created.accessKeyId && (
        <div className="field">
          <label htmlFor="new-key-akid">Access key id</label>
          <input id="new-key-akid" className="mono" readOnly value={created.accessKeyId} onFocus={(e) => e.currentTarget.select()} />
        </div>
      )}
      <div className="field">
        <label htmlFor="new-key-secret">{created.type === 'sigv4' ? 'Secret access key' : 'API key'}</label>
        <div className="field-inline">
          <input id="new-key-secret" ref={field} className="mono" readOnly value={secret} onFocus={(e) => e.currentTarget.select()} data-testid="new-key-secret" />
          <button type="button" className="button-secondary" onClick={() => void copy()}>
            Copy
          </button>
        </div>
        <span className="hint" role="status">
          {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'no' ? 'The browser refused the clipboard; the secret is selected, press Ctrl+C (⌘C) to copy it.' : ''}
        </span>
      </div>
      <div className="form-actions">
        <button type="button" onClick={onDone}>
          I have saved it
        </button>
      </div>
    </section>
  );
}
