import { useCallback, useMemo, useState } from 'react';
import { ApiClient } from './api/api-client';
import { SharedAppPage } from './apps/shared-app-page';
import { SnapshotPage } from './apps/snapshot-page';
import { ConsoleProvider } from './console-context';
import { storedKey, storeKey } from './lib/session';
import { SignInPage } from './pages/sign-in-page';
import { Shell } from './shell';

/** A share link's token, when the page is one (/console/shared/{token}): it opens signed out, outside the shell. */
const sharedToken = /^\/console\/shared\/([A-Za-z0-9_-]+)\/?$/.exec(location.pathname)?.[1];
/** Likewise a snapshot's (/console/snapshots/{token}). */
const snapshotToken = /^\/console\/snapshots\/([A-Za-z0-9_-]+)\/?$/.exec(location.pathname)?.[1];

/** Signed out: the sign-in page. Signed in: the console, until the key is refused or the user signs out. */
export function App() {
  if (sharedToken) return <SharedAppPage token={sharedToken} />;
  if (snapshotToken) return <SnapshotPage token={snapshotToken} />;
  return <Console />;
}

function Console() {
  const [key, setKey] = useState(storedKey);
  const [reason, setReason] = useState<string>();
  const signOut = useCallback((why?: string) => {
    storeKey(null);
    setKey(null);
    setReason(why);
  }, []);
  const switchKey = useCallback((k: string) => {
    storeKey(k);
    setKey(k);
  }, []);
  const api = useMemo(() => (key ? new ApiClient(key, (e) => signOut(`You were signed out: ${e.message} Sign in with a valid key.`)) : undefined), [key, signOut]);

  if (!api) {
    return (
      <SignInPage
        reason={reason}
        onSignedIn={(k) => {
          storeKey(k);
          setReason(undefined);
          setKey(k);
        }}
      />
    );
  }
  return (
    <ConsoleProvider api={api} switchKey={switchKey}>
      <Shell onSignOut={() => signOut()} />
    </ConsoleProvider>
  );
}
