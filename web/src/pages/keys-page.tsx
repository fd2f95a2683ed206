import { useEffect, useMemo, useState } from 'react';
import { isAbort, messageOf } from '../api/api-error';
import { type ApiKey, keysApi, type NewApiKey, type RotatedApiKey, type WhoAmI } from '../api/keys';
import { ResourceList } from '../components/resource-list';
import { useConsole } from '../console-context';
import { CreateKeyForm } from '../keys/create-key-form';
import { KeyRow } from '../keys/key-row';
import { NewKeySecret } from '../keys/new-key-secret';
import { secretOf } from '../lib/key-terms';
import { useTitle } from '../lib/router';
import { usePageList } from '../lib/use-page-list';
import '../dashboards.css';
import '../operator.css';

/**
 * /keys: the signed-in user's API keys (whoami names the user), created or rotated with the secret shown once, disabled,
 * deleted. Rotating the key this console signed in with moves the console to the new secret.
 */
export function KeysPage({ active }: { active: boolean }) {
  useTitle('API keys', active);
  const { api, switchKey } = useConsole();
  const keys = useMemo(() => keysApi(api), [api]);
  const [me, setMe] = useState<WhoAmI>();
  const [meError, setMeError] = useState<string>();
  const [meRetry, setMeRetry] = useState(0);
  const [created, setCreated] = useState<{ key: NewApiKey; previous?: ApiKey }>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: `meRetry` asks again after an error.
  useEffect(() => {
    if (!active || me) return;
    const ac = new AbortController();
    setMeError(undefined);
    keys.whoami(ac.signal).then(setMe, (e: unknown) => {
      if (!isAbort(e)) setMeError(messageOf(e));
    });
    return () => ac.abort();
  }, [keys, active, me, meRetry]);
  const userName = me?.user.userName;
  const source = useMemo(() => ({ list: (): Promise<ApiKey[]> => (userName ? keys.list(userName) : new Promise<ApiKey[]>(() => {})) }), [keys, userName]);
  const { list, error, load } = usePageList(source, active && userName !== undefined);

  const rotated = (r: RotatedApiKey) => {
    setCreated({ key: r.key, previous: r.previous });
    const secret = secretOf(r.key);
    if (me && r.previous.keyId === me.keyId && secret) {
      setMe({ ...me, keyId: r.key.keyId });
      // A new client lists the keys again by itself, with the new secret.
      switchKey(secret);
    } else load();
  };

  return (
    <>
      <header className="page-header">
        <div>
          <h1>API keys</h1>
          <p className="muted">
            {me ? (
              <>
                Keys of <strong>{me.user.userName}</strong>
                {me.user.isAdmin ? ' (administrator)' : ''}, the user this console is signed in as. A key acts with its user&apos;s permissions.
              </>
            ) : (
              'Keys of the user this console is signed in as. A key acts with its user’s permissions.'
            )}
          </p>
        </div>
        <button type="button" className="button-secondary" onClick={load} disabled={!userName}>
          Reload
        </button>
      </header>
      {created && (
        <NewKeySecret
          key={created.key.keyId}
          created={created.key}
          previous={created.previous}
          onDone={() => {
            setCreated(undefined);
            document.getElementById('key-name')?.focus();
          }}
        />
      )}
      <div className="kb-layout">
        <ResourceList
          title="Your keys"
          titleId="keys-list-title"
          list={list}
          error={error ?? meError}
          reload={meError ? () => setMeRetry((r) => r + 1) : load}
          errorTitle={meError ? 'The signed-in user could not be found' : 'The keys could not be listed'}
          what="API keys"
          empty={{
            title: 'No keys',
            body: <>Create a key with the form for each program that calls Quarry, so each can be disabled or deleted on its own.</>,
          }}
          label="API keys"
          columns={[{ label: 'Key' }, { label: 'Kind' }, { label: 'Status' }, { label: 'Created' }, { label: 'Last used' }, { label: 'Expires' }, { label: 'Actions', hidden: true }]}
          row={(k) => <KeyRow key={k.keyId} keys={keys} k={k} current={k.keyId === me?.keyId} onChanged={load} onRotated={rotated} />}
        />
        <CreateKeyForm
          keys={keys}
          userName={userName}
          onCreated={(k) => {
            setCreated({ key: k });
            load();
          }}
        />
      </div>
    </>
  );
}
