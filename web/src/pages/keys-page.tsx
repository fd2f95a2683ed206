import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, isAbort, messageOf } from '../api/api-error';
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
 * /keys: API keys, created or rotated with the secret shown once, disabled, deleted. A caller the server lets list every
 * user's keys (ListApiKeys on `*`: an administrator) sees the account's keys with their owners and can narrow them to
 * one user; anyone else, refused that list, sees the keys of the signed-in user (whoami names the user). The server
 * decides each action on each key (only an administrator may touch an administrator's keys). Rotating the key this
 * console signed in with moves the console to the new secret. New keys are the signed-in user's.
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
  // Whether the server let this caller list every user's keys; a ref as well, so a refusal is asked once, not per load.
  const [everyone, setEveryone] = useState<boolean>();
  const everyoneRef = useRef<boolean>(undefined);
  const source = useMemo(
    () => ({
      async list(): Promise<ApiKey[]> {
        if (!userName) return new Promise<ApiKey[]>(() => {});
        if (everyoneRef.current !== false) {
          try {
            const all = await keys.listAll();
            everyoneRef.current = true;
            setEveryone(true);
            return all;
          } catch (e) {
            if (!(e instanceof ApiError && e.status === 403)) throw e;
            everyoneRef.current = false;
            setEveryone(false);
          }
        }
        return keys.list(userName);
      },
    }),
    [keys, userName],
  );
  const { list, error, load } = usePageList(source, active && userName !== undefined);
  const [owner, setOwner] = useState('');
  const owners = useMemo(() => (everyone && list ? [...new Set(list.map((k) => k.userName))].sort() : []), [everyone, list]);
  // A filter on a user whose last key was just deleted shows everyone again rather than an empty table.
  const shown = everyone && owner && owners.includes(owner) ? list?.filter((k) => k.userName === owner) : list;

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
            {me && everyone ? (
              <>
                Every key of this account&apos;s users, with its owner: <strong>{me.user.userName}</strong>
                {me.user.isAdmin ? ' (administrator)' : ''}, signed in here, may list them all. A key acts with its owner&apos;s permissions; keys created here are{' '}
                {me.user.userName}&apos;s.
              </>
            ) : me ? (
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
      {everyone && owners.length > 0 && (
        <div className="field keys-owner-filter">
          <label htmlFor="keys-owner">Show keys of</label>
          <select id="keys-owner" value={owners.includes(owner) ? owner : ''} onChange={(e) => setOwner(e.target.value)}>
            <option value="">All users ({owners.length})</option>
            {owners.map((o) => (
              <option key={o} value={o}>
                {o}
                {o === userName ? ' (you)' : ''}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="kb-layout">
        <ResourceList
          title={everyone ? (owner && owners.includes(owner) ? `Keys of ${owner}` : 'All keys') : 'Your keys'}
          titleId="keys-list-title"
          list={shown}
          error={error ?? meError}
          reload={meError ? () => setMeRetry((r) => r + 1) : load}
          errorTitle={meError ? 'The signed-in user could not be found' : 'The keys could not be listed'}
          what="API keys"
          empty={{
            title: 'No keys',
            body: <>Create a key with the form for each program that calls Quarry, so each can be disabled or deleted on its own.</>,
          }}
          label="API keys"
          columns={[{ label: 'Key' }, ...(everyone ? [{ label: 'Owner' }] : []), { label: 'Kind' }, { label: 'Status' }, { label: 'Created' }, { label: 'Last used' }, { label: 'Expires' }, { label: 'Actions', hidden: true }]}
          row={(k) => <KeyRow key={k.keyId} keys={keys} k={k} current={k.keyId === me?.keyId} owner={everyone ? { mine: k.userName === userName } : undefined} onChanged={load} onRotated={rotated} />}
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
