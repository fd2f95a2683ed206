import { useCallback, useMemo, useState } from 'react';
import { ApiClient } from './api/api-client';
import { ConsoleProvider } from './console-context';
import { storedKey, storeKey } from './lib/session';
import { Shell } from './shell';
import { SignInPage } from './pages/sign-in-page';

/** Signed out: the sign-in page. Signed in: the console, until the key is refused or the user signs out. */
export function App() {
  const [key, setKey] = useState(storedKey);
  const [reason, setReason] = useState<string>();
  const signOut = useCallback((why?: string) => {
    storeKey(null);
    setKey(null);
    setReason(why);
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
    <ConsoleProvider api={api}>
      <Shell onSignOut={() => signOut()} />
    </ConsoleProvider>
  );
}
